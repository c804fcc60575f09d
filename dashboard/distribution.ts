/**
 * Monte-Carlo output distributions: histogram (Freedman-Diaconis bin width, 10..60 bins) and
 * quantiles (linear interpolation between order statistics, numpy's default) of a numeric sample.
 */
export interface Distribution {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  quantiles: { q: number; value: number }[];
  bins: { from: number; to: number; count: number }[];
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function distribution(values: number[], qs = [0.05, 0.25, 0.5, 0.75, 0.95]): Distribution | null {
  const x = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return null;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const min = x[0]!;
  const max = x[n - 1]!;
  const iqr = quantile(x, 0.75) - quantile(x, 0.25);
  const fd = iqr > 0 ? 2 * iqr * n ** (-1 / 3) : 0;
  const nb = max > min ? Math.min(60, Math.max(10, fd > 0 ? Math.ceil((max - min) / fd) : 10)) : 1;
  const width = max > min ? (max - min) / nb : 1;
  const bins = Array.from({ length: nb }, (_, k) => ({ from: min + k * width, to: k === nb - 1 ? max : min + (k + 1) * width, count: 0 }));
  for (const v of x) bins[Math.min(nb - 1, Math.floor((v - min) / width))]!.count++;
  return { n, mean, std, min, max, quantiles: qs.map((q) => ({ q, value: quantile(x, q) })), bins };
}
