/**
 * Exact bookkeeping shared by the objective implementations: validates a batch (dimension,
 * finiteness, bounds [0,1]), counts forward calls and batches, and tracks the best-so-far point.
 */
export class EvaluationLedger {
  forwardCalls = 0;
  batches = 0;
  /** Objective values that were NaN/Infinity and were reported as +Infinity. */
  nonFinite = 0;
  bestObjective = Infinity;
  best: Float64Array | null = null;
  /** forwardCalls at the moment the best point was found (1-based index of that evaluation). */
  bestAtCall = 0;

  constructor(
    readonly dim: number,
    readonly owner: string,
  ) {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new Error(`${owner}: dim must be a positive integer, got ${dim}`);
    }
  }

  /** Throws, naming the row and component, unless every row has length dim and lies in [0,1]^d. */
  checkBatch(X: Float64Array[]): void {
    if (!Array.isArray(X) || X.length === 0) {
      throw new Error(`${this.owner}: X must be a non-empty array of Float64Array rows`);
    }
    for (let r = 0; r < X.length; r++) {
      const x = X[r];
      if (!(x instanceof Float64Array) || x.length !== this.dim) {
        throw new Error(`${this.owner}: X[${r}] must be a Float64Array of length dim=${this.dim}`);
      }
      for (let j = 0; j < this.dim; j++) {
        const v = x[j];
        if (!(v >= 0 && v <= 1)) {
          throw new Error(`${this.owner}: X[${r}][${j}] = ${v} is outside the normalised box [0,1]; clip or redraw it before evaluating`);
        }
      }
    }
  }

  /** Records one evaluated batch; replaces non-finite values by +Infinity in place. */
  record(X: Float64Array[], values: Float64Array): Float64Array {
    this.batches += 1;
    for (let r = 0; r < X.length; r++) {
      this.forwardCalls += 1;
      let v = values[r];
      if (!Number.isFinite(v)) {
        this.nonFinite += 1;
        v = Infinity;
        values[r] = v;
      }
      if (v < this.bestObjective) {
        this.bestObjective = v;
        this.best = Float64Array.from(X[r]);
        this.bestAtCall = this.forwardCalls;
      }
    }
    return values;
  }
}
