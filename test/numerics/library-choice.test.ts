/**
 * Why three statistics functions stay hand-written although simple-statistics is installed (and
 * used for ln Gamma): its versions are not equal where Plume needs them.
 * - erfc: `1 - errorFunction(x)` (Abramowitz-Stegun, ~1e-7 absolute) loses the tail that the
 *   Ogata-Banks solution needs; numerics/error-function.ts is ~1e-15 relative.
 * - the normal quantile: `probit` (via an approximate inverse erf) is off by ~1e-3 in the tails
 *   where the Sobol'/LHS coefficients go; numerics/normal-quantile.ts (AS 241) is exact to ~1e-16.
 * - Welch's t-test: `tTestTwoSample` returns the t statistic only (no p-value, no Student t CDF);
 *   numerics/welch-t-test.ts gives scipy's p-value.
 */
import { errorFunction, gammaln, probit, tTestTwoSample } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { erfc } from '../../numerics/error-function.js';
import { normalQuantile } from '../../numerics/normal-quantile.js';
import { welchTTest } from '../../numerics/welch-t-test.js';

describe('library choice', () => {
  it('erfc in the tail: simple-statistics is off by > 1e-6 relative at x = 5 and 0 at x = 7', () => {
    const exact5 = 1.5374597944280348e-12; // mpmath erfc(5)
    expect(Math.abs(erfc(5) - exact5) / exact5).toBeLessThan(1e-13);
    expect(Math.abs(1 - errorFunction(5) - exact5) / exact5).toBeGreaterThan(1e-6);
    expect(erfc(7)).toBeCloseTo(4.183825607779414e-23, 35);
    expect(1 - errorFunction(7)).toBe(0);
  });

  it('normal quantile at p = 1e-10: simple-statistics is off by > 1e-3', () => {
    const exact = -6.361340902404056; // scipy.stats.norm.ppf(1e-10)
    expect(Math.abs(normalQuantile(1e-10) - exact)).toBeLessThan(1e-12);
    expect(Math.abs(probit(1e-10) - exact)).toBeGreaterThan(1e-3);
  });

  it("Welch: simple-statistics gives the t statistic only; Plume's gives scipy's p-value", () => {
    // The Wikipedia textbook example (test/models/evaluation.test.ts): t = -2.46, p = 0.021.
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    expect(typeof tTestTwoSample(a, b)).toBe('number');
    expect(welchTTest(a, b).p).toBeCloseTo(0.021, 3);
  });

  it('ln Gamma comes from simple-statistics (equal to ~1e-14)', () => {
    expect(gammaln(10)).toBeCloseTo(Math.log(362880), 12);
    expect(gammaln(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});
