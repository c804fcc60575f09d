/**
 * 2-D slices of stored tensors: `slice2d` picks the last two axes of an `.npy` array at fixed
 * leading indices (e.g. sample 3, channel 0 of an [N, C, H, W] field); `renderSlicePng` draws it as
 * a map with a labelled colour bar (the report's heatmap figure).
 */
import type { NpyArray } from '../artifacts/npy.js';
import { heatmap } from '../report/figures/heatmap.js';
import { renderSvg, svgToPng } from '../report/figures/render-figure.js';
import { ApiError } from './api-error.js';

export interface Slice2d {
  shape: number[];
  at: number[];
  rows: number;
  cols: number;
  /** Row-major values, rows * cols. */
  values: number[];
  min: number;
  max: number;
}

export function slice2d(arr: NpyArray, at: number[] = []): Slice2d {
  const shape = arr.shape.length === 1 ? [1, arr.shape[0]] : arr.shape;
  const lead = shape.slice(0, -2);
  const idx = lead.map((_, k) => at[k] ?? 0);
  if (at.length > lead.length)
    throw new ApiError(400, 'bad_request', `at: this tensor of shape [${arr.shape.join(',')}] takes at most ${lead.length} leading indices, got ${at.length}`);
  idx.forEach((v, k) => {
    if (!Number.isInteger(v) || v < 0 || v >= lead[k])
      throw new ApiError(400, 'bad_request', `at[${k}]: index ${v} is outside 0..${lead[k] - 1} for shape [${arr.shape.join(',')}]`);
  });
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  let offset = 0;
  for (let k = 0; k < lead.length; k++) offset = offset * lead[k] + idx[k];
  offset *= rows * cols;
  const values = Array.from(arr.data.subarray(offset, offset + rows * cols), Number);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { shape: arr.shape, at: idx, rows, cols, values, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0 };
}

/**
 * The slice as a PNG map with the report's heatmap (report/figures/heatmap.ts): cells square, so a
 * 10 x 200 grid over a 1 m x 20 m domain keeps its 1:20 aspect ratio; a colour bar labelled with
 * the values at both ends (and `unit`); `log` colours by log10.
 */
export function renderSlicePng(s: Slice2d, title: string, opts: { log?: boolean; unit?: string } = {}): Buffer {
  const wide = s.cols > s.rows;
  const figure = heatmap({
    title,
    panels: [{ title: `${s.rows} x ${s.cols} cells`, rows: s.rows, cols: s.cols, values: s.values, log: opts.log, unit: opts.unit }],
    // No block-averaging of typical grids (it would change the cells' aspect ratio).
    maxCells: 400,
    panelWidth: wide ? 960 : 480,
  });
  return svgToPng(renderSvg(figure), 1);
}
