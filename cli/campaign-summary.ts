/** The summary `plume run`/`plume status` print: one JSON object, or a few human lines. */
import type { Database } from '../db/client.js';
import { countRuns, getCampaign } from '../db/campaign-store.js';

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

function fmt(v: unknown): string {
  if (typeof v === 'number') return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
  return String(v);
}

export function humanSummary(s: CampaignSummary): string {
  const lines = [
    `campaign ${s.id} (${s.kind}, "${s.name}"): ${s.status}`,
    `  runs: ${s.runs.completed}/${s.runs.total} completed, ${s.runs.failed} failed, ${s.runs.cancelled} cancelled` +
      (s.durationMs !== null ? ` in ${(s.durationMs / 1000).toFixed(1)} s` : ''),
  ];
  if (s.routing) lines.push(`  routing: ${s.routing}`);
  if (s.error) lines.push(`  error: ${s.error}`);
  const idx = s.results.indices as Record<string, Record<string, number>> | undefined;
  if (idx?.S1) {
    lines.push('  Sobol indices (95% bootstrap half-width):');
    lines.push('    param        S1                 ST');
    const order = Array.isArray(s.results.parameters) ? (s.results.parameters as string[]) : Object.keys(idx.S1);
    for (const k of order) {
      lines.push(`    ${k.padEnd(12)} ${fmt(idx.S1[k]).padStart(8)} ± ${fmt(idx.S1_conf[k]).padEnd(8)} ${fmt(idx.ST[k]).padStart(8)} ± ${fmt(idx.ST_conf[k])}`);
    }
  } else if (Object.keys(s.results).length > 0) {
    const text = JSON.stringify(s.results, null, 2);
    lines.push('  results:', ...text.split('\n').slice(0, 60).map((l) => `    ${l}`));
  }
  return lines.join('\n');
}
