/**
 * Database operations on campaigns and runs. Every write is an upsert keyed by
 * (campaign_id, run_index) so retries and restarted workers never duplicate or lose a row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { campaigns, progressSamples, runs } from './schema.js';
import type { CampaignSpec } from '../kinds/campaign-spec.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type RunRow = typeof runs.$inferSelect;

/** Stable JSON (sorted keys) so equal specs hash equally. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function specHash(spec: unknown): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

export function newCampaignId(spec: CampaignSpec): string {
  const slug = spec.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${slug || spec.kind}-${randomBytes(4).toString('hex')}`;
}

export async function insertCampaign(
  database: Database,
  row: { id: string; spec: CampaignSpec; parentId?: string | null; stageHash?: string | null },
): Promise<CampaignRow> {
  const [r] = await database.db
    .insert(campaigns)
    .values({
      id: row.id,
      kind: row.spec.kind,
      name: row.spec.name,
      spec: row.spec,
      specHash: specHash(row.spec),
      seed: row.spec.seed,
      status: 'pending',
      workflowId: `campaign-${row.id}`,
      parentId: row.parentId ?? null,
      stageHash: row.stageHash ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return r ?? (await getCampaign(database, row.id))!;
}

/** Whether a campaign status is final (its workflow has ended and nothing more will run). */
export function isFinishedStatus(status: string): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

export async function getCampaign(database: Database, id: string): Promise<CampaignRow | null> {
  const [r] = await database.db.select().from(campaigns).where(eq(campaigns.id, id));
  return r ?? null;
}

export async function updateCampaign(database: Database, id: string, patch: Partial<typeof campaigns.$inferInsert>): Promise<void> {
  await database.db
    .update(campaigns)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(campaigns.id, id));
}

/**
 * Batched run writes pass a whole chunk as ONE JSON parameter expanded by `jsonb_to_recordset`,
 * instead of one bind parameter per column per row: one short statement per chunk, which halves
 * what a cheap run costs the engine (bench/engine-writes.ts).
 */
const RUN_CHUNK = 5000;

/**
 * A batch's run indices as one Postgres array literal, for `run_index = any($n::int[])`: one text
 * parameter with either driver, and (with statistics, see insertRuns) a primary-key lookup per
 * index instead of a scan of the campaign's rows.
 */
const intArray = (indices: readonly number[]): string => `{${indices.map((i) => Math.trunc(i)).join(',')}}`;

/**
 * PGlite has no autovacuum, so a freshly filled `runs` table has no statistics and the planner
 * answers a batch lookup by scanning every run of the campaign through `runs_status_idx`: each
 * batch then costs O(campaign size). Planning a campaign of at least this many runs analyzes the
 * table's key and status columns once.
 */
const ANALYZE_AFTER_RUNS = 1000;

/**
 * Insert run rows (params, status pending) in chunks as `params` yields them, so planning a
 * million runs holds one chunk in memory; existing rows are left untouched. Returns the count.
 */
export async function insertRuns(database: Database, campaignId: string, params: Iterable<object>, onChunk?: (inserted: number) => void): Promise<number> {
  let rows: { i: number; p: object }[] = [];
  let n = 0;
  const flush = async (): Promise<void> => {
    if (rows.length === 0) return;
    await database.query(
      `insert into runs (campaign_id, run_index, params, status)
       select $1, r.i, r.p, 'pending' from jsonb_to_recordset($2::jsonb) as r(i int, p jsonb)
       on conflict do nothing`,
      [campaignId, JSON.stringify(rows)],
    );
    rows = [];
    onChunk?.(n);
  };
  for (const p of params) {
    rows.push({ i: n++, p });
    if (rows.length >= RUN_CHUNK) await flush();
  }
  await flush();
  // Statistics of the columns the engine's lookups filter on: the JSON columns (params, output)
  // took most of a full `analyze runs` (0.23-0.41 s of 20,000 rows' planning) and no plan uses them.
  if (n >= ANALYZE_AFTER_RUNS) await database.query('analyze runs (campaign_id, run_index, status)');
  return n;
}

export async function loadRuns(database: Database, campaignId: string, indices: number[]): Promise<RunRow[]> {
  if (indices.length === 0) return [];
  const rows = await database.db
    .select()
    .from(runs)
    .where(and(eq(runs.campaignId, campaignId), sql`${runs.runIndex} = any(${intArray(indices)}::int[])`));
  return rows.sort((a, b) => a.runIndex - b.runIndex);
}

export interface BatchRuns {
  /** Runs of the batch still to do (not completed or cancelled), in index order. */
  todo: { runIndex: number; params: unknown }[];
  /** Runs of the batch already completed or cancelled. */
  done: number;
}

/** What a batch activity starts with: the batch's runs still to do with their params, and how many are done. */
export async function loadBatchRuns(database: Database, campaignId: string, indices: readonly number[]): Promise<BatchRuns> {
  const out: BatchRuns = { todo: [], done: 0 };
  if (indices.length === 0) return out;
  const res = await database.query(`select run_index, status, params from runs where campaign_id = $1 and run_index = any($2::int[]) order by run_index`, [
    campaignId,
    intArray(indices),
  ]);
  for (const r of res.rows) {
    if (r.status === 'completed' || r.status === 'cancelled') out.done++;
    else out.todo.push({ runIndex: Number(r.run_index), params: r.params });
  }
  return out;
}

/**
 * PGlite runs one statement at a time (one backend), so nothing races a read-then-write statement
 * there and row locks would only cost time; on a server, concurrent attempts of a batch wait on them.
 */
const lockClause = (database: Database): string => (database.engine === 'postgres' ? 'for update' : '');

/**
 * Mark unfinished runs running by a worker (attempt + 1), in one statement; runs that had failed
 * leave the campaign's failed counter (their new result counts them again, see recordRunResults).
 * The batch activity does this only for a batch still working after a second (a cheap batch goes
 * from pending to its result in one write).
 */
export async function markRunsRunning(database: Database, campaignId: string, indices: readonly number[], worker: string, backend: string): Promise<void> {
  if (indices.length === 0) return;
  await database.query(
    `with prev as (select run_index, status from runs where campaign_id = $1 and run_index = any($2::int[]) ${lockClause(database)}),
     claimed as (update runs r set status = 'running', worker = $3, backend = $4, started_at = now(), attempt = r.attempt + 1
       from prev where r.campaign_id = $1 and r.run_index = any($2::int[]) and r.run_index = prev.run_index and prev.status not in ('completed', 'cancelled'))
     update campaigns set failed_runs = failed_runs - (select count(*) from prev where status = 'failed')::int
     where id = $1 and exists (select 1 from prev where status = 'failed')`,
    [campaignId, intArray(indices), worker, backend],
  );
}

export interface CampaignCounters {
  total: number;
  completed: number;
  failed: number;
}

export interface RunResultWrite {
  runIndex: number;
  /** Marked running by this attempt (markRunsRunning): its attempt and start time are set already. */
  marked?: boolean;
  status: 'completed' | 'failed';
  output?: Record<string, unknown> | null;
  error?: string | null;
  durationMs: number;
}

/** Results as the JSON array `jsonb_to_recordset` expands (i, s, o, e, d, m, b). */
function resultRowsJson(results: RunResultWrite[]): string {
  return JSON.stringify(
    results.map((r) => ({
      i: r.runIndex,
      s: r.status,
      o: r.output ?? null,
      e: r.error ?? null,
      d: r.durationMs,
      m: r.marked ?? false,
      // A task that placed its work on a backend itself (tensorflow or wasm) says which.
      b: typeof r.output?.backend === 'string' ? r.output.backend : null,
    })),
  );
}

/** Upsert run results in one statement (one JSON parameter) per chunk. */
export async function writeRunResults(database: Database, campaignId: string, results: RunResultWrite[], worker: string, backend: string): Promise<void> {
  for (let s = 0; s < results.length; s += RUN_CHUNK) {
    await database.query(
      `insert into runs (campaign_id, run_index, params, status, output, error, duration_ms, finished_at, worker, backend)
       select $1, r.i, '{}'::jsonb, r.s, r.o, r.e, r.d, now(), $3, coalesce(r.b, $4)
       from jsonb_to_recordset($2::jsonb) as r(i int, s text, o jsonb, e text, d double precision, b text)
       on conflict (campaign_id, run_index) do update set
         status = excluded.status, output = excluded.output, error = excluded.error, duration_ms = excluded.duration_ms,
         finished_at = excluded.finished_at, worker = excluded.worker, backend = excluded.backend`,
      [campaignId, resultRowsJson(results.slice(s, s + RUN_CHUNK)), worker, backend],
    );
  }
}

/**
 * The upsert of recordRunResults ($1 campaign, $2 results JSON, $3 worker, $4 backend, $5 start
 * time; `join` reads the previous statuses first on a server): completed and cancelled runs keep
 * their row.
 */
const upsertResults = (
  join: string,
): string => `insert into runs (campaign_id, run_index, params, status, output, error, duration_ms, finished_at, worker, backend, attempt, started_at)
    select $1, r.i, '{}'::jsonb, r.s, r.o, r.e, r.d, now(), $3, coalesce(r.b, $4), case when r.m then 0 else 1 end, $5::timestamptz
    from jsonb_to_recordset($2::jsonb) as r(i int, s text, o jsonb, e text, d double precision, m boolean, b text) ${join}
    on conflict (campaign_id, run_index) do update set
      status = excluded.status, output = excluded.output, error = excluded.error, duration_ms = excluded.duration_ms,
      finished_at = excluded.finished_at, worker = excluded.worker, backend = excluded.backend,
      attempt = runs.attempt + excluded.attempt,
      started_at = case when excluded.attempt = 0 then runs.started_at else excluded.started_at end
    where runs.status not in ('completed', 'cancelled')`;

/**
 * PostgreSQL server (>= 15; $6 the batch's run indices): the previous statuses come from `prev`,
 * which the insert reads (left join) before it writes a row, so the row lock in `prev` always
 * comes first.
 */
const RECORD_RESULTS_SERVER = `with prev as (select run_index, status from runs where campaign_id = $1 and run_index = any($6::int[]) for update),
  written as (
    ${upsertResults('left join prev on prev.run_index = r.i')}
    returning run_index, status)
  update campaigns set
    completed_runs = completed_runs + (select count(*) from written where status = 'completed')::int,
    failed_runs = failed_runs + (select count(*) from written where status = 'failed')::int
      - (select count(*) from written join prev using (run_index) where prev.status = 'failed')::int
  where id = $1
  returning total_runs, completed_runs, failed_runs`;

/**
 * PGlite (PostgreSQL 18, one statement at a time): the upsert returns each row's previous status
 * itself (`old.status`, null for a new row), without a second lookup of the batch's rows.
 */
const RECORD_RESULTS_PGLITE = `with written as (
    ${upsertResults('')}
    returning run_index, new.status as status, old.status as prev_status)
  update campaigns set
    completed_runs = completed_runs + (select count(*) from written where status = 'completed')::int,
    failed_runs = failed_runs + (select count(*) from written where status = 'failed')::int
      - (select count(*) from written where prev_status = 'failed')::int
  where id = $1
  returning total_runs, completed_runs, failed_runs`;

/**
 * The batch activity's result write, one statement per chunk: upserts the results and moves the
 * campaign's counters by what this write changed, so progress needs no count over the campaign's
 * rows. A run another attempt of the batch already completed, or the user cancelled, keeps its row
 * and is not counted twice; a run that had failed and now has a new result leaves the failed count.
 * A run not marked running by this attempt gets attempt + 1 and `startedAt` here.
 * Returns the campaign's counters after the write (null when nothing was written).
 */
export async function recordRunResults(
  database: Database,
  campaignId: string,
  results: RunResultWrite[],
  worker: string,
  backend: string,
  startedAt: Date,
): Promise<CampaignCounters | null> {
  let counters: CampaignCounters | null = null;
  for (let s = 0; s < results.length; s += RUN_CHUNK) {
    const part = results.slice(s, s + RUN_CHUNK);
    const params = [campaignId, resultRowsJson(part), worker, backend, startedAt.toISOString()];
    const res =
      database.engine === 'pglite'
        ? await database.query(RECORD_RESULTS_PGLITE, params)
        : await database.query(RECORD_RESULTS_SERVER, [...params, intArray(part.map((r) => r.runIndex))]);
    const r = res.rows[0];
    if (r) counters = { total: Number(r.total_runs), completed: Number(r.completed_runs), failed: Number(r.failed_runs) };
  }
  return counters;
}

/** One progress sample (dashboard throughput chart) from the campaign's counters. */
export async function recordProgressSample(database: Database, campaignId: string): Promise<void> {
  await database.query(`insert into progress_samples (campaign_id, completed, failed) select id, completed_runs, failed_runs from campaigns where id = $1`, [
    campaignId,
  ]);
}

export interface RunCounts {
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  running: number;
  pending: number;
}

export async function countRuns(database: Database, campaignId: string): Promise<RunCounts> {
  const res = await database.query(`select status, count(*)::int as n from runs where campaign_id = $1 group by status`, [campaignId]);
  const c: RunCounts = { total: 0, completed: 0, failed: 0, cancelled: 0, running: 0, pending: 0 };
  for (const r of res.rows) {
    const n = Number(r.n);
    c.total += n;
    const s = String(r.status) as keyof RunCounts;
    if (s in c) c[s] += n;
  }
  return c;
}

/** Recompute the campaign's counters from the run rows (idempotent) and record a progress sample. */
export async function refreshCounts(database: Database, campaignId: string): Promise<RunCounts> {
  const c = await countRuns(database, campaignId);
  await updateCampaign(database, campaignId, {
    totalRuns: c.total,
    completedRuns: c.completed,
    failedRuns: c.failed,
    cancelledRuns: c.cancelled,
  });
  await database.db.insert(progressSamples).values({ campaignId, completed: c.completed, failed: c.failed });
  return c;
}

/** Mark every unfinished run cancelled (cancellation of the campaign). */
export async function cancelUnfinishedRuns(database: Database, campaignId: string): Promise<number> {
  const res = await database.query(
    `update runs set status = 'cancelled', finished_at = now() where campaign_id = $1 and status in ('pending', 'running') returning run_index`,
    [campaignId],
  );
  return res.rows.length;
}

/** Mark every unfinished run failed with the campaign's reason (a failed campaign leaves no pending run). */
export async function failUnfinishedRuns(database: Database, campaignId: string, reason: string): Promise<number> {
  const res = await database.query(
    `update runs set status = 'failed', error = $2, finished_at = now() where campaign_id = $1 and status in ('pending', 'running') returning run_index`,
    [campaignId, `not run: ${reason}`.slice(0, 2000)],
  );
  return res.rows.length;
}

/** Statuses `plume retry --failed` re-runs: everything that did not complete. */
export const UNFINISHED_RUN_STATUSES = ['failed', 'cancelled', 'pending', 'running'];

export async function runIndicesWithStatus(database: Database, campaignId: string, statuses: string[]): Promise<number[]> {
  const rows = await database.db
    .select({ i: runs.runIndex })
    .from(runs)
    .where(and(eq(runs.campaignId, campaignId), inArray(runs.status, statuses)))
    .orderBy(runs.runIndex);
  return rows.map((r) => r.i);
}

/** Reset runs (e.g. failed ones before a retry) to pending. */
export async function resetRuns(database: Database, campaignId: string, indices: number[]): Promise<void> {
  const chunk = 5000;
  for (let s = 0; s < indices.length; s += chunk) {
    await database.db
      .update(runs)
      .set({ status: 'pending', error: null })
      .where(and(eq(runs.campaignId, campaignId), inArray(runs.runIndex, indices.slice(s, s + chunk))));
  }
}
