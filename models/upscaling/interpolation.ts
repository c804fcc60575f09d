/**
 * Interpolation baseline (no parameters): repeat each column `scale` times along W and each row
 * `scaleH` times along H. Its error is a proxy for the 1x-vs-10x difference.
 */
import { FunctionalModel, type ModelShape, type UpscalingModel } from './model.js';
import type { ResolvedModelOptions } from './model-options.js';
import { repeatInterleave } from './blocks/repeat-interleave.js';

export function buildInterpolation(shape: ModelShape, o: ResolvedModelOptions): UpscalingModel {
  const c = o.variables * shape.t;
  return new FunctionalModel('interpolation', shape, o, [c, shape.h, shape.w], [c, shape.h * o.scaleH, shape.w * o.scale], [], (x) =>
    repeatInterleave(repeatInterleave(x, 3, o.scale), 2, o.scaleH),
  );
}
