import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { kleParameterisation } from '../../../models/inversion/parameterisation.js';
import { tf } from '../../../models/tf.js';
import { buildKle } from '../../../physics/fields/kle.js';
import { Rng } from '../../../numerics/rng.js';
import { physicalAt, runTnna, TNNA_DEFAULTS, type TnnaIterationInfo } from '../../../inversion/tnna/tnna.js';
import { buildReverseNetwork } from '../../../inversion/tnna/reverse-network.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

/** A small fixed smooth forward model standing in for the surrogate: F(u) = sigmoid(2 (u - 0.5) A + c). */
function smoothForward(dim: number, nObs: number, seed: number) {
  const rng = new Rng(seed);
  const A = tf.keep(
    tf.tensor2d(
      Float32Array.from({ length: dim * nObs }, () => rng.normal()),
      [dim, nObs],
    ),
  );
  const c = tf.keep(tf.tensor1d(Float32Array.from({ length: nObs }, () => 0.3 * rng.normal())));
  let calls = 0;
  const forward = (m: tf.Tensor) => {
    calls += m.shape[0];
    return tf.sigmoid(tf.matMul(m.sub(0.5).mul<tf.Tensor2D>(2), A).add(c));
  };
  const observe = (u: number[]) => Float64Array.from(tf.tidy(() => forward(tf.tensor2d([u])).dataSync()));
  return { forward, observe, calls: () => calls, dispose: () => tf.dispose([A, c]) };
}

describe('TNNA reverse network', () => {
  it('is FC 3 x 512 with a sigmoid output', () => {
    const net = buildReverseNetwork(50, 9);
    expect(net.layers.filter((l) => l.name.startsWith('reverse_hidden')).map((l) => l.outputShape)).toEqual([
      [null, 512],
      [null, 512],
      [null, 512],
    ]);
    expect((net.getLayer('reverse_params').getConfig() as { activation: string }).activation).toBe('sigmoid');
    net.dispose();
  });
});

describe('runTnna', () => {
  it('recovers the parameters of a smooth forward model; forwardCalls == epochs', async () => {
    const fm = smoothForward(4, 12, 1);
    const truth = [0.2, 0.7, 0.4, 0.85];
    const observations = fm.observe(truth);
    const callsBefore = fm.calls();
    const infos: TnnaIterationInfo[] = [];
    const res = await runTnna(
      { observations, forward: fm.forward, dim: 4 },
      { seed: 3, maxIter: 300, learningRate: 1e-3, weightDecay: 1e-6, network: { hiddenUnits: [64, 64, 64] }, onIteration: (i) => void infos.push(i) },
    );
    expect(res.method).toBe('TNNA');
    expect(res.forwardCalls).toBe(300);
    expect(res.batches).toBe(300);
    expect(fm.calls() - callsBefore).toBe(300); // the model itself saw exactly one call per epoch
    expect(res.iterations).toBe(300);
    expect(res.curve.length).toBe(300);
    for (let i = 1; i < 300; i++) expect(res.curve[i]).toBeLessThanOrEqual(res.curve[i - 1]);
    expect(res.curve[299]).toBe(res.bestObjective);
    expect(res.bestObjective).toBeLessThan(1e-5);
    expect(res.bestObjective).toBeLessThan(res.curve[0] / 1000);
    for (let k = 0; k < 4; k++) expect(Math.abs(res.best[k] - truth[k])).toBeLessThan(0.02);
    // The reported objective at `best` is J(best) (recomputed independently).
    const yb = fm.observe(Array.from(res.best));
    let J = 0;
    for (let i = 0; i < 12; i++) J += (yb[i] - observations[i]) ** 2;
    expect(J).toBeCloseTo(res.bestObjective, 6);
    expect(infos.length).toBe(300);
    expect(infos[299]).toMatchObject({ method: 'TNNA', iteration: 300, maxIter: 300, forwardCalls: 300, batches: 300 });
    fm.dispose();
  });

  it('is deterministic for a seed and rejects on abort with the signal reason', async () => {
    const fm = smoothForward(3, 6, 2);
    const observations = fm.observe([0.3, 0.5, 0.6]);
    const opts = { maxIter: 20, learningRate: 1e-3, network: { hiddenUnits: [16, 16, 16] } };
    const tensorsBefore = tf.memory().numTensors;
    const a = await runTnna({ observations, forward: fm.forward, dim: 3 }, { ...opts, seed: 5 });
    expect(tf.memory().numTensors).toBe(tensorsBefore); // nothing leaks per epoch or per run
    const b = await runTnna({ observations, forward: fm.forward, dim: 3 }, { ...opts, seed: 5 });
    expect(Array.from(a.curve)).toEqual(Array.from(b.curve));
    // A snapshot after 8 of 20 epochs is exactly what an 8-epoch run returns.
    const long = await runTnna({ observations, forward: fm.forward, dim: 3 }, { ...opts, seed: 5, snapshotAt: [8] });
    const short = await runTnna({ observations, forward: fm.forward, dim: 3 }, { ...opts, maxIter: 8, seed: 5 });
    expect(long.snapshots).toHaveLength(1);
    expect(long.snapshots[0].epoch).toBe(8);
    expect(long.snapshots[0].bestObjective).toBe(short.bestObjective);
    expect(Array.from(long.snapshots[0].best)).toEqual(Array.from(short.best));
    expect(a.snapshots).toEqual([]);
    const ctl = new AbortController();
    await expect(
      runTnna(
        { observations, forward: fm.forward, dim: 3 },
        { ...opts, seed: 5, signal: ctl.signal, onIteration: (i) => void (i.iteration === 4 && ctl.abort(new Error('stop at 4'))) },
      ),
    ).rejects.toThrow('stop at 4');
    expect(TNNA_DEFAULTS.case1).toEqual({ maxIter: 1000, learningRate: 6e-5, weightDecay: 1e-6 });
    fm.dispose();
  });

  it('starts at a given point: epoch 1 evaluates u = start, inside a box; a start outside the box is named', async () => {
    const fm = smoothForward(3, 6, 2);
    const observations = fm.observe([0.3, 0.5, 0.6]);
    const start = Float64Array.from([0.35, 0.42, 0.7]);
    const box = { lo: Float64Array.from([0.25, 0.3, 0.6]), hi: Float64Array.from([0.45, 0.5, 0.8]) };
    const seen: Float64Array[] = [];
    const forward = (m: tf.Tensor) => {
      seen.push(Float64Array.from(m.dataSync()));
      return fm.forward(m);
    };
    const opts = { seed: 5, maxIter: 30, learningRate: 1e-3, network: { hiddenUnits: [16, 16, 16] } };
    const tensorsBefore = tf.memory().numTensors;
    const res = await runTnna({ observations, forward, dim: 3 }, { ...opts, box, start });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    for (let j = 0; j < 3; j++) expect(seen[0][j]).toBeCloseTo(start[j], 5);
    const y0 = fm.observe(Array.from(start));
    expect(res.curve[0]).toBeCloseTo(
      y0.reduce((s, v, i) => s + (v - observations[i]) ** 2, 0),
      6,
    );
    for (const u of seen) for (let j = 0; j < 3; j++) expect(u[j] >= box.lo[j] - 1e-6 && u[j] <= box.hi[j] + 1e-6).toBe(true);
    expect(res.bestObjective).toBeLessThan(res.curve[0]);
    await expect(runTnna({ observations, forward, dim: 3 }, { ...opts, box, start: Float64Array.from([0.35, 0.42, 0.9]) })).rejects.toThrow(
      /start\[2\] = 0.9 lies outside the box \[0.6, 0.8\]/,
    );
    fm.dispose();
  });

  it('warms the learning rate up linearly: the first steps from a start stay near it, then run at full size', async () => {
    const fm = smoothForward(3, 6, 2);
    const observations = fm.observe([0.3, 0.5, 0.6]);
    const start = Float64Array.from([0.35, 0.42, 0.7]);
    const opts = { seed: 5, maxIter: 12, learningRate: 1e-3, network: { hiddenUnits: [16, 16, 16] }, start };
    const trace = async (warmup: number) => {
      const seen: Float64Array[] = [];
      const forward = (m: tf.Tensor) => {
        seen.push(Float64Array.from(m.dataSync()));
        return fm.forward(m);
      };
      await runTnna({ observations, forward, dim: 3 }, { ...opts, warmup });
      return seen.map((u) => Math.hypot(...Array.from(u, (v, j) => v - start[j])));
    };
    const plain = await trace(0);
    const warm = await trace(100);
    const short = await trace(2);
    // Epoch 2 follows one step at lr / 100: about a hundredth of the plain first step.
    expect(warm[1]).toBeGreaterThan(0);
    expect(warm[1]).toBeLessThan(plain[1] / 20);
    // A 2-epoch warm-up: the first step at lr / 2, then full size (Adam's steps are about lr each).
    expect(short[1]).toBeLessThan(plain[1] * 0.75);
    expect(short[1]).toBeGreaterThan(plain[1] * 0.25);
    expect(short[11] - short[10]).toBeCloseTo(plain[11] - plain[10], 1);
    await expect(runTnna({ observations, forward: fm.forward, dim: 3 }, { ...opts, warmup: 1.5 })).rejects.toThrow(
      /warmup must be a non-negative integer \(epochs\), got 1.5/,
    );
    fm.dispose();
  });

  it('trains through a KLE parameterisation with a well regularisation term', async () => {
    const kle = buildKle({ nx: 6, ny: 6, dx: 1, dy: 1 }, { variance: 2, lx: 2.5, ly: 2.5, terms: 3 });
    const G = kleParameterisation({ basis: kle.basis, terms: 3, ny: 6, nx: 6, mean: 0, layout: 'vector' });
    // Forward: sigmoid of a few cell values of the field (smooth, differentiable).
    const cells = tf.keep(tf.tensor1d([0, 7, 14, 21, 28, 35, 5, 30], 'int32'));
    const forward = (m: tf.Tensor) => tf.sigmoid(tf.gather(m, cells, 1).div(2));
    const truth = [0.3, 0.6, 0.45];
    const observations = Float64Array.from(tf.tidy(() => forward(G.apply(tf.tensor2d([truth]))).dataSync()));
    const wells = [0, 35];
    const known = Float64Array.from(wells.map((c) => G.toPhysical(truth)[c]));
    const res = await runTnna(
      { observations, forward, parameterisation: G, regularisation: { predict: physicalAt(G, wells), known, weight: 0.1 } },
      { seed: 1, preset: 'case2', maxIter: 150, network: { hiddenUnits: [32, 32, 32] } },
    );
    expect(res.forwardCalls).toBe(150);
    expect(res.bestObjective).toBeLessThan(1e-4);
    for (let k = 0; k < 3; k++) expect(Math.abs(res.best[k] - truth[k])).toBeLessThan(0.03);
    G.dispose();
    cells.dispose();
  });
});
