/**
 * Hyperparameter search for MSVR over a grid of C x sigma x epsilon with a seeded hold-out
 * validation split: fit on the training part, score RMSE over all outputs on the validation part,
 * pick the lowest, optionally refit the winner on all the data.
 */
import { Rng } from '../../numerics/rng.js';
import { MSVR } from './msvr.js';
import type { RowMatrix } from './row-matrix.js';
import { selectRows } from './row-matrix.js';

export interface MSVRGrid {
  C: number[];
  sigma: number[];
  epsilon: number[];
}

export interface MSVRGridSearchOptions {
  /** Seed of the train/validation split. */
  seed: number;
  /** Fraction of rows held out for validation; default 0.2. */
  validationFraction?: number;
  /** Refit the best setting on all rows; default true. */
  refit?: boolean;
  /** IRLS settings passed to every fit. */
  tol?: number;
  maxIter?: number;
  /** Called after each fit (grid points, then the refit) with the fits done and the total. */
  onFit?: (done: number, total: number) => void;
}

interface MSVRGridEntry {
  C: number;
  sigma: number;
  epsilon: number;
  validationRmse: number;
  supportVectors: number;
}

export interface MSVRGridSearchResult {
  best: MSVRGridEntry;
  /** Every grid point, in grid order (C outermost, epsilon innermost). */
  table: MSVRGridEntry[];
  /** The best setting refitted on all rows (or fitted on the training part if refit = false). */
  model: MSVR;
}

/** Root-mean-square error over all entries of two equally shaped matrices. */
export function rmse(a: RowMatrix, b: RowMatrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`rmse: shapes ${a.rows}x${a.cols} and ${b.rows}x${b.cols} differ`);
  let s = 0;
  for (let k = 0; k < a.data.length; k++) {
    const e = a.data[k] - b.data[k];
    s += e * e;
  }
  return Math.sqrt(s / a.data.length);
}

export function gridSearchMSVR(X: RowMatrix, Y: RowMatrix, grid: MSVRGrid, options: MSVRGridSearchOptions): MSVRGridSearchResult {
  if (X.rows !== Y.rows) throw new Error(`gridSearchMSVR: X has ${X.rows} rows, Y has ${Y.rows}; they must match`);
  for (const key of ['C', 'sigma', 'epsilon'] as const) {
    if (!Array.isArray(grid[key]) || grid[key].length === 0) throw new Error(`gridSearchMSVR: grid.${key} must be a non-empty array`);
  }
  const frac = options.validationFraction ?? 0.2;
  if (!(frac > 0 && frac < 1)) throw new Error(`gridSearchMSVR: validationFraction must lie in (0,1), got ${frac}`);
  const nVal = Math.max(1, Math.round(frac * X.rows));
  if (X.rows - nVal < 2) throw new Error(`gridSearchMSVR: need at least 2 training rows after holding out ${nVal}; supply more data`);
  const perm = new Rng(options.seed).permutation(X.rows);
  const valIdx = perm.subarray(0, nVal);
  const trIdx = perm.subarray(nVal);
  const Xtr = selectRows(X, trIdx);
  const Ytr = selectRows(Y, trIdx);
  const Xva = selectRows(X, valIdx);
  const Yva = selectRows(Y, valIdx);

  const refit = options.refit ?? true;
  const total = grid.C.length * grid.sigma.length * grid.epsilon.length + (refit ? 1 : 0);
  const table: MSVRGridEntry[] = [];
  let bestK = -1;
  let bestModel: MSVR | null = null;
  for (const C of grid.C) {
    for (const sigma of grid.sigma) {
      for (const epsilon of grid.epsilon) {
        const m = MSVR.fit(Xtr, Ytr, { C, sigma, epsilon, tol: options.tol, maxIter: options.maxIter });
        const entry = { C, sigma, epsilon, validationRmse: rmse(m.predict(Xva), Yva), supportVectors: m.info.supportVectors };
        table.push(entry);
        options.onFit?.(table.length, total);
        if (bestK < 0 || entry.validationRmse < table[bestK].validationRmse) {
          bestK = table.length - 1;
          bestModel = m;
        }
      }
    }
  }
  const best = table[bestK];
  if (!refit) return { best, table, model: bestModel as MSVR };
  const model = MSVR.fit(X, Y, { C: best.C, sigma: best.sigma, epsilon: best.epsilon, tol: options.tol, maxIter: options.maxIter });
  options.onFit?.(total, total);
  return { best, table, model };
}
