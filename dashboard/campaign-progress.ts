/**
 * A campaign's live progress for the dashboard: counts by status from the run rows, throughput
 * over time from `progress_samples`, an ETA from the recent rate, the latest failures with their
 * errors, the workflow's own `progress` query and its in-flight activities with their last
 * heartbeat (a training's epoch and loss, ...) when Temporal answers, and a link to Temporal's UI.
 */
import type { Client } from '@temporalio/client';
import { inFlightWork, type InFlightWork } from '../engine/in-flight-work.js';
import { campaignProgress } from '../engine/launcher.js';
import type { Database } from '../db/client.js';
import type { CampaignProgress } from '../workflows/campaign-workflow.js';
import { temporalWorkflowUrl } from '../infra/temporal-ui-port.js';
import { inFlightText } from '../report/progress-text.js';

export interface ProgressView {
  id: string;
  status: string;
  counts: { total: number; completed: number; failed: number; cancelled: number; running: number; pending: number };
  ratio: number;
  /** Runs finished per second over the recent window (null until two samples exist). */
  runsPerSecond: number | null;
  etaSeconds: number | null;
  throughput: { at: string; completed: number; failed: number; runsPerSecond: number }[];
  failures: { runIndex: number; error: string | null; finishedAt: string | null }[];
  workflow: CampaignProgress | null;
  /** The running activities and what their last heartbeat said (`text`); null without Temporal. */
  inFlight: (InFlightWork & { text: string })[] | null;
  temporalUrl: string | null;
}

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : typeof v === 'string' || typeof v === 'number' ? new Date(v).toISOString() : null;

/** Throughput between consecutive samples (runs finished per second), thinned to at most `max` points. */
function throughputSeries(samples: { at: Date; completed: number; failed: number }[], max = 300): ProgressView['throughput'] {
  const out: ProgressView['throughput'] = [];
  const step = Math.max(1, Math.ceil(samples.length / max));
  let prev: { at: Date; completed: number; failed: number } | null = null;
  for (let k = 0; k < samples.length; k += step) {
    const s = samples[k];
    const dt = prev ? (s.at.getTime() - prev.at.getTime()) / 1000 : 0;
    const dn = prev ? s.completed + s.failed - prev.completed - prev.failed : 0;
    out.push({ at: s.at.toISOString(), completed: s.completed, failed: s.failed, runsPerSecond: dt > 0 ? Math.max(0, dn / dt) : 0 });
    prev = s;
  }
  return out;
}

/** Recent rate over the last `windowS` seconds of samples (or the whole history if shorter). */
function recentRate(samples: { at: Date; completed: number; failed: number }[], windowS = 60): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1];
  let first = samples[0];
  for (const s of samples) {
    if ((last.at.getTime() - s.at.getTime()) / 1000 <= windowS) {
      first = s;
      break;
    }
  }
  if (first === last) first = samples[samples.length - 2]!;
  const dt = (last.at.getTime() - first.at.getTime()) / 1000;
  if (dt <= 0) return null;
  return Math.max(0, (last.completed + last.failed - first.completed - first.failed) / dt);
}

export async function progressView(
  database: Database,
  client: Client | null,
  id: string,
  opts: { temporalUiUrl: string | null; namespace: string },
): Promise<ProgressView | null> {
  const c = await database.query('select id, status, workflow_id, total_runs from campaigns where id = $1', [id]);
  const row = c.rows[0];
  if (!row) return null;
  const byStatus = await database.query('select status, count(*)::int as n from runs where campaign_id = $1 group by status', [id]);
  const counts = { total: 0, completed: 0, failed: 0, cancelled: 0, running: 0, pending: 0 };
  for (const r of byStatus.rows) {
    const n = Number(r.n);
    counts.total += n;
    const s = String(r.status) as keyof typeof counts;
    if (s in counts && s !== 'total') counts[s] += n;
  }
  counts.total = Math.max(counts.total, Number(row.total_runs ?? 0));
  const sampleRows = await database.query('select at, completed, failed from progress_samples where campaign_id = $1 order by at', [id]);
  const samples = sampleRows.rows.map((r) => ({ at: new Date(r.at as string), completed: Number(r.completed), failed: Number(r.failed) }));
  const failRows = await database.query(
    `select run_index, error, finished_at from runs where campaign_id = $1 and status = 'failed' order by finished_at desc nulls last, run_index limit 50`,
    [id],
  );
  const rate = recentRate(samples);
  const finished = counts.completed + counts.failed + counts.cancelled;
  const remaining = Math.max(0, counts.total - finished);
  const active = ['running', 'pending', 'paused'].includes(String(row.status));
  const workflow = client && active ? await campaignProgress(client, database, id) : null;
  const work = client && active ? await inFlightWork(client, database, id) : null;
  return {
    id,
    status: String(row.status),
    counts,
    ratio: counts.total > 0 ? finished / counts.total : 0,
    runsPerSecond: rate,
    etaSeconds: active && rate && rate > 0 ? remaining / rate : remaining === 0 ? 0 : null,
    throughput: throughputSeries(samples),
    failures: failRows.rows.map((r) => ({ runIndex: Number(r.run_index), error: (r.error as string | null) ?? null, finishedAt: iso(r.finished_at) })),
    workflow,
    inFlight: work?.map((w) => ({ ...w, text: inFlightText(w, id) })) ?? null,
    temporalUrl: temporalWorkflowUrl(opts.temporalUiUrl, opts.namespace, (row.workflow_id as string | null) ?? null),
  };
}
