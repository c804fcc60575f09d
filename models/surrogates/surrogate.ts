/**
 * The common face of every neural surrogate (FC-DNN, LeNet, ResNet, U-Net): a TF.js `LayersModel`
 * from normalised inputs to normalised outputs (in [0, 1] by a sigmoid; the U-Net's are linear),
 * plus the metadata needed to rebuild or save it.
 */
import { tf } from '../tf.js';
import { inputShapeOf, inputSize, type SurrogateInputSpec } from './surrogate-input.js';

export type SurrogateArch = 'fcdnn' | 'lenet' | 'resnet' | 'unet';

export interface Surrogate {
  readonly arch: SurrogateArch;
  readonly input: SurrogateInputSpec;
  readonly outputDim: number;
  /** The architecture options used to build it (JSON-serialisable; stored with saved weights). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly model: tf.LayersModel;
  /** Differentiable forward pass `[B, ...input] -> [B, outputDim]` (inference mode). */
  apply(x: tf.Tensor): tf.Tensor2D;
  /** Batched inference on a flat array of `n` samples; returns `n * outputDim` values. */
  predict(x: Float32Array | Float64Array, n: number, batchSize?: number): Float32Array;
  dispose(): void;
}

export function wrapSurrogate(
  arch: SurrogateArch,
  input: SurrogateInputSpec,
  outputDim: number,
  options: Record<string, unknown>,
  model: tf.LayersModel,
): Surrogate {
  const shape = inputShapeOf(input);
  const size = inputSize(input);
  return {
    arch,
    input,
    outputDim,
    options,
    model,
    apply(x: tf.Tensor): tf.Tensor2D {
      return model.apply(x, { training: false }) as tf.Tensor2D;
    },
    predict(x, n, batchSize = 256) {
      if (x.length !== n * size) {
        throw new Error(`surrogate predict: x has ${x.length} values, expected n * inputSize = ${n} * ${size}`);
      }
      const out = new Float32Array(n * outputDim);
      for (let start = 0; start < n; start += batchSize) {
        const b = Math.min(batchSize, n - start);
        const y = tf.tidy(() => {
          const xs = tf.tensor(Float32Array.from(x.subarray(start * size, (start + b) * size)), [b, ...shape]);
          return model.apply(xs, { training: false }) as tf.Tensor;
        });
        out.set(y.dataSync(), start * outputDim);
        y.dispose();
      }
      return out;
    },
    dispose() {
      model.dispose();
    },
  };
}
