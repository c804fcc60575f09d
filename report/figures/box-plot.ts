/**
 * Grouped box plots: one box per (category, group), e.g. per parameter (category) and method
 * (group). Boxes are Tukey's: quartiles by linear interpolation (numpy's default), whiskers at the
 * most extreme data within 1.5 IQR of the box; points beyond are outliers, counted by `boxStats`
 * but not drawn.
 */
import type { Figure } from './render-figure.js';
import { seriesColor } from './palette.js';
import { tickLabel } from './tick-label.js';

interface BoxStats {
  n: number;
  whiskerLow: number;
  q1: number;
  median: number;
  q3: number;
  whiskerHigh: number;
  outliers: number;
}

function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function boxStats(values: readonly number[]): BoxStats | null {
  const x = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (x.length === 0) return null;
  const q1 = quantileSorted(x, 0.25);
  const q3 = quantileSorted(x, 0.75);
  const iqr = q3 - q1;
  const inside = x.filter((v) => v >= q1 - 1.5 * iqr && v <= q3 + 1.5 * iqr);
  return {
    n: x.length,
    whiskerLow: inside[0],
    q1,
    median: quantileSorted(x, 0.5),
    q3,
    whiskerHigh: inside[inside.length - 1],
    outliers: x.length - inside.length,
  };
}

export interface BoxPlotInput {
  title: string;
  categories: string[];
  /** values[g][c]: the sample of group g in category c. */
  groups: { name: string; values: number[][] }[];
  yLabel: string;
  xLabel?: string;
  width?: number;
  height?: number;
}

export function boxPlot(input: BoxPlotInput): Figure {
  const nBoxes = input.categories.length * Math.max(1, input.groups.length);
  return {
    width: input.width ?? Math.min(1400, Math.max(640, 140 + nBoxes * 28)),
    height: input.height ?? 420,
    option: {
      title: { text: input.title, left: 'center', textStyle: { fontSize: 15 } },
      legend: { top: 34, data: input.groups.map((g) => g.name) },
      grid: { left: 80, right: 30, top: 84, bottom: 60 },
      xAxis: { type: 'category', data: input.categories, name: input.xLabel ?? '', nameLocation: 'middle', nameGap: 34, axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: input.yLabel, nameLocation: 'middle', nameGap: 56, scale: true, axisLabel: { formatter: (v: number) => tickLabel(v) } },
      series: input.groups.map((g, k) => ({
        type: 'boxplot',
        name: g.name,
        color: seriesColor(k),
        itemStyle: { color: `${seriesColor(k)}55`, borderColor: seriesColor(k), borderWidth: 1.5 },
        boxWidth: [6, 40],
        data: input.categories.map((_, c) => {
          const s = boxStats(g.values[c] ?? []);
          return s ? [s.whiskerLow, s.q1, s.median, s.q3, s.whiskerHigh] : ['-', '-', '-', '-', '-'];
        }),
      })),
    },
  };
}
