import { describe, expect, it } from 'vitest';
import { BatchObjective } from '../../../inversion/objective/batch-objective.js';
import { rosenbrock } from '../../../inversion/objective/analytic-functions.js';
import { runLM } from '../../../inversion/optimizers/levenberg-marquardt.js';

/** A smooth nonlinear forward map R^5 -> R^20 (exponentials and products of the box coordinates). */
const D = 5;
const M = 20;
function nonlinear(x: Float64Array): Float64Array {
  return Float64Array.from({ length: M }, (_, i) => {
    let lin = 0;
    for (let k = 0; k < D; k++) lin += Math.cos(i + 2 * k) * x[k];
    return Math.exp(0.5 * lin) + x[i % D] * x[(i + 1) % D];
  });
}
const TRUTH = Float64Array.from([0.2, 0.35, 0.5, 0.7, 0.85]);

function objectiveFor(truth: Float64Array, regularisation?: ConstructorParameters<typeof BatchObjective>[0]['regularisation']): BatchObjective {
  return new BatchObjective({ dim: D, forward: (X) => X.map(nonlinear), observations: nonlinear(truth), sigma: 2, regularisation });
}

describe('Levenberg-Marquardt', () => {
  it('recovers the parameters of a nonlinear least-squares problem with noise-free data', async () => {
    const obj = objectiveFor(TRUTH);
    const iterations: number[] = [];
    const r = await runLM(obj, { seed: 1, maxIter: 40, onIteration: (i) => void iterations.push(i.iteration) });
    expect(r.method).toBe('LM');
    expect(r.bestObjective).toBeLessThan(1e-14);
    for (let k = 0; k < D; k++) expect(r.best[k]).toBeCloseTo(TRUTH[k], 6);
    // Calls are the objective's own count: 1 start + per iteration d Jacobian points + >= 1 trial.
    expect(r.forwardCalls).toBe(obj.forwardCalls);
    expect(r.forwardCalls).toBeGreaterThanOrEqual(1 + r.iterations * (D + 1));
    expect(r.forwardCalls).toBeLessThanOrEqual(1 + r.iterations * (D + 8));
    expect(iterations).toEqual(Array.from({ length: r.iterations }, (_, i) => i + 1));
    // Best-so-far curve: non-increasing, its last value the result.
    for (let i = 1; i < r.curve.length; i++) expect(r.curve[i]).toBeLessThanOrEqual(r.curve[i - 1]);
    expect(r.curve[r.curve.length - 1]).toBe(r.bestObjective);
    // Gauss-Newton converges in a few steps on a zero-residual problem, far fewer than the budget.
    expect(r.iterations).toBeLessThan(40);
  });

  it('solves Rosenbrock written as residuals (10 (y - x^2), 1 - x) to its minimum at (1, 1)', async () => {
    const box = (u: number) => -2.048 + 4.096 * u;
    const obj = new BatchObjective({
      dim: 2,
      forward: (X) => X.map((u) => Float64Array.from([10 * (box(u[1]) - box(u[0]) ** 2), box(u[0])])),
      observations: Float64Array.from([0, 1]),
    });
    const r = await runLM(obj, { seed: 1, maxIter: 100, start: Float64Array.from([0.2, 0.8]) });
    expect(rosenbrock(Array.from(r.best, box))).toBeLessThan(1e-10);
    expect(box(r.best[0])).toBeCloseTo(1, 4);
    expect(box(r.best[1])).toBeCloseTo(1, 4);
  });

  it('minimises the same J as evaluate, the well regularisation included', async () => {
    // Underdetermined data (only the sum of the first two coordinates is seen) plus known values of
    // coordinates 0 and 4: the regularisation residuals pin them.
    const obj = new BatchObjective({
      dim: D,
      forward: (X) => X.map((x) => Float64Array.from([x[0] + x[1], x[2] * x[3], Math.exp(x[3])])),
      observations: Float64Array.from([0.9, 0.35, Math.exp(0.7)]),
      regularisation: { predict: (x) => Float64Array.from([x[0], x[4]]), known: Float64Array.from([0.2, 0.85]), weight: 3, sigma: 0.5 },
    });
    const x = Float64Array.from([0.3, 0.4, 0.6, 0.1, 0.5]);
    const [res] = await obj.residuals([x]);
    const [J] = await obj.evaluate([x]);
    expect(res).toHaveLength(3 + 2);
    expect(res.reduce((s, v) => s + v * v, 0)).toBeCloseTo(J, 12);
    const r = await runLM(obj, { seed: 1, maxIter: 50 });
    expect(r.bestObjective).toBeLessThan(1e-14);
    expect(r.best[0]).toBeCloseTo(0.2, 6);
    expect(r.best[1]).toBeCloseTo(0.7, 6);
    expect(r.best[3]).toBeCloseTo(0.7, 6);
    expect(r.best[2]).toBeCloseTo(0.5, 6);
    expect(r.best[4]).toBeCloseTo(0.85, 6);
  });

  it('adds a Gaussian prior on z when asked and limits each step to maxStep', async () => {
    const single = () => new BatchObjective({ dim: 1, forward: (X) => X.map((u) => Float64Array.from([u[0]])), observations: Float64Array.from([0.9]) });
    const free = await runLM(single(), { seed: 1, maxIter: 30 });
    expect(free.best[0]).toBeCloseTo(0.9, 6);
    // A heavy prior holds z near 0 (u near the centre); J reported is still the data misfit there.
    const held = await runLM(single(), { seed: 1, maxIter: 30, prior: 100 });
    expect(Math.abs(held.best[0] - 0.5)).toBeLessThan(0.01);
    expect(held.bestObjective).toBeCloseTo((0.9 - held.best[0]) ** 2, 12);
    // Steps of at most 0.1 in z: from z = 0 to z = Phi^-1(0.9) = 1.28 needs at least 13 steps.
    const visited: number[] = [];
    const obj = single();
    const slow = await runLM(obj, { seed: 1, maxIter: 30, maxStep: 0.1, onIteration: () => void visited.push(obj.best![0]) });
    expect(slow.iterations).toBeGreaterThanOrEqual(13);
    expect(slow.best[0]).toBeCloseTo(0.9, 6);
    await expect(runLM(single(), { seed: 1, prior: -1 })).rejects.toThrow(/LM: prior must be >= 0/);
    await expect(runLM(single(), { seed: 1, maxStep: 0 })).rejects.toThrow(/LM: maxStep must be positive/);
  });

  it('is deterministic and rejects bad options, naming them', async () => {
    const a = await runLM(objectiveFor(TRUTH), { seed: 1, maxIter: 3 });
    const b = await runLM(objectiveFor(TRUTH), { seed: 2, maxIter: 3 });
    expect(Array.from(a.best)).toEqual(Array.from(b.best));
    await expect(runLM(objectiveFor(TRUTH), { seed: 1, step: 0 })).rejects.toThrow(/LM: step must lie in \(0, 1\)/);
    await expect(runLM(objectiveFor(TRUTH), { seed: 1, start: new Float64Array(2) })).rejects.toThrow(/LM: start must have length 5/);
    await expect(runLM(objectiveFor(TRUTH), { seed: 1, damping: -1 })).rejects.toThrow(/LM: damping/);
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await expect(runLM(objectiveFor(TRUTH), { seed: 1, signal: aborted.signal })).rejects.toThrow('stop');
  });
});
