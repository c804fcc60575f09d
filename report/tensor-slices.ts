/** Reading `.npy` tensors for figures: per-step spatial means and 2-D slices over the last two axes. */
import type { NpyArray } from '../artifacts/npy.js';

/** Mean over the last two axes for every leading index: [t, h, w] -> t values. */
export function spatialMeanSeries(arr: NpyArray): number[] {
  const shape = arr.shape;
  const hw = shape.length >= 2 ? shape[shape.length - 2] * shape[shape.length - 1] : arr.data.length;
  const steps = hw > 0 ? Math.floor(arr.data.length / hw) : 0;
  const out: number[] = [];
  for (let k = 0; k < steps; k++) {
    let s = 0;
    for (let i = 0; i < hw; i++) s += arr.data[k * hw + i];
    out.push(s / hw);
  }
  return out;
}

export interface Slice {
  rows: number;
  cols: number;
  values: Float64Array;
}

/** The 2-D slice over the last two axes at flat leading index `at` (negative counts from the end). */
export function sliceAt(arr: NpyArray, at = -1): Slice {
  const shape = arr.shape.length === 1 ? [1, arr.shape[0]] : arr.shape;
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  const lead = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const k = at < 0 ? lead + at : at;
  if (k < 0 || k >= lead) throw new Error(`slice index ${at} is outside the ${lead} leading entries of a tensor of shape [${arr.shape.join(',')}]`);
  return { rows, cols, values: Float64Array.from(arr.data.subarray(k * rows * cols, (k + 1) * rows * cols)) };
}

/** Element-wise a - b of two slices of equal shape. */
export function sliceDifference(a: Slice, b: Slice): Slice {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`cannot subtract a ${b.rows}x${b.cols} map from a ${a.rows}x${a.cols} map`);
  return { rows: a.rows, cols: a.cols, values: a.values.map((v, i) => v - b.values[i]) };
}
