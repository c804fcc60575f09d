/**
 * `train` (upscaling) report: the paper's Table 3 (mean ± std over repeated trainings per variable
 * and architecture, metric definitions named), Welch p-values between architectures, cost and
 * speed-up, the mean time series of truth / interpolation / models, spatial maps (truth,
 * prediction, error) of one test sample at the last output time, and training curves.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { datasets, metrics, models, predictions } from '../../db/schema.js';
import { archName, metricName, sortArchs } from '../../report/display-names.js';
import { finiteRange, heatmap } from '../../report/figures/heatmap.js';
import { lineChart, type LineSeries } from '../../report/figures/line-chart.js';
import { markdownTable } from '../../report/markdown-table.js';
import { formatCount, formatMeanStd, formatNumber, formatPValue } from '../../report/number-format.js';
import type { KindReport, ReportContext } from '../../report/report-context.js';
import { sliceAt, sliceDifference } from '../../report/tensor-slices.js';

import { mseBySampleSection, type SamplePrediction } from './mse-by-sample.js';
import type { MetricTable, PValues, Stat, TrainResults } from './results.js';
import { trainStatisticsOf } from './statistics.js';

/** The Table 3 rows, in the paper's order. */
const TABLE3_METRICS = ['mse', 'mae', 'r2_whole', 'r2_mean_series_median', 'r2_mean_series_mean'] as const;
const COST_KEYS = ['params_count', 'train_seconds', 'inference_ms_per_sample'] as const;

const METRIC_DEFINITIONS = [
  '**MSE** = mean over every voxel (samples × times × cells) of (prediction − truth)², physical units.',
  '**MAE** = mean over every voxel of |prediction − truth|.',
  '**R² (whole tensor)** = 1 − SS_res / SS_tot over every voxel, SS_tot about the global mean of the truth.',
  "**R² (mean series, median)** = the STAMNet authors' definition: per test sample, average truth and prediction over the cells to a time series, R² of that series, median over samples (**mean series, mean**: the mean over samples).",
  'Cells are mean ± sample std over repeated trainings (n in the last row); a single deterministic baseline (n = 1) has no std.',
];

function cellOf(s: Stat | undefined): string {
  if (!s) return 'n/a';
  return formatMeanStd(s.mean, s.n > 1 ? s.std : undefined);
}

function metricsTable(t: Record<string, Record<string, Stat>>, archs: string[], keys: string[], prefix = ''): string | null {
  const present = keys.filter((k) => archs.some((a) => t[a]?.[`${prefix}${k}`]));
  if (present.length === 0) return null;
  const rows = present.map((k) => [metricName(k), ...archs.map((a) => cellOf(t[a]?.[`${prefix}${k}`]))]);
  const n = archs.map((a) => t[a]?.[`${prefix}${present[0]}`]?.n ?? 'n/a');
  rows.push(['repeats n', ...n.map(String)]);
  return markdownTable(['metric', ...archs.map(archName)], rows);
}

function pValueTable(pv: Record<string, Record<string, number | null>>): string | null {
  const keys = TABLE3_METRICS.filter((k) => pv[k]);
  if (keys.length === 0) return null;
  const pairs = [...new Set(keys.flatMap((k) => Object.keys(pv[k])))];
  if (pairs.length === 0) return null; // one architecture so far: nothing to compare
  const pretty = (pair: string) =>
    pair
      .split(' vs ')
      .map((a) => archName(a))
      .join(' vs ');
  return markdownTable(
    ['comparison', ...keys.map(metricName)],
    pairs.map((p) => [pretty(p), ...keys.map((k) => formatPValue(pv[k][p]))]),
  );
}

interface PredictionSummary {
  source?: string;
  variable?: string;
  meanSeries?: number[];
  truthArtifactId?: string;
  errorArtifactId?: string;
}

interface PredictionRow {
  runIndex: number;
  variable: string;
  modelId: string | null;
  artifactId: string;
  summary: PredictionSummary;
}

/** Plain variable name of a prediction row ('B@mlp_eca' rows carry summary.variable = 'B'). */
const plainVariable = (p: PredictionRow): string => p.summary.variable ?? p.variable.split('@')[0];

function elementMean(series: number[][]): number[] {
  const len = Math.max(0, ...series.map((s) => s.length));
  return Array.from({ length: len }, (_, i) => {
    const v = series.filter((s) => i < s.length && Number.isFinite(s[i])).map((s) => s[i]);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  });
}

async function datasetTimes(ctx: ReportContext, datasetId: unknown): Promise<number[]> {
  if (typeof datasetId !== 'string') return [];
  const [ds] = await ctx.database.db.select().from(datasets).where(eq(datasets.id, datasetId));
  return ((ds?.meta as { times?: number[] } | undefined)?.times ?? []).map(Number);
}

function bestArch(t: Record<string, Record<string, Stat>> | undefined, archs: string[]): string | undefined {
  const learned = archs.filter((a) => a !== 'interpolation');
  const pool = learned.length ? learned : archs;
  return [...pool].sort((a, b) => (t?.[b]?.r2_whole?.mean ?? -Infinity) - (t?.[a]?.r2_whole?.mean ?? -Infinity))[0];
}

export const trainReport: KindReport<TrainResults> = async (ctx, campaign) => {
  const res = campaign.results ?? {};
  const out: string[] = [];
  // A campaign still running has no results yet: the same statistics come from the rows written so far.
  const stored = res.table && Object.keys(res.table).length > 0;
  const live = stored ? null : await trainStatisticsOf(ctx.database, campaign.id);
  const table: MetricTable = live?.table ?? res.table ?? {};
  const pValues: PValues = live?.pValues ?? res.pValues ?? {};
  const variables = res.variables ?? Object.keys(table);
  if (res.datasetId) out.push(`Dataset \`${res.datasetId}\`.`);

  out.push(ctx.heading(1, 'Test metrics (Table 3 style)'));
  out.push(METRIC_DEFINITIONS.map((d) => `- ${d}`).join('\n'));
  if (Object.keys(table).length === 0) out.push('No model metrics recorded yet.');
  else if (live)
    out.push(
      `No final results yet (status: ${campaign.status}): these tables cover the ${live.modelRows.length} trainings finished so far (n per cell in the last row).`,
    );
  const archsOf = (v: string) => sortArchs([...(res.architectures ?? []).filter((a) => table[v]?.[a]), ...Object.keys(table[v] ?? {})]);
  for (const v of variables) {
    const t = table[v];
    if (!t) continue;
    const archs = archsOf(v);
    out.push(ctx.heading(2, `${v}: whole test set`));
    out.push(metricsTable(t, archs, [...TABLE3_METRICS]) ?? 'No test metrics.');
    for (const [split, label] of [
      ['test_low', 'low-concentration test samples'],
      ['test_high', 'high-concentration test samples'],
    ] as const) {
      const sub = metricsTable(t, archs, [...TABLE3_METRICS], `${split}.`);
      if (sub) out.push(ctx.heading(2, `${v}: ${label}`), sub);
    }
  }

  if (Object.keys(pValues).length) {
    out.push(ctx.heading(1, 'Welch t-test p-values'));
    out.push('Two-sided Welch (unequal variance) t-test between the repeats of each pair of architectures, test split; * marks p < 0.05.');
    for (const v of variables) {
      const tbl = pValues[v] ? pValueTable(pValues[v]) : null;
      if (tbl) out.push(ctx.heading(2, v), tbl);
    }
  }

  // Cost and speed-up.
  const costRows: string[][] = [];
  const perArch: Partial<TrainResults['speedup']['architectures']> = res.speedup?.architectures ?? {};
  for (const v of variables) {
    for (const a of archsOf(v)) {
      const t = table[v]?.[a] ?? {};
      if (!COST_KEYS.some((k) => t[k]) && !perArch[`${v}:${a}`]) continue;
      costRows.push([
        v,
        archName(a),
        formatCount(t.params_count?.mean),
        formatNumber(t.train_seconds?.mean),
        formatNumber(t.inference_ms_per_sample?.mean),
        formatNumber(perArch[`${v}:${a}`]?.inferenceOnly, 3),
        formatNumber(perArch[`${v}:${a}`]?.withSimulate1x, 3),
      ]);
    }
  }
  if (costRows.length || res.speedup) {
    out.push(ctx.heading(1, 'Cost and speed-up'));
    const sp: Partial<TrainResults['speedup']> = res.speedup ?? {};
    if (typeof sp.simulate10xMsPerSample === 'number') {
      out.push(
        `10x simulation: ${formatNumber(sp.simulate10xMsPerSample)} ms per scenario; 1x simulation: ${formatNumber(sp.simulate1xMsPerSample)} ms (means over ${sp.datasetRuns ?? 'n/a'} dataset runs). ` +
          'Speed-up = 10x simulation time / model inference time (and / (1x simulation + inference)).',
      );
    }
    if (costRows.length) {
      out.push(
        markdownTable(
          ['variable', 'architecture', 'parameters', 'training time (s)', 'inference ms / sample', 'speed-up (inference)', 'speed-up (1x sim + inference)'],
          costRows,
        ),
      );
    }
  }

  // Predictions: mean time series, spatial maps.
  const prows = (await ctx.database.db.select().from(predictions).where(eq(predictions.campaignId, campaign.id))) as PredictionRow[];
  // A running campaign's statistics already read its models rows.
  const modelRows = live?.modelRows ?? (await ctx.database.db.select().from(models).where(eq(models.campaignId, campaign.id)));
  const archOfModel = new Map(modelRows.map((m) => [m.id, m.arch]));
  const sourceOf = (p: PredictionRow): string => p.summary.source ?? (p.modelId ? (archOfModel.get(p.modelId) ?? p.modelId) : 'truth');
  const times = await datasetTimes(ctx, res.datasetId);
  const predVariables = sortedUnique([...variables, ...prows.map(plainVariable)]);
  if (prows.length) out.push(ctx.heading(1, 'Mean time series (test set)'));
  for (const v of predVariables) {
    const mine = prows.filter((p) => plainVariable(p) === v && Array.isArray(p.summary.meanSeries));
    if (!mine.length) continue;
    const bySource = new Map<string, number[][]>();
    for (const p of mine) bySource.set(sourceOf(p), [...(bySource.get(sourceOf(p)) ?? []), p.summary.meanSeries!]);
    const sources = ['truth', ...sortArchs([...bySource.keys()].filter((s) => s !== 'truth'))].filter((s) => bySource.has(s));
    const series: LineSeries[] = sources.map((s, k) => {
      const y = elementMean(bySource.get(s)!);
      const x = times.length === y.length ? times : y.map((_, i) => i);
      return { name: s === 'truth' ? 'truth (10x)' : archName(s), x, y, dashed: s === 'interpolation', colorIndex: s === 'truth' ? 7 : k };
    });
    const n = bySource.get(sources[0])!.length;
    out.push(
      markdownTable(
        ['source', 'samples', `mean ${v}, first output`, `mean ${v}, last output`, `mean ${v} over time`],
        series.map((s, k) => {
          const y = Array.from(s.y);
          return [
            s.name,
            bySource.get(sources[k])!.length,
            formatNumber(y[0]),
            formatNumber(y[y.length - 1]),
            formatNumber(y.reduce((a, b) => a + b, 0) / y.length),
          ];
        }),
      ),
    );
    out.push(
      await ctx.figures.add(
        `train-mean-series-${v}`,
        `Domain-mean ${v} over time, averaged over ${n} test samples: truth, interpolation and each model (repeat 0).`,
        lineChart({ title: `Mean ${v} time series (test set)`, xLabel: times.length ? 'time (h)' : 'output step', yLabel: `mean ${v}`, series }),
      ),
    );
    out.push(await spatialMaps(ctx, v, mine, sourceOf, bestArch(table[v], sortArchs(bySource.keys()))));
  }
  const bySample: [string, SamplePrediction[]][] = predVariables.map((v) => [
    v,
    prows
      .filter((p) => plainVariable(p) === v && sourceOf(p) !== 'truth' && p.summary.truthArtifactId)
      .map((p) => ({ runIndex: p.runIndex, source: sourceOf(p), artifactId: p.artifactId, truthArtifactId: p.summary.truthArtifactId! })),
  ]);
  const sampleSections = (await Promise.all(bySample.map(([v, rows]) => mseBySampleSection(ctx, v, rows)))).filter(Boolean);
  if (sampleSections.length) out.push(ctx.heading(1, 'Test MSE by sample'), ...sampleSections);

  out.push(await trainingCurves(ctx, modelRows, variables));
  return out.filter(Boolean).join('\n\n');
};

const sortedUnique = (xs: string[]): string[] => [...new Set(xs)];

async function spatialMaps(
  ctx: ReportContext,
  variable: string,
  rows: PredictionRow[],
  sourceOf: (p: PredictionRow) => string,
  arch: string | undefined,
): Promise<string> {
  const candidates = rows.filter((p) => sourceOf(p) !== 'truth' && (!arch || sourceOf(p) === arch)).sort((a, b) => a.runIndex - b.runIndex);
  const pred = candidates[0];
  if (!pred) return '';
  const truthId = pred.summary.truthArtifactId ?? rows.find((p) => p.runIndex === pred.runIndex && sourceOf(p) === 'truth')?.artifactId;
  if (!truthId || !(await ctx.store.has(pred.artifactId)) || !(await ctx.store.has(truthId))) {
    return `Spatial maps: artifacts of test sample ${pred.runIndex} are not in this artifact store (${ctx.store.location}).`;
  }
  const p = sliceAt(await ctx.store.getTensor(pred.artifactId));
  const t = sliceAt(await ctx.store.getTensor(truthId));
  const e = sliceDifference(p, t);
  const [lo1, hi1] = finiteRange(t.values);
  const [lo2, hi2] = finiteRange(p.values);
  const range: [number, number] = [Math.min(lo1, lo2), Math.max(hi1, hi2)];
  const name = archName(sourceOf(pred));
  return [
    await ctx.figures.add(
      `train-maps-${variable}`,
      `${variable} at the last output time, test sample ${pred.runIndex}: 10x truth, ${name} prediction (same colour scale) and error (prediction − truth).`,
      heatmap({
        title: `${variable}, test sample ${pred.runIndex}, last output time`,
        panels: [
          { title: 'truth (10x)', ...t, range },
          { title: `${name} prediction`, ...p, range },
          { title: 'error (prediction − truth)', ...e, diverging: true },
        ],
      }),
    ),
  ].join('\n\n');
}

async function trainingCurves(ctx: ReportContext, modelRows: (typeof models.$inferSelect)[], variables: string[]): Promise<string> {
  const first = modelRows.filter((m) => m.repeat === 0);
  if (!first.length) return '';
  const loss = await ctx.database.db
    .select()
    .from(metrics)
    .where(
      and(
        eq(metrics.ownerType, 'model'),
        eq(metrics.name, 'loss'),
        inArray(
          metrics.ownerId,
          first.map((m) => m.id),
        ),
      ),
    );
  const curves = loss.filter((m) => m.step >= 0);
  if (!curves.length) return '';
  const out = [ctx.heading(1, 'Training curves')];
  for (const v of sortedUnique([...variables, ...first.map((m) => m.variable ?? '')])) {
    const mine = sortArchs(first.filter((m) => (m.variable ?? '') === v).map((m) => m.arch));
    const series: LineSeries[] = [];
    mine.forEach((arch, k) => {
      const model = first.find((m) => (m.variable ?? '') === v && m.arch === arch)!;
      const pts = curves.filter((c) => c.ownerId === model.id);
      for (const split of sortedUnique(pts.map((c) => c.split)).sort((a, b) => (a === 'train' ? -1 : b === 'train' ? 1 : a.localeCompare(b)))) {
        const s = pts.filter((c) => c.split === split).sort((a, b) => a.step - b.step);
        series.push({ name: `${archName(arch)} ${split}`, x: s.map((c) => c.step), y: s.map((c) => c.value), dashed: split !== 'train', colorIndex: k });
      }
    });
    if (!series.length) continue;
    out.push(
      await ctx.figures.add(
        `train-loss-${v}`,
        `Loss per epoch for ${v} (repeat 0): training (solid) and held-out (dashed), log scale.`,
        lineChart({ title: `Training curves: ${v}`, xLabel: 'epoch', yLabel: 'loss', yLog: true, series }),
      ),
    );
  }
  return out.join('\n\n');
}
