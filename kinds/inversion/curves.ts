/**
 * Objective curves of inversion runs on a log scale, shared by the inversion summary
 * (campaigns.results) and the inversion report so both print the same numbers.
 */
import { finiteMean } from '../../numerics/statistics.js';
import { SINGLE_RUN_METHODS } from './spec.js';

/** log10 with objectives of exactly 0 mapped to -300 instead of -Infinity. */
export const log10 = (v: number): number => Math.log10(Math.max(v, 1e-300));

/** Mean over curves of log10(value) per index, over the curves that reach it with a finite value. */
export function meanLog10Curve(curves: readonly number[][]): number[] {
  const len = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length: len }, (_, i) => finiteMean(curves.filter((c) => i < c.length && Number.isFinite(c[i])).map((c) => log10(c[i]))) ?? NaN);
}

/** log10 of each curve's value after `n` iterations (curves shorter than `n` are left out). */
export function log10At(curves: readonly number[][], n: number): number[] {
  return curves.filter((c) => c.length >= n && Number.isFinite(c[n - 1])).map((c) => log10(c[n - 1]));
}

/**
 * The iteration budget the methods share: the shortest per-group curve length among the population
 * methods (TNNA may run more epochs than the metaheuristics' iterations, e.g. the paper's 1,000; LM
 * counts Gauss-Newton steps and stops when J stops falling).
 */
export function sharedBudget(groups: readonly { method: string; curves: readonly number[][] }[]): number | null {
  const single: readonly string[] = SINGLE_RUN_METHODS;
  const lengths = groups.filter((g) => !single.includes(g.method)).map((g) => Math.max(0, ...g.curves.map((c) => c.length)));
  return lengths.length ? Math.min(...lengths) : null;
}
