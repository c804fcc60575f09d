/**
 * Groundwater-case datasets: train/test samples of a case stacked into artifacts, with the
 * training observations' min-max bounds, recorded as a `datasets` row. Dataset campaigns record
 * their runs' samples with it; inversion campaigns with an inline `dataset: { train, test }` also
 * simulate the samples with it (the same compute task and inputs as a dataset campaign's runs).
 */
import type { ArtifactRef } from '../../artifacts/store.js';
import { runCompute } from '../../compute/pool.js';
import { registerArtifacts } from '../../db/artifact-registry.js';
import { datasets } from '../../db/schema.js';
import type { HandlerContext } from '../../engine/kind-handler.js';
import type { SamplerName } from '../../physics/groundwater/case-dataset.js';
import { getCase } from '../../physics/groundwater/case-registry.js';
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';
import { observationGroups } from '../../physics/groundwater/observation-layout.js';
import { trainingObservationBounds } from '../inversion/problem.js';
import { datasetTasks } from './compute-tasks.js';
import type { CaseMeta } from './store.js';

export type CaseStream = 'train' | 'test';

export interface CaseSample {
  params: Float64Array;
  observations: ArrayLike<number>;
  field: ArrayLike<number> | null;
}

/** Input of the groundwater-sample task for sample `index` of `stream` (what a dataset campaign's run computes). */
export function caseSampleInput(caseName: CaseName, seed: number, sizes: Record<CaseStream, number>, sampler: SamplerName, stream: CaseStream, index: number) {
  return { caseName, index, seed, n: sizes[stream], sampler, stream };
}

/**
 * Stacks each stream's samples (params f64, observations and fields f32), fits the observation
 * bounds on the training stream, and upserts the `datasets` row `id`.
 */
export async function recordCaseDataset(
  ctx: HandlerContext,
  row: { id: string; caseName: CaseName; split: Record<CaseStream, number[]>; size: number },
  samples: Record<CaseStream, CaseSample[]>,
): Promise<CaseMeta> {
  const c = getCase(row.caseName);
  const first = samples.train[0] ?? samples.test[0];
  const d = first.params.length;
  const m = first.observations.length;
  const fieldShape: [number, number] | null = first.field ? [c.grid.ny, c.grid.nx] : null;
  const stacked = {} as CaseMeta['stacked'];
  const refs: ArtifactRef[] = [];
  let bounds = { min: [] as number[], max: [] as number[] };
  for (const stream of ['train', 'test'] as const) {
    const part = samples[stream];
    const n = part.length;
    const P = new Float64Array(n * d);
    const O = new Float32Array(n * m);
    const F = fieldShape ? new Float32Array(n * fieldShape[0] * fieldShape[1]) : null;
    part.forEach((s, k) => {
      P.set(s.params, k * d);
      O.set(s.observations, k * m);
      if (F && s.field) F.set(s.field, k * s.field.length);
    });
    const p = await ctx.store.putTensor('case.stacked.params', P, [n, d]);
    const o = await ctx.store.putTensor('case.stacked.obs', O, [n, m]);
    const f = F && fieldShape ? await ctx.store.putTensor('case.stacked.field', F, [n, ...fieldShape]) : null;
    refs.push(p, o, ...(f ? [f] : []));
    stacked[stream] = { params: p.id, obs: o.id, field: f?.id ?? null, n };
    // Bounds from the stored (float32) training observations.
    if (stream === 'train') bounds = trainingObservationBounds(O, n, m, observationGroups(c));
  }
  await registerArtifacts(ctx.database, refs);
  const meta: CaseMeta = { case: row.caseName, d, m, fieldShape, bounds, stacked };
  const values = { id: row.id, campaignId: ctx.campaign.id, source: row.caseName, pairing: null, preset: null, size: row.size, split: row.split, meta };
  await ctx.database.db
    .insert(datasets)
    .values(values)
    .onConflictDoUpdate({ target: datasets.id, set: { split: values.split, meta: values.meta, size: values.size } });
  return meta;
}

/** Simulates a case's train and test samples in the compute threads and records them as dataset `id`. */
export async function generateCaseDataset(
  ctx: HandlerContext,
  id: string,
  src: { caseName: CaseName; seed: number; train: number; test: number; sampler: SamplerName },
): Promise<CaseMeta> {
  const sizes = { train: src.train, test: src.test };
  const jobs: { stream: CaseStream; index: number }[] = [];
  for (const stream of ['train', 'test'] as const) for (let i = 0; i < sizes[stream]; i++) jobs.push({ stream, index: i });
  const results = new Array<CaseSample>(jobs.length);
  let done = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const k = next++;
      const j = jobs[k];
      results[k] = await runCompute(datasetTasks.groundwaterSample, caseSampleInput(src.caseName, src.seed, sizes, src.sampler, j.stream, j.index), ctx.signal);
      done++;
      if (done % 10 === 0) ctx.heartbeat({ step: 'data', done, of: jobs.length });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const samples = { train: results.filter((_, k) => jobs[k].stream === 'train'), test: results.filter((_, k) => jobs[k].stream === 'test') };
  return recordCaseDataset(ctx, { id, caseName: src.caseName, split: { train: [], test: [] }, size: jobs.length }, samples);
}
