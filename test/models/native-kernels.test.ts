/** Plume's replacement kernels on native TensorFlow give tfjs-node's results exactly. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { registerNativeStepKernel } from '../../models/native-kernels/step.js';
import { tf } from '../../models/tf.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

describe('native Step kernel', () => {
  it('is registered by initBackend and matches the definition: 1 above zero, alpha elsewhere, NaN kept', async () => {
    expect(registerNativeStepKernel()).toBe(false); // already replaced when the backend started
    const values = [NaN, -Infinity, -2, -0, 0, 1e-30, 3, Infinity];
    const noNaN = values.slice(1);
    const expected = (v: number, alpha: number) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : alpha);
    for (const alpha of [0, 0.25]) {
      // with a NaN (the original kernel's path) and without one (the fast path)
      for (const xs of [values, noNaN]) {
        const out = tf.step(tf.tensor1d(xs), alpha);
        expect(out.dtype).toBe('float32');
        expect(Array.from(await out.data())).toEqual(xs.map((v) => expected(v, alpha)));
      }
    }
  });

  it('gives the ReLU gradient dy where x > 0 and 0 elsewhere on a 4-D tensor', async () => {
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 5);
    const dy = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 6);
    const native = await tf
      .grad((t: tf.Tensor) => tf.relu(t).mul(dy).sum())(x)
      .data();
    const xs = await x.data();
    const dys = await dy.data();
    const want = Array.from(xs, (v, i) => (v > 0 ? dys[i] : 0));
    // dy * 0 is -0 where dy < 0: compare values, not signs of zero
    expect(Array.from(native, (v) => v + 0)).toEqual(want);
  });
});
