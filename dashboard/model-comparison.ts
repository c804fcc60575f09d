/**
 * Model comparison tables: for each (variable, metric, split), every architecture's mean +- sample
 * std over its repeats, and Welch's two-sided p-value against the best architecture (lowest mean
 * for error metrics, highest for R2/accuracy-like ones).
 */
import { welchTTest } from '../numerics/welch-t-test.js';
import { meanStd as meanAndStd } from '../numerics/statistics.js';

export interface ModelMetricRow {
  arch: string;
  variable: string | null;
  repeat: number;
  metric: string;
  split: string;
  value: number;
}

interface ComparisonEntry {
  arch: string;
  n: number;
  mean: number;
  std: number;
  /** Two-sided Welch p-value against the best architecture (null for the best, or n < 2). */
  pValue: number | null;
  best: boolean;
}

export interface ComparisonTable {
  variable: string | null;
  metric: string;
  split: string;
  higherIsBetter: boolean;
  entries: ComparisonEntry[];
}

const higherIsBetter = (metric: string): boolean => /^(r2|r\^2|accuracy|acc|nse|kge|ssim|psnr)$/i.test(metric);

function meanStd(x: number[]): [number, number] {
  const s = meanAndStd(x);
  return [s.mean, s.std];
}

export function compareModels(rows: ModelMetricRow[]): ComparisonTable[] {
  const groups = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    if (!Number.isFinite(r.value)) continue;
    const key = JSON.stringify([r.variable, r.metric, r.split]);
    const g = groups.get(key) ?? new Map<string, number[]>();
    const list = g.get(r.arch) ?? [];
    list.push(r.value);
    g.set(r.arch, list);
    groups.set(key, g);
  }
  const tables: ComparisonTable[] = [];
  for (const [key, byArch] of groups) {
    const [variable, metric, split] = JSON.parse(key) as [string | null, string, string];
    const hib = higherIsBetter(metric);
    const stats = [...byArch].map(([arch, v]) => ({ arch, values: v, ms: meanStd(v) }));
    stats.sort((a, b) => (hib ? b.ms[0] - a.ms[0] : a.ms[0] - b.ms[0]));
    const best = stats[0];
    tables.push({
      variable,
      metric,
      split,
      higherIsBetter: hib,
      entries: stats.map((s, k) => {
        let p: number | null = null;
        if (k > 0 && s.values.length >= 2 && best.values.length >= 2) p = welchTTest(s.values, best.values).p;
        return { arch: s.arch, n: s.values.length, mean: s.ms[0], std: s.ms[1], pValue: p, best: k === 0 };
      }),
    });
  }
  return tables.sort((a, b) => `${a.variable}/${a.metric}/${a.split}`.localeCompare(`${b.variable}/${b.metric}/${b.split}`));
}
