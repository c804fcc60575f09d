/**
 * What a campaign kind contributes to the generic fan-out engine. The engine (workflows/) knows
 * only run indices, batches and stage names; a kind says how many runs there are, what each run's
 * parameters are, what each stage does to a batch of runs, and how results are summarised.
 */
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';
import type { CampaignRow } from '../db/campaign-store.js';
import type { PlannedRuns } from './run-budget.js';

type QueueRole = 'control' | 'compute' | 'ml';

export interface StageDefinition {
  /** Stage name passed back to `runBatch`/`runSetup`. */
  name: string;
  /** control/compute stages run on `cpu`; ml stages on the routed queue (gpu or cpu). */
  role: QueueRole;
}

interface PreparedRuns<P> {
  /**
   * Parameters of each run, by run index (stored as JSON in `runs.params`). A generator keeps
   * planning in bounded memory: the engine inserts them in chunks as they are produced.
   */
  params: Iterable<P>;
}

/** A run handed to `runBatch`: its index and the parameters `prepare` gave it. */
export interface RunInput<P> {
  runIndex: number;
  params: P;
}

/** What `finalize` returns when the campaign cannot be summarised (the campaign fails with it). */
export interface ResultsError {
  error: string;
}

export interface HandlerContext {
  database: Database;
  store: ArtifactStore;
  campaign: CampaignRow;
  /** Heartbeat with a resumable position; throws if the activity was cancelled. */
  heartbeat(details?: unknown): void;
  /** Position recorded by the last heartbeat of a previous attempt, if any. */
  resumeFrom: unknown;
  /** Backend name of this worker's ML engine, for run rows. */
  backend: string;
  worker: string;
  signal: AbortSignal;
  log(msg: string, extra?: Record<string, unknown>): void;
}

/** A problem with a spec field found before the campaign starts. */
export interface SpecIssue {
  path: string;
  message: string;
}

/** What pre-start validation may look at: no Temporal, no writes. */
export interface PreflightContext {
  /** Results database of existing state; null when this state directory has none yet. */
  database: Database | null;
  /** Folder of the spec file, if the spec came from one. */
  specDir: string | null;
  /** Folders a spec's paths must stay inside: the spec's folder and PLUME_DATA_ROOTS. */
  allowedRoots: string[];
  insideAllowedRoots(p: string): boolean;
}

export interface RunOutcome {
  runIndex: number;
  status: 'completed' | 'failed';
  output?: Record<string, unknown>;
  error?: string;
  durationMs: number;
}

/**
 * A campaign kind: `S` its spec, `P` the parameters of one run (JSON), `R` its results (the
 * `campaigns.results` JSON its report reads; the type lives in the kind's results.ts).
 */
export interface KindHandler<S extends { kind: string }, P extends object, R extends object> {
  kind: S['kind'];
  /** Default runs per batch. */
  defaultBatchSize: number;
  /** Runs handed to `runBatch` at a time (a heartbeat after each; results are written once a second and at the batch's end). */
  chunkSize?: number;
  /** One-off steps before the fan-out (e.g. build a dataset, train a surrogate). */
  setup: StageDefinition[];
  /** Steps applied to every batch, in order. The last one completes the runs. */
  stages: StageDefinition[];
  /** Parameters of every run (deterministic in spec + seed). */
  prepare(spec: S, ctx: HandlerContext): Promise<PreparedRuns<P>>;
  /** Runs the spec plans and the fields that multiply to it (for the total-runs cap), if known without a stack. */
  plannedRuns?(spec: S): PlannedRuns;
  /** Checks that need no running stack (exit 2 before anything starts); may rewrite nothing. */
  preflight?(spec: S, ctx: PreflightContext): Promise<SpecIssue[]>;
  runSetup?(stage: string, spec: S, ctx: HandlerContext): Promise<void>;
  /** Execute a stage for runs; return outcomes for the runs it finished (last stage) or [] (intermediate). */
  runBatch(stage: string, spec: S, runs: RunInput<P>[], ctx: HandlerContext): Promise<RunOutcome[]>;
  /** Summarise the campaign into `campaigns.results`. */
  finalize(spec: S, ctx: HandlerContext): Promise<R | ResultsError>;
}
