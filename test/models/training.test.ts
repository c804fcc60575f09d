import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../numerics/rng.js';
import { initBackend } from '../../models/backend.js';
import { tf } from '../../models/tf.js';
import { AdamW } from '../../models/training/adamw.js';
import { mseMaeLoss } from '../../models/training/loss.js';
import { learningRateAt } from '../../models/training/lr-schedule.js';
import { denormalise, fitMinMax, normalise } from '../../models/training/normalisation.js';
import { trainModel, type EpochInfo } from '../../models/training/train-model.js';
import type { TensorData } from '../../models/training/tensor-dataset.js';

/** Synthetic pairs: the 10x target is each coarse column stretched with a linear ramp. */
function dataset(n: number, t: number, h: number, w: number, seed: number, s = 10): TensorData {
  const rng = new Rng(seed);
  const x = new Float32Array(n * t * h * w).map(() => rng.uniform(0, 100));
  const y = new Float32Array(n * t * h * w * s);
  for (let i = 0; i < x.length; i++) for (let k = 0; k < s; k++) y[i * s + k] = x[i] * (0.5 + 0.05 * k);
  return { x, y, shapeX: [n, t, h, w], shapeY: [n, t, h, w * s] };
}

describe('AdamW', () => {
  beforeAll(async () => {
    await initBackend('tensorflow');
  });

  it('matches the hand-computed PyTorch AdamW update for two steps', () => {
    // loss = sum(p^4)/4, grad = p^3 ; lr 0.1, wd 0.05, betas (0.9, 0.999), eps 1e-8.
    // Step 1: m_hat/sqrt(v_hat) = sign(g), so p1 = p*(1 - lr*wd) - lr*sign(g):
    //   1*0.995 - 0.1 = 0.895 ; -2*0.995 + 0.1 = -1.89 ; 0.5*0.995 - 0.1 = 0.3975.
    // Step 2 (m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2, bias-corrected), reference values from
    // the same formulas in float64: 0.7927055128888, -1.7813461679326, 0.3022228101412.
    const p = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.05 });
    const f = () => tf.div<tf.Scalar>(tf.sum(tf.pow(p, 4)), 4);
    opt.minimize(f, false, [p]);
    const s1 = Array.from(p.dataSync());
    [0.895, -1.89, 0.3975].forEach((v, i) => expect(s1[i]).toBeCloseTo(v, 6));
    opt.minimize(f, false, [p]);
    const s2 = Array.from(p.dataSync());
    [0.7927055128888119, -1.7813461679325586, 0.30222281014120367].forEach((v, i) => expect(s2[i]).toBeCloseTo(v, 5));
    expect(opt.iterations).toBe(2);
    expect(opt.getConfig()).toMatchObject({ learningRate: 0.1, weightDecay: 0.05, beta1: 0.9, beta2: 0.999 });
    opt.dispose();
    p.dispose();
  });

  it('with zero gradient only decays weights (decoupled decay)', () => {
    const p = tf.variable(tf.tensor1d([2, -4]));
    const opt = new AdamW({ learningRate: 0.5, weightDecay: 0.1 });
    opt.applyGradients({ [p.name]: tf.zeros([2]) });
    const got = Array.from(p.dataSync());
    [2 * 0.95, -4 * 0.95].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    opt.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('cosine warm restarts (t0=10, tMult=1): peak, half, restart', () => {
    const s = { kind: 'cosine_warm_restarts', t0: 10 } as const;
    expect(learningRateAt(s, 1e-3, 0)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(s, 1e-3, 5)).toBeCloseTo(5e-4, 12);
    expect(learningRateAt(s, 1e-3, 9.999)).toBeLessThan(1e-9);
    expect(learningRateAt(s, 1e-3, 10)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt({ ...s, etaMin: 1e-4 }, 1e-3, 5)).toBeCloseTo(5.5e-4, 12);
  });

  it('cosine warm restarts with tMult=2: cycles [0,2), [2,6), [6,14)', () => {
    const s = { kind: 'cosine_warm_restarts', t0: 2, tMult: 2 } as const;
    expect(learningRateAt(s, 1, 1)).toBeCloseTo(0.5, 12); // tCur 1 of 2
    expect(learningRateAt(s, 1, 2)).toBeCloseTo(1, 12); // restart
    expect(learningRateAt(s, 1, 4)).toBeCloseTo(0.5, 12); // tCur 2 of 4
    expect(learningRateAt(s, 1, 6)).toBeCloseTo(1, 12);
    expect(learningRateAt(s, 1, 10)).toBeCloseTo(0.5, 12); // tCur 4 of 8
  });

  it('exponential decay per epoch and constant', () => {
    expect(learningRateAt({ kind: 'exponential', gamma: 0.5 }, 1e-3, 3.7)).toBeCloseTo(1.25e-4, 12);
    expect(learningRateAt({ kind: 'constant' }, 2e-3, 42)).toBe(2e-3);
  });
});

describe('loss and normalisation', () => {
  it('MSE + w*MAE on hand values', async () => {
    await initBackend('tensorflow');
    // diffs 1, -2, 0, 3: MSE = 14/4 = 3.5, MAE = 6/4 = 1.5
    const l = mseMaeLoss(tf.tensor1d([2, 0, 5, 7]), tf.tensor1d([1, 2, 5, 4]), 0.6);
    expect(l.dataSync()[0]).toBeCloseTo(3.5 + 0.6 * 1.5, 6);
    expect(mseMaeLoss(tf.tensor1d([2, 0, 5, 7]), tf.tensor1d([1, 2, 5, 4]), 0).dataSync()[0]).toBeCloseTo(3.5, 6);
  });

  it('min-max per variable, fitted on inputs, inverts exactly', () => {
    // n=1, c=4 (2 variables x t=2), h=1, w=2
    const x = Float32Array.from([0, 10, 5, 2, 100, 300, 200, 250]);
    const norm = fitMinMax(x, [1, 4, 1, 2], 2);
    expect(norm).toEqual({ kind: 'minmax', variables: 2, min: [0, 100], max: [10, 300] });
    const xn = normalise(x, [1, 4, 1, 2], norm);
    [0, 1, 0.5, 0.2, 0, 1, 0.5, 0.75].forEach((v, i) => expect(xn[i]).toBeCloseTo(v, 6));
    const back = denormalise(xn, [1, 4, 1, 2], norm);
    back.forEach((v, i) => expect(v).toBeCloseTo(x[i], 4));
  });
});

describe('trainModel', () => {
  beforeAll(async () => {
    await initBackend('tensorflow');
  });

  it('overfits one small batch to near-zero loss (optimal MLP, native TensorFlow)', async () => {
    const d = dataset(4, 3, 2, 4, 1);
    const r = await trainModel({
      arch: 'optimal_mlp',
      options: { hiddenMultipliers: [4, 8, 4], dropout: 0 },
      train: d,
      epochs: 300,
      batchSize: 4,
      lr: 3e-3,
      weightDecay: 0,
      // Pure MSE: the MAE term's constant-magnitude gradient makes Adam hover at ~lr-sized errors.
      maeWeight: 0,
      schedule: { kind: 'constant' },
      seed: 3,
    });
    expect(r.history[0].loss).toBeGreaterThan(0.05);
    expect(r.history.at(-1)!.loss).toBeLessThan(1e-3);
    expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0].loss / 100);
    expect(r.backend).toBe('tensorflow');
    expect(r.paramsCount).toBe(r.model.paramsCount);
    r.model.dispose();
  });

  it('trains every learnable architecture on native TensorFlow (conv weight gradients included)', async () => {
    const d = dataset(4, 3, 4, 4, 2);
    for (const arch of ['simple_mlp', 'mlp_eca', 'stamnet_upscale'] as const) {
      const r = await trainModel({ arch, options: { hiddenMultipliers: [2, 4, 2] }, train: d, epochs: 25, batchSize: 2, lr: 3e-3, seed: 1 });
      expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0].loss * 0.7);
      r.model.dispose();
    }
    const up = dataset(4, 3, 4, 4, 2, 1);
    const upTarget: TensorData = {
      x: up.x,
      y: new Float32Array(4 * 3 * 8 * 8).map((_, i) => up.x[i % up.x.length]),
      shapeX: [4, 3, 4, 4],
      shapeY: [4, 3, 8, 8],
    };
    const r = await trainModel({ arch: 'stamnet_upsample', train: upTarget, epochs: 25, batchSize: 2, lr: 3e-3, seed: 1 });
    expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0].loss * 0.7);
    r.model.dispose();
  });

  it('reports validation each epoch, calls onEpoch with an ETA, keeps tf.memory() constant (no leak)', async () => {
    const before = tf.memory().numTensors;
    const d = dataset(6, 3, 2, 4, 4);
    const v = dataset(3, 3, 2, 4, 5);
    const seen: EpochInfo[] = [];
    const r = await trainModel({
      arch: 'stamnet_upscale',
      options: { hiddenMultipliers: [2, 4, 2] },
      train: d,
      val: v,
      epochs: 5,
      batchSize: 4,
      lr: 1e-3,
      seed: 2,
      onEpoch: async (e) => {
        await new Promise((res) => setTimeout(res, 1));
        seen.push(e);
      },
    });
    expect(seen.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.every((e) => e.valLoss !== null && Number.isFinite(e.valMetrics!.r2_whole) && e.etaSeconds >= 0)).toBe(true);
    expect(seen.at(-1)!.etaSeconds).toBe(0);
    const counts = seen.map((e) => e.numTensors);
    expect(new Set(counts.slice(1)).size).toBe(1);
    // weights + 2 AdamW moments per weight + AdamW's 5 shared scalar constants, nothing else
    expect(counts[1] - before).toBe(3 * r.model.parameters.length + 5);
    r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early when the monitored loss does not improve and restores the best weights', async () => {
    const d = dataset(4, 2, 2, 3, 6);
    const r = await trainModel({
      arch: 'simple_mlp',
      train: d,
      val: d,
      epochs: 50,
      batchSize: 4,
      lr: 1e-9,
      schedule: { kind: 'constant' },
      earlyStopping: { patience: 2, minDelta: 1 },
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history).toHaveLength(3);
    expect(r.bestEpoch).toBe(1);
    r.model.dispose();
  });

  it('interpolation (no parameters) trains nothing and reports validation once', async () => {
    const d = dataset(3, 2, 2, 3, 8);
    const r = await trainModel({ arch: 'interpolation', train: d, val: d, epochs: 5 });
    expect(r.paramsCount).toBe(0);
    expect(r.history).toHaveLength(1);
    expect(r.history[0].epoch).toBe(0);
    // y = x * (0.5 + 0.05 k) vs repeated x: error is exactly known per voxel
    let se = 0;
    for (let i = 0; i < d.y.length; i++) se += (d.x[Math.floor(i / 10)] - d.y[i]) ** 2;
    expect(r.history[0].valMetrics!.mse).toBeCloseTo(se / d.y.length, 1);
    r.model.dispose();
  });

  it('rejects data whose shape does not match the architecture, naming the field', async () => {
    const d = dataset(2, 2, 2, 3, 6);
    await expect(trainModel({ arch: 'optimal_mlp', train: { ...d, shapeY: [2, 2, 2, 31] }, epochs: 1 })).rejects.toThrow(/train.shapeY/);
    await expect(trainModel({ arch: 'optimal_mlp', train: d, epochs: 1, batchSize: 0 })).rejects.toThrow(/batchSize/);
  });
});

describe('determinism on cpu', () => {
  it('same seed gives the same weights and losses; another seed differs', async () => {
    await initBackend('tensorflow');
    const d = dataset(5, 2, 2, 3, 9);
    const run = (seed: number) => trainModel({ arch: 'mlp_eca', options: { hiddenMultipliers: [2, 2, 2] }, train: d, epochs: 3, batchSize: 2, lr: 1e-3, seed });
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
    a.model.parameters.forEach((p, i) => expect(Array.from(p.variable.dataSync())).toEqual(Array.from(b.model.parameters[i].variable.dataSync())));
    expect(a.history.map((h) => h.loss)).not.toEqual(c.history.map((h) => h.loss));
    [a, b, c].forEach((r) => r.model.dispose());
  });
});
