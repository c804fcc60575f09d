/**
 * Model registry: `buildModel(arch, shape, options)` builds any upscaling architecture with its
 * paper defaults (see `model-options.ts`). Weights are initialised from `Rng(options.seed ?? 0)`.
 */
import { Rng } from '../../numerics/rng.js';
import { buildInterpolation } from './interpolation.js';
import { withInterpolationSkip } from './interpolation-skip.js';
import { UPSCALING_ARCHS, type ModelShape, type UpscalingArch, type UpscalingModel } from './model.js';
import { resolveModelOptions, type ModelOptions, type ResolvedModelOptions } from './model-options.js';
import { buildMlpEca } from './mlp-eca.js';
import { buildOptimalMlp } from './optimal-mlp.js';
import { buildSimpleMlp } from './simple-mlp.js';
import { buildStamnetUpsample } from './stamnet-upsample.js';
import { buildStamnetUpscale } from './stamnet-upscale.js';

export function buildModel(arch: UpscalingArch, shape: ModelShape, options: ModelOptions = {}): UpscalingModel {
  if (!UPSCALING_ARCHS.includes(arch)) throw new Error(`unknown arch '${arch}': use one of ${UPSCALING_ARCHS.join(', ')}`);
  const o = resolveModelOptions(arch, shape, options);
  const model = buildArch(arch, shape, o);
  return o.skip === 'interpolation' ? withInterpolationSkip(model) : model;
}

function buildArch(arch: UpscalingArch, shape: ModelShape, o: ResolvedModelOptions): UpscalingModel {
  const rng = Rng.derive(o.seed, 0x1417);
  switch (arch) {
    case 'interpolation':
      return buildInterpolation(shape, o);
    case 'simple_mlp':
      return buildSimpleMlp(shape, o, rng);
    case 'optimal_mlp':
      return buildOptimalMlp(shape, o, rng);
    case 'mlp_eca':
      return buildMlpEca(shape, o, rng);
    case 'stamnet_upscale':
      return buildStamnetUpscale(shape, o, rng);
    case 'stamnet_upsample':
      return buildStamnetUpsample(shape, o, rng);
  }
}

export { UPSCALING_ARCHS, type ModelShape, type UpscalingArch, type UpscalingModel } from './model.js';
export type { ModelOptions } from './model-options.js';
