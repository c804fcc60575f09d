/**
 * ResNet surrogate (paper 2, section 3): a 3x3 stem convolution, then four stages of residual units
 * (basic units: conv3x3-ReLU-conv3x3 + shortcut, ReLU). Stage 1 has two units without
 * down-sampling; stages 2-4 each have one down-sampling unit (stride 2, filters doubled, 1x1
 * projection shortcut) and one plain unit. Global average pooling and a sigmoid dense output.
 * No batch normalisation (the paper does not state it; it keeps the frozen surrogate a pure
 * function for TNNA). Vector inputs go through the dense + reshape front end (default 16 x 16).
 */
import { tf } from '../tf.js';
import { LayerSeeds } from './layer-seeds.js';
import { inputShapeOf, isImageInput, vectorFrontEnd, type SurrogateInputSpec } from './surrogate-input.js';
import { wrapSurrogate, type Surrogate } from './surrogate.js';

export interface ResnetOptions {
  /** Filters of stage 1 (default 16); stages 2-4 use 2x, 4x, 8x. */
  baseFilters?: number;
  /** Matrix shape the vector front end produces (default [16, 16]); ignored for image inputs. */
  frontEndShape?: [number, number];
  seed?: number;
}

/** A 'same'-padded 2-D convolution with seeded He (ReLU) or Glorot (linear) initialisation. */
export function conv(
  x: tf.SymbolicTensor,
  filters: number,
  kernelSize: number,
  strides: number,
  activation: 'relu' | 'linear',
  seeds: LayerSeeds,
  name: string,
) {
  return tf.layers
    .conv2d({ filters, kernelSize, strides, padding: 'same', activation, kernelInitializer: activation === 'relu' ? seeds.he() : seeds.glorot(), name })
    .apply(x) as tf.SymbolicTensor;
}

/** A basic residual unit (conv3x3-ReLU-conv3x3 + shortcut, ReLU); stride 2 and a 1x1 projection when down-sampling. */
export function residualUnit(x: tf.SymbolicTensor, filters: number, downsample: boolean, seeds: LayerSeeds, name: string): tf.SymbolicTensor {
  const stride = downsample ? 2 : 1;
  const inFilters = x.shape[x.shape.length - 1];
  let y = conv(x, filters, 3, stride, 'relu', seeds, `${name}_a`);
  y = conv(y, filters, 3, 1, 'linear', seeds, `${name}_b`);
  const shortcut = downsample || inFilters !== filters ? conv(x, filters, 1, stride, 'linear', seeds, `${name}_proj`) : x;
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(sum) as tf.SymbolicTensor;
}

export function buildResnet(input: SurrogateInputSpec, outputDim: number, options: ResnetOptions = {}): Surrogate {
  const baseFilters = options.baseFilters ?? 16;
  const frontEndShape = options.frontEndShape ?? [16, 16];
  const seed = options.seed ?? 0;
  if (!Number.isInteger(baseFilters) || baseFilters < 1) throw new Error(`resnet baseFilters must be a positive integer, got ${baseFilters}`);
  if (!Number.isInteger(outputDim) || outputDim < 1) throw new Error(`surrogate outputDim must be a positive integer, got ${outputDim}`);
  const seeds = new LayerSeeds(seed);
  const inp = tf.input({ shape: inputShapeOf(input), name: 'params' });
  let x: tf.SymbolicTensor = isImageInput(input) ? inp : vectorFrontEnd(inp, frontEndShape, seeds);
  x = conv(x, baseFilters, 3, 1, 'relu', seeds, 'stem');
  x = residualUnit(x, baseFilters, false, seeds, 'stage1_unit1');
  x = residualUnit(x, baseFilters, false, seeds, 'stage1_unit2');
  for (let s = 2; s <= 4; s++) {
    const filters = baseFilters * 2 ** (s - 1);
    x = residualUnit(x, filters, true, seeds, `stage${s}_down`);
    x = residualUnit(x, filters, false, seeds, `stage${s}_unit`);
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: outputDim, activation: 'sigmoid', kernelInitializer: seeds.glorot(), name: 'output' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out, name: 'resnet' });
  return wrapSurrogate('resnet', input, outputDim, { baseFilters, frontEndShape, seed }, model);
}
