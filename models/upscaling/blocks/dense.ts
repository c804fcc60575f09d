/** Dense layer along the last axis of a tensor of any rank (PyTorch `nn.Linear` semantics). */
import { tf } from '../../tf.js';
import type { DenseParams } from '../parameter-set.js';

export function denseLastAxis<R extends tf.Rank>(x: tf.Tensor<R>, p: DenseParams): tf.Tensor<R> {
  const shape = x.shape;
  const inF = shape[shape.length - 1];
  const outF = p.w.shape[1] as number;
  const flat = x.reshape<tf.Tensor2D>([-1, inF]);
  const y = tf.fused.matMul({ a: flat, b: p.w, bias: p.b ?? undefined });
  return y.reshape<tf.Tensor<R>>([...shape.slice(0, -1), outF]);
}
