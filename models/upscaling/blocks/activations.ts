/** Activations used by the STAMNet family, written from ops every backend differentiates. */
import { tf } from '../../tf.js';

export type Activation = 'silu' | 'leaky_relu' | 'linear';

/** SiLU / swish: x * sigmoid(x). */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x));
}

export function activate<T extends tf.Tensor>(x: T, act: Activation, leakySlope = 0.01): T {
  switch (act) {
    case 'silu':
      return silu(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, leakySlope);
    case 'linear':
      return x;
  }
}
