/**
 * 2-D slices of stored tensors: `slice2d` picks the last two axes of an `.npy` array at fixed
 * leading indices (e.g. sample 3, channel 0 of an [N, C, H, W] field); `renderSlicePng` draws it as
 * a heatmap with a colour bar through ECharts' server-side SVG renderer, rasterised by resvg.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { NpyArray } from '../artifacts/npy.js';
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
  const shape = arr.shape.length === 1 ? [1, arr.shape[0]!] : arr.shape;
  const lead = shape.slice(0, -2);
  const idx = lead.map((_, k) => at[k] ?? 0);
  if (at.length > lead.length) throw new ApiError(400, 'bad_request', `at: this tensor of shape [${arr.shape}] takes at most ${lead.length} leading indices, got ${at.length}`);
  idx.forEach((v, k) => {
    if (!Number.isInteger(v) || v < 0 || v >= lead[k]!) throw new ApiError(400, 'bad_request', `at[${k}]: index ${v} is outside 0..${lead[k]! - 1} for shape [${arr.shape}]`);
  });
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  let offset = 0;
  for (let k = 0; k < lead.length; k++) offset = offset * lead[k]! + idx[k]!;
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

export function renderSliceSvg(s: Slice2d, title: string, width = 520, height = 440): string {
  const data: [number, number, number][] = [];
  for (let i = 0; i < s.rows; i++) for (let j = 0; j < s.cols; j++) data.push([j, s.rows - 1 - i, s.values[i * s.cols + j]!]);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
      grid: { left: 40, right: 90, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: Array.from({ length: s.cols }, (_, k) => k), axisLabel: { show: false }, axisTick: { show: false } },
      yAxis: { type: 'category', data: Array.from({ length: s.rows }, (_, k) => k), axisLabel: { show: false }, axisTick: { show: false } },
      visualMap: {
        min: s.min,
        max: s.max === s.min ? s.min + 1 : s.max,
        calculable: false,
        orient: 'vertical',
        right: 10,
        top: 'middle',
        precision: 3,
        inRange: { color: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] },
      },
      series: [{ type: 'heatmap', data, progressive: 0 }],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function renderSlicePng(s: Slice2d, title: string): Buffer {
  const svg = renderSliceSvg(s, title);
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true }, background: '#ffffff' }).render().asPng());
}
