/**
 * Cholesky factorisation A = L L^T of a symmetric positive-definite matrix and the triangular
 * solves for several right-hand sides (kernel ridge, MSVR's IRLS, Levenberg-Marquardt steps).
 * No linear-algebra package is installed in Plume, so this is written out (row-major, O(n^3/3)).
 */

/** Lower-triangular factor L (row-major n x n, upper part zero) of the SPD matrix `a` (read-only). */
export function choleskyFactor(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new Error(`cholesky: matrix must have n*n = ${n * n} entries, got ${a.length}`);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const Li = i * n;
    for (let j = 0; j <= i; j++) {
      const Lj = j * n;
      let s = a[Li + j];
      for (let k = 0; k < j; k++) s -= L[Li + k] * L[Lj + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new Error(`cholesky: matrix is not positive definite (pivot ${i} = ${s}); increase the ridge (lower C) or check the kernel width`);
        }
        L[Li + i] = Math.sqrt(s);
      } else {
        L[Li + j] = s / L[Lj + j];
      }
    }
  }
  return L;
}

/** Solves (L L^T) X = B for X, B row-major n x q; returns a new array. */
export function choleskySolve(L: Float64Array, n: number, B: Float64Array, q: number): Float64Array {
  if (B.length !== n * q) throw new Error(`cholesky: right-hand side must have n*q = ${n * q} entries, got ${B.length}`);
  const X = Float64Array.from(B);
  // Forward: L Z = B.
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = L[i * n + k];
      if (l !== 0) for (let c = 0; c < q; c++) X[i * q + c] -= l * X[k * q + c];
    }
    const d = L[i * n + i];
    for (let c = 0; c < q; c++) X[i * q + c] /= d;
  }
  // Backward: L^T X = Z.
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const l = L[k * n + i];
      if (l !== 0) for (let c = 0; c < q; c++) X[i * q + c] -= l * X[k * q + c];
    }
    const d = L[i * n + i];
    for (let c = 0; c < q; c++) X[i * q + c] /= d;
  }
  return X;
}
