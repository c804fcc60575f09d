/** The report's opening: campaign identity, status, run counts, timing, and the spec (collapsed). */
import { markdownTable } from './markdown-table.js';
import { formatSeconds } from './number-format.js';
import type { CampaignRow } from './report-context.js';

const iso = (d: Date | null | undefined): string => (d ? new Date(d).toISOString().replace('.000Z', 'Z') : 'n/a');

export function campaignHeader(c: CampaignRow, headingLevel: number, title?: string): string {
  const rows: [string, string][] = [
    ['id', `\`${c.id}\``],
    ['kind', c.kind],
    ['status', c.status],
    ['runs', `${c.totalRuns} total, ${c.completedRuns} completed, ${c.failedRuns} failed, ${c.cancelledRuns} cancelled`],
    ['seed', String(c.seed)],
    ['created', iso(c.createdAt)],
    ['finished', iso(c.finishedAt)],
  ];
  if (c.startedAt && c.finishedAt) rows.push(['wall time', formatSeconds((new Date(c.finishedAt).getTime() - new Date(c.startedAt).getTime()) / 1000)]);
  if (c.queue) rows.push(['queue', `${c.queue}${c.routing ? ` (${c.routing})` : ''}`]);
  if (c.parentId) rows.push(['pipeline', `\`${c.parentId}\``]);
  if (c.error) rows.push(['error', c.error]);
  return [
    `${'#'.repeat(headingLevel)} ${title ?? `Report: ${c.name}`}`,
    markdownTable(['', ''], rows, ['l', 'l']),
    `<details><summary>Spec</summary>\n\n\`\`\`json\n${JSON.stringify(c.spec, null, 2)}\n\`\`\`\n\n</details>`,
  ].join('\n\n');
}
