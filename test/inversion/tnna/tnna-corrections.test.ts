import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { tf } from '../../../models/tf.js';
import { Rng } from '../../../numerics/rng.js';
import { nextRadius, runCorrectedTnna, type CorrectionOrder } from '../../../inversion/tnna/tnna-corrections.js';
import type { TnnaOptions } from '../../../inversion/tnna/tnna.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

const DIM = 3;
const N_OBS = 10;

/**
 * A "simulator" S(u) = sigmoid(2 (u - 0.5) A + c) and a "surrogate" F(u) = S(u) + (u - 0.5) E + b
 * that is wrong in value AND slope, with noisy data: the least-squares fit of S is not the truth,
 * so an order-0 fixed point (slopes of F) and a first-order one (slopes of S) differ.
 */
function problem() {
  const rng = new Rng(11);
  const mat = (n: number, s: number) => Float32Array.from({ length: n }, () => s * rng.normal());
  const A = tf.keep(tf.tensor2d(mat(DIM * N_OBS, 1), [DIM, N_OBS]));
  const c = tf.keep(tf.tensor1d(mat(N_OBS, 0.3)));
  const E = tf.keep(tf.tensor2d(mat(DIM * N_OBS, 0.25), [DIM, N_OBS]));
  const b = tf.keep(tf.tensor1d(mat(N_OBS, 0.05)));
  const S = (u: tf.Tensor) => tf.sigmoid(tf.matMul(u.sub(0.5).mul<tf.Tensor2D>(2), A).add(c));
  const F = (u: tf.Tensor) =>
    S(u)
      .add(tf.matMul(u.sub<tf.Tensor2D>(0.5), E))
      .add(b);
  const at =
    (fn: (u: tf.Tensor) => tf.Tensor) =>
    (points: Float64Array[]): Float64Array[] => {
      const t = tf.tidy(() => fn(tf.tensor2d(Float32Array.from(points.flatMap((p) => Array.from(p))), [points.length, DIM])));
      const v = t.dataSync();
      t.dispose();
      return points.map((_, i) => Float64Array.from(v.subarray(i * N_OBS, (i + 1) * N_OBS)));
    };
  const truth = Float64Array.from([0.3, 0.65, 0.45]);
  const noise = mat(N_OBS, 0.04);
  const observations = Float64Array.from(at(S)([truth])[0], (v, i) => v + noise[i]);
  let simulations = 0;
  const simulate = (points: Float64Array[]) => {
    simulations += points.length;
    return at(S)(points);
  };
  /** |grad J_S(u)| with J_S(u) = |y - S(u)|^2: zero at a minimum of the misfit on the simulator. */
  const simulatorGradient = (u: Float64Array) =>
    tf.tidy(() => {
      const y = tf.tensor2d(Float32Array.from(observations), [1, N_OBS]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.sub(y, S(x)))))(tf.tensor2d(Float32Array.from(u), [1, DIM]));
      return Math.sqrt(g.square().sum().dataSync()[0]);
    });
  return {
    observations,
    forward: (m: tf.Tensor) => F(m),
    simulate,
    surrogate: at(F),
    simulatorGradient,
    simulations: () => simulations,
    dispose: () => tf.dispose([A, c, E, b]),
  };
}

const options: TnnaOptions = { seed: 4, maxIter: 400, learningRate: 1e-3, weightDecay: 1e-6, network: { hiddenUnits: [64, 64, 64] } };

describe('runCorrectedTnna', () => {
  it('count 0 is plain TNNA; order 1 settles on a minimum of J on the simulator, order 0 does not', async () => {
    const p = problem();
    const run = (count: number, order: CorrectionOrder) =>
      runCorrectedTnna({ observations: p.observations, forward: p.forward, dim: DIM }, options, {
        count,
        order,
        step: 5e-3,
        radius: 0.1,
        simulate: p.simulate,
        surrogate: p.surrogate,
      });

    const plain = await run(0, 1);
    expect(plain.record).toBeNull();
    expect(plain.result.forwardCalls).toBe(400);
    expect(p.simulations()).toBe(0);

    const zeroth = await run(3, 0);
    expect(zeroth.record).toMatchObject({ order: 0, simulations: 3, surrogateCalls: 3 });
    expect(zeroth.record!.shiftRms).toHaveLength(3);
    expect(zeroth.record!.slopeRms).toBeUndefined();
    expect(zeroth.result.forwardCalls).toBe(4 * 400);

    const first = await run(4, 1);
    const rec = first.record!;
    expect(rec.order).toBe(1);
    expect(rec.rounds).toHaveLength(4);
    // Simulations: the first estimate, d forward differences there, one per round's estimate and d
    // more at each accepted estimate but the last round's.
    const relinearised = rec.rounds!.slice(0, 3).filter((r) => r.accepted).length;
    expect(rec.simulations).toBe(1 + DIM + 4 + DIM * relinearised);
    expect(rec.surrogateCalls).toBe((1 + DIM) * (1 + relinearised));
    expect(rec.slopeRms).toHaveLength(1 + relinearised);
    expect(rec.shiftRms).toHaveLength(1 + relinearised);
    expect(first.result.forwardCalls).toBe(5 * 400);
    expect(p.simulations()).toBe(3 + rec.simulations);
    // The surrogate's slope error is E (RMS 0.25 by construction): the forward differences see it.
    for (const s of rec.slopeRms!) expect(s).toBeGreaterThan(0.1);
    // J on the simulator never rises: a round is kept only if it lowers J; the first is taken here.
    // Each round starts at u*, where the corrected surrogate equals the simulator, so it never
    // predicts a rise; the ratio is the actual over the predicted fall.
    expect(rec.rounds![0].accepted).toBe(true);
    let j = rec.startObjective!;
    for (const r of rec.rounds!) {
      expect(r.modelObjective).toBeLessThanOrEqual(j * (1 + 1e-4));
      if (j - r.modelObjective > 0) expect(r.ratio).toBeCloseTo((j - r.objective) / (j - r.modelObjective), 9);
      if (r.accepted) {
        expect(r.objective).toBeLessThan(j);
        j = r.objective;
      } else expect(r.objective).toBeGreaterThanOrEqual(j);
    }
    // The radius follows the ratio (a rejected round counts as ratio 0).
    expect(rec.rounds![0].radius).toBe(0.1);
    for (let k = 1; k < 4; k++) {
      const prev = rec.rounds![k - 1];
      expect(rec.rounds![k].radius).toBeCloseTo(nextRadius(prev.radius, prev.accepted ? prev.ratio : 0), 12);
    }

    const gPlain = p.simulatorGradient(plain.result.best);
    const gZeroth = p.simulatorGradient(zeroth.result.best);
    const gFirst = p.simulatorGradient(first.result.best);
    // Plain TNNA and the output-bias corrections stop where the SURROGATE's slopes say; first-order
    // corrections at a stationary point of the simulator's misfit.
    expect(gFirst).toBeLessThan(1e-3);
    expect(gZeroth).toBeGreaterThan(5 * gFirst);
    expect(gPlain).toBeGreaterThan(5 * gFirst);
    p.dispose();
  }, 120_000);

  it('trust-region radius: quartered below ratio 1/4, doubled up to 0.5 above 3/4, kept between', () => {
    expect(nextRadius(0.2, -3)).toBeCloseTo(0.05, 15);
    expect(nextRadius(0.2, 0.1)).toBeCloseTo(0.05, 15);
    expect(nextRadius(0.2, 0.5)).toBe(0.2);
    expect(nextRadius(0.2, 0.9)).toBe(0.4);
    expect(nextRadius(0.4, 1.2)).toBe(0.5);
  });

  it('rejects bad settings naming them', async () => {
    const p = problem();
    const bad = (count: number, order: number, step: number) =>
      runCorrectedTnna({ observations: p.observations, forward: p.forward, dim: DIM }, options, {
        count,
        order: order as CorrectionOrder,
        step,
        radius: 0.1,
        simulate: p.simulate,
        surrogate: p.surrogate,
      });
    await expect(bad(-1, 0, 5e-3)).rejects.toThrow(/count must be a non-negative integer/);
    await expect(bad(1, 2, 5e-3)).rejects.toThrow(/order must be 0 or 1/);
    await expect(bad(1, 1, 0.7)).rejects.toThrow(/step must lie in \(0, 0.5\)/);
    await expect(
      runCorrectedTnna({ observations: p.observations, forward: p.forward, dim: DIM }, options, {
        count: 1,
        order: 1,
        step: 5e-3,
        radius: 0,
        simulate: p.simulate,
        surrogate: p.surrogate,
      }),
    ).rejects.toThrow(/radius must lie in \(0, 0.5\]/);
    p.dispose();
  });
});
