/**
 * LeNet surrogate (paper 2, section 3): two convolution blocks (conv + 2x2 max-pool), then FC 1024,
 * FC 512 and a sigmoid output (ReLU; 5x5 'same' convolutions, 2x2 max-pooling). A parameter vector is first turned into a matrix by a dense layer +
 * reshape (`frontEndShape`, default 16 x 16); a field image (cases 2-3) enters directly.
 */
import { tf } from '../tf.js';
import { LayerSeeds } from './layer-seeds.js';
import { inputShapeOf, isImageInput, vectorFrontEnd, type SurrogateInputSpec } from './surrogate-input.js';
import { wrapSurrogate, type Surrogate } from './surrogate.js';

export interface LenetOptions {
  /**
   * Filters of the two conv blocks (default [6, 16], LeNet-5's; the flatten -> FC 1024 layer then
   * has 20*20*16*1024 = 6.6M weights for an 80 x 80 field, vs 26M with [32, 64]).
   */
  filters?: [number, number];
  /** Square kernel size (default 5). */
  kernelSize?: number;
  /** Units of the two fully connected layers (default [1024, 512]). */
  denseUnits?: [number, number];
  /** Matrix shape the vector front end produces (default [16, 16]); ignored for image inputs. */
  frontEndShape?: [number, number];
  seed?: number;
}

export function buildLenet(input: SurrogateInputSpec, outputDim: number, options: LenetOptions = {}): Surrogate {
  const filters = options.filters ?? [6, 16];
  const kernelSize = options.kernelSize ?? 5;
  const denseUnits = options.denseUnits ?? [1024, 512];
  const frontEndShape = options.frontEndShape ?? [16, 16];
  const seed = options.seed ?? 0;
  if (!Number.isInteger(outputDim) || outputDim < 1) throw new Error(`surrogate outputDim must be a positive integer, got ${outputDim}`);
  const seeds = new LayerSeeds(seed);
  const inp = tf.input({ shape: inputShapeOf(input), name: 'params' });
  let x: tf.SymbolicTensor = isImageInput(input) ? inp : vectorFrontEnd(inp, frontEndShape, seeds);
  for (let b = 0; b < 2; b++) {
    x = tf.layers
      .conv2d({ filters: filters[b], kernelSize, padding: 'same', activation: 'relu', kernelInitializer: seeds.he(), name: `conv_${b}` })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: `pool_${b}` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < 2; i++) {
    x = tf.layers.dense({ units: denseUnits[i], activation: 'relu', kernelInitializer: seeds.he(), name: `fc_${i}` }).apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: outputDim, activation: 'sigmoid', kernelInitializer: seeds.glorot(), name: 'output' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out, name: 'lenet' });
  return wrapSurrogate('lenet', input, outputDim, { filters, kernelSize, denseUnits, frontEndShape, seed }, model);
}
