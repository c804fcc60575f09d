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

/** `= any(...)` over a JSON array of run indices (one parameter, any length). */
const indexList = (indices: readonly number[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(indices)}::jsonb)::int)`;

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
  return n;
}

export async function loadRuns(database: Database, campaignId: string, indices: number[]): Promise<RunRow[]> {
  if (indices.length === 0) return [];
  const rows = await database.db
    .select()
    .from(runs)
    .where(and(eq(runs.campaignId, campaignId), sql`${runs.runIndex} in ${indexList(indices)}`));
  return rows.sort((a, b) => a.runIndex - b.runIndex);
}

export async function markRunsRunning(database: Database, campaignId: string, indices: number[], worker: string, backend: string): Promise<void> {
  if (indices.length === 0) return;
  await database.db
    .update(runs)
    .set({ status: 'running', worker, backend, startedAt: new Date(), attempt: sql`${runs.attempt} + 1` })
    .where(and(eq(runs.campaignId, campaignId), sql`${runs.runIndex} in ${indexList(indices)}`, sql`${runs.status} <> 'completed'`));
}

export interface RunResultWrite {
  runIndex: number;
  status: 'completed' | 'failed';
  output?: Record<string, unknown> | null;
  error?: string | null;
  durationMs: number;
}

/** Upsert run results in one statement (one JSON parameter) per chunk. */
export async function writeRunResults(database: Database, campaignId: string, results: RunResultWrite[], worker: string, backend: string): Promise<void> {
  for (let s = 0; s < results.length; s += RUN_CHUNK) {
    const rows = results.slice(s, s + RUN_CHUNK).map((r) => ({
      i: r.runIndex,
      s: r.status,
      o: r.output ?? null,
      e: r.error ?? null,
      d: r.durationMs,
      // A task that placed its work on a backend itself (tensorflow or wasm) says which.
      b: typeof r.output?.backend === 'string' ? r.output.backend : null,
    }));
    await database.query(
      `insert into runs (campaign_id, run_index, params, status, output, error, duration_ms, finished_at, worker, backend)
       select $1, r.i, '{}'::jsonb, r.s, r.o, r.e, r.d, now(), $3, coalesce(r.b, $4)
       from jsonb_to_recordset($2::jsonb) as r(i int, s text, o jsonb, e text, d double precision, b text)
       on conflict (campaign_id, run_index) do update set
         status = excluded.status, output = excluded.output, error = excluded.error, duration_ms = excluded.duration_ms,
         finished_at = excluded.finished_at, worker = excluded.worker, backend = excluded.backend`,
      [campaignId, JSON.stringify(rows), worker, backend],
    );
  }
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
