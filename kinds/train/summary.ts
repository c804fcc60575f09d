/** Headline of a `train` campaign: the paper's Table 3 (test MSE and R² per variable and architecture, mean ± std) and the speed-up. */
import { archName, sortArchs } from '../../report/display-names.js';
import type { Headline, HeadlineBuilder } from '../../report/headline.js';
import { emptyHeadline } from '../../report/headline.js';
import { formatCount, formatMeanStd, formatNumber } from '../../report/number-format.js';
import type { Stat, TrainResults } from './results.js';

const cell = (s: Stat | undefined): string => (s ? formatMeanStd(s.mean, s.n > 1 ? s.std : undefined, 3) : 'n/a');

export const trainSummary: HeadlineBuilder<TrainResults> = (res) => {
  const table = res.table ?? {};
  if (!Object.keys(table).length)
    return emptyHeadline('no model metrics in the summary until the campaign finishes; `plume report <id>` shows the trainings finished so far');
  const out: Headline = {
    facts: [
      ...(res.datasetId ? [{ label: 'dataset', value: res.datasetId }] : []),
      { label: 'models', value: formatCount(res.models) },
      { label: 'repeats', value: formatCount(res.repeats) },
    ],
    tables: [],
    notes: [],
  };
  const rows: string[][] = [];
  for (const v of res.variables ?? Object.keys(table)) {
    const t = table[v] ?? {};
    for (const a of sortArchs(Object.keys(t))) {
      const sp = res.speedup?.architectures?.[`${v}:${a}`];
      rows.push([
        v,
        archName(a),
        cell(t[a]?.mse),
        cell(t[a]?.r2_whole),
        cell(t[a]?.r2_mean_series_median),
        sp ? `${formatNumber(sp.inferenceOnly, 3)}x` : 'n/a',
      ]);
    }
  }
  out.tables.push({
    id: 'table3',
    title: 'Test metrics (Table 3, mean ± std over repeats)',
    headers: ['variable', 'model', 'MSE', 'R² whole', 'R² mean series', 'speed-up'],
    rows,
  });
  if (res.failedRuns) out.notes.push(`${res.failedRuns} training runs failed`);
  return out;
};
