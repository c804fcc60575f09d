/**
 * The optimiser every Plume network in `models/surrogates`, `models/inversion` and `inversion/tnna`
 * trains with: Adam with decoupled weight decay (AdamW, Loshchilov & Hutter), the paper's "Adam with
 * weight decay". One adapter so the shared AdamW from `models/training/` can be swapped in at one
 * place.
 *
 * Until that lands this is TF.js's Adam followed by the decoupled decay step
 * `w <- w - lr * wd * w` on every trainable variable (PyTorch's AdamW applies the same factor).
 */
import { tf } from '../tf.js';

export interface WeightDecayOptimizerOptions {
  learningRate: number;
  /** Decoupled weight decay coefficient (0 = plain Adam). */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface WeightDecayOptimizer {
  /** One gradient step on `loss` w.r.t. `vars`; returns the loss value before the step. */
  step(loss: () => tf.Scalar, vars: tf.Variable[]): number;
  dispose(): void;
}

export function createWeightDecayOptimizer(options: WeightDecayOptimizerOptions): WeightDecayOptimizer {
  const { learningRate, weightDecay = 0, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  if (!(learningRate > 0)) throw new Error(`learningRate must be > 0, got ${learningRate}`);
  if (!(weightDecay >= 0)) throw new Error(`weightDecay must be >= 0, got ${weightDecay}`);
  const adam = tf.train.adam(learningRate, beta1, beta2, epsilon);
  const decay = 1 - learningRate * weightDecay;
  return {
    step(loss, vars) {
      const value = adam.minimize(loss, true, vars);
      if (value === null) throw new Error('optimizer step: loss function returned no value');
      const v = value.dataSync()[0];
      value.dispose();
      if (weightDecay > 0) tf.tidy(() => { for (const w of vars) w.assign(w.mul(decay)); });
      return v;
    },
    dispose() {
      adam.dispose();
    },
  };
}
