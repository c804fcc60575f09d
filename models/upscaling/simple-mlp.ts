/** Simple MLP: one dense layer W -> scale*W along the last axis (linear). */
import type { Rng } from '../../numerics/rng.js';
import { denseLastAxis } from './blocks/dense.js';
import { FunctionalModel, type ModelShape, type UpscalingModel } from './model.js';
import type { ResolvedModelOptions } from './model-options.js';
import { ParameterSet } from './parameter-set.js';

export function buildSimpleMlp(shape: ModelShape, o: ResolvedModelOptions, rng: Rng): UpscalingModel {
  if (o.scaleH !== 1) throw new Error(`simple_mlp refines along W only: option 'scaleH' must be 1, got ${o.scaleH}`);
  const params = new ParameterSet(rng);
  const fc = params.dense('fc1', shape.w, shape.w * o.scale);
  const c = o.variables * shape.t;
  return new FunctionalModel('simple_mlp', shape, o, [c, shape.h, shape.w], [c, shape.h, shape.w * o.scale], params.entries, (x) => denseLastAxis(x, fc));
}
