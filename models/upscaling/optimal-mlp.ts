/**
 * Optimal MLP (paper Fig. 5a), dense layers along W:
 *   W -> m1*W (SiLU) [attention] -> dropout -> m2*W (SiLU) -> m3*W (SiLU) -> scale*W (linear)
 * with (m1, m2, m3) = `hiddenMultipliers`, paper [10, 40, 10] (200->2000->8000->2000->2000).
 * `firstLayer: 'repeat'` replaces the first dense layer by a repeat-interleave by m1 (ablation).
 * MLP+ECA and STAMNet-Upscale are this network with ECA / STAM after the first layer.
 */
import type { Rng } from '../../numerics/rng.js';
import { tf } from '../tf.js';
import { silu } from './blocks/activations.js';
import { denseLastAxis } from './blocks/dense.js';
import { dropout } from './blocks/dropout.js';
import { applyEca, createEca } from './blocks/eca.js';
import { repeatInterleave } from './blocks/repeat-interleave.js';
import { applyStam, createStam } from './blocks/stam.js';
import { FunctionalModel, type ApplyContext, type ModelShape, type UpscalingArch, type UpscalingModel } from './model.js';
import { widthOf, type ResolvedModelOptions } from './model-options.js';
import { ParameterSet } from './parameter-set.js';

export type MlpAttention = 'none' | 'eca' | 'stam';

export function buildMlpFamily(arch: UpscalingArch, shape: ModelShape, o: ResolvedModelOptions, rng: Rng, attention: MlpAttention): UpscalingModel {
  if (o.scaleH !== 1) throw new Error(`${arch} refines along W only: option 'scaleH' must be 1, got ${o.scaleH}`);
  const W = shape.w;
  const c = o.variables * shape.t;
  const [w1, w2, w3] = [widthOf(W, o.hiddenMultipliers[0]), widthOf(W, o.hiddenMultipliers[1]), widthOf(W, o.hiddenMultipliers[2])];
  const params = new ParameterSet(rng);
  const fc1 = o.firstLayer === 'dense' ? params.dense('fc1', W, w1) : null;
  const eca = attention === 'eca' ? createEca(params, 'eca', o.ecaKernelSize) : null;
  const stam = attention === 'stam' ? createStam(params, 'stam', c, shape.h, w1, o.stam!) : null;
  const fc2 = params.dense('fc2', w1, w2);
  const fc3 = params.dense('fc3', w2, w3);
  const fc4 = params.dense('fc4', w3, W * o.scale);
  const forward = (x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D => {
    let h = fc1 ? silu(denseLastAxis(x, fc1)) : repeatInterleave(x, 3, o.hiddenMultipliers[0]);
    if (eca) h = applyEca(h, eca);
    if (stam) h = applyStam(h, stam, ctx);
    h = dropout(h, o.dropout, ctx);
    h = silu(denseLastAxis(h, fc2));
    h = silu(denseLastAxis(h, fc3));
    return denseLastAxis(h, fc4);
  };
  return new FunctionalModel(arch, shape, o, [c, shape.h, W], [c, shape.h, W * o.scale], params.entries, forward);
}

export function buildOptimalMlp(shape: ModelShape, o: ResolvedModelOptions, rng: Rng): UpscalingModel {
  return buildMlpFamily('optimal_mlp', shape, o, rng, 'none');
}
