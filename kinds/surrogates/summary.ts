/** Headline of a `surrogates` campaign: test RMSE / R² of all outputs per architecture and training size (the paper's Table 1), and the ranking. */
import type { Headline, HeadlineBuilder } from '../../report/headline.js';
import { emptyHeadline } from '../../report/headline.js';
import { formatCount, formatMeanStd } from '../../report/number-format.js';
import type { Stat, SurrogatesResults } from './results.js';

const cell = (s: Stat | undefined, digits: number): string => (s ? formatMeanStd(s.mean, s.n > 1 ? s.std : undefined, digits) : 'n/a');

export const surrogatesSummary: HeadlineBuilder<SurrogatesResults> = (res) => {
  const table = res.table ?? {};
  if (!Object.keys(table).length)
    return emptyHeadline('no scored surrogates in the summary until the campaign finishes; `plume report <id>` shows the models scored so far');
  const sizes = [...(res.trainSizes ?? [])].sort((a, b) => b - a);
  const out: Headline = {
    facts: [
      ...(res.case ? [{ label: 'case', value: res.case }] : []),
      { label: 'test runs', value: formatCount(res.testSamples) },
      { label: 'repeats', value: formatCount(res.repeats) },
    ],
    tables: [],
    notes: [],
  };
  const rows: string[][] = [];
  for (const arch of Object.keys(table)) {
    for (const n of sizes) {
      const t = table[arch]?.[String(n)];
      if (t) rows.push([arch, String(n), cell(t['all.rmse'], 4), cell(t['all.r2'], 4), cell(t['heads.rmse'], 4), cell(t['conc.rmse'], 4)]);
    }
  }
  out.tables.push({
    id: 'surrogates',
    title: 'Test scores of normalised outputs (mean ± std over repeats)',
    headers: ['surrogate', 'train samples', 'RMSE all', 'R² all', 'RMSE heads', 'RMSE conc'],
    rows,
  });
  for (const n of sizes) {
    const order = res.ranking?.[String(n)];
    if (order?.length) out.notes.push(`ranking at ${n} samples (by RMSE of all outputs): ${order.join(' > ')}`);
  }
  if (res.failedRuns) out.notes.push(`${res.failedRuns} training runs failed`);
  return out;
};
