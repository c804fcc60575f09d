/**
 * FC-DNN surrogate (paper 2, section 3): fully connected hidden layers of 512 Swish units, sigmoid
 * output. Depth is configurable (paper: 2, 4, 3, 3 hidden layers for 200/500/1000/2000 samples).
 * Image inputs are flattened first.
 */
import { tf } from '../tf.js';
import { LayerSeeds } from './layer-seeds.js';
import { inputShapeOf, isImageInput, type SurrogateInputSpec } from './surrogate-input.js';
import { wrapSurrogate, type Surrogate } from './surrogate.js';

export interface FcdnnOptions {
  /** Number of hidden layers (default 3). */
  hiddenLayers?: number;
  /** Units per hidden layer (default 512). */
  units?: number;
  seed?: number;
}

/** Paper's depth per training-set size (200/500/1000/2000 samples -> 2/4/3/3 hidden layers). */
export function fcdnnDepthForSamples(n: number): number {
  if (n <= 200) return 2;
  if (n <= 500) return 4;
  return 3;
}

export function buildFcdnn(input: SurrogateInputSpec, outputDim: number, options: FcdnnOptions = {}): Surrogate {
  const hiddenLayers = options.hiddenLayers ?? 3;
  const units = options.units ?? 512;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(hiddenLayers) || hiddenLayers < 1) throw new Error(`fcdnn hiddenLayers must be an integer >= 1, got ${hiddenLayers}`);
  if (!Number.isInteger(units) || units < 1) throw new Error(`fcdnn units must be a positive integer, got ${units}`);
  if (!Number.isInteger(outputDim) || outputDim < 1) throw new Error(`surrogate outputDim must be a positive integer, got ${outputDim}`);
  const seeds = new LayerSeeds(seed);
  const inp = tf.input({ shape: inputShapeOf(input), name: 'params' });
  let x: tf.SymbolicTensor = isImageInput(input) ? (tf.layers.flatten().apply(inp) as tf.SymbolicTensor) : inp;
  for (let i = 0; i < hiddenLayers; i++) {
    x = tf.layers.dense({ units, activation: 'swish', kernelInitializer: seeds.glorot(), name: `hidden_${i}` }).apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: outputDim, activation: 'sigmoid', kernelInitializer: seeds.glorot(), name: 'output' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out, name: 'fcdnn' });
  return wrapSurrogate('fcdnn', input, outputDim, { hiddenLayers, units, seed }, model);
}
