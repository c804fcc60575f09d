/** Line chart of (x, y) series on value axes, optional log10 y axis, dashed series, legend on top. */
import type { Figure } from './render-figure.js';
import { seriesColor } from './palette.js';
import { tickLabel } from './tick-label.js';

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /** Colour index into the palette (default: the series' position). */
  colorIndex?: number;
}

export interface LineChartInput {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  yLog?: boolean;
  width?: number;
  height?: number;
  /** Most points drawn per series (evenly thinned beyond it, first and last kept). */
  maxPoints?: number;
}

function thin(x: ArrayLike<number>, y: ArrayLike<number>, max: number): [number, number][] {
  const n = Math.min(x.length, y.length);
  const step = n > max ? (n - 1) / (max - 1) : 1;
  const out: [number, number][] = [];
  const count = n > max ? max : n;
  for (let k = 0; k < count; k++) {
    const i = Math.round(k * step);
    out.push([Number(x[i]), Number(y[i])]);
  }
  return out;
}

export function lineChart(input: LineChartInput): Figure {
  const maxPoints = input.maxPoints ?? 400;
  const legendRows = Math.ceil(input.series.length / 4);
  const top = 48 + 20 * legendRows;
  return {
    width: input.width ?? 760,
    height: input.height ?? 440,
    option: {
      title: { text: input.title, left: 'center', textStyle: { fontSize: 15 } },
      legend: { top: 34, type: 'plain', itemGap: 22, data: input.series.map((s) => s.name) },
      grid: { left: 80, right: 30, top: top + 16, bottom: 56 },
      xAxis: { type: 'value', name: input.xLabel, nameLocation: 'middle', nameGap: 30, scale: true },
      yAxis: {
        type: input.yLog ? 'log' : 'value',
        name: input.yLabel,
        nameLocation: 'middle',
        nameGap: 62,
        scale: true,
        axisLabel: { formatter: (v: number) => tickLabel(v) },
      },
      series: input.series.map((s, k) => ({
        type: 'line',
        name: s.name,
        data: thin(s.x, s.y, maxPoints).filter(([, v]) => Number.isFinite(v) && (!input.yLog || v > 0)),
        showSymbol: false,
        color: seriesColor(s.colorIndex ?? k),
        lineStyle: { width: 2, type: s.dashed ? 'dashed' : 'solid' },
      })),
    },
  };
}
