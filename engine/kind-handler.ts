/**
 * What a campaign kind contributes to the generic fan-out engine. The engine (workflows/) knows
 * only run indices, batches and stage names; a kind says how many runs there are, what each run's
 * parameters are, what each stage does to a batch of runs, and how results are summarised.
 */
import type { ArtifactStore } from '../artifacts/store.js';
import type { Database } from '../db/client.js';
import type { CampaignRow } from '../db/campaign-store.js';
import type { CampaignSpec } from '../kinds/campaign-spec.js';

export type QueueRole = 'control' | 'compute' | 'ml';

export interface StageDefinition {
  /** Stage name passed back to `runBatch`/`runSetup`. */
  name: string;
  /** control/compute stages run on `cpu`; ml stages on the routed queue (gpu or cpu). */
  role: QueueRole;
}

export interface PreparedRuns {
  /** Parameters of each run, by run index. */
  params: Record<string, unknown>[];
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

export interface RunOutcome {
  runIndex: number;
  status: 'completed' | 'failed';
  output?: Record<string, unknown>;
  error?: string;
  durationMs: number;
}

export interface KindHandler<S extends CampaignSpec = CampaignSpec> {
  kind: S['kind'];
  /** Default runs per batch. */
  defaultBatchSize: number;
  /** Runs handed to `runBatch` at a time (results are written and a heartbeat sent after each). */
  chunkSize?: number;
  /** One-off steps before the fan-out (e.g. build a dataset, train a surrogate). */
  setup: StageDefinition[];
  /** Steps applied to every batch, in order. The last one completes the runs. */
  stages: StageDefinition[];
  /** Parameters of every run (deterministic in spec + seed). */
  prepare(spec: S, ctx: HandlerContext): Promise<PreparedRuns>;
  runSetup?(stage: string, spec: S, ctx: HandlerContext): Promise<void>;
  /** Execute a stage for runs; return outcomes for the runs it finished (last stage) or [] (intermediate). */
  runBatch(stage: string, spec: S, runs: { runIndex: number; params: Record<string, unknown> }[], ctx: HandlerContext): Promise<RunOutcome[]>;
  /** Summarise the campaign into `campaigns.results`. */
  finalize(spec: S, ctx: HandlerContext): Promise<Record<string, unknown>>;
}
