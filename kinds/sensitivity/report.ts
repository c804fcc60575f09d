/**
 * `sensitivity` report: Sobol first-order (S1) and total (ST) indices with bootstrap confidence
 * half-widths, the analytic values when the model has them, and a bar chart with error bars.
 */
import { barChart } from '../../report/figures/bar-chart.js';
import { markdownTable } from '../../report/markdown-table.js';
import { formatNumber } from '../../report/number-format.js';
import type { KindReport } from '../../report/report-context.js';
import type { SensitivityResults } from './results.js';

/** Older campaigns' results lack model and bootstrap: read them from the spec. */
interface SensitivitySpecLike {
  model?: { name?: string };
  samples?: number;
  bootstrap?: { resamples?: number; confidence?: number };
}

export const sensitivityReport: KindReport<SensitivityResults> = async (ctx, campaign) => {
  const res = campaign.results ?? {};
  const spec = (campaign.spec ?? {}) as SensitivitySpecLike;
  const out: string[] = [ctx.heading(1, 'Sobol indices')];
  if (!res.indices) {
    out.push('No indices recorded: the campaign has not finished (`campaigns.results.indices` is empty).');
    return out.join('\n\n');
  }
  const { S1, ST } = res.indices;
  const S1c = res.indices.S1_conf ?? {};
  const STc = res.indices.ST_conf ?? {};
  const names = Object.keys(S1);
  const conf = res.bootstrap?.confidence ?? spec.bootstrap?.confidence ?? 0.95;
  const confPct = `${Math.round(conf * 1000) / 10}%`;
  const model = res.model ?? spec.model?.name ?? 'model';
  out.push(
    `Model \`${model}\`, ${res.baseSamples ?? spec.samples ?? 'n/a'} base samples, ${res.evaluations ?? 'n/a'} model evaluations (Saltelli design). ` +
      `Half-widths are ${confPct} bootstrap confidence intervals (${res.bootstrap?.resamples ?? spec.bootstrap?.resamples ?? 'n/a'} resamples).`,
  );
  const analytic = res.analytic;
  const headers = ['parameter', 'S1', `S1 ± (${confPct})`, 'ST', `ST ± (${confPct})`, ...(analytic ? ['S1 analytic', 'ST analytic'] : [])];
  const rows = names.map((n) => [
    n,
    formatNumber(S1[n]),
    formatNumber(S1c[n]),
    formatNumber(ST[n]),
    formatNumber(STc[n]),
    ...(analytic ? [formatNumber(analytic.S1[n]), formatNumber(analytic.ST[n])] : []),
  ]);
  out.push(markdownTable(headers, rows));
  const sumS1 = names.reduce((s, n) => s + (S1[n] ?? 0), 0);
  out.push(`Sum of S1 = ${formatNumber(sumS1)} (1 - sum S1 = ${formatNumber(1 - sumS1)} is the share of variance due to interactions).`);
  const fig = barChart({
    title: `Sobol indices of ${model} (${confPct} CI)`,
    categories: names,
    xLabel: 'parameter',
    yLabel: 'Sobol index',
    series: [
      { name: 'S1', values: names.map((n) => S1[n]), errors: names.map((n) => S1c[n] ?? 0) },
      { name: 'ST', values: names.map((n) => ST[n]), errors: names.map((n) => STc[n] ?? 0) },
    ],
    references: analytic
      ? [
          { name: 'analytic', forSeries: 'S1', values: names.map((n) => analytic.S1[n]) },
          { name: 'analytic', forSeries: 'ST', values: names.map((n) => analytic.ST[n]) },
        ]
      : [],
  });
  out.push(
    await ctx.figures.add(
      'sobol-indices',
      `First-order (S1) and total (ST) Sobol indices with ${confPct} bootstrap error bars${analytic ? '; diamonds: analytic values' : ''}.`,
      fig,
    ),
  );
  return out.join('\n\n');
};
