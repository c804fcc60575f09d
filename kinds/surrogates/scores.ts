/**
 * Summaries of a `surrogates` campaign from its rows (`models` + `metrics`): every model's test
 * scores, mean ± std over repeats per (architecture, size), and the ranking at each size. Used by
 * the handler's finalize and by the report (which rebuilds them when results are partial).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { metrics, models } from '../../db/schema.js';
import { meanStd } from '../../numerics/statistics.js';
import type { ScoredModel, SizeTable } from './results.js';

/** Architectures by mean RMSE_all at each size, best first (missing cells last). */
export function rankBySize(table: SizeTable, sizes: number[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of sizes) {
    const rmse = (a: string) => table[a]?.[String(n)]?.['all.rmse']?.mean ?? Infinity;
    out[String(n)] = Object.keys(table)
      .filter((a) => Number.isFinite(rmse(a)))
      .sort((a, b) => rmse(a) - rmse(b));
  }
  return out;
}

/** Mean ± std over repeats of every score per (arch, size). */
export function sizeTable(scored: ScoredModel[]): SizeTable {
  const values: Record<string, Record<string, Record<string, number[]>>> = {};
  const push = (a: string, n: number, k: string, v: number) => {
    if (Number.isFinite(v)) (((values[a] ??= {})[String(n)] ??= {})[k] ??= []).push(v);
  };
  for (const m of scored) {
    for (const [k, v] of Object.entries(m.scores)) push(m.arch, m.trainSize, k, v);
    push(m.arch, m.trainSize, 'train_seconds', m.trainSeconds);
    push(m.arch, m.trainSize, 'params_count', m.paramsCount);
  }
  const table: SizeTable = {};
  for (const [a, bySize] of Object.entries(values)) {
    table[a] = {};
    for (const [n, keys] of Object.entries(bySize)) table[a][n] = Object.fromEntries(Object.entries(keys).map(([k, xs]) => [k, meanStd(xs)]));
  }
  return table;
}

/** Every trained model of a campaign with its test scores (from `models` + `metrics` rows). */
export async function scoredModels(database: Database, campaignId: string): Promise<ScoredModel[]> {
  const mrows = await database.db.select().from(models).where(eq(models.campaignId, campaignId));
  const ids = mrows.map((m) => m.id);
  const met = ids.length
    ? await database.db
        .select()
        .from(metrics)
        .where(and(eq(metrics.ownerType, 'model'), inArray(metrics.ownerId, ids), eq(metrics.step, -1)))
    : [];
  const scores = new Map<string, Record<string, number>>();
  for (const m of met) (scores.get(m.ownerId) ?? scores.set(m.ownerId, {}).get(m.ownerId)!)[`${m.split}.${m.name}`] = m.value;
  return mrows
    .map((m) => ({
      modelId: m.id,
      arch: m.arch,
      trainSize: Number((m.hyperparams as { trainSize?: number }).trainSize),
      repeat: m.repeat,
      scores: scores.get(m.id) ?? {},
      trainSeconds: m.trainSeconds,
      paramsCount: m.paramsCount,
      backend: m.backend,
    }))
    .sort((a, b) => a.arch.localeCompare(b.arch) || a.trainSize - b.trainSize || a.repeat - b.repeat);
}
