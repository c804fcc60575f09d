/**
 * Gradient checks for the training kernels Plume registers on wasm: cpu-vs-wasm agreement and
 * finite differences (on a loss linear in the filter, so central differences are exact up to
 * float32 rounding), across strides, padding modes and odd sizes; then every model's full
 * gradient on wasm against cpu.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { tf } from '../../models/tf.js';
import { buildModel, UPSCALING_ARCHS } from '../../models/upscaling/registry.js';
import { Rng } from '../../numerics/rng.js';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { x: [2, 7, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 9, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [1, 8, 11, 2], f: [5, 5, 2, 3], strides: 3, pad: 'valid' },
  { x: [3, 6, 5, 4], f: [2, 4, 4, 1], strides: 2, pad: 'same' },
  {
    x: [1, 5, 7, 2],
    f: [3, 2, 2, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [2, 9, 6, 1], f: [5, 5, 1, 2], strides: [2, 1], pad: 'same' },
  { x: [1, 4, 4, 3], f: [1, 1, 3, 5], strides: 1, pad: 'valid' },
  { x: [2, 13, 3, 2], f: [5, 3, 2, 2], strides: [3, 2], pad: 'valid' },
  { x: [1, 6, 6, 2], f: [3, 3, 2, 2], strides: 2, pad: 1 },
];

function values(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => r.uniform(-1, 1));
}
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function convGrads(c: Case): { dx: Float32Array; df: Float32Array; outShape: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(c.x), 1), c.x);
    const f = tf.tensor4d(values(size(c.f), 2), c.f);
    const out = tf.conv2d(x, f, c.strides, c.pad);
    const r = tf.tensor(values(out.size, 3), out.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)))([x, f]);
    return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array, outShape: out.shape };
  });
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-6;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    d = Math.max(d, Math.abs(a[i] - b[i]));
  }
  return d / scale;
}

describe('Conv2DBackpropFilter on wasm', () => {
  it('is registered only for wasm and the kernel audit list is complete', async () => {
    await initBackend('wasm');
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'UnsortedSegmentSum', 'MaxPoolGrad', 'AvgPoolGrad']) expect(wasm.has(k)).toBe(true);
  });

  for (const c of CASES) {
    it(`x=${JSON.stringify(c.x)} f=${JSON.stringify(c.f)} strides=${JSON.stringify(c.strides)} pad=${JSON.stringify(c.pad)}: matches cpu and finite differences`, async () => {
      await initBackend('cpu');
      const ref = convGrads(c);
      await initBackend('wasm');
      const got = convGrads(c);
      expect(got.outShape).toEqual(ref.outShape);
      expect(maxRelDiff(got.df, ref.df)).toBeLessThan(1e-5);
      expect(maxRelDiff(got.dx, ref.dx)).toBeLessThan(1e-5);
      // Finite differences on wasm: L(f) = sum(conv(x, f) * r) is linear in f, so
      // (L(f + e_k) - L(f - e_k)) / 2 is the exact derivative (float32 rounding only).
      const fd = tf.tidy(() => {
        const x = tf.tensor4d(values(size(c.x), 1), c.x);
        const f0 = values(size(c.f), 2);
        const r = tf.tensor(values(size(got.outShape), 3), got.outShape);
        const L = (fv: Float32Array) => tf.sum(tf.mul(tf.conv2d(x, tf.tensor4d(fv, c.f), c.strides, c.pad), r)).dataSync()[0];
        const out = new Float32Array(f0.length);
        for (let k = 0; k < f0.length; k++) {
          const p = f0.slice();
          const m = f0.slice();
          p[k] += 1;
          m[k] -= 1;
          out[k] = (L(p) - L(m)) / 2;
        }
        return out;
      });
      expect(maxRelDiff(got.df, fd)).toBeLessThan(1e-4);
    });
  }

  it('fused conv2d (bias + LeakyReLU) and conv1d (ECA) weight gradients match cpu', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(2 * 6 * 5 * 3, 4), [2, 6, 5, 3]);
        const f = tf.tensor4d(values(5 * 5 * 3 * 2, 5), [5, 5, 3, 2]);
        const b = tf.tensor1d(values(2, 6));
        const x1 = tf.tensor3d(values(3 * 7 * 1, 7), [3, 7, 1]);
        const k1 = tf.tensor3d(values(3, 8), [3, 1, 1]);
        const g = tf.grads((ff: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(
            tf.square(tf.fused.conv2d({ x, filter: ff as tf.Tensor4D, bias: bb, strides: 1, pad: 'same', activation: 'leakyrelu', leakyreluAlpha: 0.01 })),
          ),
        )([f, b]);
        const g1 = tf.grad((kk: tf.Tensor) => tf.sum(tf.square(tf.sigmoid(tf.conv1d(x1, kk as tf.Tensor3D, 1, 'same')))))(k1);
        return [...g.map((t) => t.dataSync() as Float32Array), g1.dataSync() as Float32Array];
      });
    await initBackend('cpu');
    const ref = run();
    await initBackend('wasm');
    const got = run();
    ref.forEach((r, i) => expect(maxRelDiff(got[i], r)).toBeLessThan(1e-5));
  });
});

describe('transposed BatchMatMul / _FusedMatMul fast path on wasm', () => {
  it('matches cpu for every transpose combination, batched and fused with bias + activation', async () => {
    const run = () =>
      tf.tidy(() => {
        const out: Float32Array[] = [];
        for (const [ta, tb] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          const a = tf.tensor3d(values(2 * 5 * 7, 20), ta ? [2, 7, 5] : [2, 5, 7]);
          const b = tf.tensor3d(values(2 * 7 * 3, 21), tb ? [2, 3, 7] : [2, 7, 3]);
          out.push(tf.matMul(a, b, ta, tb).dataSync() as Float32Array);
          const bias = tf.tensor1d(values(3, 22));
          out.push(tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation: 'relu' }).dataSync() as Float32Array);
        }
        return out;
      });
    await initBackend('cpu');
    const ref = run();
    await initBackend('wasm');
    const got = run();
    ref.forEach((r, i) => expect(maxRelDiff(got[i], r)).toBeLessThan(1e-5));
  });
});

describe('wasm training kernels free their intermediates', () => {
  it('backend data ids return to the baseline after gradient steps', async () => {
    await initBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const run = () => {
      convGrads(CASES[1]);
      tf.tidy(() => {
        tf.matMul(tf.ones([4, 3]), tf.ones([5, 3]), false, true).dataSync();
        tf.matMul(tf.ones([3, 4]), tf.ones([3, 5]), true, false).dataSync();
      });
      tf.tidy(() => {
        tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([0, 1, 1], 'int32'))))(tf.ones([2, 3]));
      });
    };
    run();
    const before = backend.numDataIds();
    for (let i = 0; i < 3; i++) run();
    expect(backend.numDataIds()).toBe(before);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows by segment id (hand values) and gives gather its gradient', async () => {
    await initBackend('wasm');
    const s = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor1d([2, 0, 2, 1], 'int32'), 4);
    expect(Array.from(s.dataSync())).toEqual([3, 4, 7, 8, 6, 8, 0, 0]);
    const gatherGrad = () =>
      tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([0, 2, 2, 1, 0], 'int32')), tf.tensor2d(values(10, 9), [5, 2]))))(tf.ones([3, 2]))
          .dataSync(),
      );
    const w = Array.from(gatherGrad());
    await initBackend('cpu');
    const c = Array.from(gatherGrad());
    w.forEach((v, i) => expect(v).toBeCloseTo(c[i], 5));
  });
});

describe('every model: full gradient on wasm equals cpu', () => {
  for (const arch of UPSCALING_ARCHS.filter((a) => a !== 'interpolation')) {
    it(arch, async () => {
      const opts =
        arch === 'stamnet_upsample' ? { dropout: 0, stam: { branchDropout: 0 } } : { hiddenMultipliers: [2, 4, 2], dropout: 0, stam: { branchDropout: 0 } };
      const grads = () => {
        const m = buildModel(arch, { t: 4, h: 5, w: 3 }, { ...opts, seed: 5 });
        const out = tf.tidy(() => {
          const x = tf.tensor4d(values(2 * 4 * 5 * 3, 10), [2, 4, 5, 3]);
          const { grads: g } = tf.variableGrads(
            () => tf.mean<tf.Scalar>(tf.square(m.apply(x, { training: true }))),
            m.parameters.map((p) => p.variable),
          );
          return m.parameters.map((p) => g[p.variable.name].dataSync() as Float32Array);
        });
        m.dispose();
        return out;
      };
      await initBackend('cpu');
      const ref = grads();
      await initBackend('wasm');
      const got = grads();
      ref.forEach((r, i) => expect(maxRelDiff(got[i], r)).toBeLessThan(1e-4));
    });
  }
});
