/**
 * Efficient channel attention (ECA) over the time/channel axis of `[b, c, h, w]`: global average
 * over (h, w) per channel, a 1-D conv across channels (kernel k, 'same', no bias), sigmoid, scale.
 */
import { tf } from '../../tf.js';
import type { ParameterSet } from '../parameter-set.js';

export interface EcaParams {
  kernel: tf.Variable; // [k, 1, 1]
}

export function createEca(params: ParameterSet, name: string, kernelSize: number): EcaParams {
  const bound = 1 / Math.sqrt(kernelSize);
  return { kernel: params.uniform(`${name}.conv.weight`, [kernelSize, 1, 1], bound) };
}

export function applyEca(x: tf.Tensor4D, p: EcaParams): tf.Tensor4D {
  const [b, c] = x.shape;
  const pooled = tf.mean(x, [2, 3]).reshape<tf.Tensor3D>([b, c, 1]);
  const conv = tf.conv1d(pooled, p.kernel as tf.Tensor3D, 1, 'same');
  const gate = tf.sigmoid(conv).reshape([b, c, 1, 1]);
  return tf.mul(x, gate);
}
