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

export type CampaignStatus = 'pending' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

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
 * Insert run rows (params, status pending) in chunks as `params` yields them, so planning a
 * million runs holds one chunk in memory; existing rows are left untouched. Returns the count.
 */
export async function insertRuns(database: Database, campaignId: string, params: Iterable<object>, onChunk?: (inserted: number) => void): Promise<number> {
  const chunk = 1000;
  let values: (typeof runs.$inferInsert)[] = [];
  let n = 0;
  const flush = async (): Promise<void> => {
    if (values.length === 0) return;
    await database.db.insert(runs).values(values).onConflictDoNothing();
    values = [];
    onChunk?.(n);
  };
  for (const p of params) {
    values.push({ campaignId, runIndex: n++, params: p, status: 'pending' });
    if (values.length >= chunk) await flush();
  }
  await flush();
  return n;
}

export async function loadRuns(database: Database, campaignId: string, indices: number[]): Promise<RunRow[]> {
  if (indices.length === 0) return [];
  const rows = await database.db
    .select()
    .from(runs)
    .where(and(eq(runs.campaignId, campaignId), inArray(runs.runIndex, indices)));
  return rows.sort((a, b) => a.runIndex - b.runIndex);
}

export async function markRunsRunning(database: Database, campaignId: string, indices: number[], worker: string, backend: string): Promise<void> {
  if (indices.length === 0) return;
  await database.db
    .update(runs)
    .set({ status: 'running', worker, backend, startedAt: new Date(), attempt: sql`${runs.attempt} + 1` })
    .where(and(eq(runs.campaignId, campaignId), inArray(runs.runIndex, indices), sql`${runs.status} <> 'completed'`));
}

export interface RunResultWrite {
  runIndex: number;
  status: 'completed' | 'failed';
  output?: Record<string, unknown> | null;
  error?: string | null;
  durationMs: number;
}

/** Upsert run results in one statement per chunk. */
export async function writeRunResults(
  database: Database,
  campaignId: string,
  results: RunResultWrite[],
  worker: string,
  backend: string,
): Promise<void> {
  const chunk = 1000;
  const now = new Date();
  for (let s = 0; s < results.length; s += chunk) {
    const values = results.slice(s, s + chunk).map((r) => ({
      campaignId,
      runIndex: r.runIndex,
      params: {},
      status: r.status,
      output: r.output ?? null,
      error: r.error ?? null,
      durationMs: r.durationMs,
      finishedAt: now,
      worker,
      // A task that placed its work on a backend itself (tensorflow or wasm) says which.
      backend: typeof r.output?.backend === 'string' ? r.output.backend : backend,
    }));
    await database.db
      .insert(runs)
      .values(values)
      .onConflictDoUpdate({
        target: [runs.campaignId, runs.runIndex],
        set: {
          status: sql`excluded.status`,
          output: sql`excluded.output`,
          error: sql`excluded.error`,
          durationMs: sql`excluded.duration_ms`,
          finishedAt: sql`excluded.finished_at`,
          worker: sql`excluded.worker`,
          backend: sql`excluded.backend`,
        },
      });
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
  const res = await database.query(
    `select status, count(*)::int as n from runs where campaign_id = $1 group by status`,
    [campaignId],
  );
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
