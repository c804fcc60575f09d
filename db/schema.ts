/**
 * The results database: one drizzle schema for both drivers (PGlite embedded, postgres.js server).
 * Postgres holds what people query; big tensors live in the artifact store and are referenced by id.
 * Every write path is an upsert keyed by natural ids (campaign_id, run_index, ...), so retried
 * activities and restarted workers never duplicate or lose a result.
 */
import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    spec: jsonb('spec').notNull(),
    specHash: text('spec_hash').notNull(),
    seed: bigint('seed', { mode: 'number' }).notNull(),
    status: text('status').notNull().default('pending'),
    totalRuns: integer('total_runs').notNull().default(0),
    completedRuns: integer('completed_runs').notNull().default(0),
    failedRuns: integer('failed_runs').notNull().default(0),
    cancelledRuns: integer('cancelled_runs').notNull().default(0),
    /** Task queue chosen for the ML stages, with the reason (routing). */
    queue: text('queue'),
    routing: text('routing'),
    workflowId: text('workflow_id'),
    /** Pipeline stages point at their pipeline campaign. */
    parentId: text('parent_id'),
    /** Content hash of (kind, spec, inputs): finished stages with the same hash are reused. */
    stageHash: text('stage_hash'),
    results: jsonb('results'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaigns_status_idx').on(t.status), index('campaigns_stage_hash_idx').on(t.stageHash)],
);

export const runs = pgTable(
  'runs',
  {
    campaignId: text('campaign_id').notNull(),
    runIndex: integer('run_index').notNull(),
    params: jsonb('params').notNull(),
    status: text('status').notNull().default('pending'),
    attempt: integer('attempt').notNull().default(0),
    worker: text('worker'),
    backend: text('backend'),
    /** Scalar outputs and artifact ids of the run (model value, summaries). */
    output: jsonb('output'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: doublePrecision('duration_ms'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.runIndex] }), index('runs_status_idx').on(t.campaignId, t.status)],
);

export const artifacts = pgTable('artifacts', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  dtype: text('dtype').notNull(),
  shape: jsonb('shape').notNull(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
  uri: text('uri').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const datasets = pgTable('datasets', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull(),
  /** bioremediation | case1 | case2 | case3 | pflotran */
  source: text('source').notNull(),
  pairing: text('pairing'),
  preset: text('preset'),
  size: integer('size').notNull(),
  /** { train: number[], val: number[], test: number[] } run indices */
  split: jsonb('split').notNull(),
  /** Shapes, variables, normalisation bounds, anything a consumer needs. */
  meta: jsonb('meta').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const predictions = pgTable(
  'predictions',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    runIndex: integer('run_index').notNull(),
    variable: text('variable').notNull(),
    modelId: text('model_id'),
    artifactId: text('artifact_id').notNull(),
    summary: jsonb('summary').notNull(),
  },
  (t) => [uniqueIndex('predictions_key').on(t.campaignId, t.runIndex, t.variable)],
);

export const metrics = pgTable(
  'metrics',
  {
    id: serial('id').primaryKey(),
    ownerType: text('owner_type').notNull(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    split: text('split').notNull().default(''),
    step: integer('step').notNull().default(-1),
    value: doublePrecision('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('metrics_key').on(t.ownerType, t.ownerId, t.name, t.split, t.step)],
);

export const models = pgTable('models', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull(),
  arch: text('arch').notNull(),
  variable: text('variable'),
  repeat: integer('repeat').notNull().default(0),
  hyperparams: jsonb('hyperparams').notNull(),
  backend: text('backend').notNull(),
  artifactId: text('artifact_id'),
  paramsCount: integer('params_count').notNull().default(0),
  trainSeconds: doublePrecision('train_seconds').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const inversionResults = pgTable(
  'inversion_results',
  {
    campaignId: text('campaign_id').notNull(),
    scenario: integer('scenario').notNull(),
    method: text('method').notNull(),
    npc: integer('npc').notNull(),
    repeat: integer('repeat').notNull().default(0),
    variant: text('variant').notNull().default(''),
    forwardCalls: integer('forward_calls').notNull(),
    wallMs: doublePrecision('wall_ms').notNull(),
    finalObjective: doublePrecision('final_objective').notNull(),
    objectiveCurve: real('objective_curve').array().notNull(),
    estimate: real('estimate').array().notNull(),
    truth: real('truth').array().notNull(),
    calibRmse: doublePrecision('calib_rmse'),
    calibR2: doublePrecision('calib_r2'),
    validRmse: doublePrecision('valid_rmse'),
    validR2: doublePrecision('valid_r2'),
    /** Per-output-group fit (heads, concentrations), field RMSE, estimated field artifact. */
    detail: jsonb('detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.scenario, t.method, t.npc, t.repeat, t.variant] })],
);

/** Progress snapshots for throughput-over-time charts (one row per campaign per tick). */
export const progressSamples = pgTable(
  'progress_samples',
  {
    campaignId: text('campaign_id').notNull(),
    at: timestamp('at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    completed: integer('completed').notNull(),
    failed: integer('failed').notNull(),
  },
  (t) => [index('progress_samples_idx').on(t.campaignId, t.at)],
);
