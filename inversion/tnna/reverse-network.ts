/**
 * TNNA's reverse network (paper 2, section 4): fully connected, 3 hidden layers of 512 units, sigmoid
 * output, mapping an observation vector to normalised parameters u in [0, 1]^dim. Hidden
 * activation ReLU by default (the paper does not state it).
 */
import { LayerSeeds } from '../../models/surrogates/layer-seeds.js';
import { tf } from '../../models/tf.js';

export interface ReverseNetworkOptions {
  /** Hidden layer widths (default [512, 512, 512]). */
  hiddenUnits?: number[];
  activation?: 'relu' | 'swish' | 'tanh';
  seed?: number;
  /** 'sigmoid' (default, the paper's) or 'logits': the output layer without its sigmoid, for a caller that applies it itself. */
  output?: 'sigmoid' | 'logits';
}

export function buildReverseNetwork(observationDim: number, parameterDim: number, options: ReverseNetworkOptions = {}): tf.LayersModel {
  const hidden = options.hiddenUnits ?? [512, 512, 512];
  if (!Number.isInteger(observationDim) || observationDim < 1)
    throw new Error(`reverse network: observationDim must be a positive integer, got ${observationDim}`);
  if (!Number.isInteger(parameterDim) || parameterDim < 1) throw new Error(`reverse network: parameterDim must be a positive integer, got ${parameterDim}`);
  if (hidden.some((u) => !Number.isInteger(u) || u < 1))
    throw new Error(`reverse network: hiddenUnits must be positive integers, got ${JSON.stringify(hidden)}`);
  const seeds = new LayerSeeds(options.seed ?? 0);
  const activation = options.activation ?? 'relu';
  const inp = tf.input({ shape: [observationDim], name: 'observations' });
  let x: tf.SymbolicTensor = inp;
  hidden.forEach((units, i) => {
    x = tf.layers
      .dense({ units, activation, kernelInitializer: activation === 'relu' ? seeds.he() : seeds.glorot(), name: `reverse_hidden_${i}` })
      .apply(x) as tf.SymbolicTensor;
  });
  const out = tf.layers
    .dense({ units: parameterDim, activation: options.output === 'logits' ? 'linear' : 'sigmoid', kernelInitializer: seeds.glorot(), name: 'reverse_params' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out, name: 'tnna_reverse' });
}
