/**
 * `plume list` as text: a header, one line per campaign (id, kind, name, status, runs, created)
 * with each pipeline's stage campaigns nested under it (`└ stage k/n`).
 */
import { desc, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { campaigns } from '../db/schema.js';

export interface ListedCampaign {
  id: string;
  kind: string;
  name: string;
  status: string;
  total: number;
  completed: number;
  failed: number;
  created: Date;
  parentId: string | null;
}

const columns = {
  id: campaigns.id,
  kind: campaigns.kind,
  name: campaigns.name,
  status: campaigns.status,
  total: campaigns.totalRuns,
  completed: campaigns.completedRuns,
  failed: campaigns.failedRuns,
  created: campaigns.createdAt,
  parentId: campaigns.parentId,
};

/** The newest `limit` top-level campaigns, newest first, followed by the stages of the pipelines among them. */
export async function listCampaigns(database: Database, limit: number): Promise<ListedCampaign[]> {
  const top = await database.db.select(columns).from(campaigns).where(isNull(campaigns.parentId)).orderBy(desc(campaigns.createdAt)).limit(limit);
  const pipelines = top.filter((r) => r.kind === 'pipeline').map((r) => r.id);
  const stages = pipelines.length
    ? await database.db.select(columns).from(campaigns).where(inArray(campaigns.parentId, pipelines)).orderBy(campaigns.createdAt)
    : [];
  return [...top, ...stages];
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function campaignListText(rows: ListedCampaign[]): string {
  const top = rows.filter((r) => !r.parentId || !rows.some((p) => p.id === r.parentId));
  if (top.length === 0) return 'no campaigns yet: start one with `plume run examples/quickstart.yaml`\n';
  const lines: string[][] = [['ID', 'KIND', 'NAME', 'STATUS', 'RUNS', 'FAILED', 'CREATED']];
  const line = (r: ListedCampaign, prefix: string): string[] => [
    `${prefix}${r.id}`,
    r.kind,
    clip(r.name, 32),
    r.status,
    `${r.completed}/${r.total}`,
    String(r.failed),
    r.created.toISOString().replace('T', ' ').slice(0, 19),
  ];
  for (const r of top) {
    lines.push(line(r, ''));
    const stages = rows.filter((s) => s.parentId === r.id);
    stages.forEach((s, k) => lines.push(line({ ...s, kind: `${k + 1}/${stages.length} ${s.kind}` }, k === stages.length - 1 ? '└ ' : '├ ')));
  }
  const width = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const numeric = new Set([4, 5]);
  return `${lines
    .map((l) =>
      l
        .map((v, c) => (numeric.has(c) ? v.padStart(width[c]) : v.padEnd(width[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
