/**
 * Summary statistics over result columns that may hold nulls or non-finite values (a failed
 * forward run, an R^2 undefined on a constant truth): every function ignores those entries.
 * Shared by the inversion summary (campaigns.results) and the inversion report so both print the
 * same numbers.
 */

export function finite(xs: readonly (number | null | undefined)[]): number[] {
  return xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}

export function mean(xs: readonly (number | null | undefined)[]): number | null {
  const v = finite(xs);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** Sample standard deviation (n - 1); null with fewer than two finite values (no spread to report). */
export function sampleStd(xs: readonly (number | null | undefined)[]): number | null {
  const v = finite(xs);
  if (v.length < 2) return null;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

export function median(xs: readonly (number | null | undefined)[]): number | null {
  const v = finite(xs).sort((a, b) => a - b);
  if (!v.length) return null;
  const h = Math.floor(v.length / 2);
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** log10 with objectives of exactly 0 mapped to -300 instead of -Infinity. */
export const log10 = (v: number): number => Math.log10(Math.max(v, 1e-300));

/** Mean over curves of log10(value) per index, over the curves that reach it with a finite value. */
export function meanLog10Curve(curves: readonly number[][]): number[] {
  const len = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length: len }, (_, i) => mean(curves.filter((c) => i < c.length && Number.isFinite(c[i])).map((c) => log10(c[i]))) ?? NaN);
}
