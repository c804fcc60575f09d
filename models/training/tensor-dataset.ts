/**
 * Paired training data as flat float32 arrays: inputs `[n, c, h, w]`, targets `[n, c, H, W]`
 * (c = variables * t). Validation of shapes against a model, and normalised batch assembly.
 */
import { tf } from '../tf.js';
import { transformSamples, type MinMaxNormalisation } from './normalisation.js';

type Shape4 = [number, number, number, number];

export interface TensorData {
  x: Float32Array;
  y: Float32Array;
  shapeX: Shape4;
  shapeY: Shape4;
}

export function validateTensorData(name: string, d: TensorData, inputShape: readonly number[], outputShape: readonly number[]): void {
  if (!d || !(d.x instanceof Float32Array) || !(d.y instanceof Float32Array)) throw new Error(`${name}: x and y must be Float32Arrays`);
  const sizeX = d.shapeX?.reduce((a, b) => a * b, 1);
  const sizeY = d.shapeY?.reduce((a, b) => a * b, 1);
  if (d.shapeX?.length !== 4 || sizeX !== d.x.length)
    throw new Error(`${name}.shapeX [${d.shapeX?.join(',')}] must be [n, c, h, w] matching x.length ${d.x.length}`);
  if (d.shapeY?.length !== 4 || sizeY !== d.y.length)
    throw new Error(`${name}.shapeY [${d.shapeY?.join(',')}] must be [n, c, H, W] matching y.length ${d.y.length}`);
  if (d.shapeX[0] !== d.shapeY[0]) throw new Error(`${name}: x has ${d.shapeX[0]} samples but y has ${d.shapeY[0]}`);
  if (d.shapeX[0] < 1) throw new Error(`${name}: no samples`);
  const ix = d.shapeX.slice(1).join(',');
  const oy = d.shapeY.slice(1).join(',');
  if (ix !== inputShape.join(','))
    throw new Error(`${name}.shapeX per sample [${ix}] does not match the model input [${inputShape.join(',')}] (variables*t, h, w)`);
  if (oy !== outputShape.join(',')) throw new Error(`${name}.shapeY per sample [${oy}] does not match the model output [${outputShape.join(',')}]`);
}

/** Normalised batch tensors for samples `indices[from .. from+count)`. */
export function makeBatch(
  d: TensorData,
  indices: ArrayLike<number>,
  from: number,
  count: number,
  norm: MinMaxNormalisation,
  withTargets = true,
): { x: tf.Tensor4D; y: tf.Tensor4D | null } {
  const sx: [number, number, number] = [d.shapeX[1], d.shapeX[2], d.shapeX[3]];
  const sy: [number, number, number] = [d.shapeY[1], d.shapeY[2], d.shapeY[3]];
  const bx = transformSamples(d.x, sx, from, count, norm, new Float32Array(count * sx[0] * sx[1] * sx[2]), false, indices);
  const x = tf.tensor4d(bx, [count, ...sx]);
  if (!withTargets) return { x, y: null };
  const by = transformSamples(d.y, sy, from, count, norm, new Float32Array(count * sy[0] * sy[1] * sy[2]), false, indices);
  return { x, y: tf.tensor4d(by, [count, ...sy]) };
}
