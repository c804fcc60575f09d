/**
 * Where a train campaign's test MSE comes from: each test sample's MSE per model (repeat-0
 * predictions against the 10x truth, from the prediction artifacts), the samples with the largest
 * share of the baseline's MSE first. With few test pairs and a variable spanning orders of
 * magnitude (Cr(VI)), a handful of samples decide the MSE ranking; this table shows how many.
 */
import { markdownTable } from '../../report/markdown-table.js';
import { archName, sortArchs } from '../../report/display-names.js';
import { formatNumber } from '../../report/number-format.js';
import type { ReportContext } from '../../report/report-context.js';

export interface SamplePrediction {
  runIndex: number;
  source: string;
  artifactId: string;
  truthArtifactId: string;
}

/** Rows shown before the rest of the samples are summed into one line. */
const SHOWN = 5;

function sampleMse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (pred[i] - truth[i]) ** 2;
  return s / truth.length;
}

/** Markdown section for one variable, or '' when the artifacts are not in this store. */
export async function mseBySampleSection(ctx: ReportContext, variable: string, rows: readonly SamplePrediction[]): Promise<string> {
  const sources = sortArchs([...new Set(rows.map((r) => r.source))]);
  const samples = [...new Set(rows.map((r) => r.runIndex))].sort((a, b) => a - b);
  if (sources.length === 0 || samples.length < 2) return '';
  const mse = new Map<string, Map<number, number>>(sources.map((s) => [s, new Map()]));
  const truthMean = new Map<number, number>();
  for (const r of rows) {
    if (!(await ctx.store.has(r.artifactId)) || !(await ctx.store.has(r.truthArtifactId))) return '';
    const truth = (await ctx.store.getTensor(r.truthArtifactId)).data;
    mse.get(r.source)!.set(r.runIndex, sampleMse((await ctx.store.getTensor(r.artifactId)).data, truth));
    if (!truthMean.has(r.runIndex)) {
      let sum = 0;
      for (let i = 0; i < truth.length; i++) sum += truth[i];
      truthMean.set(r.runIndex, sum / truth.length);
    }
  }
  const complete = samples.filter((k) => sources.every((s) => mse.get(s)!.has(k)));
  if (complete.length < 2) return '';
  const reference = sources.includes('interpolation') ? 'interpolation' : sources[0];
  const total = (s: string, ks: readonly number[]) => ks.reduce((a, k) => a + mse.get(s)!.get(k)!, 0);
  const refTotal = total(reference, complete);
  const order = [...complete].sort((a, b) => mse.get(reference)!.get(b)! - mse.get(reference)!.get(a)!);
  const shown = order.slice(0, SHOWN);
  const rest = order.slice(SHOWN);
  const share = (k: number) => (refTotal > 0 ? `${formatNumber((100 * mse.get(reference)!.get(k)!) / refTotal, 3)} %` : 'n/a');
  const table = markdownTable(
    ['test sample', `mean ${variable} (truth)`, `share of ${archName(reference)}'s MSE`, ...sources.map((s) => `${archName(s)} MSE`)],
    [
      ...shown.map((k) => [k, formatNumber(truthMean.get(k)!), share(k), ...sources.map((s) => formatNumber(mse.get(s)!.get(k)!))]),
      ...(rest.length
        ? [
            [
              `${rest.length} others`,
              '',
              refTotal > 0 ? `${formatNumber((100 * total(reference, rest)) / refTotal, 3)} %` : 'n/a',
              ...sources.map((s) => formatNumber(total(s, rest) / rest.length)),
            ],
          ]
        : []),
      ['all (test MSE)', '', '100 %', ...sources.map((s) => formatNumber(total(s, complete) / complete.length))],
    ],
  );
  let cumulative = 0;
  let needed = 0;
  for (const k of order) {
    if (cumulative >= 0.8 * refTotal) break;
    cumulative += mse.get(reference)!.get(k)!;
    needed++;
  }
  return [
    ctx.heading(2, `${variable}: test MSE by sample (repeat 0)`),
    `Each test sample's MSE over its voxels; the test MSE is their mean. ${needed} of ${complete.length} samples carry 80 % of ${archName(reference)}'s test MSE.` +
      ' Rows are that model’s largest contributors first; "others" gives their mean.',
    table,
  ].join('\n\n');
}
