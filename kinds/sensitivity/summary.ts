/** Headline of a `sensitivity` campaign: the Sobol S1/ST table with bootstrap half-widths (and analytic values). */
import type { HeadlineBuilder } from '../../report/headline.js';
import { emptyHeadline } from '../../report/headline.js';
import { formatCount, formatNumber } from '../../report/number-format.js';
import type { SensitivityResults } from './results.js';

export const sensitivitySummary: HeadlineBuilder<SensitivityResults> = (res, spec) => {
  if (!res.indices) return emptyHeadline('no Sobol indices yet (the campaign has not finished)');
  const { S1, ST } = res.indices;
  const S1c = res.indices.S1_conf ?? {};
  const STc = res.indices.ST_conf ?? {};
  const names = res.parameters?.length ? res.parameters : Object.keys(S1);
  const analytic = res.analytic;
  const conf = `${Math.round((res.bootstrap?.confidence ?? (spec as { bootstrap?: { confidence?: number } } | null)?.bootstrap?.confidence ?? 0.95) * 1000) / 10}%`;
  const sumS1 = names.reduce((s, n) => s + (S1[n] ?? 0), 0);
  return {
    facts: [
      // Older campaigns' results lack the model name: the spec has it.
      { label: 'model', value: res.model ?? (spec as { model?: { name?: string } } | null)?.model?.name ?? 'n/a' },
      { label: 'evaluations', value: formatCount(res.evaluations) },
      { label: 'sum of S1', value: formatNumber(sumS1) },
    ],
    tables: [
      {
        id: 'sobol',
        title: `Sobol indices (± ${conf} bootstrap half-width)`,
        headers: ['parameter', 'S1', 'S1 ±', 'ST', 'ST ±', ...(analytic ? ['S1 exact', 'ST exact'] : [])],
        rows: names.map((n) => [
          n,
          formatNumber(S1[n]),
          formatNumber(S1c[n]),
          formatNumber(ST[n]),
          formatNumber(STc[n]),
          ...(analytic ? [formatNumber(analytic.S1[n]), formatNumber(analytic.ST[n])] : []),
        ]),
      },
    ],
    notes: [],
  };
};
