/**
 * What an optimiser minimises: a batched objective over the normalised parameter box [0,1]^d.
 *
 * Every optimiser in `inversion/optimizers/` hands a whole population to `evaluate` in one call;
 * the objective counts forward calls (parameter vectors evaluated) and batches (invocations) itself,
 * so the counts reported for a run are measured, never derived from a formula.
 */
export interface Objective {
  /** Number of normalised parameters d; every vector passed to `evaluate` has this length. */
  readonly dim: number;
  /**
   * Objective values J(x) for each row of `X` (each row in [0,1]^d). One call = one batch and
   * `X.length` forward calls. Non-finite values come back as +Infinity.
   */
  evaluate(X: Float64Array[]): Promise<Float64Array>;
  /** Parameter vectors evaluated so far (sum of batch sizes). */
  readonly forwardCalls: number;
  /** Batched invocations so far. */
  readonly batches: number;
  /** Lowest objective value seen so far (+Infinity before the first evaluation). */
  readonly bestObjective: number;
  /** Copy of the parameter vector that gave `bestObjective` (null before the first evaluation). */
  readonly best: Float64Array | null;
}
