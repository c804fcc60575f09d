/**
 * Levenberg-Marquardt on a sum-of-squares objective J(x) = |r(x)|^2 (the Gauss-Newton method with
 * Marquardt's diagonal damping), the algorithm of PEST and most hydrogeological calibration codes.
 * Not one of the paper's methods: Plume runs it on the forward simulator as the reference a
 * surrogate-based method is measured against, or on the surrogate to separate method from model.
 *
 * - It works in probit space z = Phi^-1(x) of the normalised box, x = Phi(z): every step stays
 *   inside (0,1)^d without clipping (z is kept in [-Z_MAX, Z_MAX]), and for case 2, whose
 *   normalised parameters are Phi of standard-normal KL coefficients, z is the coefficient itself.
 * - Each iteration builds the Jacobian by forward differences in z: ONE batch of d points
 *   z + h e_k (d forward calls). Then it tries steps s from (A + mu diag(A)) s = -J^T r, A = J^T J:
 *   one forward call per trial; a step (at most `maxStep` in any z) that lowers what LM minimises
 *   (J, plus the optional prior) is taken and mu divided by 3, else mu times 4 and retried (at most
 *   `maxTrials` times; none accepted ends the run). The reported best is the lowest J among the
 *   iterates (start and accepted steps), not among the Jacobian points.
 * - Deterministic: the seed is only checked (every optimiser takes one); the start is the box
 *   centre (z = 0: the prior mean of case 2's coefficients) unless `start` is given.
 * - Calls = 1 + sum over iterations of (d + trials), read off the objective's counter.
 */
import { choleskyFactor, choleskySolve } from '../../numerics/cholesky.js';
import { normalCdf } from '../../numerics/normal-cdf.js';
import { normalQuantile } from '../../numerics/normal-quantile.js';
import { sumOfSquares, type ResidualObjective } from '../objective/residual-objective.js';
import type { CommonOptimizerOptions, OptimizerResult } from './optimizer-result.js';
import { RunTracker, checkSeed, positiveInteger } from './run-tracker.js';

/** |z| bound: Phi(5.2) = 1 - 1e-7, inside the box and away from the probit's infinities. */
const Z_MAX = 5.2;

export interface LMOptions extends CommonOptimizerOptions {
  /** Gauss-Newton iterations (Jacobians); default 15. */
  maxIter?: number;
  /** Forward-difference step in probit space; default 1e-2. */
  step?: number;
  /** Initial damping mu; default 1e-2. */
  damping?: number;
  /** Largest change of any z per step (PEST's parameter-change limit); a longer step is scaled down. Default 1 (one prior std for case 2). */
  maxStep?: number;
  /** Step trials per iteration before giving up; default 8. */
  maxTrials?: number;
  /** Stop when an accepted step lowers J by less than this fraction; default 1e-6. */
  relativeTolerance?: number;
  /**
   * Weight w of a Gaussian prior on z added to what LM minimises, J + w |z|^2 / d (Tikhonov towards
   * the box centre; for case 2 the KL coefficients' own prior). Default 0: the objective's J alone.
   * The run's best point and objective are J's, among LM's iterates (the start and accepted steps).
   */
  prior?: number;
  /** Starting point in [0,1]^d; default the box centre. */
  start?: Float64Array;
}

const toBox = (z: Float64Array): Float64Array => Float64Array.from(z, normalCdf);
export async function runLM(objective: ResidualObjective, options: LMOptions): Promise<OptimizerResult> {
  checkSeed(options.seed, 'LM');
  const maxIter = positiveInteger(options.maxIter ?? 15, 'LM: maxIter');
  const maxTrials = positiveInteger(options.maxTrials ?? 8, 'LM: maxTrials');
  const h = options.step ?? 1e-2;
  if (!(h > 0 && h < 1)) throw new Error(`LM: step must lie in (0, 1), got ${h}`);
  let mu = options.damping ?? 1e-2;
  if (!(mu > 0) || !Number.isFinite(mu)) throw new Error(`LM: damping must be a positive finite number, got ${mu}`);
  const tol = options.relativeTolerance ?? 1e-6;
  const maxStep = options.maxStep ?? 1;
  if (!(maxStep > 0)) throw new Error(`LM: maxStep must be positive, got ${maxStep}`);
  const prior = options.prior ?? 0;
  if (!(prior >= 0)) throw new Error(`LM: prior must be >= 0, got ${prior}`);
  const d = objective.dim;
  const priorScale = Math.sqrt(prior / d);
  const tracker = new RunTracker('LM', objective, maxIter, options);

  let z = new Float64Array(d);
  if (options.start) {
    if (options.start.length !== d) throw new Error(`LM: start must have length ${d}, got ${options.start.length}`);
    z = Float64Array.from(options.start, (v) => Math.max(-Z_MAX, Math.min(Z_MAX, normalQuantile(Math.min(1, Math.max(0, v))))));
  }
  // Per point: r, the residuals of what LM minimises (the objective's, then sqrt(w / d) z for the
  // prior, if any), and J, the objective's own value (what the run reports).
  const evaluate = async (points: Float64Array[]): Promise<{ r: Float64Array; J: number }[]> => {
    options.signal?.throwIfAborted();
    const res = await objective.residuals(points.map(toBox));
    return res.map((r, i) => {
      const J = sumOfSquares(r);
      if (!prior) return { r, J };
      const out = new Float64Array(r.length + d);
      out.set(r);
      for (let k = 0; k < d; k++) out[r.length + k] = priorScale * points[i][k];
      return { r: out, J };
    });
  };
  let [current] = await evaluate([z]);
  if (!Number.isFinite(current.J)) throw new Error('LM: the objective is not finite at the start point');
  tracker.consider(toBox(z), current.J);
  let loss = sumOfSquares(current.r);

  for (let it = 0; it < maxIter; it++) {
    // Jacobian by forward differences, one batch.
    const shifted = Array.from({ length: d }, (_, k) => {
      const p = Float64Array.from(z);
      p[k] = z[k] + h <= Z_MAX ? z[k] + h : z[k] - h;
      return p;
    });
    const r = current.r;
    const m = r.length;
    const jac = (await evaluate(shifted)).map(({ r: rk }, k) => {
      const dz = shifted[k][k] - z[k];
      return Float64Array.from({ length: m }, (_, i) => (rk[i] - r[i]) / dz);
    });
    const A = new Float64Array(d * d);
    const g = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += jac[a][i] * jac[b][i];
        A[a * d + b] = A[b * d + a] = s;
      }
      let s = 0;
      for (let i = 0; i < m; i++) s += jac[a][i] * r[i];
      g[a] = -s;
    }
    let scale = 0;
    for (let a = 0; a < d; a++) scale = Math.max(scale, A[a * d + a]);
    const floor = 1e-12 * (scale > 0 ? scale : 1);

    const before = loss;
    let accepted = false;
    for (let trial = 0; trial < maxTrials && !accepted; trial++) {
      const M = Float64Array.from(A);
      for (let a = 0; a < d; a++) M[a * d + a] += mu * A[a * d + a] + floor * (1 + mu);
      const s = choleskySolve(choleskyFactor(M, d), d, g, 1);
      const longest = s.reduce((acc, v) => Math.max(acc, Math.abs(v)), 0);
      if (longest > maxStep) for (let k = 0; k < d; k++) s[k] *= maxStep / longest;
      const zNew = Float64Array.from(z, (v, k) => Math.max(-Z_MAX, Math.min(Z_MAX, v + s[k])));
      const [next] = await evaluate([zNew]);
      const nextLoss = sumOfSquares(next.r);
      if (nextLoss < loss) {
        tracker.consider(toBox(zNew), next.J);
        z = zNew;
        current = next;
        loss = nextLoss;
        mu = Math.max(mu / 3, 1e-12);
        accepted = true;
      } else {
        mu *= 4;
      }
    }
    await tracker.endIteration();
    if (!accepted || (before - loss) / before < tol) break;
  }
  return tracker.result();
}
