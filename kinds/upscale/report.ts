/**
 * `upscale` report: Monte-Carlo distributions of the quantities of interest (summary table and a
 * histogram with p05..p95 markers per quantity), exceedance probabilities, validation against real
 * 10x simulations (per variable and per quantity), throughput and speed-up.
 */
import { and, eq } from 'drizzle-orm';
import { metrics } from '../../db/schema.js';
import { archName, metricName } from '../../report/display-names.js';
import { histogram } from '../../report/figures/histogram.js';
import { markdownTable } from '../../report/markdown-table.js';
import { formatNumber, formatPercent, formatSeconds } from '../../report/number-format.js';
import type { KindReport } from '../../report/report-context.js';
import { QUANTILES, type UpscaleResults } from './results.js';

const QUANTITY_LABELS: Record<string, string> = {
  crRemovedFraction: 'Cr(VI) removed fraction',
  biomassPenetrationLength: 'biomass penetration length',
  nutrientFrontPosition: 'nutrient front position',
  meanBiomassFinal: 'final domain-mean biomass',
};

const label = (q: string): string => QUANTITY_LABELS[q] ?? q;

const VALIDATION_METRICS: [string, string][] = [
  ['mse', 'validation_mse'],
  ['mae', 'validation_mae'],
  ['rmse', 'validation_rmse'],
  ['r2_whole', 'validation_r2'],
  ['r2_mean_series_median', 'validation_r2_mean_series_median'],
];

export const upscaleReport: KindReport<UpscaleResults> = async (ctx, campaign) => {
  const res = campaign.results ?? {};
  const out: string[] = [];
  const facts = [
    res.arch ? `architecture ${res.arch.split(', ').map(archName).join(', ')}` : null,
    res.modelIds?.length ? `models ${res.modelIds.map((m) => `\`${m}\``).join(', ')}` : null,
    res.datasetId ? `trained on dataset \`${res.datasetId}\`` : null,
    typeof res.scenarios === 'number' ? `${res.scenarios} Monte-Carlo scenarios` : null,
  ].filter(Boolean);
  if (facts.length) out.push(`${facts.join('; ')}.`);

  const dists = Object.entries(res.distributions ?? {});
  out.push(ctx.heading(1, 'Monte-Carlo distributions'));
  if (!dists.length) out.push('No distributions recorded: the campaign has not finished.');
  else {
    out.push(
      markdownTable(
        ['quantity', 'n', 'mean', 'std', ...QUANTILES],
        dists.map(([q, d]) => [label(q), d.n ?? 'n/a', formatNumber(d.mean), formatNumber(d.std), ...QUANTILES.map((k) => formatNumber(d.quantiles?.[k]))]),
      ),
    );
    for (const [q, d] of dists) {
      if (!d.histogram || !d.histogram.counts?.length) {
        if (d.note) out.push(`${label(q)}: ${d.note}.`);
        continue;
      }
      const markers: { label: string; value: number; dashed?: boolean }[] = QUANTILES.filter((k) => typeof d.quantiles?.[k] === 'number').map((k) => ({
        label: k,
        value: d.quantiles![k],
      }));
      if (d.exceedance) markers.push({ label: `threshold ${formatNumber(d.exceedance.threshold)}`, value: d.exceedance.threshold, dashed: true });
      out.push(
        await ctx.figures.add(
          `upscale-hist-${q}`,
          `Distribution of ${label(q)} over ${d.n ?? 'the'} scenarios; solid lines: quantiles p05, p25, p50, p75, p95${d.exceedance ? '; dashed: exceedance threshold' : ''}.`,
          histogram({ title: label(q), xLabel: q, edges: d.histogram.edges, counts: d.histogram.counts, markers }),
        ),
      );
    }
  }

  const exc = dists.filter(([, d]) => d.exceedance);
  if (exc.length) {
    out.push(ctx.heading(1, 'Exceedance'));
    out.push(
      markdownTable(
        ['quantity', 'threshold', 'P(quantity > threshold)', 'scenarios'],
        exc.map(([q, d]) => [label(q), formatNumber(d.exceedance!.threshold), formatPercent(d.exceedance!.probability), d.n ?? 'n/a']),
      ),
    );
  }

  // Validation against real 10x simulations.
  let byVariable = res.validation?.variables ?? {};
  if (!Object.keys(byVariable).length) {
    const rows = await ctx.database.db
      .select()
      .from(metrics)
      .where(and(eq(metrics.ownerType, 'campaign'), eq(metrics.ownerId, campaign.id)));
    byVariable = {};
    for (const [key, name] of VALIDATION_METRICS) {
      for (const r of rows.filter((x) => x.name === name && x.split !== '')) (byVariable[r.split] ??= {})[key] = r.value;
    }
  }
  const quantities = Object.entries(res.validation?.quantities ?? {});
  if (Object.keys(byVariable).length || quantities.length) {
    out.push(ctx.heading(1, 'Validation against 10x simulations'));
    if (typeof res.validation?.scenarios === 'number') out.push(`${res.validation.scenarios} scenarios of the Monte-Carlo sample were also simulated at 10x.`);
    const keys = VALIDATION_METRICS.map(([k]) => k).filter((k) => Object.values(byVariable).some((m) => typeof m[k] === 'number'));
    if (keys.length)
      out.push(
        markdownTable(
          ['variable', ...keys.map(metricName)],
          Object.entries(byVariable).map(([v, m]) => [v, ...keys.map((k) => formatNumber(m[k]))]),
        ),
      );
    if (quantities.length) {
      out.push(
        markdownTable(
          ['quantity', 'n', 'mean (10x truth)', 'mean (upscaled)', 'MAE'],
          quantities.map(([q, s]) => [
            label(q),
            s.n ?? 'n/a',
            formatNumber(s.truthMean),
            formatNumber(s.predictedMean),
            formatNumber(s.mae) + (s.warning ? ' ⚠' : ''),
          ]),
        ),
      );
      const warnings = quantities.filter(([, s]) => s.warning).map(([, s]) => `> ⚠ ${s.warning}`);
      if (warnings.length) out.push(warnings.join('\n>\n'));
    }
  }

  if (res.speedup || res.throughput) {
    out.push(ctx.heading(1, 'Speed-up'));
    const sp: Partial<UpscaleResults['speedup']> = res.speedup ?? {};
    const rows: [string, string][] = [
      ['every scenario simulated at 10x', formatSeconds(sp.simulate10xSeconds)],
      ['1x simulation + upscaling (this campaign)', formatSeconds(sp.pipelineSeconds)],
      ['speed-up', `${formatNumber(sp.ratio, 3)}x`],
    ];
    if (typeof sp.inferenceOnlyRatio === 'number') rows.push(['speed-up, inference alone vs 10x', `${formatNumber(sp.inferenceOnlyRatio, 3)}x`]);
    if (sp.simulate10xSource) rows.push(['10x wall time measured on', sp.simulate10xSource]);
    const th: Partial<UpscaleResults['throughput']> = res.throughput ?? {};
    if (typeof th.upscaleInferenceSamplesPerSecond === 'number')
      rows.push(['upscaling throughput', `${formatNumber(th.upscaleInferenceSamplesPerSecond)} samples/s`]);
    if (typeof th.simulate1xMsPerScenario === 'number') rows.push(['1x simulation per scenario', formatSeconds(th.simulate1xMsPerScenario / 1000)]);
    out.push(markdownTable(['', ''], rows, ['l', 'r']));
  }
  return out.join('\n\n');
};
