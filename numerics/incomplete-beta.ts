/**
 * Regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz; Numerical
 * Recipes §6.4) and the Student t distribution built on it; ln Gamma from simple-statistics.
 * simple-statistics has no Student t CDF (its `tTestTwoSample` returns the statistic, not a
 * p-value; test/numerics/library-choice.test.ts), so this stays; tests check it against
 * published values.
 */
import { gammaln } from 'simple-statistics';

function betaContinuedFraction(a: number, b: number, x: number): number {
  const maxIter = 300;
  const eps = 1e-16;
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= maxIter; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < eps) return h;
  }
  return h;
}

/** I_x(a, b) for a, b > 0 and 0 <= x <= 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new Error(`incomplete beta: a and b must be > 0, got a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new Error(`incomplete beta: x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const lbt = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x);
  const bt = Math.exp(lbt);
  if (x < (a + 1) / (a + b + 2)) return (bt * betaContinuedFraction(a, b, x)) / a;
  return 1 - (bt * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided tail probability P(|T| >= |t|) of Student's t with `df` degrees of freedom (df may be fractional). */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`Student t: df must be > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** CDF of Student's t. */
export function studentTCdf(t: number, df: number): number {
  const p = studentTTwoSided(t, df) / 2;
  return t >= 0 ? 1 - p : p;
}
