/**
 * `dataset` report. Paired bioremediation datasets: size/split and shape tables, the paper's
 * stretch effect (the 1x domain-mean biomass over-predicts the 10x truth), the biomass
 * distribution over all voxels (the paper's low/high classes and Table 1 mean, histogram, stretch
 * vs target), and the mean biomass time series of a few pairs (1x input vs target). Groundwater-case datasets: size/split and
 * dimension tables and a few sample log-permeability fields (or observation vectors).
 */
import { eq } from 'drizzle-orm';
import { datasets } from '../../db/schema.js';
import { heatmap } from '../../report/figures/heatmap.js';
import { histogram } from '../../report/figures/histogram.js';
import { lineChart } from '../../report/figures/line-chart.js';
import { markdownTable } from '../../report/markdown-table.js';
import { formatNumber, formatPercent } from '../../report/number-format.js';
import type { KindReport, ReportContext, ReportedCampaign } from '../../report/report-context.js';
import type { CaseDatasetResults, DatasetResults, PairedDatasetResults } from './results.js';
import { sliceAt, spatialMeanSeries } from '../../report/tensor-slices.js';

/** How many pairs / samples the figures show. */
const DATASET_FIGURE_SAMPLES = 3;

/**
 * The STAMNet paper's biomass classes (mol/m^3): low < 15, high > 50, and its Table 1 voxel mean
 * (/work/shared/science/upscaling.md, section 1).
 */
const BIOMASS_CLASSES = { low: 15, high: 50, paperMean: 58 } as const;

/** log10 bins of the biomass histogram: Table 1's floor (1e-10) to 1e3 mol/m^3, quarter decades. */
const LOG_B_EDGES = Array.from({ length: 53 }, (_, k) => -10 + k * 0.25);

/** Voxel statistics of one field over every output time and pair (a streaming accumulator). */
class BiomassDistribution {
  n = 0;
  sum = 0;
  low = 0;
  high = 0;
  max = -Infinity;
  readonly counts = new Array<number>(LOG_B_EDGES.length - 1).fill(0);

  add(data: ArrayLike<number>): number {
    let s = 0;
    const nb = this.counts.length;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      s += v;
      if (v < BIOMASS_CLASSES.low) this.low++;
      else if (v > BIOMASS_CLASSES.high) this.high++;
      if (v > this.max) this.max = v;
      const b = Math.floor((Math.log10(Math.max(v, 1e-10)) - LOG_B_EDGES[0]) / 0.25);
      this.counts[Math.min(nb - 1, Math.max(0, b))]++;
    }
    this.n += data.length;
    this.sum += s;
    return data.length > 0 ? s / data.length : NaN;
  }

  get mean(): number {
    return this.n > 0 ? this.sum / this.n : NaN;
  }

  row(name: string): (string | number)[] {
    const f = (c: number) => formatPercent(this.n > 0 ? c / this.n : NaN);
    return [name, formatNumber(this.mean), f(this.low), f(this.n - this.low - this.high), f(this.high), formatNumber(this.max)];
  }
}

/**
 * Biomass over every voxel, output time and completed pair: the target's distribution against the
 * paper's classes and mean, and the stretch of the 1x field (repeating each cell along the target's
 * extra width / resolution keeps its mean and class fractions) against the target.
 */
async function biomassDistributionSection(ctx: ReportContext, campaign: ReportedCampaign<DatasetResults>, pairing: string): Promise<string> {
  const rs = await ctx.database.query(
    `select run_index, output from runs where campaign_id = $1 and status = 'completed' and output is not null order by run_index`,
    [campaign.id],
  );
  const target = new BiomassDistribution();
  const stretched = new BiomassDistribution();
  let pairs = 0;
  let over = 0;
  for (const r of rs.rows) {
    const o = r.output as BioRunOutput;
    if (!o.x?.B || !o.y?.B) continue;
    const mx = stretched.add((await ctx.store.getTensor(o.x.B)).data);
    const my = target.add((await ctx.store.getTensor(o.y.B)).data);
    pairs++;
    if (mx > my) over++;
  }
  if (pairs === 0) return '';
  const out: string[] = [ctx.heading(1, 'Biomass distribution')];
  const what = pairing === 'resolution2x' ? '2x-resolution' : '10x';
  out.push(
    `Biomass B (mol/m^3) over every voxel and output time of ${pairs} pairs, in the paper's classes (low < ${BIOMASS_CLASSES.low}, high > ${BIOMASS_CLASSES.high}). ` +
      `The 1x field stretched to the target grid (each cell repeated) has the 1x mean and class fractions.`,
  );
  out.push(
    markdownTable(
      ['field', 'mean B', `low < ${BIOMASS_CLASSES.low}`, 'mid', `high > ${BIOMASS_CLASSES.high}`, 'max B'],
      [target.row(`target (${what})`), stretched.row('1x stretched'), ['paper Table 1', BIOMASS_CLASSES.paperMean, 'n/a', 'n/a', 'n/a', 765]],
    ),
  );
  const ratio = target.mean / BIOMASS_CLASSES.paperMean;
  out.push(
    `Target mean / paper mean: **${formatNumber(ratio)}** (${ratio >= 0.5 && ratio <= 2 ? 'within' : 'outside'} a factor of 2). ` +
      `Stretching the 1x field over-predicts the target's mean biomass in **${over} of ${pairs}** pairs; over all pairs the stretched mean is ` +
      `**${formatNumber(stretched.mean / target.mean)}x** the target mean.`,
  );
  // Dashed: the paper's class limits; solid: this dataset's mean (the paper's 58 is in the table: its line would sit on the 50 one).
  const markers = [
    { label: `${BIOMASS_CLASSES.low}`, value: Math.log10(BIOMASS_CLASSES.low), dashed: true },
    { label: `${BIOMASS_CLASSES.high}`, value: Math.log10(BIOMASS_CLASSES.high), dashed: true },
    ...(target.mean > 0 ? [{ label: `mean ${formatNumber(target.mean, 3)}`, value: Math.log10(target.mean) }] : []),
  ];
  // Show the populated bins only (the first bin also holds everything below 1e-10).
  const first = Math.max(
    0,
    target.counts.findIndex((c) => c > 0),
  );
  const last = Math.max(first, target.counts.length - 1 - [...target.counts].reverse().findIndex((c) => c > 0));
  const lo = Math.min(first, Math.floor((Math.log10(BIOMASS_CLASSES.low) - LOG_B_EDGES[0]) / 0.25));
  const hi = Math.max(last, Math.ceil((Math.log10(BIOMASS_CLASSES.paperMean) - LOG_B_EDGES[0]) / 0.25));
  out.push(
    await ctx.figures.add(
      'dataset-biomass-histogram',
      `Target (${what}) biomass over all voxels, output times and pairs, log10 scale (values below 1e-10 in the first bin); dashed: the paper's class limits.`,
      histogram({
        title: `Target biomass distribution (${pairs} pairs)`,
        xLabel: 'log10 B (mol/m^3)',
        yLabel: 'voxels',
        edges: LOG_B_EDGES.slice(lo, hi + 2),
        counts: target.counts.slice(lo, hi + 1),
        markers,
      }),
    ),
  );
  return out.join('\n\n');
}

type DatasetRow = typeof datasets.$inferSelect;

interface BioRunOutput {
  x: Record<string, string>;
  y: Record<string, string>;
  shapeX?: number[];
  shapeY?: number[];
  times?: number[];
  summary?: Record<string, number>;
}

const shapeText = (s: unknown): string => (Array.isArray(s) ? `[${s.join(', ')}]` : 'n/a');

function splitTable(split: Record<string, unknown>, size: number): string {
  const names = Object.keys(split);
  const count = (v: unknown) => (Array.isArray(v) ? v.length : Number(v));
  const rows = names.map((n) => [n, count(split[n]), formatPercent(count(split[n]) / size)]);
  rows.push(['total', size, formatPercent(1)]);
  return markdownTable(['split', 'samples', 'share'], rows);
}

async function bioremediationSection(
  ctx: ReportContext,
  campaign: ReportedCampaign<DatasetResults>,
  ds: DatasetRow | null,
  res: Partial<PairedDatasetResults>,
): Promise<string> {
  const out: string[] = [];
  const meta = (ds?.meta ?? {}) as { variables?: string[]; shapeX?: number[]; shapeY?: number[]; times?: number[] };
  const size = ds?.size ?? res.size ?? 0;
  const split = (ds?.split ?? res.split ?? {}) as Record<string, unknown>;
  const variables = meta.variables ?? res.variables ?? [];
  const times = meta.times ?? [];
  out.push(ctx.heading(1, 'Size and split'));
  out.push(`Source \`bioremediation\`, pairing \`${ds?.pairing ?? res.pairing ?? 'n/a'}\`, preset \`${ds?.preset ?? res.preset ?? 'n/a'}\`.`);
  out.push(splitTable(split, size));
  out.push(ctx.heading(1, 'Shapes'));
  out.push(
    markdownTable(
      ['', 'input (1x)', 'target'],
      [
        ['tensor [t, h, w]', shapeText(meta.shapeX ?? res.shapeX), shapeText(meta.shapeY ?? res.shapeY)],
        ['variables', variables.join(', '), variables.join(', ')],
        ['output times (h)', times.length ? `${times.length}: ${formatNumber(times[0])} … ${formatNumber(times[times.length - 1])}` : 'n/a', ''],
      ],
      ['l', 'l', 'l'],
    ),
  );
  out.push(ctx.heading(1, 'Stretch effect'));
  const stretch = res.stretchOverPredictsBiomass;
  if (stretch && stretch.of > 0) {
    out.push(
      `The 1x domain-mean biomass at the last output time exceeds the true (target) one in **${stretch.scenarios} of ${stretch.of}** scenarios ` +
        `(${formatPercent(stretch.scenarios / stretch.of)}): stretching a 1x simulation over-predicts biomass, the paper's motivation for learned upscaling.`,
    );
  } else {
    out.push('No stretch-effect summary recorded (`results.stretchOverPredictsBiomass`).');
  }
  if (typeof res.maxMassBalanceError === 'number')
    out.push(`Largest relative mass-balance error over all simulations: ${formatNumber(res.maxMassBalanceError)}.`);
  if (variables.includes('B')) {
    const dist = await biomassDistributionSection(ctx, campaign, String(ds?.pairing ?? res.pairing ?? ''));
    if (dist) out.push(dist);
  }

  // Mean biomass time series of the first few completed pairs.
  const variable = variables.includes('B') ? 'B' : variables[0];
  if (!variable) return out.join('\n\n');
  const rs = await ctx.database.query(
    `select run_index, output from runs where campaign_id = $1 and status = 'completed' and output is not null order by run_index limit $2`,
    [campaign.id, DATASET_FIGURE_SAMPLES],
  );
  const series = [];
  const rows: string[][] = [];
  for (const [k, r] of rs.rows.entries()) {
    const o = r.output as BioRunOutput;
    if (!o.x?.[variable] || !o.y?.[variable]) continue;
    const x = spatialMeanSeries(await ctx.store.getTensor(o.x[variable]));
    const y = spatialMeanSeries(await ctx.store.getTensor(o.y[variable]));
    const t = o.times && o.times.length === x.length ? o.times : x.map((_, i) => i);
    series.push(
      { name: `run ${String(r.run_index)} 1x`, x: t, y: x, colorIndex: k },
      { name: `run ${String(r.run_index)} target`, x: t, y, dashed: true, colorIndex: k },
    );
    rows.push([String(r.run_index), formatNumber(x[x.length - 1]), formatNumber(y[y.length - 1]), formatNumber(x[x.length - 1] / y[y.length - 1])]);
  }
  if (series.length > 0) {
    out.push(ctx.heading(1, `Mean ${variable} time series`));
    out.push(markdownTable(['run', `final mean ${variable} (1x)`, `final mean ${variable} (target)`, '1x / target'], rows));
    const unitTime = times.length ? 'time (h)' : 'output step';
    out.push(
      await ctx.figures.add(
        `dataset-mean-${variable}`,
        `Domain-mean ${variable} over time for ${rows.length} pairs: 1x input (solid) vs target (dashed).`,
        lineChart({ title: `Domain-mean ${variable}: 1x vs target`, xLabel: unitTime, yLabel: `mean ${variable}`, series }),
      ),
    );
  }
  return out.join('\n\n');
}

async function groundwaterSection(ctx: ReportContext, ds: DatasetRow | null, res: Partial<CaseDatasetResults>): Promise<string> {
  const out: string[] = [];
  const meta = (ds?.meta ?? {}) as {
    d?: number;
    m?: number;
    fieldShape?: number[] | null;
    stacked?: Record<string, { field: string | null; obs: string; n: number }>;
  };
  const size = ds?.size ?? res.size ?? 0;
  const split = (ds?.split ?? res.split ?? {}) as Record<string, unknown>;
  out.push(ctx.heading(1, 'Size and split'));
  out.push(`Source \`${ds?.source ?? res.source}\` (groundwater case).`);
  out.push(splitTable(split, size));
  out.push(ctx.heading(1, 'Shapes'));
  out.push(
    markdownTable(
      ['quantity', 'value'],
      [
        ['parameters d', meta.d ?? res.parameters ?? 'n/a'],
        ['observations m', meta.m ?? res.observations ?? 'n/a'],
        ['field [ny, nx]', shapeText(meta.fieldShape ?? res.fieldShape)],
      ],
    ),
  );
  const train = meta.stacked?.train;
  if (train?.field) {
    const arr = await ctx.store.getTensor(train.field);
    const n = Math.min(DATASET_FIGURE_SAMPLES, arr.shape[0]);
    const panels = Array.from({ length: n }, (_, i) => ({ title: `train sample ${i}`, ...sliceAt(arr, i) }));
    out.push(
      await ctx.figures.add('dataset-fields', `log10 permeability of the first ${n} training samples.`, heatmap({ title: 'Sample log10 k fields', panels })),
    );
  } else if (train?.obs) {
    const arr = await ctx.store.getTensor(train.obs);
    const m = arr.shape[1] ?? arr.data.length;
    const n = Math.min(DATASET_FIGURE_SAMPLES, arr.shape[0]);
    const idx = Array.from({ length: m }, (_, j) => j);
    const series = Array.from({ length: n }, (_, i) => ({ name: `train sample ${i}`, x: idx, y: Array.from(arr.data.subarray(i * m, (i + 1) * m)) }));
    out.push(
      await ctx.figures.add(
        'dataset-observations',
        `Observation vectors of the first ${n} training samples.`,
        lineChart({ title: 'Sample observations', xLabel: 'observation index', yLabel: 'value', series }),
      ),
    );
  }
  return out.join('\n\n');
}

export const datasetReport: KindReport<DatasetResults> = async (ctx, campaign) => {
  const [ds] = await ctx.database.db.select().from(datasets).where(eq(datasets.id, campaign.id));
  const res = campaign.results ?? {};
  const source = ds?.source ?? res.source ?? (campaign.spec as { source?: { type?: string; case?: string } }).source?.type;
  if (!ds && !campaign.results) return `${ctx.heading(1, 'Dataset')}\n\nNo \`datasets\` row yet: the campaign has not finished.`;
  return source === 'bioremediation'
    ? bioremediationSection(ctx, campaign, ds ?? null, res as Partial<PairedDatasetResults>)
    : groundwaterSection(ctx, ds ?? null, res);
};
