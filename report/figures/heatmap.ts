/**
 * Side-by-side 2-D maps (e.g. truth | prediction | error) with one colour bar each. Large grids are
 * block-averaged to at most `maxCells` per side so the SVG stays small; row 0 is drawn at the top
 * (image convention, as the arrays are stored).
 */
import type { Figure } from './render-figure.js';
import { DIVERGING, VIRIDIS } from './palette.js';
import { tickLabel } from './tick-label.js';

export interface HeatmapPanel {
  title: string;
  rows: number;
  cols: number;
  /** Row-major values, rows * cols. */
  values: ArrayLike<number>;
  /** Colour range; default the panel's finite min..max (diverging: symmetric about 0). */
  range?: [number, number];
  diverging?: boolean;
  /** Colour by log10 of the values (non-positive cells grey); the colour bar is labelled in the values' own units. */
  log?: boolean;
  /** Colour-bar caption (the quantity and its unit). */
  unit?: string;
}

export interface HeatmapInput {
  title: string;
  panels: HeatmapPanel[];
  maxCells?: number;
  panelWidth?: number;
  height?: number;
}

/** Block-average a rows x cols grid to at most max x max cells (NaN cells ignored). */
function downsampleGrid(values: ArrayLike<number>, rows: number, cols: number, max: number): { rows: number; cols: number; values: Float64Array } {
  const fr = Math.max(1, Math.ceil(rows / max));
  const fc = Math.max(1, Math.ceil(cols / max));
  const r2 = Math.ceil(rows / fr);
  const c2 = Math.ceil(cols / fc);
  const out = new Float64Array(r2 * c2);
  for (let i = 0; i < r2; i++) {
    for (let j = 0; j < c2; j++) {
      let s = 0;
      let n = 0;
      for (let a = i * fr; a < Math.min(rows, (i + 1) * fr); a++) {
        for (let b = j * fc; b < Math.min(cols, (j + 1) * fc); b++) {
          const v = Number(values[a * cols + b]);
          if (Number.isFinite(v)) {
            s += v;
            n++;
          }
        }
      }
      out[i * c2 + j] = n > 0 ? s / n : NaN;
    }
  }
  return { rows: r2, cols: c2, values: out };
}

export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

export function heatmap(input: HeatmapInput): Figure {
  const k = input.panels.length;
  const panelWidth = input.panelWidth ?? 330;
  const max = input.maxCells ?? 64;
  const width = panelWidth * k;
  const colourBarWidth = 70;
  const availW = panelWidth - colourBarWidth - 24;
  // Default height: the tallest panel's aspect ratio at full panel width, within 240..520 px.
  const aspect = Math.max(...input.panels.map((p) => p.rows / Math.max(1, p.cols)));
  const height = input.height ?? Math.round(Math.min(520, Math.max(260, 110 + availW * aspect)));
  const grids: Record<string, unknown>[] = [];
  const xAxes: Record<string, unknown>[] = [];
  const yAxes: Record<string, unknown>[] = [];
  const visualMaps: Record<string, unknown>[] = [];
  const series: Record<string, unknown>[] = [];
  const titles: Record<string, unknown>[] = [{ text: input.title, left: 'center', top: 4, textStyle: { fontSize: 15 } }];
  input.panels.forEach((p, i) => {
    const source = p.log
      ? Float64Array.from({ length: p.values.length }, (_, k) => (Number(p.values[k]) > 0 ? Math.log10(Number(p.values[k])) : NaN))
      : p.values;
    const g = downsampleGrid(source, p.rows, p.cols, max);
    let [lo, hi] = p.range ?? finiteRange(g.values);
    if (p.diverging && !p.range) {
      const m = Math.max(Math.abs(lo), Math.abs(hi));
      [lo, hi] = [-m, m];
    }
    if (hi <= lo) hi = lo + 1;
    // Keep the cells square-ish: fit the grid into the panel minus the colour bar.
    const availH = height - 100;
    const cell = Math.min(availW / g.cols, availH / g.rows);
    const gw = cell * g.cols;
    const gh = cell * g.rows;
    const left = i * panelWidth + 16;
    const barHeight = Math.min(200, Math.max(60, gh - 44));
    const top = 66 + (availH - gh) / 2;
    grids.push({ left, top, width: gw, height: gh });
    xAxes.push({
      type: 'category',
      gridIndex: i,
      data: Array.from({ length: g.cols }, (_, c) => c),
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { show: false },
    });
    yAxes.push({
      type: 'category',
      gridIndex: i,
      inverse: true,
      data: Array.from({ length: g.rows }, (_, r) => r),
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { show: false },
    });
    visualMaps.push({
      type: 'continuous',
      seriesIndex: i,
      min: lo,
      max: hi,
      calculable: false,
      orient: 'vertical',
      left: left + gw + 8,
      // The bar plus its two end labels (~22 px each) spans the grid's height.
      top: top + Math.max(-20, (gh - barHeight - 44) / 2),
      itemHeight: barHeight,
      itemWidth: 12,
      text: p.log ? [tickLabel(10 ** hi), tickLabel(10 ** lo)] : [tickLabel(hi), tickLabel(lo)],
      textStyle: { fontSize: 11 },
      inRange: { color: p.diverging ? DIVERGING : VIRIDIS },
      outOfRange: { color: '#cccccc' },
    });
    titles.push({ text: p.title, left: left + gw / 2, top: Math.max(32, top - 24), textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal' } });
    if (p.unit || p.log) {
      titles.push({
        text: `${p.unit ?? ''}${p.log ? ' (log scale)' : ''}`.trim(),
        left: left + gw + 8,
        top: Math.max(32, top - 24),
        textStyle: { fontSize: 11, fontWeight: 'normal', color: '#555' },
      });
    }
    const data: [number, number, number | '-'][] = [];
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < g.cols; c++) {
        const v = g.values[r * g.cols + c];
        data.push([c, r, Number.isFinite(v) ? v : '-']);
      }
    }
    series.push({ type: 'heatmap', name: p.title, xAxisIndex: i, yAxisIndex: i, data, progressive: 0 });
  });
  return {
    width,
    height,
    option: { title: titles, grid: grids, xAxis: xAxes, yAxis: yAxes, visualMap: visualMaps, series },
  };
}
