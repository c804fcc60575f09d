/**
 * An objective given directly as a batched scalar function over [0,1]^d (analytic test functions,
 * benchmarks), with the same exact accounting as `BatchObjective`: every row handed to the
 * function is one forward call, every invocation one batch.
 */
import { LedgerObjective } from './ledger-objective.js';

export type BatchScalarFunction = (X: Float64Array[]) => Float64Array | number[] | Promise<Float64Array | number[]>;

export class FunctionObjective extends LedgerObjective {
  constructor(
    dim: number,
    private readonly fn: BatchScalarFunction,
  ) {
    super(dim, 'FunctionObjective');
    if (typeof fn !== 'function') throw new Error('FunctionObjective: fn must be a function (X) => values');
  }

  /** Wraps a per-vector function f(x) as a batched one. */
  static pointwise(dim: number, f: (x: Float64Array) => number): FunctionObjective {
    return new FunctionObjective(dim, (X) => {
      const out = new Float64Array(X.length);
      for (let r = 0; r < X.length; r++) out[r] = f(X[r]);
      return out;
    });
  }

  async evaluate(X: Float64Array[]): Promise<Float64Array> {
    this.ledger.checkBatch(X);
    const v = await this.fn(X);
    if (v.length !== X.length) {
      throw new Error(`FunctionObjective: fn returned ${v.length} values for ${X.length} rows; it must return one per row`);
    }
    return this.ledger.record(X, Float64Array.from(v));
  }
}
