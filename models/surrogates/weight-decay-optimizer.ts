/**
 * The optimiser every Plume network in `models/surrogates`, `models/inversion` and `inversion/tnna`
 * trains with: Adam with decoupled weight decay (the paper's "Adam with weight decay"), i.e. the
 * shared `AdamW` of `models/training/adamw.ts` (PyTorch's update). This adapter fixes the weight
 * decay default to 0 (AdamW's own default is 0.01) and returns the loss as a number.
 */
import { AdamW } from '../training/adamw.js';
import { tf } from '../tf.js';

export interface WeightDecayOptimizerOptions {
  learningRate: number;
  /** Decoupled weight decay coefficient (default 0 = plain Adam). */
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
  const opt = new AdamW({ learningRate, weightDecay, beta1, beta2, epsilon });
  return {
    step(loss, vars) {
      const value = opt.minimize(loss, true, vars);
      if (value === null) throw new Error('optimizer step: loss function returned no value');
      const v = value.dataSync()[0];
      value.dispose();
      return v;
    },
    dispose() {
      opt.dispose();
    },
  };
}
