/**
 * The inversion objective of paper 2 (Chen et al. 2025, eq. for J):
 *
 *   J(m) = sum_i (y_obs[i] - F(m)[i])^2 / sigma_i  [+ lambda * sum_j (k_j - K(m)_j)^2 / s_j]
 *
 * on min-max-normalised data, where F is a batched forward function (the trained surrogate) taking a
 * population of normalised parameter vectors in [0,1]^d. The optional second term is case 2's
 * regularisation: known values at the observation wells (e.g. true ln k at the well cells), with
 * `K(m)` the model's values there (e.g. read off the field G(z)).
 *
 * Forward calls are counted here, per parameter vector handed to F, not computed from a formula;
 * batched invocations of F are counted separately. The regularisation map K is not a forward call.
 */
import { LedgerObjective } from './ledger-objective.js';
import { sumOfSquares, type ResidualObjective } from './residual-objective.js';

/** A batched forward model / surrogate: one output vector per input row. */
export type BatchForward = (X: Float64Array[]) => Promise<Float64Array[]> | Float64Array[];

export interface WellRegularisation {
  /** Model values at the wells for one normalised parameter vector (e.g. ln k of G(z) at well cells). */
  predict: (x: Float64Array) => Float64Array;
  /** Known values at the wells (same length as `predict`'s output). */
  known: Float64Array;
  /** Weight lambda of the term; default 1. */
  weight?: number;
  /** Per-well divisor s_j (scalar or one per well); default 1. */
  sigma?: number | Float64Array;
}

export interface BatchObjectiveOptions {
  /** Number of normalised parameters d. */
  dim: number;
  /** The batched forward function F (the surrogate). */
  forward: BatchForward;
  /** Observations y_obs on the same normalised scale as F's outputs. */
  observations: Float64Array;
  /** Divisor sigma_i in J (scalar or one per observation); default 1. */
  sigma?: number | Float64Array;
  regularisation?: WellRegularisation;
}

function expandPositive(v: number | Float64Array | undefined, n: number, field: string): Float64Array {
  const out = new Float64Array(n);
  if (v === undefined) return out.fill(1);
  if (typeof v === 'number') {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${field} must be a positive finite number, got ${v}`);
    return out.fill(v);
  }
  if (v.length !== n) throw new Error(`${field} must have length ${n} (one per entry), got ${v.length}`);
  for (let i = 0; i < n; i++) {
    if (!(v[i] > 0) || !Number.isFinite(v[i])) {
      throw new Error(`${field}[${i}] must be a positive finite number, got ${v[i]}`);
    }
  }
  return Float64Array.from(v);
}

export class BatchObjective extends LedgerObjective implements ResidualObjective {
  private readonly forward: BatchForward;
  private readonly observations: Float64Array;
  private readonly invSigma: Float64Array;
  private readonly reg: { predict: (x: Float64Array) => Float64Array; known: Float64Array; weight: number; invSigma: Float64Array } | null;

  constructor(opts: BatchObjectiveOptions) {
    super(opts.dim, 'BatchObjective');
    if (typeof opts.forward !== 'function') throw new Error('BatchObjective: forward must be a function (X) => outputs');
    if (!(opts.observations instanceof Float64Array) || opts.observations.length === 0) {
      throw new Error('BatchObjective: observations must be a non-empty Float64Array');
    }
    this.forward = opts.forward;
    this.observations = Float64Array.from(opts.observations);
    const sigma = expandPositive(opts.sigma, this.observations.length, 'BatchObjective: sigma');
    this.invSigma = sigma.map((s) => 1 / s);
    const r = opts.regularisation;
    if (r) {
      if (!(r.known instanceof Float64Array) || r.known.length === 0) {
        throw new Error('BatchObjective: regularisation.known must be a non-empty Float64Array');
      }
      const weight = r.weight ?? 1;
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw new Error(`BatchObjective: regularisation.weight must be a finite number >= 0, got ${weight}`);
      }
      const s = expandPositive(r.sigma, r.known.length, 'BatchObjective: regularisation.sigma');
      this.reg = { predict: r.predict, known: Float64Array.from(r.known), weight, invSigma: s.map((v) => 1 / v) };
    } else {
      this.reg = null;
    }
  }

  /** Weighted misfit sum_i (y_obs[i] - y[i])^2 / sigma_i of one forward output. */
  misfit(y: Float64Array): number {
    return sumOfSquares(this.dataResiduals(y));
  }

  /** Regularisation term for one parameter vector (0 without regularisation). */
  regularisationTerm(x: Float64Array): number {
    return sumOfSquares(this.regularisationResiduals(x));
  }

  async evaluate(X: Float64Array[]): Promise<Float64Array> {
    const Y = await this.forwardChecked(X);
    const J = new Float64Array(X.length);
    for (let r = 0; r < X.length; r++) J[r] = this.misfit(Y[r]) + this.regularisationTerm(X[r]);
    return this.ledger.record(X, J);
  }

  /**
   * Residuals whose sum of squares is J: (y_obs[i] - F(x)[i]) / sqrt(sigma_i), then, with the
   * regularisation, sqrt(lambda / s_j) (k_j - K(x)_j). Counted and recorded like `evaluate`.
   */
  async residuals(X: Float64Array[]): Promise<Float64Array[]> {
    const Y = await this.forwardChecked(X);
    const out = Y.map((y, r) => {
      const data = this.dataResiduals(y);
      const reg = this.regularisationResiduals(X[r]);
      const res = new Float64Array(data.length + reg.length);
      res.set(data);
      res.set(reg, data.length);
      return res;
    });
    this.ledger.record(X, Float64Array.from(out, sumOfSquares));
    return out;
  }

  private dataResiduals(y: Float64Array): Float64Array {
    const n = this.observations.length;
    if (y.length !== n) {
      throw new Error(`BatchObjective: forward output has length ${y.length}, observations have ${n}; they must match`);
    }
    return Float64Array.from(y, (v, i) => (this.observations[i] - v) * Math.sqrt(this.invSigma[i]));
  }

  private regularisationResiduals(x: Float64Array): Float64Array {
    if (!this.reg) return new Float64Array(0);
    const { known, weight, invSigma } = this.reg;
    const p = this.reg.predict(x);
    if (p.length !== known.length) {
      throw new Error(`BatchObjective: regularisation.predict returned ${p.length} values, regularisation.known has ${known.length}`);
    }
    return Float64Array.from(p, (v, j) => (known[j] - v) * Math.sqrt(weight * invSigma[j]));
  }

  private async forwardChecked(X: Float64Array[]): Promise<Float64Array[]> {
    this.ledger.checkBatch(X);
    const Y = await this.forward(X);
    if (!Array.isArray(Y) || Y.length !== X.length) {
      throw new Error(
        `BatchObjective: forward returned ${Array.isArray(Y) ? Y.length : typeof Y} outputs for ${X.length} inputs; it must return one Float64Array per row`,
      );
    }
    return Y;
  }
}
