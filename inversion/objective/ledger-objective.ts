/**
 * Base of the objectives that keep their accounting in an `EvaluationLedger`: the read-only
 * counters every optimiser and result row uses (forward calls, batches, best-so-far point), in one
 * place. Subclasses implement `evaluate` and call `ledger.checkBatch` / `ledger.record` in it.
 */
import { EvaluationLedger } from './evaluation-ledger.js';
import type { Objective } from './objective.js';

export abstract class LedgerObjective implements Objective {
  protected readonly ledger: EvaluationLedger;

  protected constructor(
    readonly dim: number,
    owner: string,
  ) {
    this.ledger = new EvaluationLedger(dim, owner);
  }

  abstract evaluate(X: Float64Array[]): Promise<Float64Array>;

  get forwardCalls(): number {
    return this.ledger.forwardCalls;
  }
  get batches(): number {
    return this.ledger.batches;
  }
  get bestObjective(): number {
    return this.ledger.bestObjective;
  }
  get best(): Float64Array | null {
    return this.ledger.best ? Float64Array.from(this.ledger.best) : null;
  }
  /** Index (1-based, in forward calls) of the evaluation that found the best point. */
  get bestAtCall(): number {
    return this.ledger.bestAtCall;
  }
  /** Evaluations whose J was NaN/Infinity (reported as +Infinity). */
  get nonFinite(): number {
    return this.ledger.nonFinite;
  }
}
