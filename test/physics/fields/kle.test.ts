import { describe, expect, it } from 'vitest';
import { buildKle, exponentialCorrelation1d, kleCoefficients, kleField, symmetricEigen } from '../../../physics/fields/kle.js';
import { Rng } from '../../../numerics/rng.js';

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('recovers the analytic spectrum of the 1-D Laplacian', () => {
    const n = 20;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      A[i * n + i] = 2;
      if (i > 0) A[i * n + i - 1] = A[(i - 1) * n + i] = -1;
    }
    const { values, vectors } = symmetricEigen(A, n);
    for (let k = 0; k < n; k++) {
      // eigenvalues 2 - 2 cos(m pi / (n+1)), m = n..1 in descending order
      expect(values[k]).toBeCloseTo(2 - 2 * Math.cos(((n - k) * Math.PI) / (n + 1)), 12);
      let norm = 0;
      for (let i = 0; i < n; i++) norm += vectors[k * n + i] ** 2;
      expect(norm).toBeCloseTo(1, 12);
    }
  });
});

describe('buildKle (separable exponential covariance)', () => {
  const grid = { nx: 12, ny: 9, dx: 0.7, dy: 0.5 };
  const opts = { variance: 1.7, lx: 2, ly: 1.5, terms: 30 };
  const N = grid.nx * grid.ny;
  const analyticC = (): Float64Array => {
    const C = new Float64Array(N * N);
    for (let p = 0; p < N; p++) {
      const ip = Math.floor(p / grid.nx),
        jp = p % grid.nx;
      for (let q = 0; q < N; q++) {
        const iq = Math.floor(q / grid.nx),
          jq = q % grid.nx;
        C[p * N + q] = opts.variance * Math.exp((-Math.abs(jp - jq) * grid.dx) / opts.lx - (Math.abs(ip - iq) * grid.dy) / opts.ly);
      }
    }
    return C;
  };

  it('kept-mode covariance equals the analytic covariance projected on the kept subspace', () => {
    const kle = buildKle(grid, opts);
    const M = kle.terms;
    const C = analyticC();
    // phi_k = basis_k / sqrt(lambda_k): orthonormal eigenvectors of the analytic C
    const phi = new Float64Array(M * N);
    for (let k = 0; k < M; k++) for (let c = 0; c < N; c++) phi[k * N + c] = kle.basis[k * N + c] / Math.sqrt(kle.eigenvalues[k]);
    for (let k = 0; k < M; k++) {
      for (let l = 0; l < M; l++) {
        let dot = 0;
        for (let c = 0; c < N; c++) dot += phi[k * N + c] * phi[l * N + c];
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
      // C phi_k = lambda_k phi_k
      for (let p = 0; p < N; p++) {
        let s = 0;
        for (let q = 0; q < N; q++) s += C[p * N + q] * phi[k * N + q];
        expect(s).toBeCloseTo(kle.eigenvalues[k] * phi[k * N + p], 9);
      }
    }
    // B^T B == P C P with P = Phi^T Phi
    const CPhiT = new Float64Array(N * M); // C Phi^T
    for (let p = 0; p < N; p++)
      for (let k = 0; k < M; k++) {
        let s = 0;
        for (let q = 0; q < N; q++) s += C[p * N + q] * phi[k * N + q];
        CPhiT[p * M + k] = s;
      }
    const PhiCPhiT = new Float64Array(M * M);
    for (let k = 0; k < M; k++)
      for (let l = 0; l < M; l++) {
        let s = 0;
        for (let p = 0; p < N; p++) s += phi[k * N + p] * CPhiT[p * M + l];
        PhiCPhiT[k * M + l] = s;
      }
    let maxErr = 0;
    for (let p = 0; p < N; p += 7)
      for (let q = 0; q < N; q += 5) {
        let bb = 0,
          pcp = 0;
        for (let k = 0; k < M; k++) bb += kle.basis[k * N + p] * kle.basis[k * N + q];
        for (let k = 0; k < M; k++) for (let l = 0; l < M; l++) pcp += phi[k * N + p] * PhiCPhiT[k * M + l] * phi[l * N + q];
        maxErr = Math.max(maxErr, Math.abs(bb - pcp));
      }
    expect(maxErr).toBeLessThan(1e-10);
    // eigenvalues descending, fraction = sum kept / trace
    for (let k = 1; k < M; k++) expect(kle.eigenvalues[k]).toBeLessThanOrEqual(kle.eigenvalues[k - 1]);
    const kept = kle.eigenvalues.reduce((a, b) => a + b, 0);
    expect(kle.varianceFraction).toBeCloseTo(kept / (N * opts.variance), 14);
    // all modes kept -> full covariance, fraction 1
    const full = buildKle(grid, { ...opts, terms: N });
    expect(full.varianceFraction).toBeCloseTo(1, 10);
    let d = 0;
    for (let q = 0; q < N; q++) {
      let bb = 0;
      for (let k = 0; k < N; k++) bb += full.basis[k * N + 3] * full.basis[k * N + q];
      d = Math.max(d, Math.abs(bb - C[3 * N + q]));
    }
    expect(d).toBeLessThan(1e-10);
  });

  it('1-D correlation matrix is the exponential kernel', () => {
    const C = exponentialCorrelation1d(4, 0.5, 2);
    expect(C[0 * 4 + 3]).toBeCloseTo(Math.exp(-0.75), 15);
    expect(C[2 * 4 + 2]).toBe(1);
  });

  it('case-2 setting (64x64, 10 m, l = 2.5 m, variance 2, 100 terms) keeps 87.97% of the variance', () => {
    const kle = buildKle({ nx: 64, ny: 64, dx: 10 / 64, dy: 10 / 64 }, { variance: 2, lx: 2.5, ly: 2.5, terms: 100 });
    // NumPy eigvalsh on the same 1-D matrices gives 0.879704965252825
    expect(kle.varianceFraction).toBeCloseTo(0.8797049652528, 8);
    // generated fields: spatially averaged sample variance ~ 2 * kept fraction
    const rng = new Rng(2024);
    const n = 300;
    const N = 64 * 64;
    let sumSq = 0;
    let centre = 0;
    let centreSq = 0;
    const c = 32 * 64 + 32;
    for (let s = 0; s < n; s++) {
      const Y = kleField(kle, kleCoefficients(kle, rng));
      for (let i = 0; i < N; i++) sumSq += Y[i] * Y[i];
      centre += Y[c];
      centreSq += Y[c] * Y[c];
    }
    const meanVar = sumSq / (n * N);
    expect(Math.abs(meanVar - 2 * kle.varianceFraction)).toBeLessThan(0.15);
    let predicted = 0;
    for (let k = 0; k < kle.terms; k++) predicted += kle.basis[k * N + c] ** 2;
    const sampleVar = centreSq / n - (centre / n) ** 2;
    expect(Math.abs(sampleVar - predicted) / predicted).toBeLessThan(0.25); // chi^2_300: sd ~ 8%
  });

  it('is deterministic by seed and validates input', () => {
    const kle = buildKle(grid, opts);
    const a = kleField(kle, kleCoefficients(kle, new Rng(5)));
    const b = kleField(kle, kleCoefficients(kle, new Rng(5)));
    const c = kleField(kle, kleCoefficients(kle, new Rng(6)));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(() => kleField(kle, new Float64Array(3))).toThrow(/xi has 3 coefficients/);
    expect(() => buildKle(grid, { ...opts, lx: 0 })).toThrow(/lx/);
    expect(() => buildKle(grid, { ...opts, terms: N + 1 })).toThrow(/terms/);
  });
});
