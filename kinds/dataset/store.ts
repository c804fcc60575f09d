/**
 * Reading datasets produced by `dataset` campaigns (see docs/RESULTS.md): paired bioremediation
 * tensors stacked per split and variable, and groundwater-case (parameters, observations, fields).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { ArtifactStore } from '../../artifacts/store.js';
import type { Database } from '../../db/client.js';
import { campaigns, datasets } from '../../db/schema.js';
import { loadRuns } from '../../db/campaign-store.js';
import { isCaseName } from '../../physics/groundwater/case-registry.js';
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';

export type DatasetRow = typeof datasets.$inferSelect;
export type SplitName = 'train' | 'val' | 'test';

export interface PairedMeta {
  variables: string[];
  shapeX: [number, number, number];
  shapeY: [number, number, number];
  times: number[];
  parameterNames: string[];
}

export interface CaseMeta {
  case: CaseName;
  d: number;
  m: number;
  fieldShape: [number, number] | null;
  bounds: { min: number[]; max: number[] };
  stacked: Record<'train' | 'test', { params: string; obs: string; field: string | null; n: number }>;
}

/**
 * A dataset id, or the name of a dataset campaign (the newest completed one with that name).
 * `hint` says how to make one (appended to the error).
 */
export async function resolveDatasetId(database: Database, ref: string, hint = 'run the dataset campaign first and use its id (plume list)'): Promise<string> {
  const [byId] = await database.db.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, ref));
  if (byId) return byId.id;
  const [byName] = await database.db
    .select({ id: datasets.id })
    .from(datasets)
    .innerJoin(campaigns, eq(campaigns.id, datasets.campaignId))
    .where(and(eq(campaigns.name, ref), eq(campaigns.kind, 'dataset'), eq(campaigns.status, 'completed')))
    .orderBy(sql`${campaigns.finishedAt} desc nulls last`)
    .limit(1);
  if (byName) return byName.id;
  throw new Error(`dataset: no dataset '${ref}' (neither a dataset id nor the name of a completed dataset campaign); ${hint}`);
}

export async function getDataset(database: Database, id: string): Promise<DatasetRow> {
  const [row] = await database.db.select().from(datasets).where(eq(datasets.id, id));
  if (!row) throw new Error(`no dataset '${id}': run a dataset campaign first (its id is the dataset id; see \`plume list\`)`);
  return row;
}

export interface PairedData {
  x: Float32Array;
  y: Float32Array;
  shapeX: [number, number, number, number];
  shapeY: [number, number, number, number];
  runIndices: number[];
}

/** Stack one variable of one split: x `[n,t,h,w]` (1x input), y `[n,t,h,w']` (target). */
export async function loadPairedDataset(
  database: Database,
  store: ArtifactStore,
  datasetId: string,
  opts: { split: SplitName | SplitName[]; variable: string },
): Promise<PairedData> {
  const ds = await getDataset(database, datasetId);
  if (ds.source !== 'bioremediation' && ds.source !== 'pflotran')
    throw new Error(`dataset ${datasetId} holds ${ds.source} samples, not paired bioremediation simulations`);
  const meta = ds.meta as PairedMeta;
  if (!meta.variables.includes(opts.variable)) {
    throw new Error(`dataset ${datasetId} has no variable '${opts.variable}' (it has ${meta.variables.join(', ')})`);
  }
  const split = ds.split as Record<SplitName, number[]>;
  const splits = Array.isArray(opts.split) ? opts.split : [opts.split];
  const indices = splits.flatMap((s) => split[s] ?? []);
  const runs = await loadRuns(database, datasetId, indices);
  const byIndex = new Map(runs.map((r) => [r.runIndex, r]));
  const [t, h, w] = meta.shapeX;
  const [, h2, w2] = meta.shapeY;
  const sx = t * h * w;
  const sy = t * h2 * w2;
  const x = new Float32Array(indices.length * sx);
  const y = new Float32Array(indices.length * sy);
  for (let k = 0; k < indices.length; k++) {
    const r = byIndex.get(indices[k]);
    const out = r?.output as { x: Record<string, string>; y: Record<string, string> } | null;
    if (!r || r.status !== 'completed' || !out) throw new Error(`dataset ${datasetId}: run ${indices[k]} is not completed; retry the dataset's failed runs`);
    x.set((await store.getTensor(out.x[opts.variable])).data, k * sx);
    y.set((await store.getTensor(out.y[opts.variable])).data, k * sy);
  }
  return { x, y, shapeX: [indices.length, t, h, w], shapeY: [indices.length, t, h2, w2], runIndices: indices };
}

export interface CaseData {
  params: Float64Array;
  obs: Float32Array;
  fields: Float32Array | null;
  n: number;
  d: number;
  m: number;
  fieldShape: [number, number] | null;
}

export async function loadCaseDataset(
  database: Database,
  store: ArtifactStore,
  datasetId: string,
  split: 'train' | 'test',
): Promise<CaseData & { meta: CaseMeta }> {
  const ds = await getDataset(database, datasetId);
  if (!isCaseName(ds.source)) throw new Error(`dataset ${datasetId} is a ${ds.source} dataset, not a groundwater case`);
  const meta = ds.meta as CaseMeta;
  const s = meta.stacked[split];
  const params = (await store.getTensor(s.params)).data as Float64Array;
  const obs = (await store.getTensor(s.obs)).data as Float32Array;
  const fields = s.field ? ((await store.getTensor(s.field)).data as Float32Array) : null;
  return { params, obs, fields, n: s.n, d: meta.d, m: meta.m, fieldShape: meta.fieldShape, meta };
}
