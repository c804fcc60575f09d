import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta, studentTCdf, studentTTwoSided } from '../../numerics/incomplete-beta.js';
import { regressionMetrics, r2Score } from '../../models/evaluation/regression-metrics.js';
import { evaluateUpscaling } from '../../models/evaluation/upscaling-report.js';
import { welchTTest } from '../../numerics/welch-t-test.js';

describe('regression metrics', () => {
  // n=2 samples, t=2 times, h=1, w=2
  const truth = Float32Array.from([1, 3, 5, 7, /* sample 2 */ 2, 2, 4, 4]);
  const pred = Float32Array.from([2, 3, 5, 5, /* sample 2 */ 2, 2, 3, 5]);
  const shape: [number, number, number, number] = [2, 2, 1, 2];

  it('MSE, MAE, R^2 over the whole tensor', () => {
    const m = regressionMetrics(truth, pred, shape);
    // errors: 1,0,0,-2,0,0,-1,1 -> SE = 7, AE = 5 over 8 voxels
    expect(m.mse).toBeCloseTo(7 / 8, 12);
    expect(m.mae).toBeCloseTo(5 / 8, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(7 / 8), 12);
    // mean truth = 28/8 = 3.5 ; SS_tot = 6.25+0.25+2.25+12.25+2.25+2.25+0.25+0.25 = 26
    expect(m.r2_whole).toBeCloseTo(1 - 7 / 26, 12);
  });

  it("authors' per-sample R^2 of the spatially averaged series (median and mean)", () => {
    const m = regressionMetrics(truth, pred, shape);
    // sample 1 series: truth (2, 6), pred (2.5, 5): SS_res = 0.25 + 1 = 1.25, SS_tot = 8 -> 1 - 1.25/8
    // sample 2 series: truth (2, 4), pred (2, 4) -> 1
    const r1 = 1 - 1.25 / 8;
    expect(m.r2_mean_series_median).toBeCloseTo((r1 + 1) / 2, 12);
    expect(m.r2_mean_series_mean).toBeCloseTo((r1 + 1) / 2, 12);
    expect(r2Score([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2Score([2, 2], [1, 3])).toBeNaN();
  });

  it('rejects mismatched shapes', () => {
    expect(() => regressionMetrics(truth, pred, [2, 2, 2, 2])).toThrow(/truth: length 8 does not match shape/);
  });

  it('report: low/high subsets, mean series and mean error maps', () => {
    // sample 0 mean 10 (low), sample 1 mean 60 (high); t=2, h=1, w=2
    const t = Float32Array.from([10, 10, 10, 10, 60, 60, 60, 60]);
    const p = Float32Array.from([11, 10, 10, 9, 60, 64, 60, 60]);
    const r = evaluateUpscaling(t, p, [2, 2, 1, 2]);
    expect(r.low.samples).toEqual([0]);
    expect(r.high.samples).toEqual([1]);
    expect(r.low.mse).toBeCloseTo(2 / 4, 12);
    expect(r.high.mae).toBeCloseTo(4 / 4, 12);
    expect(Array.from(r.meanSeries.truth)).toEqual([35, 35]);
    expect(Array.from(r.meanSeries.prediction)).toEqual([36.25, 34.75]);
    // |err| per voxel over (sample, time): voxel0: 1,0,0,0 -> 0.25 ; voxel1: 0,1,4,0 -> 1.25
    expect(Array.from(r.meanAbsErrorMap)).toEqual([0.25, 1.25]);
    expect(Array.from(r.meanErrorMap)).toEqual([0.25, 0.75]);
    expect(r.mapShape).toEqual([1, 2]);
  });
});

describe('t distribution and incomplete beta', () => {
  it('incomplete beta closed forms', () => {
    expect(regularizedIncompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12); // x^a
    expect(regularizedIncompleteBeta(0.3, 1, 3)).toBeCloseTo(1 - 0.7 ** 3, 12); // 1-(1-x)^b
    expect(regularizedIncompleteBeta(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 12); // symmetry
    expect(regularizedIncompleteBeta(0.2, 2, 3)).toBeCloseTo(0.1808, 12); // 6x^2(1/2 - 2x/3 + x^2/4) integrated: 0.1808
  });

  it('Student t: Cauchy (df=1) and df=2 closed forms; normal limit', () => {
    for (const t of [0.3, 1, 2.5, 10]) {
      expect(studentTTwoSided(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(t), 10);
      expect(studentTTwoSided(t, 2)).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 10);
    }
    // t_{0.975, 10} = 2.228138851986 (tables): two-sided p = 0.05
    expect(studentTTwoSided(2.228138851986, 10)).toBeCloseTo(0.05, 9);
    // large df -> normal: P(|Z| > 1.959963985) = 0.05
    expect(studentTTwoSided(1.959963985, 1e7)).toBeCloseTo(0.05, 6);
    expect(studentTCdf(-1, 1)).toBeCloseTo(0.25, 12);
  });
});

describe('Welch t-test', () => {
  it('matches the Wikipedia textbook example (t = -2.46, df ~ 25, p = 0.021)', () => {
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welchTTest(a1, a2);
    expect(r.t).toBeCloseTo(-2.46, 2);
    expect(r.df).toBeGreaterThan(24.9);
    expect(r.df).toBeLessThan(25.0);
    expect(r.p).toBeCloseTo(0.021, 3);
  });

  it('hand-computed small case and symmetry', () => {
    // a: mean 2, var 1 ; b: mean 5, var 4 ; n = 3 each: se^2 = 1/3 + 4/3 = 5/3
    const r = welchTTest([1, 2, 3], [3, 5, 7]);
    expect(r.t).toBeCloseTo(-3 / Math.sqrt(5 / 3), 12);
    // df = (5/3)^2 / ((1/3)^2/2 + (4/3)^2/2) = (25/9) / (17/18) = 50/17
    expect(r.df).toBeCloseTo(50 / 17, 12);
    expect(r.p).toBeCloseTo(studentTTwoSided(r.t, 50 / 17), 14);
    expect(welchTTest([3, 5, 7], [1, 2, 3]).p).toBeCloseTo(r.p, 14);
    expect(welchTTest([1, 2, 3], [1, 2, 3]).p).toBeCloseTo(1, 12);
    expect(() => welchTTest([1], [2, 3])).toThrow(/at least 2 values/);
  });
});
