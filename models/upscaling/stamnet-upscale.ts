/** STAMNet-Upscale: the optimal MLP with STAM after the first layer (then dropout). */
import type { Rng } from '../../numerics/rng.js';
import type { ModelShape, UpscalingModel } from './model.js';
import type { ResolvedModelOptions } from './model-options.js';
import { buildMlpFamily } from './optimal-mlp.js';

export function buildStamnetUpscale(shape: ModelShape, o: ResolvedModelOptions, rng: Rng): UpscalingModel {
  return buildMlpFamily('stamnet_upscale', shape, o, rng, 'stam');
}
