/**
 * Repeat-interleave along H (axis 2) or W (axis 3) of `[b, c, h, w]`: each row/column is repeated
 * `factor` times in place (torch.repeat_interleave). Built from reshape + tile (no gather, whose
 * gradient needs UnsortedSegmentSum).
 */
import { tf } from '../../tf.js';

export function repeatInterleave(x: tf.Tensor4D, axis: 2 | 3, factor: number): tf.Tensor4D {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`repeatInterleave: factor must be a positive integer, got ${factor}`);
  if (factor === 1) return x;
  const [b, c, h, w] = x.shape;
  if (axis === 3) {
    return x
      .reshape([b, c, h, w, 1])
      .tile([1, 1, 1, 1, factor])
      .reshape<tf.Tensor4D>([b, c, h, w * factor]);
  }
  return x
    .reshape([b, c, h, 1, w])
    .tile([1, 1, 1, factor, 1])
    .reshape<tf.Tensor4D>([b, c, h * factor, w]);
}
