/**
 * Histogram from precomputed bin edges and counts (as stored in `campaigns.results`), drawn as
 * touching rectangles on a value axis, with vertical quantile markers (p05 ... p95) and optionally a
 * threshold marker (exceedance).
 */
import type { Figure } from './render-figure.js';
import { seriesColor } from './palette.js';
import { tickLabel } from './tick-label.js';

export interface HistogramInput {
  title: string;
  xLabel: string;
  /** Bin edges, length counts.length + 1, increasing. */
  edges: number[];
  counts: number[];
  /** Vertical markers: quantiles and thresholds. */
  markers?: { label: string; value: number; dashed?: boolean }[];
  yLabel?: string;
  width?: number;
  height?: number;
}

interface CustomApi {
  value(dim: number): number;
  coord(v: [number, number]): [number, number];
}

export function histogram(input: HistogramInput): Figure {
  if (input.edges.length !== input.counts.length + 1) {
    throw new Error(`histogram '${input.title}': edges must have counts.length + 1 = ${input.counts.length + 1} entries, got ${input.edges.length}`);
  }
  const bins = input.counts.map((c, i) => [input.edges[i], input.edges[i + 1], c]);
  const markers = input.markers ?? [];
  return {
    width: input.width ?? 640,
    height: input.height ?? 400,
    option: {
      title: { text: input.title, left: 'center', textStyle: { fontSize: 15 } },
      grid: { left: 72, right: 36, top: 64, bottom: 56 },
      xAxis: {
        type: 'value',
        name: input.xLabel,
        nameLocation: 'middle',
        nameGap: 30,
        min: input.edges[0],
        max: input.edges[input.edges.length - 1],
        axisLabel: { formatter: (v: number) => tickLabel(v), hideOverlap: true },
      },
      // axisLine.onZero false: with a negative value range the count axis stays on the left, not at x = 0.
      yAxis: { type: 'value', name: input.yLabel ?? 'count', nameLocation: 'middle', nameGap: 46, minInterval: 1, axisLine: { onZero: false } },
      series: [
        {
          type: 'custom',
          name: 'histogram',
          data: bins,
          encode: { x: [0, 1], y: 2 },
          color: seriesColor(0),
          renderItem: (_params: unknown, api: CustomApi) => {
            const a = api.coord([api.value(0), 0]);
            const b = api.coord([api.value(1), api.value(2)]);
            return {
              type: 'rect',
              shape: { x: a[0], y: b[1], width: Math.max(0.5, b[0] - a[0]), height: a[1] - b[1] },
              style: { fill: seriesColor(0), stroke: '#ffffff', lineWidth: 0.5 },
            };
          },
        },
        {
          type: 'line',
          name: 'markers',
          data: [],
          markLine: {
            symbol: 'none',
            silent: true,
            label: { formatter: '{b}', position: 'end', fontSize: 11 },
            data: markers.map((m) => ({
              name: m.label,
              xAxis: m.value,
              lineStyle: { color: m.dashed ? '#d62728' : '#333333', type: m.dashed ? 'dashed' : 'solid', width: 1.5 },
              // Thresholds are labelled along their line, inside the plot, so they never collide with the quantile labels above it.
              ...(m.dashed ? { label: { formatter: '{b}', position: 'insideEndTop', color: '#d62728', fontSize: 11 } } : {}),
            })),
          },
        },
      ],
    },
  };
}
