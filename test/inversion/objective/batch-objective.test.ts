import { describe, expect, it } from 'vitest';
import { BatchObjective } from '../../../inversion/objective/batch-objective.js';
import { FunctionObjective } from '../../../inversion/objective/function-objective.js';
import { runDE } from '../../../inversion/optimizers/de.js';
import { runSA } from '../../../inversion/optimizers/sa.js';
import { normalisedAnalytic, normalisedOptimum, rastrigin, rosenbrock } from '../../../inversion/objective/analytic-functions.js';

// Forward model F(x) = [x0 + x1, 2 x0, x1^2]: three outputs from two parameters.
const forward = (X: Float64Array[]) => X.map((x) => Float64Array.of(x[0] + x[1], 2 * x[0], x[1] * x[1]));

describe('BatchObjective', () => {
  it('computes J = sum (y_obs - F)^2 / sigma_i by hand', async () => {
    const obj = new BatchObjective({ dim: 2, forward, observations: Float64Array.of(1, 0.5, 0.2), sigma: Float64Array.of(0.5, 2, 0.1) });
    const J = await obj.evaluate([Float64Array.of(0.25, 0.5), Float64Array.of(0, 0)]);
    // x = (0.25, 0.5): F = (0.75, 0.5, 0.25); residuals 0.25, 0, -0.05 -> 0.0625/0.5 + 0 + 0.0025/0.1
    expect(J[0]).toBeCloseTo(0.125 + 0.025, 15);
    // x = 0: F = 0 -> 1/0.5 + 0.25/2 + 0.04/0.1
    expect(J[1]).toBeCloseTo(2 + 0.125 + 0.4, 15);
    expect(obj.bestObjective).toBeCloseTo(0.15, 15);
    expect(Array.from(obj.best!)).toEqual([0.25, 0.5]);
  });

  it('adds the well regularisation lambda * sum (k - K(x))^2 / s_j', async () => {
    const obj = new BatchObjective({
      dim: 2,
      forward,
      observations: Float64Array.of(0.75, 0.5, 0.25),
      regularisation: { predict: (x) => Float64Array.of(3 * x[0], -x[1]), known: Float64Array.of(1, 0), weight: 4, sigma: 0.5 },
    });
    const [j] = await obj.evaluate([Float64Array.of(0.25, 0.5)]);
    // data misfit 0; regularisation 4 * ((1 - 0.75)^2 + (0 + 0.5)^2) / 0.5 = 4 * 0.3125 / 0.5
    expect(j).toBeCloseTo(2.5, 15);
    expect(obj.regularisationTerm(Float64Array.of(1 / 3, 0))).toBeCloseTo(0, 15);
  });

  it('counts parameter vectors and batched invocations separately (async forward too)', async () => {
    let invocations = 0;
    const obj = new BatchObjective({
      dim: 2,
      forward: (X) => (invocations++, Promise.resolve(forward(X))),
      observations: Float64Array.of(0, 0, 0),
    });
    const rows = (n: number) => Array.from({ length: n }, (_, i) => Float64Array.of(i / n, 1 - i / n));
    await obj.evaluate(rows(3));
    await obj.evaluate(rows(5));
    await obj.evaluate(rows(1));
    expect(obj.forwardCalls).toBe(9);
    expect(obj.batches).toBe(3);
    expect(invocations).toBe(3);
  });

  it('tracks the best so far and where it was found', async () => {
    const obj = new BatchObjective({ dim: 2, forward, observations: Float64Array.of(0, 0, 0) });
    await obj.evaluate([Float64Array.of(1, 1), Float64Array.of(0.5, 0.5)]);
    await obj.evaluate([Float64Array.of(0.1, 0), Float64Array.of(0.9, 0.9)]);
    expect(obj.bestAtCall).toBe(3);
    expect(Array.from(obj.best!)).toEqual([0.1, 0]);
    expect(obj.bestObjective).toBeCloseTo(0.01 + 0.04, 15);
  });

  it('rejects points outside [0,1]^d, wrong lengths and mismatched outputs, naming the field', async () => {
    const obj = new BatchObjective({ dim: 2, forward, observations: Float64Array.of(0, 0, 0) });
    await expect(obj.evaluate([Float64Array.of(0.5, 1.0000001)])).rejects.toThrow(/X\[0\]\[1\].*outside/);
    await expect(obj.evaluate([Float64Array.of(0.5)])).rejects.toThrow(/X\[0\] must be a Float64Array of length dim=2/);
    const bad = new BatchObjective({ dim: 2, forward, observations: Float64Array.of(0, 0) });
    await expect(bad.evaluate([Float64Array.of(0.5, 0.5)])).rejects.toThrow(/output has length 3, observations have 2/);
    const short = new BatchObjective({ dim: 2, forward: (X) => forward(X).slice(1), observations: Float64Array.of(0, 0, 0) });
    await expect(short.evaluate([Float64Array.of(0, 0), Float64Array.of(1, 1)])).rejects.toThrow(/returned 1 outputs for 2 inputs/);
    expect(() => new BatchObjective({ dim: 2, forward, observations: Float64Array.of(0, 0, 0), sigma: 0 })).toThrow(/sigma/);
    expect(obj.forwardCalls).toBe(0); // rejected batches are not counted
  });

  it('reports NaN objective values as +Infinity and counts them', async () => {
    const obj = new BatchObjective({ dim: 1, forward: (X) => X.map((x) => Float64Array.of(x[0] > 0.5 ? NaN : x[0])), observations: Float64Array.of(0) });
    const J = await obj.evaluate([Float64Array.of(0.9), Float64Array.of(0.2)]);
    expect(J[0]).toBe(Infinity);
    expect(J[1]).toBeCloseTo(0.04, 15);
    expect(obj.nonFinite).toBe(1);
  });
});

describe('analytic test functions on [0,1]^d', () => {
  it('have their minimum 0 at the stated normalised optimum', () => {
    for (const name of ['sphere', 'rosenbrock', 'rastrigin'] as const) {
      const u = new Float64Array(4).fill(normalisedOptimum(name));
      expect(normalisedAnalytic(name)(u)).toBeCloseTo(0, 12);
    }
    expect(rosenbrock([0, 0])).toBe(1);
    expect(rastrigin([0.5])).toBeCloseTo(10 + 0.25 + 10, 12);
  });

  it('FunctionObjective counts like BatchObjective', async () => {
    const obj = FunctionObjective.pointwise(2, normalisedAnalytic('sphere'));
    await obj.evaluate([Float64Array.of(0.4, 0.4), Float64Array.of(0, 1)]);
    expect(obj.forwardCalls).toBe(2);
    expect(obj.batches).toBe(1);
    expect(obj.bestObjective).toBeCloseTo(0, 12);
  });
});

describe('BatchObjective driven by an optimiser (small inverse problem)', () => {
  it('recovers the true parameters of a batched forward model, with counts equal to the forward invocations', async () => {
    // F(x) = [x0 + x1, x0 - x1, x0 * x1, exp(-x0) + x1^2, sin(3 x1)], x* = (0.3, 0.7).
    let vectors = 0;
    let calls = 0;
    const F = (X: Float64Array[]) => {
      calls++;
      vectors += X.length;
      return X.map(([a, b]) => Float64Array.of(a + b, a - b, a * b, Math.exp(-a) + b * b, Math.sin(3 * b)));
    };
    const truth = Float64Array.of(0.3, 0.7);
    const yObs = F([truth])[0];
    vectors = 0;
    calls = 0;
    const sigma = Float64Array.of(0.01, 0.01, 0.02, 0.01, 0.05);
    for (const run of [runDE, runSA]) {
      const obj = new BatchObjective({ dim: 2, forward: F, observations: yObs, sigma });
      const r = await run(obj, { seed: 7, popSize: 30, chainLength: 30, maxIter: 80 });
      expect(Math.abs(r.best[0] - 0.3)).toBeLessThan(1e-4);
      expect(Math.abs(r.best[1] - 0.7)).toBeLessThan(1e-4);
      expect(r.forwardCalls).toBe(vectors);
      expect(r.batches).toBe(calls);
      expect(obj.forwardCalls).toBe(vectors);
      vectors = 0;
      calls = 0;
    }
  });
});
