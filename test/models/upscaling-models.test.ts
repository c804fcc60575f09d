import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../numerics/rng.js';
import { initBackend } from '../../models/backend.js';
import { tf } from '../../models/tf.js';
import { applyEca, createEca } from '../../models/upscaling/blocks/eca.js';
import { repeatInterleave } from '../../models/upscaling/blocks/repeat-interleave.js';
import { applyStam, createStam } from '../../models/upscaling/blocks/stam.js';
import { resolveModelOptions, resolveStamOptions } from '../../models/upscaling/model-options.js';
import { ParameterSet } from '../../models/upscaling/parameter-set.js';
import { buildModel, UPSCALING_ARCHS, type UpscalingArch } from '../../models/upscaling/registry.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

const small = (arch: UpscalingArch) => (arch === 'stamnet_upsample' ? { hiddenMultipliers: [2, 2] } : { hiddenMultipliers: [2, 4, 2] });

describe('upscaling model shapes', () => {
  const sizes = [
    { t: 3, h: 2, w: 4 },
    { t: 5, h: 7, w: 3 },
    { t: 1, h: 1, w: 1 },
  ];
  for (const arch of UPSCALING_ARCHS) {
    for (const shape of sizes) {
      it(`${arch} maps [b,${shape.t},${shape.h},${shape.w}] to the refined grid`, () => {
        const m = buildModel(arch, shape, small(arch));
        const up = arch === 'stamnet_upsample';
        const expected = [2, shape.t, shape.h * (up ? 2 : 1), shape.w * (up ? 2 : 10)];
        expect([2, ...m.outputShape]).toEqual(expected);
        const y = tf.tidy(() => m.apply(tf.randomUniform<tf.Rank.R4>([2, shape.t, shape.h, shape.w])));
        expect(y.shape).toEqual(expected);
        expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
        y.dispose();
        m.dispose();
      });
    }
  }

  it('stacks several variables along the channel axis (variables option)', () => {
    const m = buildModel('stamnet_upscale', { t: 3, h: 2, w: 4 }, { variables: 2, hiddenMultipliers: [2, 4, 2] });
    expect(m.inputShape).toEqual([6, 2, 4]);
    const y = tf.tidy(() => m.apply(tf.ones([1, 6, 2, 4])));
    expect(y.shape).toEqual([1, 6, 2, 40]);
    m.dispose();
  });

  it('rejects a wrong input shape naming the expected one', () => {
    const m = buildModel('optimal_mlp', { t: 3, h: 2, w: 4 }, small('optimal_mlp'));
    expect(() => m.apply(tf.ones([1, 3, 2, 5]))).toThrow(/input must be \[b, 3, 2, 4\]/);
    m.dispose();
  });

  it('rejects unknown archs and bad options by field name', () => {
    expect(() => buildModel('resnet' as UpscalingArch, { t: 1, h: 1, w: 1 })).toThrow(/unknown arch 'resnet'/);
    expect(() => buildModel('optimal_mlp', { t: 1, h: 1, w: 1 }, { hiddenMultipliers: [1, 2] })).toThrow(/hiddenMultipliers/);
    expect(() => buildModel('optimal_mlp', { t: 0, h: 1, w: 1 })).toThrow(/shape\.t/);
    expect(() => buildModel('mlp_eca', { t: 1, h: 1, w: 1 }, { dropout: 1.5 })).toThrow(/'dropout'/);
  });
});

describe('model structure and parameters', () => {
  it('optimal MLP parameter count matches the layer widths (W=4, [2,4,2], scale 10)', () => {
    const m = buildModel('optimal_mlp', { t: 2, h: 2, w: 4 }, { hiddenMultipliers: [2, 4, 2] });
    // 4->8, 8->16, 16->8, 8->40, each with bias
    expect(m.paramsCount).toBe(4 * 8 + 8 + (8 * 16 + 16) + (16 * 8 + 8) + (8 * 40 + 40));
    expect(m.parameters.map((p) => p.name)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias', 'fc4.weight', 'fc4.bias']);
    m.dispose();
    // ECA adds one 3-tap kernel.
    const e = buildModel('mlp_eca', { t: 2, h: 2, w: 4 }, { hiddenMultipliers: [2, 4, 2] });
    expect(e.paramsCount).toBe(680 + 3);
    e.dispose();
  });

  it('paper defaults: 10W/40W/10W widths, dropout 0.2, STAM 5x5 LeakyReLU with 114->20, 2000->100, 100->10 channels', () => {
    const o = resolveModelOptions('stamnet_upscale', { t: 114, h: 100, w: 200 });
    expect(o.hiddenMultipliers).toEqual([10, 40, 10]);
    expect(o.scale).toBe(10);
    expect(o.dropout).toBe(0.2);
    expect(o.stam).toMatchObject({ kernelSize: 5, activation: 'leaky_relu', residual: true, branchDropout: 0.2, branches: ['M1', 'M2', 'M3', 'M4'] });
    expect(o.stam!.hiddenChannels).toEqual({ M1: 20, M2: 100, M3: 10, M4: 20 });
    expect(resolveModelOptions('stamnet_upsample', { t: 43, h: 100, w: 200 })).toMatchObject({ scale: 2, scaleH: 2 });
    expect(resolveStamOptions({ activation: 'silu', residual: false, branches: ['M1', 'M2', 'M3'] }, 114, 100, 2000)).toMatchObject({
      activation: 'silu',
      residual: false,
    });
  });

  it('interpolation repeats each column 10x (and rows with scaleH)', () => {
    const m = buildModel('interpolation', { t: 1, h: 2, w: 2 }, { scale: 3, scaleH: 2 });
    const y = tf.tidy(() => m.apply(tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2])));
    expect(y.shape).toEqual([1, 1, 4, 6]);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
    expect(m.paramsCount).toBe(0);
  });

  for (const arch of ['simple_mlp', 'stamnet_upscale', 'stamnet_upsample'] as const) {
    it(`${arch} with skip 'interpolation' starts as the baseline and adds its network's output to it`, () => {
      const shape = { t: 2, h: 3, w: 4 };
      const plain = buildModel(arch, shape, { ...small(arch), seed: 3 });
      const skip = buildModel(arch, shape, { ...small(arch), seed: 3, skip: 'interpolation' });
      const interp = buildModel('interpolation', shape, { scale: plain.options.scale, scaleH: plain.options.scaleH });
      expect(skip.options.skip).toBe('interpolation');
      expect(skip.paramsCount).toBe(plain.paramsCount);
      const x = tf.randomUniform<tf.Rank.R4>([2, 2, 3, 4], 0, 1, 'float32', 5);
      const maxAbs = (f: () => tf.Tensor): number => tf.tidy(() => f().abs().max().dataSync()[0]);
      // Untrained: the output layer is zero, the model is exactly interpolation.
      expect(maxAbs(() => tf.sub(skip.apply(x), interp.apply(x)))).toBe(0);
      // With the plain model's output layer, it is the plain network plus interpolation.
      skip.parameters.slice(-2).forEach((p, i) => p.variable.assign(plain.parameters[plain.parameters.length - 2 + i].variable));
      expect(maxAbs(() => tf.sub(skip.apply(x), tf.add(plain.apply(x), interp.apply(x))))).toBeLessThan(1e-5);
      [plain, skip, interp].forEach((m) => m.dispose());
      x.dispose();
    });
  }

  it("rejects skip 'interpolation' on the interpolation baseline and unknown skip values", () => {
    expect(() => buildModel('interpolation', { t: 1, h: 1, w: 1 }, { skip: 'interpolation' })).toThrow(/needs a learned architecture/);
    expect(() => resolveModelOptions('optimal_mlp', { t: 1, h: 1, w: 1 }, { skip: 'residual' as 'none' })).toThrow(/'skip' must be/);
  });

  it('repeatInterleave along W equals torch.repeat_interleave', () => {
    const y = tf.tidy(() => repeatInterleave(tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 1, 3]), 3, 2));
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });

  it('same seed gives identical weights, another seed different ones', () => {
    const a = buildModel('stamnet_upscale', { t: 3, h: 2, w: 4 }, { hiddenMultipliers: [2, 4, 2], seed: 7 });
    const b = buildModel('stamnet_upscale', { t: 3, h: 2, w: 4 }, { hiddenMultipliers: [2, 4, 2], seed: 7 });
    const c = buildModel('stamnet_upscale', { t: 3, h: 2, w: 4 }, { hiddenMultipliers: [2, 4, 2], seed: 8 });
    a.parameters.forEach((p, i) => expect(Array.from(p.variable.dataSync())).toEqual(Array.from(b.parameters[i].variable.dataSync())));
    expect(Array.from(a.parameters[0].variable.dataSync())).not.toEqual(Array.from(c.parameters[0].variable.dataSync()));
    // PyTorch default init bound 1/sqrt(fan_in): fc1 fan_in = 4 -> |w| <= 0.5
    expect(Math.max(...Array.from(a.parameters[0].variable.dataSync()).map(Math.abs))).toBeLessThanOrEqual(0.5);
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('attention blocks', () => {
  it('ECA with a zero kernel halves its input (sigmoid(0) = 0.5)', () => {
    const ps = new ParameterSet(new Rng(1));
    const eca = createEca(ps, 'eca', 3);
    eca.kernel.assign(tf.zeros([3, 1, 1]));
    const x = tf.tensor4d([1, -2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const y = tf.tidy(() => applyEca(x, eca));
    expect(Array.from(y.dataSync())).toEqual([0.5, -1, 1.5, 2, 2.5, 3, 3.5, 4]);
  });

  it('ECA gate = sigmoid(conv1d over the channel means)', () => {
    const ps = new ParameterSet(new Rng(1));
    const eca = createEca(ps, 'eca', 3);
    eca.kernel.assign(tf.tensor3d([1, 2, 3], [3, 1, 1]));
    // channel means: c0 = 1, c1 = 2 ; same-padded conv: g0 = 2*1 + 3*2 = 8, g1 = 1*1 + 2*2 = 5
    const x = tf.tensor4d([1, 1, 1, 1, 2, 2, 2, 2], [1, 2, 2, 2]);
    const y = Array.from(tf.tidy(() => applyEca(x, eca)).dataSync());
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    expect(y[0]).toBeCloseTo(sig(8), 5);
    expect(y[4]).toBeCloseTo(2 * sig(5), 5);
  });

  it('STAM with saturated-off maps reduces to x*sigmoid(x) + x (residual form)', () => {
    const ps = new ParameterSet(new Rng(3));
    const o = resolveStamOptions({}, 3, 4, 5);
    const stam = createStam(ps, 'stam', 3, 4, 5, o);
    for (const b of stam.branches) b.linear.b!.assign(tf.fill(b.linear.b!.shape, -1e4));
    const x = tf.randomNormal<tf.Rank.R4>([2, 3, 4, 5], 0, 1, 'float32', 11);
    const y = tf.tidy(() => applyStam(x, stam, {}));
    const expected = tf.tidy(() => tf.add(tf.mul(x, tf.sigmoid(x)), x));
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]);
    expect(d).toBeLessThan(1e-5);
  });

  it('STAM with saturated-on maps and no residual: branches give x, block gives x*sigmoid(x)', () => {
    const ps = new ParameterSet(new Rng(3));
    const o = resolveStamOptions({ residual: false, branches: ['M2', 'M4'] }, 3, 4, 5);
    const stam = createStam(ps, 'stam', 3, 4, 5, o);
    for (const b of stam.branches) b.linear.b!.assign(tf.fill(b.linear.b!.shape, 1e4));
    const x = tf.randomNormal<tf.Rank.R4>([1, 3, 4, 5], 0, 1, 'float32', 12);
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(applyStam(x, stam, {}), tf.mul(x, tf.sigmoid(x))))).dataSync()[0]);
    expect(d).toBeLessThan(1e-5);
  });
});
