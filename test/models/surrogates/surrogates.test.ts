import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tf } from '../../../models/tf.js';
import { initBackend } from '../../../models/backend.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { Rng } from '../../../numerics/rng.js';
import { fcdnnDepthForSamples } from '../../../models/surrogates/fcdnn.js';
import { loadSurrogate, saveSurrogate } from '../../../models/surrogates/layers-model-store.js';
import { evaluateOutputs, headsThenConcentrations } from '../../../models/surrogates/output-metrics.js';
import { buildSurrogate, SURROGATE_ARCHS } from '../../../models/surrogates/registry.js';
import { evaluateSurrogate, trainSurrogate, type SurrogateDataset } from '../../../models/surrogates/train-surrogate.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

const tiny = {
  fcdnn: { units: 16, hiddenLayers: 2 },
  lenet: { filters: [2, 4] as [number, number], denseUnits: [16, 8] as [number, number], frontEndShape: [8, 8] as [number, number] },
  resnet: { baseFilters: 2, frontEndShape: [8, 8] as [number, number] },
  // 4 maps sampled at 5 points: 20 outputs.
  unet: {
    baseFilters: 2,
    mapChannels: 4,
    sampleAt: [
      [0.5, 0.5],
      [3, 12],
      [8, 8],
      [15.5, 2],
      [16, 16],
    ] as [number, number][],
  },
};

describe('surrogate shapes', () => {
  for (const arch of SURROGATE_ARCHS) {
    if (arch !== 'unet')
      it(`${arch}: vector input [9] -> 50 outputs in (0, 1)`, () => {
        const s = buildSurrogate(arch, 9, 50, { ...tiny[arch], seed: 1 });
        const y = s.apply(tf.ones([3, 9]));
        expect(y.shape).toEqual([3, 50]);
        const v = y.dataSync();
        expect(Math.min(...v)).toBeGreaterThan(0);
        expect(Math.max(...v)).toBeLessThan(1);
        y.dispose();
        s.dispose();
      });
    it(`${arch}: image input [16, 16, 1] -> 20 outputs`, () => {
      const s = buildSurrogate(arch, [16, 16, 1], 20, { ...tiny[arch], seed: 1 });
      expect(s.predict(new Float32Array(2 * 256).fill(0.3), 2).length).toBe(40);
      const y = s.apply(tf.zeros([2, 16, 16, 1]));
      expect(y.shape).toEqual([2, 20]);
      y.dispose();
      s.dispose();
    });
  }

  it('paper-size FC-DNN has 512-unit swish layers and ResNet down-samples 3 times', () => {
    const f = buildSurrogate('fcdnn', 9, 50, { hiddenLayers: 3 });
    const hidden = f.model.layers.filter((l) => l.name.startsWith('hidden_'));
    expect(hidden.map((l) => (l.getConfig() as { units: number }).units)).toEqual([512, 512, 512]);
    expect((hidden[0].getConfig() as { activation: string }).activation).toBe('swish');
    f.dispose();
    const r = buildSurrogate('resnet', [80, 80, 1], 10, { baseFilters: 2 });
    const last = r.model.getLayer('stage4_unit_relu');
    expect(last.outputShape).toEqual([null, 10, 10, 16]);
    r.dispose();
    expect([200, 500, 1000, 2000].map(fcdnnDepthForSamples)).toEqual([2, 4, 3, 3]);
  });

  it('same seed gives the same initial weights; another seed does not', () => {
    const a = buildSurrogate('lenet', 9, 5, { ...tiny.lenet, seed: 7 });
    const b = buildSurrogate('lenet', 9, 5, { ...tiny.lenet, seed: 7 });
    const c = buildSurrogate('lenet', 9, 5, { ...tiny.lenet, seed: 8 });
    const x = new Float32Array(9).fill(0.5);
    expect(Array.from(a.predict(x, 1))).toEqual(Array.from(b.predict(x, 1)));
    expect(Array.from(a.predict(x, 1))).not.toEqual(Array.from(c.predict(x, 1)));
    [a, b, c].forEach((s) => s.dispose());
  });
});

describe('evaluateOutputs', () => {
  it('matches hand-computed RMSE and pooled R^2 per group', () => {
    // 2 samples x 3 outputs: heads = col 0, concentrations = cols 1-2.
    const truth = [0, 1, 2, 1, 3, 4];
    const pred = [0.5, 1, 2, 1, 3, 3];
    const m = evaluateOutputs(pred, truth, 3, headsThenConcentrations(1, 2));
    expect(m.heads.rmse).toBeCloseTo(Math.sqrt(0.25 / 2), 12);
    expect(m.heads.r2).toBeCloseTo(1 - 0.25 / 0.5, 12); // truth 0, 1: mean 0.5, SS_tot 0.5
    expect(m.concentrations.rmse).toBeCloseTo(Math.sqrt(1 / 4), 12);
    expect(m.concentrations.r2).toBeCloseTo(1 - 1 / 5, 12); // truth 1,2,3,4: mean 2.5, SS_tot 5
    expect(m.all.rmse).toBeCloseTo(Math.sqrt(1.25 / 6), 12);
    expect(m.all.count).toBe(6);
  });
});

function smoothDataset(n: number, seed: number): SurrogateDataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const [a, b, c] = [rng.next(), rng.next(), rng.next()];
    x.set([a, b, c], i * 3);
    y.set([0.5 + 0.3 * Math.sin(2 * a + b), 0.2 + 0.6 * a * c, 0.5 + 0.4 * (b - 0.5) * (c - 0.5) * 4, 0.3 + 0.4 * Math.exp(-b)], i * 4);
  }
  return { x, y, n };
}

describe('surrogate training', () => {
  it('fcdnn: L1 training on a smooth function cuts test RMSE by >3x and reaches R^2 > 0.9', async () => {
    const train = smoothDataset(300, 1);
    const test = smoothDataset(100, 2);
    const s = buildSurrogate('fcdnn', 3, 4, { units: 32, hiddenLayers: 2, seed: 3 });
    const layout = { groups: { heads: [0, 3], concentrations: [1, 2] } };
    const before = evaluateSurrogate(s, test, layout);
    const epochs: number[] = [];
    const res = await trainSurrogate(s, train, {
      epochs: 60,
      batchSize: 25,
      learningRate: 5e-3,
      weightDecay: 1e-6,
      seed: 4,
      validation: test,
      onEpoch: (e) => epochs.push(e.epoch),
    });
    const after = evaluateSurrogate(s, test, layout);
    expect(epochs).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(res.history[59].validationLoss!).toBeLessThan(res.history[0].validationLoss!);
    expect(after.all.rmse).toBeLessThan(before.all.rmse / 3);
    expect(after.all.r2).toBeGreaterThan(0.9);
    expect(after.heads.r2).toBeGreaterThan(0.9);
    s.dispose();
  });

  it('resnet (vector front end): test RMSE falls after a few epochs', async () => {
    const train = smoothDataset(100, 5);
    const test = smoothDataset(50, 6);
    const s = buildSurrogate('resnet', 3, 4, { baseFilters: 2, frontEndShape: [8, 8], seed: 3 });
    const before = evaluateSurrogate(s, test).all.rmse;
    await trainSurrogate(s, train, { epochs: 8, batchSize: 20, learningRate: 3e-3, seed: 4 });
    expect(evaluateSurrogate(s, test).all.rmse).toBeLessThan(0.6 * before);
    s.dispose();
  });

  it('presets fill in the paper hyper-parameters; abort stops between epochs', async () => {
    const s = buildSurrogate('fcdnn', 3, 4, { units: 8, hiddenLayers: 1 });
    const ctl = new AbortController();
    const res = await trainSurrogate(s, smoothDataset(20, 1), {
      preset: 'case3',
      epochs: 50,
      signal: ctl.signal,
      onEpoch: (e) => e.epoch === 2 && ctl.abort(),
    });
    expect(res.config).toEqual({ epochs: 50, batchSize: 50, learningRate: 1e-3, weightDecay: 1e-8, schedule: { kind: 'constant' } });
    expect(res.history.map((h) => h.learningRate)).toEqual([1e-3, 1e-3, 1e-3]);
    expect(res.aborted).toBe(true);
    expect(res.epochs).toBe(3);
    s.dispose();
  });

  it('a cosine schedule anneals the learning rate over the epochs; a constant one equals no schedule', async () => {
    const data = smoothDataset(40, 1);
    const train = async (schedule?: { kind: 'constant' } | { kind: 'cosine_warm_restarts'; t0: number }) => {
      const s = buildSurrogate('fcdnn', 3, 4, { units: 8, hiddenLayers: 1, seed: 2 });
      const res = await trainSurrogate(s, data, { epochs: 4, batchSize: 10, learningRate: 1e-2, seed: 1, ...(schedule ? { schedule } : {}) });
      const weights = s.model.getWeights().map((w) => Array.from(w.dataSync()));
      s.dispose();
      return { res, weights };
    };
    const plain = await train();
    const constant = await train({ kind: 'constant' });
    const cosine = await train({ kind: 'cosine_warm_restarts', t0: 4 });
    expect(constant.weights).toEqual(plain.weights);
    // lr(e) = lr0 (1 + cos(pi e / 4)) / 2 at the start of epoch e.
    cosine.res.history.forEach((h, e) => expect(h.learningRate).toBeCloseTo((1e-2 * (1 + Math.cos((Math.PI * e) / 4))) / 2, 12));
    expect(cosine.weights).not.toEqual(plain.weights);
    const s = buildSurrogate('fcdnn', 3, 4, { units: 8, hiddenLayers: 1 });
    await expect(trainSurrogate(s, data, { epochs: 1, schedule: { kind: 'exponential', gamma: 2 } })).rejects.toThrow(/schedule\.gamma must be in \(0, 1\]/);
    s.dispose();
  });

  it('rejects a dataset of the wrong size, naming the field', async () => {
    const s = buildSurrogate('fcdnn', 3, 4, { units: 8, hiddenLayers: 1 });
    await expect(trainSurrogate(s, { x: new Float32Array(5), y: new Float32Array(8), n: 2 })).rejects.toThrow(/train\.x/);
    s.dispose();
  });
});

describe('surrogate weights in the ArtifactStore', () => {
  it('save then load gives identical predictions', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'plume-surrogate-'));
    try {
      const store = new ArtifactStore(root);
      const s = buildSurrogate('resnet', [8, 8, 1], 6, { baseFilters: 2, seed: 9 });
      const ref = await saveSurrogate(store, s);
      const t = await loadSurrogate(store, ref.id);
      expect(t.arch).toBe('resnet');
      expect(t.input).toEqual([8, 8, 1]);
      const x = Float32Array.from({ length: 2 * 64 }, (_, i) => (i % 7) / 7);
      expect(Array.from(t.predict(x, 2))).toEqual(Array.from(s.predict(x, 2)));
      s.dispose();
      t.dispose();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('surrogateBatchForward', () => {
  it('feeds a population through G then the surrogate, matching predict on G(u)', async () => {
    const { surrogateBatchForward } = await import('../../../inversion/objective/surrogate-batch-forward.js');
    const { boundedIdentity } = await import('../../../models/inversion/parameterisation.js');
    const s = buildSurrogate('fcdnn', 3, 4, { units: 8, hiddenLayers: 1, seed: 2 });
    const G = boundedIdentity({ lower: [0, 0, 0], upper: [2, 2, 2], surrogateInput: 'physical' });
    const fwd = surrogateBatchForward(s, G, 2);
    const X = [Float64Array.of(0.1, 0.2, 0.3), Float64Array.of(0.5, 0.5, 0.5), Float64Array.of(1, 0, 0.25)];
    const Y = await fwd(X);
    expect(Y.length).toBe(3);
    const direct = s.predict(Float32Array.from([0.2, 0.4, 0.6, 1, 1, 1, 2, 0, 0.5]), 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(Y[i][j]).toBeCloseTo(direct[i * 4 + j], 6);
    expect(() => surrogateBatchForward(s, boundedIdentity({ lower: [0, 0], upper: [1, 1] }))).toThrow(/produces \[2\]/);
    s.dispose();
    G.dispose();
  });
});
