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

/** The optimizer's state for `vars`, by position (independent of variable names, which differ between threads). */
export interface WeightDecayOptimizerState {
  /** Steps taken (Adam's bias correction depends on it). */
  step: number;
  /** First and second moments per variable: m0, v0, m1, v1, ... (zeros before a variable's first step). */
  moments: Float32Array[];
}

export interface WeightDecayOptimizer {
  /** One gradient step on `loss` w.r.t. `vars`; returns the loss value before the step. */
  step(loss: () => tf.Scalar, vars: tf.Variable[]): number;
  /** Learning rate of the next steps (for schedules). */
  setLearningRate(lr: number): void;
  /** A copy of the state, for a checkpoint. */
  exportState(vars: tf.Variable[]): Promise<WeightDecayOptimizerState>;
  /** Restores a state exported for the same variables (same order and shapes). */
  importState(vars: tf.Variable[], state: WeightDecayOptimizerState): Promise<void>;
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
    setLearningRate(lr) {
      if (!(lr >= 0)) throw new Error(`learning rate must be >= 0, got ${lr}`);
      opt.learningRate = lr;
    },
    async exportState(vars) {
      const named = await opt.getWeights();
      try {
        const byName = new Map(named.map((w) => [w.name, w.tensor]));
        const iter = byName.get('iter');
        const moments = vars.flatMap((v) =>
          (['m', 'v'] as const).map((k) => {
            const t = byName.get(`${v.name}/${k}`);
            return t ? (t.dataSync() as Float32Array).slice() : new Float32Array(v.size);
          }),
        );
        return { step: iter ? iter.dataSync()[0] : 0, moments };
      } finally {
        tf.dispose(named.map((w) => w.tensor));
      }
    },
    async importState(vars, state) {
      if (state.moments.length !== 2 * vars.length)
        throw new Error(`optimizer state has ${state.moments.length / 2} variables' moments, the model ${vars.length}`);
      const named = [{ name: 'iter', tensor: tf.scalar(state.step, 'int32') as tf.Tensor }];
      vars.forEach((v, i) => {
        for (const [k, j] of [['m', 2 * i] as const, ['v', 2 * i + 1] as const]) {
          if (state.moments[j].length !== v.size)
            throw new Error(`optimizer moment ${k} of variable ${i} has ${state.moments[j].length} values, the variable ${v.size}`);
          named.push({ name: `${v.name}/${k}`, tensor: tf.tensor(state.moments[j], v.shape) });
        }
      });
      try {
        await opt.setWeights(named);
      } finally {
        tf.dispose(named.map((w) => w.tensor));
      }
    },
    dispose() {
      opt.dispose();
    },
  };
}
