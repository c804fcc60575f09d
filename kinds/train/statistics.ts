/**
 * The statistics of a `train` campaign from its `models` and `metrics` rows: the paper's Table 3
 * (mean and sample std over repeats per variable, architecture and metric), Welch t-test p-values
 * between every pair of architectures, and which learned models beat interpolation.
 *
 * `finalize` stores them in `campaigns.results`; the report computes the same from the rows while
 * the campaign is still running, so a long campaign's finished variables can be read (with their
 * p-values) before the last training ends.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { metrics, models } from '../../db/schema.js';
import { meanStd } from '../../numerics/statistics.js';
import { welchTTest } from '../../numerics/welch-t-test.js';
import type { MetricTable, PValues, TrainResults } from './results.js';

interface ModelRow {
  id: string;
  arch: string;
  variable: string | null;
  trainSeconds: number;
  paramsCount: number;
}

interface MetricRow {
  ownerId: string;
  name: string;
  split: string;
  value: number;
}

export type TrainStatistics = Pick<TrainResults, 'table' | 'pValues' | 'beatsInterpolation'>;

/** Table key of a metric: its name for the test split, `${split}.${name}` for the others. */
function metricKey(name: string, split: string): string {
  return split === 'test' || split === '' ? name : `${split}.${name}`;
}

/** Welch p-value; a deterministic baseline trained once (n = 1) is compared as a constant. */
function pValue(a: number[], b: number[]): number | null {
  if (a.length < 2 && b.length < 2) return null;
  const aa = a.length < 2 ? [a[0], a[0]] : a;
  const bb = b.length < 2 ? [b[0], b[0]] : b;
  const p = welchTTest(aa, bb).p;
  return Number.isFinite(p) ? p : null;
}

const NOT_COMPARED = new Set(['params_count', 'train_seconds', 'inference_ms_per_sample']);

/** Table 3, p-values and the interpolation comparison from the final-score rows (step -1) of the models. */
function trainStatistics(modelRows: readonly ModelRow[], metricRows: readonly MetricRow[]): TrainStatistics {
  // values[variable][arch][key] = number[] over repeats
  const values: Record<string, Record<string, Record<string, number[]>>> = {};
  const push = (v: string, a: string, k: string, x: number): void => {
    (((values[v] ??= {})[a] ??= {})[k] ??= []).push(x);
  };
  const byModel = new Map(modelRows.map((m) => [m.id, m]));
  for (const m of metricRows) {
    const model = byModel.get(m.ownerId);
    if (!model?.variable) continue;
    push(model.variable, model.arch, metricKey(m.name, m.split), m.value);
  }
  for (const m of modelRows) {
    if (!m.variable) continue;
    push(m.variable, m.arch, 'train_seconds', m.trainSeconds);
    push(m.variable, m.arch, 'params_count', m.paramsCount);
  }
  const table: MetricTable = {};
  const pValues: PValues = {};
  const beatsInterpolation: TrainStatistics['beatsInterpolation'] = {};
  for (const [v, archs] of Object.entries(values)) {
    table[v] = {};
    for (const [a, keys] of Object.entries(archs)) {
      table[v][a] = Object.fromEntries(Object.entries(keys).map(([k, xs]) => [k, meanStd(xs)]));
    }
    pValues[v] = {};
    const names = Object.keys(archs).sort();
    const keys = new Set(
      Object.values(archs)
        .flatMap((k) => Object.keys(k))
        .filter((k) => !NOT_COMPARED.has(k)),
    );
    for (const k of [...keys].sort()) {
      const row: Record<string, number | null> = {};
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const a = archs[names[i]][k];
          const b = archs[names[j]][k];
          if (a?.length && b?.length) row[`${names[i]} vs ${names[j]}`] = pValue(a, b);
        }
      }
      pValues[v][k] = row;
    }
    const interp = table[v].interpolation;
    if (interp) {
      beatsInterpolation[v] = {};
      for (const a of names.filter((n) => n !== 'interpolation')) {
        beatsInterpolation[v][a] = { mse: table[v][a].mse?.mean < interp.mse?.mean, r2_whole: table[v][a].r2_whole?.mean > interp.r2_whole?.mean };
      }
    }
  }
  return { table, pValues, beatsInterpolation };
}

/** The campaign's model rows and the statistics of their final scores. */
export async function trainStatisticsOf(database: Database, campaignId: string): Promise<TrainStatistics & { modelRows: (typeof models.$inferSelect)[] }> {
  const modelRows = await database.db.select().from(models).where(eq(models.campaignId, campaignId));
  const ids = modelRows.map((m) => m.id);
  const metricRows = ids.length
    ? await database.db
        .select()
        .from(metrics)
        .where(and(eq(metrics.ownerType, 'model'), inArray(metrics.ownerId, ids), eq(metrics.step, -1)))
    : [];
  return { ...trainStatistics(modelRows, metricRows), modelRows };
}
