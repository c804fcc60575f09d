/**
 * Descriptive statistics, one copy for the whole code base. Order statistics, means and
 * deviations come from d3-array (quantiles by linear interpolation between order statistics, the
 * R-7 / numpy default); this file adds what d3-array has no single call for:
 * - the `finite*` variants over result columns that may hold nulls or non-finite values (a failed
 *   forward run, an R^2 undefined on a constant truth), which ignore those entries and return null
 *   when nothing is left (std: below two values, no spread to report);
 * - equal-width histogram bins with fixed edges (the figures and results store edges + counts).
 */
import { deviation, mean, median, quantileSorted, variance } from 'd3-array';

export { deviation, mean, median, quantileSorted, variance };

export function finite(xs: readonly (number | null | undefined)[]): number[] {
  return xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}

export function finiteMean(xs: readonly (number | null | undefined)[]): number | null {
  return mean(finite(xs)) ?? null;
}

/** Sample standard deviation (n - 1); null with fewer than two finite values. */
export function finiteSampleStd(xs: readonly (number | null | undefined)[]): number | null {
  return deviation(finite(xs)) ?? null;
}

export function finiteMedian(xs: readonly (number | null | undefined)[]): number | null {
  return median(finite(xs)) ?? null;
}

/** Mean and sample std (0 below two values) of a non-empty sample, with its size. */
export function meanStd(v: readonly number[]): { mean: number; std: number; n: number } {
  return { mean: mean(v as number[]) ?? NaN, std: deviation(v as number[]) ?? 0, n: v.length };
}

/** Mean, sample std (0 below two values), min and max of an ascending-sorted, non-empty sample. */
export function describeSorted(sorted: readonly number[]): { n: number; mean: number; std: number; min: number; max: number } {
  return { n: sorted.length, mean: mean(sorted as number[]) ?? NaN, std: deviation(sorted as number[]) ?? 0, min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * `count` equal-width bins over [lo, hi] (a degenerate range gets unit-wide bins around lo);
 * values at hi fall in the last bin. `edges` has count + 1 entries.
 */
export function equalWidthBins(values: Iterable<number>, count: number, lo: number, hi: number): { edges: number[]; counts: number[] } {
  const width = hi > lo ? (hi - lo) / count : 1 / count;
  const first = hi > lo ? lo : lo - 0.5;
  const edges = Array.from({ length: count + 1 }, (_, k) => first + k * width);
  const counts = new Array<number>(count).fill(0);
  for (const x of values) counts[Math.min(count - 1, Math.max(0, Math.floor((x - first) / width)))]++;
  return { edges, counts };
}

/** Freedman-Diaconis bin count for an ascending-sorted sample, clamped to [min, max] (1 for a constant sample). */
export function freedmanDiaconisBins(sorted: readonly number[], min = 10, max = 60): number {
  const n = sorted.length;
  const lo = sorted[0];
  const hi = sorted[n - 1];
  if (!(hi > lo)) return 1;
  const s = sorted as number[];
  const iqr = (quantileSorted(s, 0.75) ?? 0) - (quantileSorted(s, 0.25) ?? 0);
  const fd = iqr > 0 ? 2 * iqr * n ** (-1 / 3) : 0;
  return Math.min(max, Math.max(min, fd > 0 ? Math.ceil((hi - lo) / fd) : min));
}
