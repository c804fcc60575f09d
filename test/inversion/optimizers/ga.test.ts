import { describe, expect, it } from 'vitest';
import { FunctionObjective } from '../../../inversion/objective/function-objective.js';
import { runGA } from '../../../inversion/optimizers/ga.js';

describe('GA specifics', () => {
  it('evaluates only points of the 24-bit grid k / (2^24 - 1)', async () => {
    const grid = 2 ** 24 - 1;
    let offGrid = 0;
    const obj = new FunctionObjective(3, (X) =>
      X.map((x) => {
        for (const v of x) if (Math.abs(v * grid - Math.round(v * grid)) > 1e-6) offGrid++;
        return x[0] + x[1] + x[2];
      }),
    );
    const r = await runGA(obj, { seed: 1, popSize: 20, maxIter: 10 });
    expect(offGrid).toBe(0);
    expect(r.forwardCalls).toBe(20 * 10 + 1);
  });

  it('with coarse precision the grid has 2^L points: precision 1/7 -> values k/7', async () => {
    const vals = new Set<number>();
    const obj = new FunctionObjective(1, (X) => X.map((x) => (vals.add(Math.round(x[0] * 7 * 1e9) / 1e9), x[0])));
    await runGA(obj, { seed: 2, popSize: 30, maxIter: 5, precision: 1 / 7 });
    for (const v of vals) expect(Number.isInteger(v)).toBe(true);
    expect(vals.size).toBeGreaterThan(4);
  });

  it('without the final evaluation calls = pop * iters', async () => {
    const obj = FunctionObjective.pointwise(2, (x) => x[0] * x[0] + x[1]);
    const r = await runGA(obj, { seed: 3, popSize: 12, maxIter: 9, finalEvaluation: false });
    expect(r.forwardCalls).toBe(108);
    expect(r.batches).toBe(9);
  });

  it('rejects an odd population (rows i and i + pop/2 are paired)', async () => {
    const obj = FunctionObjective.pointwise(2, (x) => x[0]);
    await expect(runGA(obj, { seed: 1, popSize: 11 })).rejects.toThrow(/popSize must be even/);
  });
});
