/** Inverted dropout with a seed drawn from the training Rng (deterministic masks per seed). */
import { tf } from '../../tf.js';
import type { ApplyContext } from '../model.js';

export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: ApplyContext): T {
  if (!ctx.training || rate <= 0) return x;
  if (!ctx.rng) throw new Error('dropout while training needs ctx.rng');
  return tf.dropout(x, rate, undefined, ctx.rng.uint32()) as T;
}
