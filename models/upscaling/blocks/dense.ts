/** Dense layer along the last axis of a tensor of any rank (PyTorch `nn.Linear` semantics). */
import { tf } from '../../tf.js';
import type { DenseParams } from '../parameter-set.js';

export function denseLastAxis<T extends tf.Tensor>(x: T, p: DenseParams): T {
  const shape = x.shape;
  const inF = shape[shape.length - 1];
  const outF = p.w.shape[1] as number;
  const flat = x.reshape([-1, inF]) as tf.Tensor2D;
  const y = tf.fused.matMul({ a: flat, b: p.w, bias: p.b ?? undefined });
  return y.reshape([...shape.slice(0, -1), outF]) as T;
}
