import { describe, expect, it } from 'vitest';
import { saltelliDesign, saltelliPoints } from '../../../physics/sensitivity/saltelli-sampling.js';
import { normalQuantile } from '../../../numerics/normal-quantile.js';
import { sobolIndices } from '../../../physics/sensitivity/sobol-indices.js';
import { ishigami, ishigamiIndices, sobolG, sobolGIndices } from '../../../physics/sensitivity/test-functions.js';

describe('Sobol index estimators', () => {
  it('analytic Ishigami indices match the published values', () => {
    const a = ishigamiIndices(7, 0.1);
    expect(a.S1[0]).toBeCloseTo(0.3139, 4);
    expect(a.S1[1]).toBeCloseTo(0.4424, 4);
    expect(a.S1[2]).toBe(0);
    expect(a.ST[0]).toBeCloseTo(0.5576, 4);
    expect(a.ST[1]).toBeCloseTo(0.4424, 4);
    expect(a.ST[2]).toBeCloseTo(0.2437, 4);
  });

  it('recovers Ishigami indices within the bootstrap confidence', () => {
    const d = saltelliDesign(2048, 3);
    const y = saltelliPoints(d, 7).map((u) => ishigami(u));
    const est = sobolIndices(d, y, { seed: 1, resamples: 500 });
    const exact = ishigamiIndices();
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(est.S1[i] - exact.S1[i])).toBeLessThan(Math.max(est.S1_conf[i], 0.01) * 1.5);
      expect(Math.abs(est.ST[i] - exact.ST[i])).toBeLessThan(Math.max(est.ST_conf[i], 0.01) * 1.5);
      expect(est.S1_conf[i]).toBeGreaterThan(0);
    }
  });

  it('recovers Sobol G indices in 6 dimensions', () => {
    const a = [0, 1, 4.5, 9, 99, 99];
    const d = saltelliDesign(4096, a.length);
    const y = saltelliPoints(d, 3).map((u) => sobolG(u, a));
    const est = sobolIndices(d, y, { seed: 2, resamples: 300 });
    const exact = sobolGIndices(a);
    for (let i = 0; i < a.length; i++) {
      expect(Math.abs(est.S1[i] - exact.S1[i])).toBeLessThan(Math.max(1.5 * est.S1_conf[i], 0.005));
      expect(Math.abs(est.ST[i] - exact.ST[i])).toBeLessThan(Math.max(1.5 * est.ST_conf[i], 0.005));
    }
    // Sobol G's indices sum to one when interactions are included in ST, and S1 sums below one.
    expect(exact.S1.reduce((s, v) => s + v, 0)).toBeLessThan(1);
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const d = saltelliDesign(64, 3);
    const p1 = saltelliPoints(d, 5);
    const p2 = saltelliPoints(d, 5);
    const p3 = saltelliPoints(d, 6);
    expect(p1.map((r) => Array.from(r))).toEqual(p2.map((r) => Array.from(r)));
    expect(p1[0][0]).not.toBe(p3[0][0]);
    // Saltelli layout: AB_i equals A except column i, which comes from B.
    const stride = 5;
    for (let j = 0; j < 4; j++) {
      const A = p1[j * stride];
      const B = p1[j * stride + 4];
      for (let i = 0; i < 3; i++) {
        const ab = p1[j * stride + 1 + i];
        for (let k = 0; k < 3; k++) expect(ab[k]).toBe(k === i ? B[k] : A[k]);
      }
    }
  });

  it('normal quantile matches known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 10);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});
