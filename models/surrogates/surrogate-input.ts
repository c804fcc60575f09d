/**
 * What a surrogate consumes: a parameter vector (case 1: 9 normalised zone parameters; KLE or
 * latent coefficients) or a field image `[height, width, channels]` (cases 2-3: the log-permeability
 * or facies field). Convolutional surrogates turn a vector into a matrix with a dense + reshape
 * front end (`vectorFrontEnd`), as in the paper.
 */
import { tf } from '../tf.js';
import type { LayerSeeds } from './layer-seeds.js';

/** A vector length or an image shape `[height, width, channels]`. */
export type SurrogateInputSpec = number | readonly [number, number, number];

export function isImageInput(spec: SurrogateInputSpec): spec is readonly [number, number, number] {
  return Array.isArray(spec);
}

/** The per-sample input shape TF.js expects (`[d]` or `[h, w, c]`). */
export function inputShapeOf(spec: SurrogateInputSpec): number[] {
  if (isImageInput(spec)) {
    const [h, w, c] = spec;
    for (const [name, v] of [
      ['height', h],
      ['width', w],
      ['channels', c],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`surrogate input ${name} must be a positive integer, got ${v}`);
    }
    return [h, w, c];
  }
  if (!Number.isInteger(spec) || spec < 1) throw new Error(`surrogate inputDim must be a positive integer, got ${spec}`);
  return [spec];
}

/** Number of scalars in one input sample. */
export function inputSize(spec: SurrogateInputSpec): number {
  return inputShapeOf(spec).reduce((a, b) => a * b, 1);
}

/**
 * Dense + reshape front end: vector `[d]` -> `[h, w, 1]` image (linear dense layer of h*w units).
 * Used by LeNet and ResNet when the input is a low-dimensional parameter vector.
 */
export function vectorFrontEnd(
  x: tf.SymbolicTensor,
  shape: readonly [number, number],
  seeds: LayerSeeds,
  activation: 'linear' | 'relu' | 'swish' = 'relu',
): tf.SymbolicTensor {
  const [h, w] = shape;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new Error(`frontEndShape must be two positive integers [height, width], got [${h}, ${w}]`);
  }
  const d = tf.layers.dense({ units: h * w, activation, kernelInitializer: seeds.glorot(), name: 'front_end_dense' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.reshape({ targetShape: [h, w, 1], name: 'front_end_reshape' }).apply(d) as tf.SymbolicTensor;
}
