/**
 * A campaign headline (report/headline.ts) as terminal text: facts on a wrapped line, tables
 * aligned, pipeline stages with their own facts (and tables while they fit). At most `maxLines`
 * lines; whatever does not fit is announced, never dropped silently.
 */
import type { Headline, HeadlineTable } from '../report/headline.js';

const WIDTH = 100;

function factLines(h: Headline, indent: string): string[] {
  const parts = h.facts.map((f) => `${f.label} ${f.value}`);
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur && indent.length + cur.length + 3 + p.length > WIDTH) {
      lines.push(`${indent}${cur}`);
      cur = p;
    } else cur = cur ? `${cur} · ${p}` : p;
  }
  if (cur) lines.push(`${indent}${cur}`);
  return lines;
}

function tableLines(t: HeadlineTable, indent: string): string[] {
  const width = t.headers.map((h, k) => Math.max(h.length, ...t.rows.map((r) => (r[k] ?? '').length)));
  const row = (cells: string[]) => `${indent}  ${cells.map((c, k) => (k === 0 ? c.padEnd(width[k]) : c.padStart(width[k]))).join('  ')}`.trimEnd();
  return [`${indent}${t.title}:`, row(t.headers), ...t.rows.map(row)];
}

function noteLines(h: Headline, indent: string): string[] {
  return h.notes.map((n) => `${indent}note: ${n}`);
}

/** Lines of a headline under a campaign's own header lines, within `maxLines` in total. */
export function headlineText(h: Headline, opts: { used: number; maxLines: number; campaignId: string }): string[] {
  const budget = opts.maxLines - opts.used;
  const lines = [...factLines(h, '  '), ...noteLines(h, '  ')];
  for (const t of h.tables) lines.push(...tableLines(t, '  '));
  const stageTables: string[][] = [];
  for (const s of h.stages ?? []) {
    lines.push(`  ${s.label}: ${s.status} (${s.campaignId})`);
    if (s.headline) {
      lines.push(...factLines(s.headline, '    '), ...noteLines(s.headline, '    '));
      stageTables.push(s.headline.tables.flatMap((t) => tableLines(t, '    ')));
    }
  }
  // Stage tables only when all of them fit (the stage facts come first).
  const extra = stageTables.flat();
  if (extra.length && lines.length + extra.length <= budget) {
    return fitted(withStageTables(h, lines, stageTables), budget, opts.campaignId);
  }
  const omitted = extra.length;
  const out = fitted(lines, budget - (omitted ? 1 : 0), opts.campaignId);
  if (omitted && out.length === lines.length)
    out.push(`  (stage tables: ${omitted} more lines in \`plume report ${opts.campaignId}\` or \`plume status ${opts.campaignId} --json\`)`);
  return out;
}

function withStageTables(h: Headline, lines: string[], stageTables: string[][]): string[] {
  // Re-insert each stage's table lines after that stage's facts.
  const out: string[] = [];
  let k = -1;
  const stageStarts = new Set((h.stages ?? []).map((s) => `  ${s.label}: ${s.status} (${s.campaignId})`));
  for (const l of lines) {
    if (stageStarts.has(l)) {
      if (k >= 0) out.push(...(stageTables[k] ?? []));
      k++;
    }
    out.push(l);
  }
  if (k >= 0) out.push(...(stageTables[k] ?? []));
  return out;
}

function fitted(lines: string[], budget: number, id: string): string[] {
  if (lines.length <= budget) return lines;
  const keep = Math.max(0, budget - 1);
  return [...lines.slice(0, keep), `  (${lines.length - keep} more lines: \`plume report ${id}\` or \`plume status ${id} --json\`)`];
}
