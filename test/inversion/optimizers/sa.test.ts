import { describe, expect, it } from 'vitest';
import { normalisedAnalytic } from '../../../inversion/objective/analytic-functions.js';
import { FunctionObjective } from '../../../inversion/objective/function-objective.js';
import { runSA } from '../../../inversion/optimizers/sa.js';

describe('SA specifics', () => {
  it('speculative batching follows exactly the sequential chain, with fewer batches and counted waste', async () => {
    for (const fn of ['sphere', 'rastrigin'] as const) {
      const seq = FunctionObjective.pointwise(5, normalisedAnalytic(fn));
      const spec = FunctionObjective.pointwise(5, normalisedAnalytic(fn));
      const a = await runSA(seq, { seed: 9, chainLength: 30, maxIter: 60 });
      const b = await runSA(spec, { seed: 9, chainLength: 30, maxIter: 60, batchMode: 'speculative' });
      expect(Array.from(b.curve)).toEqual(Array.from(a.curve));
      expect(Array.from(b.best)).toEqual(Array.from(a.best));
      expect(a.forwardCalls).toBe(1 + 30 * 60);
      expect(a.wastedCalls).toBe(0);
      expect(b.forwardCalls).toBe(a.forwardCalls + b.wastedCalls);
      expect(spec.forwardCalls).toBe(b.forwardCalls);
      expect(b.batches).toBeLessThan(a.batches);
    }
  });

  it("with scikit-opt's stopping (T_min = 1e-7) runs 57 chains: T_k = 100 exp(-k/e) < 1e-7 first at k = 57", async () => {
    const obj = FunctionObjective.pointwise(3, normalisedAnalytic('sphere'));
    const r = await runSA(obj, { seed: 1, chainLength: 10, maxIter: 1000, tMin: 1e-7 });
    expect(r.iterations).toBe(57);
    expect(r.forwardCalls).toBe(1 + 10 * 57);
  });

  it('stops when the best stays unchanged more than maxStayCounter chains', async () => {
    const obj = FunctionObjective.pointwise(2, () => 1); // flat: the best never changes
    const r = await runSA(obj, { seed: 1, chainLength: 5, maxIter: 100, maxStayCounter: 3 });
    expect(r.iterations).toBe(4);
    expect(r.forwardCalls).toBe(1 + 5 * 4);
  });

  it('starts from x0 when given and its first evaluation is x0', async () => {
    const first: number[][] = [];
    const obj = new FunctionObjective(2, (X) => (first.length === 0 && first.push(Array.from(X[0])), X.map((x) => x[0] + x[1])));
    await runSA(obj, { seed: 1, chainLength: 3, maxIter: 2, x0: Float64Array.of(0.25, 0.75) });
    expect(first[0]).toEqual([0.25, 0.75]);
  });
});
