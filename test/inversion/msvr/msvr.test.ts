import { describe, expect, it } from 'vitest';
import { choleskyFactor, choleskySolve } from '../../../numerics/cholesky.js';
import { fitKernelRidge } from '../../../inversion/msvr/kernel-ridge.js';
import { MSVR } from '../../../inversion/msvr/msvr.js';
import { gridSearchMSVR, rmse } from '../../../inversion/msvr/msvr-grid-search.js';
import { rowMatrix, type RowMatrix } from '../../../inversion/msvr/row-matrix.js';
import { Rng } from '../../../numerics/rng.js';

function randomMatrix(rng: Rng, rows: number, cols: number): RowMatrix {
  const d = new Float64Array(rows * cols);
  for (let k = 0; k < d.length; k++) d[k] = rng.next();
  return rowMatrix(d, rows, cols);
}

/** Smooth 3-output target on [0,1]^2. */
function target(X: RowMatrix): RowMatrix {
  const out = new Float64Array(X.rows * 3);
  for (let i = 0; i < X.rows; i++) {
    const a = X.data[2 * i];
    const b = X.data[2 * i + 1];
    out[3 * i] = Math.sin(2 * Math.PI * a) * Math.cos(Math.PI * b);
    out[3 * i + 1] = a * a + 0.5 * b;
    out[3 * i + 2] = Math.exp(-a - b);
  }
  return rowMatrix(out, X.rows, 3);
}

/** Independent RBF kernel matrix, exp(-||x - x'||^2 / (2 sigma^2)). */
function kernel(A: RowMatrix, B: RowMatrix, sigma: number): number[][] {
  const K: number[][] = [];
  for (let i = 0; i < A.rows; i++) {
    K.push([]);
    for (let j = 0; j < B.rows; j++) {
      let s = 0;
      for (let c = 0; c < A.cols; c++) s += (A.data[i * A.cols + c] - B.data[j * B.cols + c]) ** 2;
      K[i].push(Math.exp(-s / (2 * sigma * sigma)));
    }
  }
  return K;
}

describe('Cholesky', () => {
  it('factors and solves an SPD system with several right-hand sides', () => {
    // A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]]: L by hand first column 2, 1, 0.2.
    const A = Float64Array.of(4, 2, 0.4, 2, 5, 1, 0.4, 1, 3);
    const L = choleskyFactor(A, 3);
    expect(L[0]).toBe(2);
    expect(L[3]).toBe(1);
    expect(L[6]).toBeCloseTo(0.2, 15);
    expect(L[4]).toBe(2); // sqrt(5 - 1)
    const X = Float64Array.of(1, -1, 2, 0.5, -3, 4);
    const B = new Float64Array(6);
    for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) for (let k = 0; k < 3; k++) B[i * 2 + c] += A[i * 3 + k] * X[k * 2 + c];
    const Xs = choleskySolve(L, 3, B, 2);
    for (let k = 0; k < 6; k++) expect(Xs[k]).toBeCloseTo(X[k], 13);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyFactor(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
  });
});

describe('kernel ridge (closed form)', () => {
  it('satisfies (K + I/C) B = Y with an independently built kernel', () => {
    const rng = new Rng(1);
    const X = randomMatrix(rng, 25, 3);
    const Y = randomMatrix(rng, 25, 2);
    const m = fitKernelRidge(X, Y, { C: 50, sigma: 0.4 });
    const K = kernel(X, X, 0.4);
    for (let i = 0; i < 25; i++) {
      for (let c = 0; c < 2; c++) {
        let s = m.beta.data[i * 2 + c] / 50;
        for (let j = 0; j < 25; j++) s += K[i][j] * m.beta.data[j * 2 + c];
        expect(s).toBeCloseTo(Y.data[i * 2 + c], 10);
      }
    }
  });
});

describe('MSVR', () => {
  it('with epsilon = 0 equals closed-form kernel ridge to 1e-8', () => {
    const rng = new Rng(2);
    const X = randomMatrix(rng, 40, 2);
    const Y = target(X);
    const Xt = randomMatrix(rng, 30, 2);
    for (const [C, sigma] of [
      [10, 0.3],
      [1000, 0.2],
      [0.5, 1],
    ] as const) {
      const krr = fitKernelRidge(X, Y, { C, sigma });
      const msvr = MSVR.fit(X, Y, { C, sigma, epsilon: 0 });
      for (let k = 0; k < krr.beta.data.length; k++) expect(Math.abs(msvr.beta.data[k] - krr.beta.data[k])).toBeLessThan(1e-8);
      const a = msvr.predict(Xt).data;
      const b = krr.predict(Xt).data;
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-8);
      expect(msvr.info.supportVectors).toBe(40);
    }
  });

  it('converges to the stationary point B_i = C (u_i - eps)_+ / u_i e_i with a monotone objective', () => {
    const rng = new Rng(3);
    const X = randomMatrix(rng, 60, 2);
    const Y = target(X);
    for (let k = 0; k < Y.data.length; k++) Y.data[k] += 0.05 * rng.normal();
    const C = 20;
    const eps = 0.06;
    const m = MSVR.fit(X, Y, { C, sigma: 0.3, epsilon: eps, tol: 1e-14, maxIter: 500 });
    expect(m.info.converged).toBe(true);
    const h = m.info.objectiveHistory;
    for (let k = 1; k < h.length; k++) expect(h[k]).toBeLessThanOrEqual(h[k - 1]);
    const F = m.predict(X);
    let inside = 0;
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < 60; i++) {
      let u = 0;
      for (let c = 0; c < 3; c++) u += (Y.data[i * 3 + c] - F.data[i * 3 + c]) ** 2;
      u = Math.sqrt(u);
      const w = u > eps ? (C * (u - eps)) / u : 0;
      if (u < eps) inside++;
      for (let c = 0; c < 3; c++) {
        const b = m.beta.data[i * 3 + c];
        scale = Math.max(scale, Math.abs(b));
        worst = Math.max(worst, Math.abs(b - w * (Y.data[i * 3 + c] - F.data[i * 3 + c])));
      }
    }
    expect(worst / scale).toBeLessThan(1e-5);
    expect(inside).toBeGreaterThan(0); // the tube is active: some samples are not support vectors
    expect(m.info.supportVectors).toBe(60 - inside);
  });

  it('fits a smooth 3-output function with low test error', () => {
    const rng = new Rng(4);
    const X = randomMatrix(rng, 200, 2);
    const Y = target(X);
    const Xt = randomMatrix(rng, 200, 2);
    const Yt = target(Xt);
    const m = MSVR.fit(X, Y, { C: 1e4, sigma: 0.25, epsilon: 1e-3 });
    const P = m.predict(Xt);
    const e = rmse(P, Yt);
    expect(e).toBeLessThan(5e-3);
    let mean = 0;
    for (const v of Yt.data) mean += v / Yt.data.length;
    let ss = 0;
    for (const v of Yt.data) ss += (v - mean) ** 2;
    expect(1 - (e * e * Yt.data.length) / ss).toBeGreaterThan(0.999);
  });

  it('returns B = 0 when every sample lies inside the tube', () => {
    const X = rowMatrix(Float64Array.of(0, 0.5, 1), 3, 1);
    const Y = rowMatrix(Float64Array.of(0.01, -0.02, 0.015), 3, 1);
    const m = MSVR.fit(X, Y, { C: 10, sigma: 0.5, epsilon: 0.1 });
    expect(m.info.supportVectors).toBe(0);
    expect(Array.from(m.predict(X).data)).toEqual([0, 0, 0]);
  });

  it('validates its inputs', () => {
    const X = rowMatrix(Float64Array.of(0, 1), 2, 1);
    const Y = rowMatrix(Float64Array.of(0, 1), 2, 1);
    expect(() => MSVR.fit(X, Y, { C: 1, epsilon: 0 })).toThrow(/sigma/);
    expect(() => MSVR.fit(X, Y, { C: -1, sigma: 1, epsilon: 0 })).toThrow(/C must be/);
    expect(() => MSVR.fit(X, Y, { C: 1, sigma: 1, epsilon: -0.1 })).toThrow(/epsilon/);
    expect(() => rowMatrix(Float64Array.of(0, NaN), 2, 1, 'X')).toThrow(/X: entry \(1, 0\)/);
  });
});

describe('gridSearchMSVR', () => {
  it('picks the lowest validation RMSE, beats bad widths and is deterministic by seed', () => {
    const rng = new Rng(5);
    const X = randomMatrix(rng, 80, 2);
    const Y = target(X);
    const grid = { C: [10, 1000], sigma: [0.02, 0.3, 5], epsilon: [0, 0.01] };
    const r = gridSearchMSVR(X, Y, grid, { seed: 1 });
    expect(r.table.length).toBe(12);
    for (const e of r.table) expect(r.best.validationRmse).toBeLessThanOrEqual(e.validationRmse);
    expect(r.best.sigma).toBe(0.3);
    expect(r.best.validationRmse).toBeLessThan(0.05);
    const fits: [number, number][] = [];
    const again = gridSearchMSVR(X, Y, grid, { seed: 1, onFit: (done, total) => fits.push([done, total]) });
    // 12 grid points, then the refit: progress counts every fit against the 13 in all.
    expect(fits).toEqual(Array.from({ length: 13 }, (_, k) => [k + 1, 13]));
    expect(again.table.map((e) => e.validationRmse)).toEqual(r.table.map((e) => e.validationRmse));
    expect(rmse(r.model.predict(X), Y)).toBeLessThan(0.05);
  });
});
