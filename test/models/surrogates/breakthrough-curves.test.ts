import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { unetObservationSampling } from '../../../kinds/inversion/unet-sampling.js';
import { initBackend } from '../../../models/backend.js';
import { BreakthroughCurves, breakthroughBiasInit } from '../../../models/surrogates/breakthrough-curves.js';
import { loadSurrogate, saveSurrogate } from '../../../models/surrogates/layers-model-store.js';
import { buildSurrogate } from '../../../models/surrogates/registry.js';
import { trainSurrogate } from '../../../models/surrogates/train-surrogate.js';
import { initialiseOutputNormalisation } from '../../../models/surrogates/unet.js';
import { tf } from '../../../models/tf.js';
import { Rng } from '../../../numerics/rng.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const softplus = (z: number) => Math.log1p(Math.exp(z));

describe('breakthrough curves layer', () => {
  const times = [1, 2, 4, 8, 16];

  it('passes the head through and gives each point a mixture of logistic CDFs in log-time', () => {
    const layer = new BreakthroughCurves({ times, components: 2 });
    // Two points; channels: head, a1, a2, mu1, mu2, b1, b2.
    const p0 = [0.7, 0, 1, Math.log(2), Math.log(10), 0.1, -1];
    const p1 = [-0.3, 2, -2, Math.log(5), Math.log(3), 0.5, 0.5];
    const x = tf.tensor3d([p0.map((v, c) => [v, p1[c]])]);
    const out = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    expect([out.length, out[0].length, out[0][0].length]).toEqual([1, 1 + times.length, 2]);
    [p0, p1].forEach((p, point) => {
      expect(out[0][0][point]).toBeCloseTo(p[0], 6);
      const w = [Math.exp(p[1]), Math.exp(p[2])];
      const total = w[0] + w[1];
      times.forEach((t, i) => {
        let c = 0;
        for (let k = 0; k < 2; k++) c += (w[k] / total) * sigmoid((Math.log(t) - p[3 + k]) / (softplus(p[5 + k]) + 0.02));
        expect(out[0][1 + i][point]).toBeCloseTo(c, 5);
      });
    });
    x.dispose();
  });

  it('gives curves that rise monotonically in time and stay within [0, 1] whatever the maps hold', () => {
    const layer = new BreakthroughCurves({ times, components: 3 });
    const rng = new Rng(3);
    const x = tf.tensor3d(
      Float32Array.from({ length: 10 * 10 * 20 }, () => rng.uniform(-6, 6)),
      [20, 10, 10],
    );
    const out = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    for (const sample of out)
      for (let p = 0; p < 10; p++)
        for (let i = 1; i <= times.length; i++) {
          const c = sample[i][p];
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(1);
          if (i > 1) expect(c).toBeGreaterThanOrEqual(sample[i - 1][p] - 1e-6);
        }
    x.dispose();
  });

  it('starts its components inside the observation window, evenly in log-time', () => {
    const init = breakthroughBiasInit([2, 60], 3);
    const [lo, hi] = [Math.log(2), Math.log(60)];
    expect(init.mu[0]).toBeCloseTo(lo + (hi - lo) / 6, 9);
    expect(init.mu[2]).toBeCloseTo(hi - (hi - lo) / 6, 9);
    expect(softplus(init.spread[0]) + 0.02).toBeCloseTo((hi - lo) / 5, 9);
    expect(init.weights).toEqual([0, 0, 0]);
    expect(() => new BreakthroughCurves({ times: [0, 1], components: 1 })).toThrow(/positive/);
    expect(() => new BreakthroughCurves({ times, components: 0 })).toThrow(/components/);
  });
});

describe('U-Net in physical units with breakthrough curves', () => {
  const sampleAt: [number, number][] = [
    [2, 2],
    [8, 12],
    [13, 5],
  ];
  const times = [2, 4, 6];
  const options = { baseFilters: 2, mapChannels: 4, sampleAt, maps: 'breakthrough' as const, breakthroughComponents: 2, breakthroughTimes: times, seed: 4 };
  const bounds = { min: [0.2, 0.3, 0.1, ...new Array<number>(9).fill(0)], max: [0.8, 0.7, 0.6, ...Array.from({ length: 9 }, (_, j) => 0.5 + 0.05 * j)] };

  it('normalises its physical outputs per output through the affine, which it trains, saves and loads', async () => {
    const s = buildSurrogate('unet', [16, 16, 1], 12, options);
    expect(s.options).toMatchObject({ maps: 'breakthrough', breakthroughComponents: 2, breakthroughTimes: times });
    expect(s.model.getLayer('maps').getWeights()[0].shape[3]).toBe(1 + 3 * 2);
    const rng = new Rng(5);
    const n = 8;
    const x = Float32Array.from({ length: n * 256 }, () => rng.uniform(0, 1));
    const physicalModel = tf.model({ inputs: s.model.inputs, outputs: s.model.getLayer('at_points_flat').output });
    const xt = tf.tensor4d(x, [n, 16, 16, 1]);
    const physical = (physicalModel.predict(xt) as tf.Tensor).dataSync();
    initialiseOutputNormalisation(s, bounds);
    const normalised = s.predict(x, n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < 12; j++) {
        const expected = (physical[k * 12 + j] - bounds.min[j]) / (bounds.max[j] - bounds.min[j]);
        expect(normalised[k * 12 + j]).toBeCloseTo(expected, 4);
      }
    // Concentrations (outputs 3..11) are breakthrough values in [0, 1] before the normalisation.
    for (let k = 0; k < n; k++) for (let j = 3; j < 12; j++) expect(physical[k * 12 + j]).toBeGreaterThanOrEqual(0);
    const y = Float32Array.from({ length: n * 12 }, (_, i) => 0.2 + 0.6 * x[(i * 5) % x.length]);
    const r = await trainSurrogate(s, { x, y, n }, { epochs: 3, batchSize: 4, learningRate: 1e-2, seed: 7 });
    expect(r.history).toHaveLength(3);
    const dir = await mkdtemp(path.join(tmpdir(), 'plume-unet-curves-'));
    try {
      const store = new ArtifactStore(dir);
      const loaded = await loadSurrogate(store, (await saveSurrogate(store, s)).id);
      expect(Array.from(loaded.predict(x, n))).toEqual(Array.from(s.predict(x, n)));
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      xt.dispose();
      s.dispose();
    }
  });

  it('rejects breakthrough curves without times, with a sigmoid activation or without the affine, and bounds of the wrong size', () => {
    expect(() => buildSurrogate('unet', [16, 16, 1], 12, { ...options, breakthroughTimes: [1, 2] })).toThrow(/one per concentration map \(3\)/);
    expect(() => buildSurrogate('unet', [16, 16, 1], 12, { ...options, mapActivation: 'sigmoid' })).toThrow(/mapActivation 'linear'/);
    expect(() => buildSurrogate('unet', [16, 16, 1], 12, { ...options, outputAffine: false })).toThrow(/needs outputAffine/);
    expect(() => buildSurrogate('unet', [16, 16, 1], 12, { ...options, maps: 'raw' as 'physical' })).toThrow(/normalised, physical, breakthrough/);
    const s = buildSurrogate('unet', [16, 16, 1], 12, { ...options, maps: 'physical' });
    expect(() => initialiseOutputNormalisation(s, { min: [0], max: [1] })).toThrow(/1 values, the model outputs 12/);
    s.dispose();
  });

  it("gives case 2's breakthrough times in days, one per concentration map", () => {
    const { breakthroughTimes, mapChannels } = unetObservationSampling('case2', 'field', 81 * 31);
    expect(breakthroughTimes).toHaveLength(mapChannels - 1);
    expect(breakthroughTimes[0]).toBeCloseTo(2, 9);
    expect(breakthroughTimes[29]).toBeCloseTo(60, 9);
  });
});
