/**
 * What every optimiser in `inversion/optimizers/` shares: the common options (seed, iteration budget,
 * heartbeat callback, abort signal) and the result record.
 */
export type OptimizerMethod = 'GA' | 'PSO' | 'DE' | 'SA' | 'LM';

/** Passed to `onIteration` after each iteration (GA/PSO/DE: generation; SA: Markov chain; LM: Gauss-Newton step). */
interface IterationInfo {
  method: OptimizerMethod;
  /** 1-based iteration just finished. */
  iteration: number;
  maxIter: number;
  /** Best-so-far objective of this run. */
  bestObjective: number;
  /** Forward calls (parameter vectors evaluated) of this run so far, read off the objective's counter. */
  forwardCalls: number;
  /** Batched objective invocations of this run so far. */
  batches: number;
  elapsedMs: number;
}

export interface CommonOptimizerOptions {
  /** Seed of the run's `Rng`; the run is a deterministic function of (objective, options, seed). */
  seed: number;
  /** Iterations: generations for GA/PSO/DE, Markov chains for SA, Gauss-Newton steps for LM. */
  maxIter?: number;
  /** Called after every iteration (heartbeats, progress). May be async; it is awaited. */
  onIteration?: (info: IterationInfo) => void | Promise<void>;
  /** Checked before every batch; an aborted signal makes the run reject with the signal's reason. */
  signal?: AbortSignal;
}

export interface OptimizerResult {
  method: OptimizerMethod;
  /** Best parameter vector found (normalised, in [0,1]^d). */
  best: Float64Array;
  /** Objective at `best`: the lowest value among the run's (non-speculative) evaluations. */
  bestObjective: number;
  /** Best-so-far objective after each iteration; length = iterations run. */
  curve: Float64Array;
  /** Parameter vectors evaluated during the run (difference of the objective's counter). */
  forwardCalls: number;
  /** Batched objective invocations during the run (difference of the objective's counter). */
  batches: number;
  /** Iterations run (= curve.length). */
  iterations: number;
  wallMs: number;
  /** Forward calls spent on discarded speculative evaluations (SA speculative mode only; else 0). */
  wastedCalls: number;
}
