/**
 * STAMNet-Upsample (paper Fig. 5c), refining H by `scaleH` and W by `scale` (2 and 2):
 *   repeat-interleave along H and W -> [b, c, H, W]
 *   dense W -> mW*W (SiLU) -> STAM -> dropout -> dense mW*W -> W (SiLU)
 *   permute to [b, c, W, H] -> dense H -> mH*H (SiLU) -> dense mH*H -> H (linear) -> permute back
 * with [mW, mH] = `hiddenMultipliers` (Plume default [2, 2]; the paper's figure gives the layer
 * order, the widths are options).
 */
import type { Rng } from '../../numerics/rng.js';
import { tf } from '../tf.js';
import { silu } from './blocks/activations.js';
import { denseLastAxis } from './blocks/dense.js';
import { dropout } from './blocks/dropout.js';
import { repeatInterleave } from './blocks/repeat-interleave.js';
import { applyStam, createStam } from './blocks/stam.js';
import { FunctionalModel, type ApplyContext, type ModelShape, type UpscalingModel } from './model.js';
import { widthOf, type ResolvedModelOptions } from './model-options.js';
import { ParameterSet } from './parameter-set.js';

export function buildStamnetUpsample(shape: ModelShape, o: ResolvedModelOptions, rng: Rng): UpscalingModel {
  const c = o.variables * shape.t;
  const H = shape.h * o.scaleH;
  const W = shape.w * o.scale;
  const hw = widthOf(W, o.hiddenMultipliers[0]);
  const hh = widthOf(H, o.hiddenMultipliers[1]);
  const params = new ParameterSet(rng);
  const fw1 = params.dense('w_fc1', W, hw);
  const stam = createStam(params, 'stam', c, H, hw, o.stam!);
  const fw2 = params.dense('w_fc2', hw, W);
  const fh1 = params.dense('h_fc1', H, hh);
  const fh2 = params.dense('h_fc2', hh, H);
  const forward = (x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D => {
    let z = repeatInterleave(repeatInterleave(x, 2, o.scaleH), 3, o.scale);
    z = silu(denseLastAxis(z, fw1));
    z = applyStam(z, stam, ctx);
    z = dropout(z, o.dropout, ctx);
    z = silu(denseLastAxis(z, fw2));
    z = z.transpose([0, 1, 3, 2]);
    z = silu(denseLastAxis(z, fh1));
    z = denseLastAxis(z, fh2);
    return z.transpose([0, 1, 3, 2]);
  };
  return new FunctionalModel('stamnet_upsample', shape, o, [c, shape.h, shape.w], [c, H, W], params.entries, forward);
}
