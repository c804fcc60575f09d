/**
 * Objective curves of inversion runs on a log scale, shared by the inversion summary
 * (campaigns.results) and the inversion report so both print the same numbers.
 */
import { finiteMean } from '../../numerics/statistics.js';

/** log10 with objectives of exactly 0 mapped to -300 instead of -Infinity. */
export const log10 = (v: number): number => Math.log10(Math.max(v, 1e-300));

/** Mean over curves of log10(value) per index, over the curves that reach it with a finite value. */
export function meanLog10Curve(curves: readonly number[][]): number[] {
  const len = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length: len }, (_, i) => finiteMean(curves.filter((c) => i < c.length && Number.isFinite(c[i])).map((c) => log10(c[i]))) ?? NaN);
}
