/**
 * Breakthrough curves from per-point curve parameters: a custom layer for the U-Net surrogate
 * (./unet.ts) that turns, at every observation point, the parameters of a monotone curve into the
 * concentration at each observation time.
 *
 * Why: with a constant source on the boundary and steady flow, the concentration at a fixed point
 * rises monotonically in time from 0 towards the source's value (the comparison principle of the
 * linear advection-dispersion equation). Every such curve is a cumulative distribution in time, and
 * a mixture of K logistic distributions in log-time approximates it:
 *
 *   c(t) = sum_k w_k * sigmoid((ln t - mu_k) / s_k),   w = softmax(a),  s_k = softplus(b_k) + S_MIN
 *
 * So the network predicts 3K smooth maps (a, mu, b: arrival weights, log arrival times, spreads)
 * instead of one map per time, every time shares them, and a plume that has not arrived is c = 0 by
 * construction rather than a value the maps must learn to hold at 0.
 *
 * Input `[batch, 1 + 3K, points]`: channel 0 (the head) passes through; channels 1..K are a,
 * K+1..2K mu, 2K+1..3K b. Output `[batch, 1 + T, points]`: the head, then c at each of the T times.
 */
import { tf } from '../tf.js';

/** Smallest spread in log-time (a curve no steeper than a factor e^0.02 around its midpoint). */
const S_MIN = 0.02;

interface BreakthroughCurvesArgs {
  /** Observation times, positive, any unit (the log is taken). */
  times: number[];
  /** Logistic components per curve. */
  components: number;
  name?: string;
}

export class BreakthroughCurves extends tf.layers.Layer {
  static readonly className = 'BreakthroughCurves';
  readonly times: number[];
  readonly components: number;

  constructor(args: BreakthroughCurvesArgs) {
    super({ name: args.name });
    if (!Array.isArray(args.times) || args.times.length === 0 || !args.times.every((t) => Number.isFinite(t) && t > 0))
      throw new Error('BreakthroughCurves times must be a non-empty list of positive numbers');
    if (!Number.isInteger(args.components) || args.components < 1)
      throw new Error(`BreakthroughCurves components must be a positive integer, got ${args.components}`);
    this.times = [...args.times];
    this.components = args.components;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const k = this.components;
    const head = tf.slice(x, [0, 0, 0], [-1, 1, -1]);
    const weights = tf.softmax(tf.transpose(tf.slice(x, [0, 1, 0], [-1, k, -1]), [0, 2, 1])); // [b, p, k]
    const mu = tf.transpose(tf.slice(x, [0, 1 + k, 0], [-1, k, -1]), [0, 2, 1]);
    const spread = tf.add(tf.softplus(tf.transpose(tf.slice(x, [0, 1 + 2 * k, 0], [-1, k, -1]), [0, 2, 1])), S_MIN);
    const logT = tf.tensor1d(this.times.map(Math.log)).reshape([1, 1, 1, this.times.length]); // [1, 1, 1, T]
    const z = tf.div(tf.sub(logT, mu.expandDims(3)), spread.expandDims(3)); // [b, p, k, T]
    const c = tf.sum(tf.mul(tf.sigmoid(z), weights.expandDims(3)), 2); // [b, p, T]
    return tf.concat([head, tf.transpose(c, [0, 2, 1])], 1);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], 1 + this.times.length, shape[2]];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), times: this.times, components: this.components };
  }
}

tf.serialization.registerClass(BreakthroughCurves);

/**
 * Initial biases of the curve-parameter maps: weights equal, log arrival times spread evenly over
 * the observed log-time range, spreads a fifth of that range, so every component starts inside the
 * observation window where its gradient is alive.
 */
export function breakthroughBiasInit(times: readonly number[], components: number): { weights: number[]; mu: number[]; spread: number[] } {
  const lo = Math.log(Math.min(...times));
  const hi = Math.log(Math.max(...times));
  const mu = Array.from({ length: components }, (_, i) => (components === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * (i + 0.5)) / components));
  const s = Math.max((hi - lo) / 5, 2 * S_MIN) - S_MIN;
  const softplusInverse = Math.log(Math.expm1(s));
  return { weights: new Array<number>(components).fill(0), mu, spread: new Array<number>(components).fill(softplusInverse) };
}
