import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { unetObservationSampling } from '../../../kinds/inversion/unet-sampling.js';
import { initBackend } from '../../../models/backend.js';
import { loadSurrogate, saveSurrogate } from '../../../models/surrogates/layers-model-store.js';
import { buildSurrogate } from '../../../models/surrogates/registry.js';
import { trainSurrogate } from '../../../models/surrogates/train-surrogate.js';
import { bilinearSamplingMatrix } from '../../../models/surrogates/unet.js';
import { tf } from '../../../models/tf.js';
import { Rng } from '../../../numerics/rng.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

const sampleAt: [number, number][] = [
  [1, 1],
  [4, 9],
  [7.3, 2.2],
  [15.9, 15.9],
];

describe('bilinear sampling matrix', () => {
  it('puts all weight on a map cell whose centre is the point, splits evenly between centres, sums to 1', () => {
    // Map 4 x 4 at stride 2: map cell (i, j) has its centre at input cells (2i + 1, 2j + 1).
    const w = bilinearSamplingMatrix(
      [
        [3, 5],
        [4, 4],
        [0, 0],
      ],
      4,
      4,
      2,
    );
    const col = (p: number) => Array.from({ length: 16 }, (_, c) => w[c * 3 + p]);
    expect(col(0)[1 * 4 + 2]).toBeCloseTo(1, 6);
    const mid = col(1);
    for (const c of [1 * 4 + 1, 1 * 4 + 2, 2 * 4 + 1, 2 * 4 + 2]) expect(mid[c]).toBeCloseTo(0.25, 6);
    // Beyond the outermost centre: the edge cell's value.
    expect(col(2)[0]).toBeCloseTo(1, 6);
    for (let p = 0; p < 3; p++) expect(col(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});

describe('U-Net surrogate', () => {
  const options = { baseFilters: 2, mapChannels: 3, sampleAt, seed: 4 };

  it('outputs its maps sampled at the points, channel by channel (the observation-vector order)', () => {
    const s = buildSurrogate('unet', [16, 16, 1], 12, options);
    const rng = new Rng(5);
    const x = tf.tensor4d(
      Float32Array.from({ length: 2 * 256 }, () => rng.uniform(0, 1)),
      [2, 16, 16, 1],
    );
    const mapsModel = tf.model({ inputs: s.model.inputs, outputs: s.model.getLayer('maps').output });
    const maps = (mapsModel.predict(x) as tf.Tensor).arraySync() as number[][][][];
    const out = s.apply(x).arraySync();
    const w = bilinearSamplingMatrix(sampleAt, 8, 8, 2);
    for (let b = 0; b < 2; b++)
      for (let ch = 0; ch < 3; ch++)
        sampleAt.forEach((_, p) => {
          let expected = 0;
          for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) expected += w[(r * 8 + c) * sampleAt.length + p] * maps[b][r][c][ch];
          expect(out[b][ch * sampleAt.length + p]).toBeCloseTo(expected, 5);
        });
    x.dispose();
    s.dispose();
  });

  it('trains everything but the sampling, which it saves and loads with the rest', async () => {
    const s = buildSurrogate('unet', [16, 16, 1], 12, options);
    const sampling = s.model.getLayer('sample_at_points');
    expect(sampling.trainableWeights).toHaveLength(0);
    const before = (sampling.getWeights()[0].dataSync() as Float32Array).slice();
    // The per-output scale and shift start as the identity and train.
    const affine = s.model.getLayer('output');
    expect(affine.trainableWeights.map((v) => v.shape)).toEqual([[12], [12]]);
    expect(Array.from(affine.getWeights()[0].dataSync())).toEqual(new Array(12).fill(1));
    const rng = new Rng(6);
    const n = 8;
    const x = Float32Array.from({ length: n * 256 }, () => rng.uniform(0, 1));
    const y = Float32Array.from({ length: n * 12 }, (_, i) => 0.2 + 0.6 * x[(i * 5) % x.length]);
    const r = await trainSurrogate(s, { x, y, n }, { epochs: 3, batchSize: 4, learningRate: 1e-2, weightDecay: 1e-4, seed: 7 });
    expect(r.history).toHaveLength(3);
    expect(Array.from(sampling.getWeights()[0].dataSync())).toEqual(Array.from(before));
    expect(Array.from(affine.getWeights()[0].dataSync())).not.toEqual(new Array(12).fill(1));
    const dir = await mkdtemp(path.join(tmpdir(), 'plume-unet-'));
    try {
      const store = new ArtifactStore(dir);
      const loaded = await loadSurrogate(store, (await saveSurrogate(store, s)).id);
      expect(loaded.arch).toBe('unet');
      expect(Array.from(loaded.predict(x, n))).toEqual(Array.from(s.predict(x, n)));
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      s.dispose();
    }
  });

  it('gives the leading maps a sigmoid when asked (case 2: the head map) and keeps the map order', () => {
    const s = buildSurrogate('unet', [16, 16, 1], 12, { ...options, leadingSigmoidMaps: 1 });
    const rng = new Rng(8);
    const x = tf.tensor4d(
      Float32Array.from({ length: 256 }, () => rng.uniform(-50, 50)),
      [1, 16, 16, 1],
    );
    const part = (name: string) => tf.model({ inputs: s.model.inputs, outputs: s.model.getLayer(name).output }).predict(x) as tf.Tensor;
    const [sig, lin, maps] = [part('maps_sigmoid'), part('maps_linear'), part('maps')];
    expect([sig.shape[3], lin.shape[3], maps.shape[3]]).toEqual([1, 2, 3]);
    const all = maps.arraySync() as number[][][][];
    expect(all[0][3][5][0]).toBeCloseTo((sig.arraySync() as number[][][][])[0][3][5][0], 6);
    expect(all[0][3][5][2]).toBeCloseTo((lin.arraySync() as number[][][][])[0][3][5][1], 6);
    expect(Math.min(...(sig.dataSync() as Float32Array)) >= 0 && Math.max(...(sig.dataSync() as Float32Array)) <= 1).toBe(true);
    expect(() => buildSurrogate('unet', [16, 16, 1], 12, { ...options, leadingSigmoidMaps: 4 })).toThrow(/leadingSigmoidMaps/);
    x.dispose();
    s.dispose();
  });

  it('rejects a vector input, a size not divisible by 16 and an output size other than maps x points', () => {
    expect(() => buildSurrogate('unet', 9, 12, options)).toThrow(/field/);
    expect(() => buildSurrogate('unet', [20, 16, 1], 12, options)).toThrow(/divisible by 16/);
    expect(() => buildSurrogate('unet', [16, 16, 1], 10, options)).toThrow(/mapChannels x points = 3 x 4/);
  });

  it("samples case 2's 81 wells in field cells, one map for the heads and one per observation time", () => {
    const { sampleAt: wells, mapChannels } = unetObservationSampling('case2', 'field', 81 * 31);
    expect(wells).toHaveLength(81);
    expect(mapChannels).toBe(31);
    // Well (x, y) = (1 m, 1 m) on 10 m / 64 cells: 6.4 cells; well 2 is (2 m, 1 m): x fastest.
    expect(wells[0][0]).toBeCloseTo(6.4, 9);
    expect(wells[0][1]).toBeCloseTo(6.4, 9);
    expect(wells[1][1]).toBeCloseTo(12.8, 9);
    expect(() => unetObservationSampling('case2', 'parameters', 81 * 31)).toThrow(/input: field/);
    expect(() => unetObservationSampling('case2', 'field', 100)).toThrow(/2511/);
  });
});
