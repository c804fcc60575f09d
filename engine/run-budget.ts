/**
 * The total-runs cap, checked when a spec is validated (before anything starts). A kind says how
 * many runs its spec plans and which fields multiply to that number; a spec above the cap is
 * refused with exit 2 naming those fields. Default 5 million runs (each run is a row in `runs`, about
 * 0.5 KB in the database plus its parameters in memory while batches are planned); raise it with
 * `--max-runs N` or `PLUME_MAX_RUNS`.
 */
import { SpecError } from './spec-error.js';

export const DEFAULT_MAX_RUNS = 5_000_000;

/** Runs a spec plans, and the spec fields (with their values) whose product gives that number. */
export interface PlannedRuns {
  total: number;
  /** e.g. ['samples = 1000000', 'model.a: 100 coefficients + 2'] */
  factors: string[];
}

/** The cap in force: an explicit value (a flag), else `PLUME_MAX_RUNS`, else the default. */
export function maxRuns(explicit?: number): number {
  if (explicit !== undefined) return explicit;
  const raw = process.env.PLUME_MAX_RUNS;
  if (raw === undefined || raw === '') return DEFAULT_MAX_RUNS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new SpecError(`PLUME_MAX_RUNS must be a positive integer, got '${raw}'`, [{ path: 'PLUME_MAX_RUNS', message: 'not a positive integer' }]);
  return n;
}

/** Throws a SpecError when the planned runs exceed the cap. */
export function checkRunBudget(planned: PlannedRuns, cap: number, source = 'spec'): void {
  if (planned.total <= cap) return;
  const fields = planned.factors.join(' x ');
  const message =
    `the spec plans ${planned.total.toLocaleString('en-US')} runs (${fields}), above the limit of ${cap.toLocaleString('en-US')} runs; ` +
    'lower those fields, or raise the limit with --max-runs N (or PLUME_MAX_RUNS) if the database and the time budget allow it ' +
    '(each run is one row in `runs`, ~0.5 KB, and one model evaluation)';
  throw new SpecError(`${source}: ${message}`, [{ path: planned.factors.map((f) => f.split(/[ :=]/)[0]).join(', '), message }]);
}
