/**
 * Welch's unequal-variance t-test (two-sided), as `scipy.stats.ttest_ind(a, b, equal_var=False)`:
 *   t = (mean_a - mean_b) / sqrt(s_a^2/n_a + s_b^2/n_b)
 *   df = (s_a^2/n_a + s_b^2/n_b)^2 / ((s_a^2/n_a)^2/(n_a-1) + (s_b^2/n_b)^2/(n_b-1))
 * with sample variances (n-1 denominators). Used to compare architectures over repeated trainings.
 */
import { studentTTwoSided } from './incomplete-beta.js';
import { mean, variance } from './statistics.js';

export interface WelchResult {
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
  meanA: number;
  meanB: number;
  varA: number;
  varB: number;
}

const meanVar = (x: readonly number[]): [number, number] => [mean(x as number[]) ?? NaN, variance(x as number[]) ?? NaN];

export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) throw new Error(`welchTTest: each sample needs at least 2 values, got ${a.length} and ${b.length}`);
  if ([...a, ...b].some((v) => !Number.isFinite(v))) throw new Error('welchTTest: samples must be finite numbers');
  const [meanA, varA] = meanVar(a);
  const [meanB, varB] = meanVar(b);
  const sa = varA / a.length;
  const sb = varB / b.length;
  const se2 = sa + sb;
  if (se2 === 0) {
    // Both samples constant: identical means are not different, different means are (p = 0).
    return {
      t: meanA === meanB ? NaN : Math.sign(meanA - meanB) * Infinity,
      df: a.length + b.length - 2,
      p: meanA === meanB ? 1 : 0,
      meanA,
      meanB,
      varA,
      varB,
    };
  }
  const t = (meanA - meanB) / Math.sqrt(se2);
  const df = (se2 * se2) / ((sa * sa) / (a.length - 1) + (sb * sb) / (b.length - 1));
  return { t, df, p: studentTTwoSided(t, df), meanA, meanB, varA, varB };
}
