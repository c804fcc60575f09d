/**
 * Native TensorFlow and wasm run the same Plume code: from the same seed (so the same initial
 * weights, batches and dropout masks) every upscaling architecture and every surrogate follows the
 * same loss trajectory on both, to float32 round-off accumulated over a few optimizer steps.
 * Tolerance: 1e-3 relative per step (both backends compute in float32, with different kernels and
 * summation orders; a wrong kernel or gradient shows up as an O(1) difference).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend, initBackend } from '../../models/backend.js';
import { buildSurrogate, SURROGATE_ARCHS } from '../../models/surrogates/registry.js';
import type { SurrogateArch } from '../../models/surrogates/surrogate.js';
import { trainSurrogate } from '../../models/surrogates/train-surrogate.js';
import { tf } from '../../models/tf.js';
import { trainModel } from '../../models/training/train-model.js';
import type { TensorData } from '../../models/training/tensor-dataset.js';
import type { UpscalingArch } from '../../models/upscaling/model.js';
import { chooseWorkloadBackend } from '../../models/workload-backend.js';
import { Rng } from '../../numerics/rng.js';

const REL_TOL = 1e-3;

function dataset(n: number, t: number, h: number, w: number, scaleW: number, scaleH = 1, seed = 3): TensorData {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * t * h * w }, () => rng.uniform(0, 2));
  const y = Float32Array.from({ length: n * t * h * scaleH * w * scaleW }, (_, i) => 1 + Math.sin(i * 0.37) * x[i % x.length]);
  return { x, y, shapeX: [n, t, h, w], shapeY: [n, t, h * scaleH, w * scaleW] };
}

function expectSameTrajectory(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(v - b[i]) / Math.max(Math.abs(v), 1e-6)).toBeLessThan(REL_TOL);
  });
}

beforeAll(async () => {
  delete process.env.PLUME_BACKEND;
  const info = await initBackend('auto');
  expect(info.available).toEqual(['tensorflow', 'wasm']);
});

describe('tensorflow vs wasm parity', () => {
  const upscaling: { arch: UpscalingArch; data: TensorData }[] = [
    { arch: 'simple_mlp', data: dataset(6, 3, 4, 4, 10) },
    { arch: 'optimal_mlp', data: dataset(6, 3, 4, 4, 10) },
    { arch: 'mlp_eca', data: dataset(6, 3, 4, 4, 10) },
    { arch: 'stamnet_upscale', data: dataset(6, 3, 4, 4, 10) },
    { arch: 'stamnet_upsample', data: dataset(6, 3, 4, 4, 2, 2) },
  ];
  for (const { arch, data } of upscaling) {
    it(`${arch}: same losses for 3 epochs of AdamW with dropout`, async () => {
      const losses: Record<string, number[]> = {};
      for (const b of ['tensorflow', 'wasm']) {
        await activateBackend(b);
        const r = await trainModel({
          arch,
          options: { hiddenMultipliers: arch === 'stamnet_upsample' ? [2, 2] : [2, 4, 2] },
          train: data,
          epochs: 3,
          batchSize: 2,
          lr: 1e-3,
          seed: 5,
        });
        expect(r.backend).toBe(b);
        losses[b] = r.history.map((h) => h.loss);
        r.model.dispose();
      }
      expectSameTrajectory(losses.tensorflow, losses.wasm);
    });
  }

  const tiny = {
    fcdnn: { units: 16, hiddenLayers: 2 },
    lenet: { filters: [2, 4] as [number, number], denseUnits: [16, 8] as [number, number], frontEndShape: [8, 8] as [number, number] },
    resnet: { baseFilters: 2, frontEndShape: [8, 8] as [number, number] },
    unet: {
      baseFilters: 2,
      mapChannels: 2,
      sampleAt: [
        [2, 3],
        [8, 8],
        [15, 1],
      ] as [number, number][],
    },
  };
  const variants: [string, SurrogateArch, Record<string, unknown>][] = [
    ...SURROGATE_ARCHS.map((arch): [string, SurrogateArch, Record<string, unknown>] => [arch, arch, tiny[arch]]),
    ['unet with breakthrough curves', 'unet', { ...tiny.unet, maps: 'breakthrough', breakthroughComponents: 2, breakthroughTimes: [3] }],
  ];
  for (const [label, arch, options] of variants) {
    it(`${label} surrogate: same L1 losses for 4 epochs`, async () => {
      const rng = new Rng(11);
      const n = 12;
      const x = Float32Array.from({ length: n * 16 * 16 }, () => rng.uniform(0, 1));
      const y = Float32Array.from({ length: n * 6 }, (_, i) => 0.5 + 0.4 * Math.sin(x[(i * 7) % x.length] * 3));
      const losses: Record<string, number[]> = {};
      for (const b of ['tensorflow', 'wasm']) {
        await activateBackend(b);
        const s = buildSurrogate(arch, [16, 16, 1], 6, { ...options, seed: 2 });
        const r = await trainSurrogate(s, { x, y, n }, { epochs: 4, batchSize: 4, learningRate: 1e-3, weightDecay: 0, seed: 3 });
        losses[b] = r.history.map((h) => h.trainLoss);
        s.dispose();
      }
      expectSameTrajectory(losses.tensorflow, losses.wasm);
    });
  }
});

describe('workload placement', () => {
  it('probes each backend, activates the faster, remembers the choice by signature', async () => {
    const a = tf.randomUniform([64, 64], 0, 1, 'float32', 1);
    let calls = 0;
    const step = () => {
      calls++;
      tf.tidy(() => tf.matMul(a, a).dataSync());
    };
    const first = await chooseWorkloadBackend({ signature: 'parity-test-matmul-64', step, steps: 3 });
    expect(['tensorflow', 'wasm']).toContain(first.backend);
    expect(tf.getBackend()).toBe(first.backend);
    expect(Object.keys(first.msPerStep!).sort()).toEqual(['tensorflow', 'wasm']);
    expect(first.reason).toMatch(/^probe: (tensorflow|wasm) [0-9.]+ ms\/step vs (tensorflow|wasm) >?[0-9.]+ ms\/step$/);
    // the chosen backend is the one with the lower time
    const [fast] = Object.entries(first.msPerStep!).sort((p, q) => p[1] - q[1])[0];
    expect(first.backend).toBe(fast);
    expect(calls).toBe(8); // warm-up + 3 timed steps on each of two backends (a 64x64 matmul is never cut short)
    const again = await chooseWorkloadBackend({ signature: 'parity-test-matmul-64', step, steps: 3 });
    expect(again).toEqual(first);
    expect(calls).toBe(8); // remembered: no second probe
    a.dispose();
  });

  it('cuts a clearly slower backend short after one timed step (native probed first)', async () => {
    const order: string[] = [];
    const step = () => {
      order.push(tf.getBackend());
      if (tf.getBackend() === 'wasm') {
        const until = performance.now() + 300; // a slow step: > 3x native and > 250 ms
        while (performance.now() < until);
      }
    };
    const c = await chooseWorkloadBackend({ signature: 'parity-test-slow-wasm', step, steps: 3 });
    expect(c.backend).toBe('tensorflow');
    expect(order).toEqual(['tensorflow', 'tensorflow', 'tensorflow', 'tensorflow', 'wasm', 'wasm']); // wasm: warm-up + one step
    expect(c.reason).toMatch(/^probe: tensorflow [0-9.]+ ms\/step vs wasm >[0-9.]+ ms\/step$/);
  });

  it('training records the backend it was placed on and why', async () => {
    await activateBackend('tensorflow');
    const r = await trainModel({
      arch: 'optimal_mlp',
      options: { hiddenMultipliers: [2, 4, 2] },
      train: dataset(4, 3, 4, 4, 10),
      epochs: 1,
      batchSize: 2,
      seed: 1,
      chooseBackend: {},
    });
    expect(['tensorflow', 'wasm']).toContain(r.backend);
    expect(r.backendReason).toMatch(/^probe: /);
    r.model.dispose();
  });

  it('PLUME_BACKEND skips the probe', async () => {
    process.env.PLUME_BACKEND = 'tensorflow';
    try {
      await activateBackend('tensorflow');
      const c = await chooseWorkloadBackend({
        signature: 'never-probed',
        step: () => {
          throw new Error('probed');
        },
      });
      expect(c).toEqual({ backend: 'tensorflow', reason: 'PLUME_BACKEND=tensorflow' });
    } finally {
      delete process.env.PLUME_BACKEND;
    }
  });
});
