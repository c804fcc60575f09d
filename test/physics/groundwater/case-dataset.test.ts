import { describe, expect, it } from 'vitest';
import {
  fitCaseBounds,
  normalizeSample,
  caseDesign,
  caseSampleParameters,
  generateCaseDataset,
  PAPER_DATASET_SIZES,
  runCaseSample,
  splitTrainTest,
  unitToParameters,
} from '../../../physics/groundwater/case-dataset.js';
import { case2Layout, CASE2_LAYOUTS, wellLogPermeability, case2LogPermeabilityPerturbation } from '../../../physics/groundwater/gaussian-case.js';
import { getCase } from '../../../physics/groundwater/case-registry.js';
import { denormalize, fitMinMax, normalize, boundsFromJSON, boundsToJSON } from '../../../numerics/min-max-normalizer.js';
import { normalQuantile } from '../../../numerics/normal-quantile.js';

describe('case datasets', () => {
  it('case 1 rows: LHS design mapped to bounds, reproducible per index, 294 observations', () => {
    const rows = Array.from(generateCaseDataset('case1', 4, 11));
    expect(rows.length).toBe(4);
    const design = caseDesign('case1', 4, 11);
    for (let k = 0; k < 9; k++) {
      const strata = design.map((u) => Math.floor(u[k] * 4)).sort();
      expect(strata).toEqual([0, 1, 2, 3]);
    }
    for (const r of rows) {
      expect(r.observations.length).toBe(294);
      expect(r.field).toBeUndefined();
      for (let k = 0; k < 8; k++) {
        expect(r.params[k]).toBeGreaterThanOrEqual(1e-12);
        expect(r.params[k]).toBeLessThan(9.9e-12);
      }
      expect(r.params[8]).toBeGreaterThanOrEqual(1e-3);
      expect(r.params[8]).toBeLessThan(1);
    }
    const again = runCaseSample('case1', 2, 11, { n: 4 });
    expect(Array.from(again.observations)).toEqual(Array.from(rows[2].observations));
    expect(Array.from(again.params)).toEqual(Array.from(rows[2].params));
    const other = runCaseSample('case1', 2, 12, { n: 4 });
    expect(Array.from(other.params)).not.toEqual(Array.from(rows[2].params));
    const test = caseSampleParameters('case1', 2, 11, { n: 4, stream: 'test' });
    expect(Array.from(test.params)).not.toEqual(Array.from(rows[2].params));
    expect(() => runCaseSample('case1', 0, 11)).toThrow(/opts.n/);
    // bounds fitted on the training rows normalise them into [0, 1]
    const b = fitCaseBounds('case1', rows);
    for (const r of rows) {
      const z = normalizeSample(r, b);
      expect(Math.min(...z.observations)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...z.observations)).toBeLessThanOrEqual(1);
      for (let k = 0; k < 9; k++) expect(z.params[k]).toBeCloseTo(caseDesign('case1', 4, 11)[r.index][k], 12);
    }
    expect(() => runCaseSample('case1', 5, 11, { n: 4 })).toThrow(/< n/);
  });

  it('sobol and mc rows do not depend on n', () => {
    const a = caseSampleParameters('case2', 5, 3, { sampler: 'sobol' });
    const b = caseSampleParameters('case2', 5, 3, { sampler: 'sobol', n: 64 });
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    const c = caseSampleParameters('case1', 7, 3, { sampler: 'mc' });
    const d = caseSampleParameters('case1', 7, 3, { sampler: 'mc', n: 10 });
    expect(Array.from(c.params)).toEqual(Array.from(d.params));
    // scrambled Sobol' design: every one of 32 strata per dimension hit once
    const design = caseDesign('case1', 32, 3, { sampler: 'sobol' });
    for (let k = 0; k < 9; k++) expect(new Set(design.map((u) => Math.floor(u[k] * 32))).size).toBe(32);
  });

  it('case 2 rows carry xi = Phi^-1(u) and the Y field; case 3 rows carry facies', () => {
    const s2 = runCaseSample('case2', 0, 5, { n: 3 });
    expect(s2.params.length).toBe(100);
    expect(s2.observations.length).toBe(2511);
    expect(s2.field!.length).toBe(4096);
    expect(s2.params[3]).toBeCloseTo(normalQuantile(s2.unit![3]), 14);
    const s3a = runCaseSample('case3', 4, 5);
    const s3b = runCaseSample('case3', 4, 5);
    expect(s3a.observations.length).toBe(576);
    expect(s3a.field!.length).toBe(6400);
    expect(Array.from(s3a.observations)).toEqual(Array.from(s3b.observations));
    expect(s3a.unit).toBeNull();
  });

  it('paper sizes and train/test split', () => {
    expect(PAPER_DATASET_SIZES.case1.train).toEqual([200, 500, 1000, 2000]);
    expect(PAPER_DATASET_SIZES.case2).toEqual({ train: [2000], test: 500 });
    const rows = Array.from({ length: 10 }, (_, i) => i);
    const { train, test } = splitTrainTest(rows, 3, 1);
    expect(test.length).toBe(3);
    expect(train.length).toBe(7);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(rows);
    expect(splitTrainTest(rows, 3, 1)).toEqual({ train, test });
  });

  it('unit mapping of case 1 is linear in the bounds', () => {
    const p = unitToParameters(
      'case1',
      Float64Array.from({ length: 9 }, () => 0.5),
    );
    expect(p[0]).toBeCloseTo(5.45e-12, 25);
    expect(p[8]).toBeCloseTo(0.5005, 12);
  });
});

describe('case 2 monitoring layouts', () => {
  it('are nested, sparse to dense: 9, 13, 25, 41, 81 wells', () => {
    const sizes = CASE2_LAYOUTS.map((l) => case2Layout(l).length);
    expect(sizes).toEqual([9, 13, 25, 41, 81]);
    const s5 = new Set(case2Layout('S-5'));
    for (const l of CASE2_LAYOUTS) for (const p of case2Layout(l)) expect(s5.has(p)).toBe(true);
    const s3 = new Set(case2Layout('S-3'));
    for (const p of case2Layout('S-1')) expect(s3.has(p)).toBe(true);
  });

  it('give the true ln k at the wells', () => {
    const c = getCase('case2');
    const xi = Float64Array.from({ length: 100 }, (_, k) => Math.sin(k));
    const w = wellLogPermeability(c, xi, 'S-1');
    const Y = case2LogPermeabilityPerturbation(xi);
    const idx = case2Layout('S-1');
    expect(w.length).toBe(9);
    expect(w[4]).toBeCloseTo(Math.log(2e-13) + Y[c.points[idx[4]].cell], 12);
    // S-1 well 0 is at (1 m, 1 m): cell row 6, col 6 on the 0.15625 m grid
    expect(c.points[idx[0]].cell).toBe(6 * 64 + 6);
  });
});

describe('min-max normalisation and normal quantile', () => {
  it('maps training rows to [0, 1] and back; constant components map to 0', () => {
    const rows = [Float64Array.of(1, 5, 0), Float64Array.of(3, -5, 0), Float64Array.of(2, 0, 0)];
    const b = fitMinMax(rows);
    expect(Array.from(normalize(rows[2], b))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(denormalize(normalize(rows[1], b), b))).toEqual([3, -5, 0]);
    expect(Array.from(boundsFromJSON(boundsToJSON(b)).max)).toEqual([3, 5, 0]);
    expect(() => fitMinMax([Float64Array.of(1), Float64Array.of(1, 2)])).toThrow(/row 1/);
  });

  it('normalQuantile matches SciPy norm.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    expect(normalQuantile(0.02)).toBeCloseTo(-2.053748910631823, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => normalQuantile(1.5)).toThrow(/probability/);
  });
});
