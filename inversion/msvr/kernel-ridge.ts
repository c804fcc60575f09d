/**
 * Multi-output kernel ridge regression, the epsilon = 0 special case of MSVR in closed form:
 * with the MSVR objective 1/2 sum_q b_q^T K b_q + C/2 sum_i ||y_i - (K B)_i||^2 the minimiser is
 * B = (K + I / C)^{-1} Y; prediction f(x) = k(x, X) B.
 */
import { choleskyFactor, choleskySolve } from '../../numerics/cholesky.js';
import { rbfGamma, rbfKernel } from './rbf-kernel.js';
import type { RowMatrix } from './row-matrix.js';

export interface KernelRidgeParams {
  /** Data-fit weight C (ridge lambda = 1/C). */
  C: number;
  sigma?: number;
  gamma?: number;
}

export interface KernelRidgeModel {
  readonly gamma: number;
  readonly X: RowMatrix;
  /** Dual coefficients, n x q row-major. */
  readonly beta: RowMatrix;
  predict(Xnew: RowMatrix): RowMatrix;
}

export function fitKernelRidge(X: RowMatrix, Y: RowMatrix, params: KernelRidgeParams): KernelRidgeModel {
  if (X.rows !== Y.rows) throw new Error(`kernelRidge: X has ${X.rows} rows, Y has ${Y.rows}; they must match`);
  if (!(params.C > 0) || !Number.isFinite(params.C)) throw new Error(`kernelRidge: C must be a positive finite number, got ${params.C}`);
  const gamma = rbfGamma(params, 'kernelRidge');
  const n = X.rows;
  const A = rbfKernel(X, X, gamma);
  for (let i = 0; i < n; i++) A[i * n + i] += 1 / params.C;
  const beta: RowMatrix = { rows: n, cols: Y.cols, data: choleskySolve(choleskyFactor(A, n), n, Y.data, Y.cols) };
  return {
    gamma,
    X,
    beta,
    predict(Xnew: RowMatrix): RowMatrix {
      const Kx = rbfKernel(Xnew, X, gamma);
      const q = beta.cols;
      const out = new Float64Array(Xnew.rows * q);
      for (let i = 0; i < Xnew.rows; i++) {
        for (let j = 0; j < n; j++) {
          const k = Kx[i * n + j];
          for (let c = 0; c < q; c++) out[i * q + c] += k * beta.data[j * q + c];
        }
      }
      return { rows: Xnew.rows, cols: q, data: out };
    },
  };
}
