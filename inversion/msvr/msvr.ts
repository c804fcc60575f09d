/**
 * Multi-output support vector regression (MSVR; Perez-Cruz, Camps-Valls, Soria-Olivas et al.
 * 2002; Tuia et al. 2011), RBF kernel. Minimises over the dual coefficients B (n x q), f(x) = k(x, X) B:
 *
 *   L_P(B) = 1/2 sum_q b_q^T K b_q + C/2 sum_i (u_i - eps)_+^2,   u_i = ||y_i - (K B)_i||_2,
 *
 * i.e. an epsilon-insensitive quadratic loss on the Euclidean norm of each sample's multi-output
 * error (one hyper-sphere, not q independent tubes). Fitted by iteratively reweighted least squares:
 * with a_i = C (u_i - eps) / u_i on the samples outside the tube (S), solve
 * (K_SS + diag(1 / a_S)) B_S = Y_S (Cholesky), B = 0 elsewhere, then a backtracking line search
 * (step / 10) along the IRLS direction until L_P does not increase; stop when the relative
 * decrease of L_P falls below `tol`. L_P is convex in B, so this converges to its minimiser.
 *
 * With eps = 0 every sample has a_i = C and the first step is the closed-form kernel ridge solution
 * (K + I / C)^{-1} Y (see kernel-ridge.ts).
 */
import { choleskyFactor, choleskySolve } from '../../numerics/cholesky.js';
import { rbfGamma, rbfKernel } from './rbf-kernel.js';
import type { RowMatrix } from './row-matrix.js';
import { selectRows } from './row-matrix.js';

export interface MSVRParams {
  /** Loss weight C (> 0). */
  C: number;
  /** RBF width sigma (or give gamma = 1 / (2 sigma^2)). */
  sigma?: number;
  gamma?: number;
  /** Tube radius eps >= 0 on the per-sample error norm. */
  epsilon: number;
  /** Relative decrease of L_P below which IRLS stops; default 1e-8. */
  tol?: number;
  /** IRLS iteration cap; default 100. */
  maxIter?: number;
}

export interface MSVRFitInfo {
  iterations: number;
  /** L_P after each IRLS iteration (index 0: B = 0). */
  objectiveHistory: Float64Array;
  /** Samples with a nonzero coefficient row (outside the tube at the last solve). */
  supportVectors: number;
  converged: boolean;
}

export class MSVR {
  private constructor(
    readonly gamma: number,
    /** Support-vector inputs (rows of the training X with a nonzero coefficient row). */
    readonly supportX: RowMatrix,
    /** Their coefficient rows (|S| x q). */
    readonly supportBeta: RowMatrix,
    /** Full coefficient matrix on the training set (n x q; zero rows for non-support samples). */
    readonly beta: RowMatrix,
    readonly info: MSVRFitInfo,
  ) {}

  static fit(X: RowMatrix, Y: RowMatrix, params: MSVRParams): MSVR {
    if (X.rows !== Y.rows) throw new Error(`MSVR: X has ${X.rows} rows, Y has ${Y.rows}; they must match`);
    const C = params.C;
    if (!(C > 0) || !Number.isFinite(C)) throw new Error(`MSVR: C must be a positive finite number, got ${C}`);
    const eps = params.epsilon;
    if (!(eps >= 0) || !Number.isFinite(eps)) throw new Error(`MSVR: epsilon must be a finite number >= 0, got ${eps}`);
    const tol = params.tol ?? 1e-8;
    const maxIter = params.maxIter ?? 100;
    if (!Number.isInteger(maxIter) || maxIter < 1) throw new Error(`MSVR: maxIter must be a positive integer, got ${maxIter}`);
    const gamma = rbfGamma(params, 'MSVR');
    const n = X.rows;
    const q = Y.cols;
    const K = rbfKernel(X, X, gamma);

    // State for a coefficient matrix B: F = K B, u_i = ||y_i - F_i||, L_P.
    const evalState = (B: Float64Array) => {
      const F = new Float64Array(n * q);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const b = B.subarray(j * q, (j + 1) * q);
          let any = false;
          for (let c = 0; c < q; c++)
            if (b[c] !== 0) {
              any = true;
              break;
            }
          if (!any) continue;
          const k = K[i * n + j];
          for (let c = 0; c < q; c++) F[i * q + c] += k * b[c];
        }
      }
      const u = new Float64Array(n);
      let reg = 0;
      let loss = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < q; c++) {
          const e = Y.data[i * q + c] - F[i * q + c];
          s += e * e;
          reg += B[i * q + c] * F[i * q + c];
        }
        u[i] = Math.sqrt(s);
        if (u[i] > eps) loss += (u[i] - eps) * (u[i] - eps);
      }
      return { u, Lp: 0.5 * reg + 0.5 * C * loss };
    };

    let B = new Float64Array(n * q);
    let state = evalState(B);
    const history = [state.Lp];
    let converged = false;
    let iterations = 0;
    for (let it = 1; it <= maxIter; it++) {
      iterations = it;
      const support: number[] = [];
      for (let i = 0; i < n; i++) if (eps === 0 || state.u[i] > eps) support.push(i);
      if (support.length === 0) {
        // Every sample inside the tube: B = 0 has zero loss and is optimal.
        B.fill(0);
        state = evalState(B);
        history.push(state.Lp);
        converged = true;
        break;
      }
      const m = support.length;
      const A = new Float64Array(m * m);
      const Ys = new Float64Array(m * q);
      for (let r = 0; r < m; r++) {
        const i = support[r];
        for (let s = 0; s < m; s++) A[r * m + s] = K[i * n + support[s]];
        const ui = state.u[i];
        const a = eps === 0 ? C : Math.max((C * (ui - eps)) / ui, C * 1e-12);
        A[r * m + r] += 1 / a;
        Ys.set(Y.data.subarray(i * q, (i + 1) * q), r * q);
      }
      const Bs = choleskySolve(choleskyFactor(A, m), m, Ys, q);
      const target = new Float64Array(n * q);
      for (let r = 0; r < m; r++) target.set(Bs.subarray(r * q, (r + 1) * q), support[r] * q);

      // Backtracking along B + eta (target - B).
      let eta = 1;
      let cand = target;
      let next = evalState(cand);
      while (next.Lp > state.Lp && eta > 1e-16) {
        eta /= 10;
        cand = new Float64Array(n * q);
        for (let k = 0; k < cand.length; k++) cand[k] = B[k] + eta * (target[k] - B[k]);
        next = evalState(cand);
      }
      if (next.Lp > state.Lp) {
        converged = true; // no descent possible along the IRLS direction: at the minimiser up to rounding
        break;
      }
      const rel = state.Lp > 0 ? (state.Lp - next.Lp) / state.Lp : 0;
      B = cand;
      state = next;
      history.push(state.Lp);
      if (rel < tol) {
        converged = true;
        break;
      }
    }

    const nz: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < q; c++)
        if (B[i * q + c] !== 0) {
          nz.push(i);
          break;
        }
    }
    const beta: RowMatrix = { rows: n, cols: q, data: B };
    return new MSVR(gamma, selectRows(X, nz), selectRows(beta, nz), beta, {
      iterations,
      objectiveHistory: Float64Array.from(history),
      supportVectors: nz.length,
      converged,
    });
  }

  /** Predictions f(x) = k(x, X_S) B_S for each row of Xnew (Xnew.rows x q). */
  predict(Xnew: RowMatrix): RowMatrix {
    const q = this.supportBeta.cols;
    const out = new Float64Array(Xnew.rows * q);
    const m = this.supportX.rows;
    if (m === 0) return { rows: Xnew.rows, cols: q, data: out };
    if (Xnew.cols !== this.supportX.cols) {
      throw new Error(`MSVR.predict: Xnew has ${Xnew.cols} columns, the model was fitted on ${this.supportX.cols}`);
    }
    const Kx = rbfKernel(Xnew, this.supportX, this.gamma);
    const Bd = this.supportBeta.data;
    for (let i = 0; i < Xnew.rows; i++) {
      for (let j = 0; j < m; j++) {
        const k = Kx[i * m + j];
        for (let c = 0; c < q; c++) out[i * q + c] += k * Bd[j * q + c];
      }
    }
    return { rows: Xnew.rows, cols: q, data: out };
  }
}
