/**
 * Gaussian (RBF) kernel k(x, x') = exp(-||x - x'||^2 / (2 sigma^2)) = exp(-gamma ||x - x'||^2),
 * gamma = 1 / (2 sigma^2) (the width convention of Tuia et al.'s MSVR code).
 */
import type { RowMatrix } from './row-matrix.js';

/** Resolves exactly one of sigma / gamma into gamma; errors name the field. */
export function rbfGamma(p: { sigma?: number; gamma?: number }, owner: string): number {
  if (p.sigma !== undefined && p.gamma !== undefined) throw new Error(`${owner}: give either sigma or gamma, not both`);
  if (p.gamma !== undefined) {
    if (!(p.gamma > 0) || !Number.isFinite(p.gamma)) throw new Error(`${owner}: gamma must be a positive finite number, got ${p.gamma}`);
    return p.gamma;
  }
  if (p.sigma === undefined) throw new Error(`${owner}: the RBF width is missing; give sigma (or gamma = 1/(2 sigma^2))`);
  if (!(p.sigma > 0) || !Number.isFinite(p.sigma)) throw new Error(`${owner}: sigma must be a positive finite number, got ${p.sigma}`);
  return 1 / (2 * p.sigma * p.sigma);
}

/** Kernel matrix K[i, j] = k(A_i, B_j), row-major A.rows x B.rows. */
export function rbfKernel(A: RowMatrix, B: RowMatrix, gamma: number): Float64Array {
  if (A.cols !== B.cols) throw new Error(`rbfKernel: inputs have ${A.cols} and ${B.cols} columns; they must match`);
  const d = A.cols;
  const K = new Float64Array(A.rows * B.rows);
  for (let i = 0; i < A.rows; i++) {
    const ai = i * d;
    for (let j = 0; j < B.rows; j++) {
      const bj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = A.data[ai + k] - B.data[bj + k];
        s += t * t;
      }
      K[i * B.rows + j] = Math.exp(-gamma * s);
    }
  }
  return K;
}
