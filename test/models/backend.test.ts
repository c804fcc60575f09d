import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { tf } from '../../models/tf.js';

const saved = process.env.PLUME_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.PLUME_BACKEND;
  else process.env.PLUME_BACKEND = saved;
});

describe('initBackend', () => {
  it('selects cpu and wasm explicitly and reports them', async () => {
    delete process.env.PLUME_BACKEND;
    expect(await initBackend('cpu')).toEqual({ name: 'cpu', device: 'cpu', package: '@tensorflow/tfjs-backend-cpu' });
    expect(tf.getBackend()).toBe('cpu');
    const w = await initBackend('wasm');
    expect(w).toMatchObject({ name: 'wasm', device: 'cpu', package: '@tensorflow/tfjs-backend-wasm' });
    expect(typeof w.simd).toBe('boolean');
    expect(tf.getBackend()).toBe('wasm');
    // The wasm training kernels are registered on selection.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it("'auto' falls through the unavailable native packages to wasm", async () => {
    delete process.env.PLUME_BACKEND;
    const info = await initBackend('auto');
    // tfjs-node(-gpu) native parts are not installed in this environment.
    expect(info.name).toBe('wasm');
  });

  it('PLUME_BACKEND forces a backend and fails clearly when it is unavailable', async () => {
    process.env.PLUME_BACKEND = 'cpu';
    expect((await initBackend('wasm')).name).toBe('cpu');
    process.env.PLUME_BACKEND = 'tensorflow';
    await expect(initBackend()).rejects.toThrow(/PLUME_BACKEND=tensorflow: backend unavailable: @tensorflow\/tfjs-node is not usable here/);
    process.env.PLUME_BACKEND = 'gpu-please';
    await expect(initBackend()).rejects.toThrow(/PLUME_BACKEND='gpu-please' is not a backend/);
  });

  it('works inside worker_threads (wasm), with the same gradients as cpu on the main thread', async () => {
    delete process.env.PLUME_BACKEND;
    const here = new URL('.', import.meta.url);
    const msg = await new Promise<{ info: { name: string }; backend: string; grad: number[] }>((resolve, reject) => {
      const w = new Worker(new URL('./fixtures/backend-worker.mjs', here), {
        workerData: { backend: 'wasm', backendUrl: new URL('../../models/backend.ts', here).href, tfUrl: new URL('../../models/tf.ts', here).href },
      });
      w.once('message', (m) => {
        void w.terminate();
        resolve(m);
      });
      w.once('error', reject);
    });
    expect(msg.info.name).toBe('wasm');
    expect(msg.backend).toBe('wasm');
    await initBackend('cpu');
    const x = tf.tensor4d(Array.from({ length: 2 * 5 * 5 }, (_, i) => Math.sin(i)), [2, 5, 5, 1]);
    const g = tf.grad((f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, 1, 'same').square().sum())(tf.ones([3, 3, 1, 1]));
    const ref = Array.from(g.dataSync());
    msg.grad.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 3));
  });
});
