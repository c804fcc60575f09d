/**
 * `surrogates` report, after paper 2's Table 1 and Figs. 5-6: test RMSE and R² of heads,
 * concentrations and all outputs per architecture and training-set size (mean ± std over repeats),
 * the measured ranking next to the paper's, metric-vs-size curves per architecture and box plots
 * of the spread over repeats.
 */
import { archName, sortArchs } from '../../report/display-names.js';
import { boxPlot } from '../../report/figures/box-plot.js';
import { lineChart } from '../../report/figures/line-chart.js';
import { markdownTable } from '../../report/markdown-table.js';
import { formatCount, formatMeanStd, formatNumber, formatSeconds } from '../../report/number-format.js';
import type { KindReport } from '../../report/report-context.js';
import { SCORE_GROUPS, type ScoredModel, type Stat, type SurrogatesResults } from './results.js';
import { rankBySize, scoredModels, sizeTable } from './scores.js';

const GROUP_LABELS: Record<string, string> = { heads: 'heads', conc: 'concentrations', all: 'all outputs' };

/** The paper's reading (section 3.1, Table 1): with 2,000 samples ResNet > LeNet > FC-DNN > MSVR, ResNet RMSE < 0.02 and R² > 0.99. */
const PAPER_RANKING = ['resnet', 'lenet', 'fcdnn', 'msvr'];
const PAPER_TARGET = { trainSize: 2000, rmse: 0.02, r2: 0.99 };

const cell = (s: Stat | undefined): string => (s ? formatMeanStd(s.mean, s.n > 1 ? s.std : undefined) : 'n/a');

const SCORE_DEFINITIONS = [
  '**RMSE** = sqrt(mean over test samples and outputs of the group of (prediction − truth)²), on min-max normalised outputs (each output scaled by its training range, so 0.01 is 1 % of a range).',
  '**R²** = 1 − SS_res / SS_tot pooled over the group (SS_tot about the mean of every sample and output of the group).',
  'Cells are mean ± sample std over repeats (n in the last column); each repeat has its own seed and, with random subsets, its own training rows.',
];

export const surrogatesReport: KindReport<SurrogatesResults> = async (ctx, campaign) => {
  const res = campaign.results ?? {};
  const models: ScoredModel[] = res.models?.length ? res.models : await scoredModels(ctx.database, campaign.id);
  const table = res.table && Object.keys(res.table).length ? res.table : sizeTable(models);
  const archs = sortArchs([...(res.architectures ?? []), ...Object.keys(table), ...models.map((m) => m.arch)]).filter((a) => table[a]);
  const sizes = (res.trainSizes?.length ? res.trainSizes : [...new Set(models.map((m) => m.trainSize))]).slice().sort((a, b) => a - b);
  const ranking = res.ranking ?? rankBySize(table, sizes);
  const out: string[] = [];
  const facts = [
    res.datasetId ? `Dataset \`${res.datasetId}\`${res.case ? ` (${res.case})` : ''}` : null,
    res.poolSize ? `training pool ${formatCount(res.poolSize)} samples` : null,
    res.testSamples ? `every model scored on the same ${formatCount(res.testSamples)} test runs` : null,
    res.subsets
      ? `training rows: ${res.subsets === 'random' ? 'a seeded random subset of the pool per (size, repeat), shared by the architectures' : 'the first n rows of the pool'}`
      : null,
    res.observationScaling
      ? `normalisation: heads per component, concentrations per ${res.observationScaling.concentrations}, ranges from the whole training pool`
      : null,
  ].filter(Boolean);
  if (facts.length) out.push(`${facts.join('; ')}.`);
  if (models.length === 0) {
    out.push('No surrogate has finished training yet.');
    return out.join('\n\n');
  }

  out.push(ctx.heading(1, 'Ranking'));
  const largest = sizes[sizes.length - 1];
  const lines: string[] = [];
  for (const n of [...sizes].reverse()) {
    const r = ranking[String(n)] ?? [];
    if (r.length) lines.push(`- ${formatCount(n)} samples (by mean RMSE of all outputs): ${r.map(archName).join(' > ')}`);
  }
  lines.push(
    `- Paper (${formatCount(PAPER_TARGET.trainSize)} samples): ${PAPER_RANKING.map(archName).join(' > ')}; ResNet RMSE < ${PAPER_TARGET.rmse}, R² > ${PAPER_TARGET.r2}.`,
  );
  const resnet = table.resnet?.[String(largest)];
  if (resnet?.['all.rmse'] && resnet['all.r2']) {
    const ok = resnet['all.rmse'].mean < PAPER_TARGET.rmse && resnet['all.r2'].mean > PAPER_TARGET.r2;
    const verdict =
      largest === PAPER_TARGET.trainSize
        ? `${ok ? 'meets' : 'does not meet'} the paper's RMSE < ${PAPER_TARGET.rmse} and R² > ${PAPER_TARGET.r2}`
        : `the paper's target (RMSE < ${PAPER_TARGET.rmse}, R² > ${PAPER_TARGET.r2}) is at ${formatCount(PAPER_TARGET.trainSize)} samples`;
    lines.push(`- ResNet at ${formatCount(largest)} samples: RMSE_all ${cell(resnet['all.rmse'])}, R²_all ${cell(resnet['all.r2'])}: ${verdict}.`);
  }
  out.push(lines.join('\n'));

  out.push(ctx.heading(1, 'Test scores by training-set size (Table 1 style)'));
  out.push(SCORE_DEFINITIONS.map((d) => `- ${d}`).join('\n'));
  for (const n of sizes) {
    const rows = archs
      .filter((a) => table[a][String(n)])
      .map((a) => {
        const t = table[a][String(n)];
        return [
          archName(a),
          ...SCORE_GROUPS.map((g) => cell(t[`${g}.rmse`])),
          ...SCORE_GROUPS.map((g) => cell(t[`${g}.r2`])),
          formatSeconds(t.train_seconds?.mean),
          formatCount(t.params_count?.mean),
          String(t['all.rmse']?.n ?? t.train_seconds?.n ?? 0),
        ];
      });
    if (rows.length === 0) continue;
    out.push(ctx.heading(2, `${formatCount(n)} training samples`));
    out.push(markdownTable(['surrogate', 'RMSE heads', 'RMSE conc.', 'RMSE all', 'R² heads', 'R² conc.', 'R² all', 'training time', 'parameters', 'n'], rows));
  }

  out.push(ctx.heading(1, 'Metric vs training-set size (Figs. 5-6 analogue)'));
  for (const [metric, label] of [
    ['rmse', 'RMSE'],
    ['r2', 'R²'],
  ] as const) {
    for (const g of SCORE_GROUPS) {
      const series = archs
        .map((a, k) => {
          const pts = sizes.filter((n) => Number.isFinite(table[a][String(n)]?.[`${g}.${metric}`]?.mean));
          return { name: archName(a), x: pts, y: pts.map((n) => table[a][String(n)][`${g}.${metric}`].mean), colorIndex: k };
        })
        .filter((s) => s.x.length > 0);
      if (series.length === 0) continue;
      const yLog = metric === 'rmse' && series.every((s) => s.y.every((v) => v > 0));
      out.push(
        await ctx.figures.add(
          `${metric}-${g}-vs-size`,
          `Test ${label} of ${GROUP_LABELS[g]} vs training-set size, mean over repeats per surrogate${yLog ? ' (log scale)' : ''}.`,
          lineChart({ title: `${label} (${GROUP_LABELS[g]}) vs training samples`, xLabel: 'training samples', yLabel: label, series, yLog }),
        ),
      );
    }
  }

  const repeated = models.some((m) => m.repeat > 0);
  if (repeated) {
    out.push(ctx.heading(2, 'Spread over repeats'));
    for (const [metric, label] of [
      ['rmse', 'RMSE'],
      ['r2', 'R²'],
    ] as const) {
      const groups = archs.map((a) => ({
        name: archName(a),
        values: sizes.map((n) =>
          models
            .filter((m) => m.arch === a && m.trainSize === n)
            .map((m) => m.scores[`all.${metric}`])
            .filter((v) => Number.isFinite(v)),
        ),
      }));
      out.push(
        await ctx.figures.add(
          `${metric}-all-spread`,
          `Test ${label} of all outputs per repeat: box per surrogate and training-set size (quartiles, whiskers at 1.5 IQR).`,
          boxPlot({
            title: `${label} (all outputs) over repeats`,
            categories: sizes.map((n) => formatCount(n)),
            groups,
            yLabel: label,
            xLabel: 'training samples',
          }),
        ),
      );
    }
  }

  out.push(ctx.heading(1, 'Models'));
  out.push(
    markdownTable(
      ['model', 'surrogate', 'samples', 'repeat', 'RMSE all', 'R² all', 'training time', 'backend'],
      [...models]
        .sort((a, b) => archs.indexOf(a.arch) - archs.indexOf(b.arch) || a.trainSize - b.trainSize || a.repeat - b.repeat)
        .map((m) => [
          `\`${m.modelId}\``,
          archName(m.arch),
          formatCount(m.trainSize),
          String(m.repeat),
          formatNumber(m.scores['all.rmse']),
          formatNumber(m.scores['all.r2']),
          formatSeconds(m.trainSeconds),
          m.backend,
        ]),
    ),
  );
  if (res.failedRuns) out.push(`${res.failedRuns} run(s) failed; \`plume retry ${campaign.id} --failed\` retrains them.`);
  return out.join('\n\n');
};
