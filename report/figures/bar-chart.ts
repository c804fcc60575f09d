/**
 * Grouped bar chart with symmetric error bars (e.g. Sobol indices +- bootstrap half-widths), and
 * optional reference markers per category (e.g. analytic values) drawn as diamonds on the bars.
 * Error bars are a custom series per bar series, placed with `api.barLayout` so they sit on the
 * centre of their bar.
 */
import type { Figure } from './render-figure.js';
import { seriesColor } from './palette.js';
import { tickLabel } from './tick-label.js';

interface BarSeries {
  name: string;
  values: number[];
  /** Half-widths of the error bars (same length as values); omit for none. */
  errors?: number[];
}

export interface BarChartInput {
  title: string;
  categories: string[];
  series: BarSeries[];
  /** Reference values per series name (e.g. analytic S1 for series 'S1'), drawn as markers. */
  references?: { name: string; forSeries: string; values: number[] }[];
  yLabel: string;
  xLabel?: string;
  width?: number;
  height?: number;
}

const BAR_GAP = '20%';
const CATEGORY_GAP = '30%';

interface CustomApi {
  value(dim: number): number;
  coord(v: [number, number]): [number, number];
  barLayout(opt: { count: number; barGap?: string; barCategoryGap?: string }): { offsetCenter: number; width: number }[];
}

export function barChart(input: BarChartInput): Figure {
  const n = input.series.length;
  const seriesOption: Record<string, unknown>[] = input.series.map((s, k) => ({
    type: 'bar',
    name: s.name,
    data: s.values,
    color: seriesColor(k),
    barGap: BAR_GAP,
    barCategoryGap: CATEGORY_GAP,
  }));
  input.series.forEach((s, k) => {
    if (!s.errors) return;
    const data = s.values.map((v, i) => [i, v - s.errors![i], v + s.errors![i]]);
    seriesOption.push({
      type: 'custom',
      name: `${s.name} error`,
      data,
      z: 10,
      encode: { x: 0, y: [1, 2] },
      renderItem: (_params: unknown, api: CustomApi) => {
        const i = api.value(0);
        const layout = api.barLayout({ count: n, barGap: BAR_GAP, barCategoryGap: CATEGORY_GAP })[k];
        const lo = api.coord([i, api.value(1)]);
        const hi = api.coord([i, api.value(2)]);
        const x = lo[0] + layout.offsetCenter;
        const half = Math.max(3, layout.width * 0.25);
        const style = { stroke: '#222222', lineWidth: 1.5 };
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1: x, y1: lo[1], x2: x, y2: hi[1] }, style },
            { type: 'line', shape: { x1: x - half, y1: lo[1], x2: x + half, y2: lo[1] }, style },
            { type: 'line', shape: { x1: x - half, y1: hi[1], x2: x + half, y2: hi[1] }, style },
          ],
        };
      },
    });
  });
  for (const ref of input.references ?? []) {
    const k = input.series.findIndex((s) => s.name === ref.forSeries);
    if (k < 0) continue;
    seriesOption.push({
      type: 'custom',
      name: ref.name,
      data: ref.values.map((v, i) => [i, v]),
      z: 11,
      color: '#000000',
      encode: { x: 0, y: 1 },
      renderItem: (_params: unknown, api: CustomApi) => {
        const layout = api.barLayout({ count: n, barGap: BAR_GAP, barCategoryGap: CATEGORY_GAP })[k];
        const [x0, y] = api.coord([api.value(0), api.value(1)]);
        const x = x0 + layout.offsetCenter;
        const r = 6;
        return {
          type: 'polygon',
          shape: {
            points: [
              [x, y - r],
              [x + r, y],
              [x, y + r],
              [x - r, y],
            ],
          },
          style: { fill: '#000000', stroke: '#ffffff', lineWidth: 1 },
        };
      },
    });
  }
  const refNames = [...new Set((input.references ?? []).map((r) => r.name))];
  const legend = [...input.series.map((s) => ({ name: s.name })), ...refNames.map((name) => ({ name, icon: 'diamond' }))];
  return {
    width: input.width ?? Math.max(560, 120 + input.categories.length * 36 * Math.max(1, n)),
    height: input.height ?? 420,
    option: {
      title: { text: input.title, left: 'center', textStyle: { fontSize: 15 } },
      legend: { top: 34, data: legend },
      grid: { left: 80, right: 30, top: 84, bottom: 60 },
      xAxis: { type: 'category', data: input.categories, name: input.xLabel ?? '', nameLocation: 'middle', nameGap: 34, axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: input.yLabel, nameLocation: 'middle', nameGap: 56, axisLabel: { formatter: (v: number) => tickLabel(v) } },
      series: seriesOption,
    },
  };
}
