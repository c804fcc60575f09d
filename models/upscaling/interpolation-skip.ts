/**
 * Skip connection to the interpolation baseline: the wrapped network's output is added to the
 * repeat-interleave interpolation of its input, so it learns the correction `y - interp(x)` (inputs
 * and targets share one normalisation, so the sum is in the targets' units). The network's output
 * layer (by the builders' convention the last parameters created: `<layer>.weight`, then
 * `<layer>.bias`) starts at zero, so an untrained model is exactly the baseline and training moves
 * away from it only where the training data pull (zero-initialised residual branch).
 */
import { repeatInterleave } from './blocks/repeat-interleave.js';
import { tf } from '../tf.js';
import { FunctionalModel, type UpscalingModel } from './model.js';

export function withInterpolationSkip(model: UpscalingModel): UpscalingModel {
  const o = model.options;
  const params = model.parameters;
  const [weight, bias] = params.slice(-2);
  const outW = model.outputShape[2];
  if (!weight?.name.endsWith('.weight') || !bias?.name.endsWith('.bias') || bias.variable.shape[0] !== weight.variable.shape[1]) {
    throw new Error(`${model.arch}: skip 'interpolation' needs the output layer's weight and bias as the model's last parameters`);
  }
  if (weight.variable.shape[1] !== outW && weight.variable.shape[1] !== model.outputShape[1]) {
    throw new Error(`${model.arch}: the last layer (${weight.name}) does not produce the output width ${outW}`);
  }
  tf.tidy(() => [weight, bias].forEach((p) => p.variable.assign(tf.zerosLike(p.variable))));
  return new FunctionalModel(model.arch, model.shape, o, model.inputShape, model.outputShape, params, (x, ctx) =>
    tf.add(model.apply(x, ctx), repeatInterleave(repeatInterleave(x, 3, o.scale), 2, o.scaleH)),
  );
}
