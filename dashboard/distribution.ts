/**
 * Monte-Carlo output distributions: histogram (Freedman-Diaconis bin width, 10..60 bins) and
 * quantiles (linear interpolation between order statistics, numpy's default) of a numeric sample.
 */
import { describeSorted, equalWidthBins, freedmanDiaconisBins, quantileSorted } from '../numerics/statistics.js';

export interface Distribution {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  quantiles: { q: number; value: number }[];
  bins: { from: number; to: number; count: number }[];
}

export function distribution(values: number[], qs = [0.05, 0.25, 0.5, 0.75, 0.95]): Distribution | null {
  const x = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return null;
  const { mean, std, min, max } = describeSorted(x);
  const { edges, counts } = max > min ? equalWidthBins(x, freedmanDiaconisBins(x), min, max) : { edges: [min, max], counts: [n] };
  const bins = counts.map((count, k) => ({ from: edges[k], to: k === counts.length - 1 ? max : edges[k + 1], count }));
  return { n, mean, std, min, max, quantiles: qs.map((q) => ({ q, value: quantileSorted(x, q) ?? NaN })), bins };
}
