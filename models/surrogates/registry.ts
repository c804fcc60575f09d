/**
 * One entry point for the neural surrogates: `buildSurrogate('fcdnn' | 'lenet' | 'resnet' | 'unet', input,
 * outputDim, options)`, where `input` is a vector length (parameter vector) or an image shape
 * `[height, width, channels]` (field). MSVR is not a TF.js model and lives in `inversion/msvr`.
 */
import { buildFcdnn, type FcdnnOptions } from './fcdnn.js';
import { buildLenet, type LenetOptions } from './lenet.js';
import { buildResnet, type ResnetOptions } from './resnet.js';
import { buildUnet, type UnetOptions } from './unet.js';
import type { SurrogateInputSpec } from './surrogate-input.js';
import type { Surrogate, SurrogateArch } from './surrogate.js';

export interface SurrogateOptionsByArch {
  fcdnn: FcdnnOptions;
  lenet: LenetOptions;
  resnet: ResnetOptions;
  unet: UnetOptions;
}

export const SURROGATE_ARCHS: readonly SurrogateArch[] = ['fcdnn', 'lenet', 'resnet', 'unet'];

export function buildSurrogate<A extends SurrogateArch>(
  arch: A,
  input: SurrogateInputSpec,
  outputDim: number,
  options: SurrogateOptionsByArch[A] = {},
): Surrogate {
  switch (arch) {
    case 'fcdnn':
      return buildFcdnn(input, outputDim, options);
    case 'lenet':
      return buildLenet(input, outputDim, options);
    case 'resnet':
      return buildResnet(input, outputDim, options);
    case 'unet':
      return buildUnet(input, outputDim, options);
    default:
      throw new Error(`unknown surrogate arch '${String(arch)}': use one of ${SURROGATE_ARCHS.join(', ')} (msvr lives in inversion/msvr)`);
  }
}
