/** Headline of an `inversion` campaign: the method × NPC table (log10 objective, forward calls, validation R²). */
import type { Headline, HeadlineBuilder } from '../../report/headline.js';
import { emptyHeadline } from '../../report/headline.js';
import { formatCount, formatMeanStd, formatNumber } from '../../report/number-format.js';
import type { MethodTable } from './method-table.js';
import type { InversionResults } from './results.js';

function methodRows(t: MethodTable, variant?: string): string[][] {
  const rows: string[][] = [];
  for (const [method, byNpc] of Object.entries(t)) {
    for (const [npc, g] of Object.entries(byNpc)) {
      rows.push([
        ...(variant !== undefined ? [variant] : []),
        method,
        npc,
        formatCount(g.n),
        formatMeanStd(g.log10ObjectiveMean, g.log10ObjectiveStd, 3),
        formatCount(g.forwardCalls),
        formatNumber(g.validR2, 3),
      ]);
      if (g.atBudget) {
        const a = g.atBudget;
        rows.push([
          ...(variant !== undefined ? [variant] : []),
          `${method} (first ${formatCount(a.iterations)} epochs)`,
          npc,
          formatCount(g.n),
          formatMeanStd(a.log10ObjectiveMean, a.log10ObjectiveStd, 3),
          formatCount(a.iterations),
          '',
        ]);
      }
    }
  }
  return rows;
}

export const inversionSummary: HeadlineBuilder<InversionResults> = (res) => {
  if (!res.methods) return emptyHeadline('no inversion results yet (the campaign has not finished)');
  const out: Headline = {
    facts: [
      ...(res.case ? [{ label: 'case', value: res.case }] : []),
      { label: 'scenarios', value: formatCount(res.scenarios) },
      { label: 'runs', value: formatCount(res.runs) },
    ],
    tables: [],
    notes: [],
  };
  if (res.surrogate?.arch) out.facts.push({ label: 'surrogate', value: res.surrogate.arch });
  const byVariant = res.byVariant;
  const headers = ['method', 'NPC', 'n', 'log10 objective', 'forward calls', 'valid R²'];
  if (byVariant && Object.keys(byVariant).length > 1) {
    out.tables.push({
      id: 'methods',
      title: 'Methods × NPC per variant',
      headers: ['variant', ...headers],
      rows: Object.entries(byVariant).flatMap(([v, t]) => methodRows(t, v)),
    });
  } else {
    out.tables.push({ id: 'methods', title: 'Methods × NPC', headers, rows: methodRows(res.methods) });
  }
  return out;
};
