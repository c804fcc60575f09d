/** MLP + ECA: the optimal MLP with efficient channel attention (across time) after the first layer. */
import type { Rng } from '../../numerics/rng.js';
import type { ModelShape, UpscalingModel } from './model.js';
import type { ResolvedModelOptions } from './model-options.js';
import { buildMlpFamily } from './optimal-mlp.js';

export function buildMlpEca(shape: ModelShape, o: ResolvedModelOptions, rng: Rng): UpscalingModel {
  return buildMlpFamily('mlp_eca', shape, o, rng, 'eca');
}
