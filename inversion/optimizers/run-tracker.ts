/**
 * Per-run bookkeeping for the optimisers: wraps the objective, measures forward calls and batches
 * as differences of the objective's own counters, tracks the run's best point, builds the
 * best-so-far curve, fires `onIteration` and honours the abort signal.
 */
import type { Objective } from '../objective/objective.js';
import type { CommonOptimizerOptions, OptimizerMethod, OptimizerResult } from './optimizer-result.js';

export function positiveInteger(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${field} must be a positive integer, got ${v}`);
  return v;
}

export function checkSeed(seed: unknown, method: string): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new Error(`${method}: options.seed must be a finite number (every run is seeded), got ${String(seed)}`);
  }
  return seed;
}

export class RunTracker {
  private readonly calls0: number;
  private readonly batches0: number;
  private readonly t0 = performance.now();
  private readonly curve: number[] = [];
  bestObjective = Infinity;
  best: Float64Array;
  wastedCalls = 0;

  constructor(
    readonly method: OptimizerMethod,
    readonly objective: Objective,
    readonly maxIter: number,
    private readonly opts: CommonOptimizerOptions,
  ) {
    this.calls0 = objective.forwardCalls;
    this.batches0 = objective.batches;
    this.best = new Float64Array(objective.dim).fill(NaN);
  }

  get forwardCalls(): number {
    return this.objective.forwardCalls - this.calls0;
  }
  get batches(): number {
    return this.objective.batches - this.batches0;
  }

  /** One batched objective call; `track` = false keeps the values out of the run's best. */
  async evaluate(X: Float64Array[], track = true): Promise<Float64Array> {
    this.opts.signal?.throwIfAborted();
    const y = await this.objective.evaluate(X);
    if (track) for (let r = 0; r < X.length; r++) this.consider(X[r], y[r]);
    return y;
  }

  /** Offers one evaluated point to the run's best-so-far. */
  consider(x: Float64Array, y: number): void {
    if (y < this.bestObjective) {
      this.bestObjective = y;
      this.best = Float64Array.from(x);
    }
  }

  async endIteration(): Promise<void> {
    this.curve.push(this.bestObjective);
    if (this.opts.onIteration) {
      await this.opts.onIteration({
        method: this.method,
        iteration: this.curve.length,
        maxIter: this.maxIter,
        bestObjective: this.bestObjective,
        forwardCalls: this.forwardCalls,
        batches: this.batches,
        elapsedMs: performance.now() - this.t0,
      });
    }
  }

  result(): OptimizerResult {
    return {
      method: this.method,
      best: Float64Array.from(this.best),
      bestObjective: this.bestObjective,
      curve: Float64Array.from(this.curve),
      forwardCalls: this.forwardCalls,
      batches: this.batches,
      iterations: this.curve.length,
      wallMs: performance.now() - this.t0,
      wastedCalls: this.wastedCalls,
    };
  }
}
