import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { activateBackend, initBackend } from '../../models/backend.js';
import { nativeThreadSettings } from '../../models/native-environment.js';
import { tf } from '../../models/tf.js';

const saved = process.env.PLUME_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.PLUME_BACKEND;
  else process.env.PLUME_BACKEND = saved;
});

describe('initBackend', () => {
  it('selects cpu and wasm explicitly and reports them', async () => {
    delete process.env.PLUME_BACKEND;
    expect(await initBackend('cpu')).toEqual({ name: 'cpu', device: 'cpu', package: '@tensorflow/tfjs-backend-cpu', available: ['cpu'] });
    expect(tf.getBackend()).toBe('cpu');
    const w = await initBackend('wasm');
    expect(w).toMatchObject({ name: 'wasm', device: 'cpu', package: '@tensorflow/tfjs-backend-wasm' });
    expect(typeof w.simd).toBe('boolean');
    expect(tf.getBackend()).toBe('wasm');
    // The wasm training kernels are registered on selection.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it("'auto' skips the missing GPU package, picks native TensorFlow and starts wasm beside it", async () => {
    delete process.env.PLUME_BACKEND;
    const info = await initBackend('auto');
    // npm test's setup builds @tensorflow/tfjs-node (infra/native-tensorflow/build-binding.sh);
    // tfjs-node-gpu is for GPU nodes only.
    expect(info).toMatchObject({ name: 'tensorflow', device: 'cpu', package: '@tensorflow/tfjs-node', available: ['tensorflow', 'wasm'] });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(info.tensorflowThreads!.intraOp).toBeGreaterThanOrEqual(1);
    expect(info.tensorflowThreads!.interOp).toBe(1);
    expect(info.tensorflowKernels).toMatch(/^(onednn|eigen)\+plume-step$/);
    // both stay registered: a tensor made on one is usable after switching to the other
    const a = tf.tensor([1, 2, 3]);
    await activateBackend('wasm');
    expect(Array.from(tf.mul(a, 2).dataSync())).toEqual([2, 4, 6]);
    await activateBackend('tensorflow');
    await expect(activateBackend('cpu')).rejects.toThrow(/backend 'cpu' was not started in this thread/);
  });

  it('sizes TensorFlow thread pools so compute threads x TensorFlow threads fit the cores', () => {
    expect(nativeThreadSettings({ PLUME_COMPUTE_THREADS: '2' }, 2)).toEqual({ intraOp: 1, interOp: 1 });
    expect(nativeThreadSettings({ PLUME_COMPUTE_THREADS: '1' }, 2)).toEqual({ intraOp: 2, interOp: 1 });
    expect(nativeThreadSettings({}, 8)).toEqual({ intraOp: 1, interOp: 1 });
    expect(nativeThreadSettings({ PLUME_COMPUTE_THREADS: '3' }, 16)).toEqual({ intraOp: 5, interOp: 1 });
    expect(nativeThreadSettings({ PLUME_COMPUTE_THREADS: '2', TF_NUM_INTRAOP_THREADS: '4', TF_NUM_INTEROP_THREADS: '2' }, 2)).toEqual({
      intraOp: 4,
      interOp: 2,
    });
  });

  it('PLUME_BACKEND forces a backend and fails clearly when it is unavailable', async () => {
    process.env.PLUME_BACKEND = 'cpu';
    expect((await initBackend('wasm')).name).toBe('cpu');
    process.env.PLUME_BACKEND = 'tensorflow-gpu';
    await expect(initBackend()).rejects.toThrow(/PLUME_BACKEND=tensorflow-gpu: backend unavailable: @tensorflow\/tfjs-node-gpu is not usable here/);
    process.env.PLUME_BACKEND = 'gpu-please';
    await expect(initBackend()).rejects.toThrow(/PLUME_BACKEND='gpu-please' is not a backend/);
  });

  it('works inside worker_threads (wasm), with the same gradients as cpu on the main thread', async () => {
    delete process.env.PLUME_BACKEND;
    const here = new URL('.', import.meta.url);
    type BackendReport = { info: { name: string }; backend: string; grad: number[] };
    const msg = await new Promise<BackendReport>((resolve, reject) => {
      const w = new Worker(new URL('./fixtures/backend-worker.mjs', here), {
        workerData: { backend: 'wasm', backendUrl: new URL('../../models/backend.ts', here).href, tfUrl: new URL('../../models/tf.ts', here).href },
      });
      w.once('message', (m: BackendReport) => {
        void w.terminate();
        resolve(m);
      });
      w.once('error', reject);
    });
    expect(msg.info.name).toBe('wasm');
    expect(msg.backend).toBe('wasm');
    await initBackend('cpu');
    const x = tf.tensor4d(
      Array.from({ length: 2 * 5 * 5 }, (_, i) => Math.sin(i)),
      [2, 5, 5, 1],
    );
    const g = tf.grad((f: tf.Tensor) =>
      tf
        .conv2d(x, f as tf.Tensor4D, 1, 'same')
        .square()
        .sum(),
    )(tf.ones([3, 3, 1, 1]));
    const ref = Array.from(g.dataSync());
    msg.grad.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 3));
  });
});
