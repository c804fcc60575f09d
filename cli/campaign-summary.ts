/** The summary `plume run`/`plume status` print: one JSON object, or a few human lines. */
import type { Database } from '../db/client.js';
import { countRuns, getCampaign } from '../db/campaign-store.js';
import { campaignHeadline } from '../kinds/index.js';
import { headlineText } from './headline-text.js';

export interface CampaignSummary {
  id: string;
  kind: string;
  name: string;
  status: string;
  runs: { total: number; completed: number; failed: number; cancelled: number };
  durationMs: number | null;
  error?: string;
  routing?: string | null;
  results: Record<string, unknown>;
}

export async function campaignSummary(database: Database, id: string): Promise<CampaignSummary> {
  const row = await getCampaign(database, id);
  if (!row) throw new Error(`no campaign with id '${id}' (list them with \`plume list\`)`);
  const c = await countRuns(database, id);
  const end = row.finishedAt ?? new Date();
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status,
    runs: { total: c.total, completed: c.completed, failed: c.failed, cancelled: c.cancelled },
    durationMs: row.startedAt ? end.getTime() - row.startedAt.getTime() : null,
    ...(row.error ? { error: row.error } : {}),
    routing: row.routing,
    results: (row.results as Record<string, unknown> | null) ?? {},
  };
}

/** At most this many lines for `plume run`/`status` without --json. */
const SUMMARY_MAX_LINES = 25;

/** The human summary: status, run counts, and the kind's headline (kinds/<kind>/summary.ts), at most 25 lines. */
export async function humanSummary(database: Database, s: CampaignSummary): Promise<string> {
  const lines = [
    `campaign ${s.id} (${s.kind}, "${s.name}"): ${s.status}`,
    `  runs: ${s.runs.completed}/${s.runs.total} completed, ${s.runs.failed} failed, ${s.runs.cancelled} cancelled` +
      (s.durationMs !== null ? ` in ${(s.durationMs / 1000).toFixed(1)} s` : ''),
  ];
  if (s.routing) lines.push(`  routing: ${s.routing}`);
  if (s.error) lines.push(`  error: ${s.error.split('\n')[0].slice(0, 300)}`);
  const row = await getCampaign(database, s.id);
  if (row) lines.push(...headlineText(await campaignHeadline(database, row), { used: lines.length, maxLines: SUMMARY_MAX_LINES, campaignId: s.id }));
  return lines.join('\n');
}
