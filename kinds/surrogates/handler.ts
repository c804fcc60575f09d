/**
 * `surrogates` campaigns (paper 2, section 3, Figs. 5-6): which forward-model surrogate, at which
 * training-set size.
 *
 *   setup `data` (compute)   the case dataset: a referenced `dataset` campaign (by id or name), or
 *                            simulated here in worker threads (inline `{train, test}`)
 *   stage `train` (ml)       one run = (architecture, training size, repeat): the inversion kind's
 *                            surrogate-training task (kinds/inversion/tasks/train-surrogate.ts)
 *                            on `size` rows of the training pool, scored on the whole test split
 *                            -> `models` row, `metrics` (rmse / r2 per heads|conc|all, loss curve)
 *   finalize                 mean ± std over repeats per (architecture, size), ranking per size
 *
 * Run order: repeat, then size (largest first), then architecture, so a campaign's first runs
 * already give the headline cells (every architecture at the largest size). At a (size, repeat)
 * every architecture trains on the same rows with the same seed: the comparison differs only in
 * the model. Observations are min-max normalised with the whole training pool's ranges (one scale
 * for every size, so the scores are comparable across sizes).
 */
import { runEach } from '../../engine/run-each.js';
import { upsertModel } from '../../db/model-store.js';
import { metrics } from '../../db/schema.js';
import { registerArtifacts } from '../../db/artifact-registry.js';
import { upsertMetrics } from '../../db/metric-store.js';
import { runComputeWithProgress, trainingMetrics } from '../../compute/progress.js';
import { SpecError } from '../../engine/spec-error.js';
import type { HandlerContext, KindHandler, ResultsError, RunInput, RunOutcome } from '../../engine/kind-handler.js';
import { Rng } from '../../numerics/rng.js';
import { getCase } from '../../physics/groundwater/case-registry.js';
import { observationGroups } from '../../physics/groundwater/observation-layout.js';
import { generateCaseDataset } from '../dataset/case-dataset.js';
import { getDataset, resolveDatasetId, type CaseMeta } from '../dataset/store.js';
import { surrogateInputKind } from '../inversion/cases.js';
import { observationBounds } from '../inversion/problem.js';
import { concentrationScaling } from '../inversion/spec.js';
import type { TrainSurrogateTaskInput } from '../inversion/tasks/train-surrogate.js';
import { surrogatesTasks } from './compute-tasks.js';
import { SCORE_GROUPS, type SurrogatesResults, type SurrogatesRunParams } from './results.js';
import { rankBySize, scoredModels, sizeTable } from './scores.js';
import { resolveTraining, type SurrogatesSpec } from './spec.js';

function surrogateModelId(campaignId: string, arch: string, trainSize: number, repeat: number): string {
  return `${campaignId}:${arch}:n${trainSize}:r${repeat}`;
}

/** Seed of the (size, repeat) cell: model initialisation and mini-batch order. */
export function cellSeed(seed: number, trainSize: number, repeat: number): number {
  return Rng.derive(seed, 0x5a6, trainSize, repeat).uint32() | 0;
}

/** Training rows of a (size, repeat) cell: a seeded draw without replacement from the pool ('random'), or the first n ('nested'). */
export function trainingRows(subsets: SurrogatesSpec['subsets'], seed: number, pool: number, trainSize: number, repeat: number): number[] {
  if (trainSize > pool) throw new Error(`trainSizes: ${trainSize} exceeds the dataset's ${pool} training samples; use a larger dataset or drop the size`);
  if (subsets === 'nested') return Array.from({ length: trainSize }, (_, k) => k);
  return Array.from(Rng.derive(seed, 0x5b5, trainSize, repeat).permutation(pool).subarray(0, trainSize)).sort((a, b) => a - b);
}

async function datasetMeta(ctx: HandlerContext, datasetId: string, caseName: string): Promise<CaseMeta> {
  const ds = await getDataset(ctx.database, datasetId);
  if (ds.source !== caseName)
    throw new Error(`dataset ${datasetId} holds ${ds.source} samples but the campaign compares ${caseName} surrogates: reference a ${caseName} dataset`);
  return ds.meta as CaseMeta;
}

async function firstRunParams(ctx: HandlerContext): Promise<SurrogatesRunParams> {
  const r = await ctx.database.query('select params from runs where campaign_id = $1 and run_index = 0', [ctx.campaign.id]);
  if (!r.rows.length) throw new Error(`campaign ${ctx.campaign.id} has no runs; plan it first`);
  return r.rows[0].params as SurrogatesRunParams;
}

const SPLIT_OF_GROUP: Record<string, (typeof SCORE_GROUPS)[number]> = { heads: 'heads', concentrations: 'conc', all: 'all' };

async function trainRun(spec: SurrogatesSpec, run: RunInput<SurrogatesRunParams>, ctx: HandlerContext): Promise<RunOutcome> {
  const t0 = performance.now();
  const p = run.params;
  const meta = await datasetMeta(ctx, p.datasetId, spec.case);
  const caseName = spec.case;
  const c = getCase(caseName);
  const inputKind = surrogateInputKind(caseName, spec.input);
  const training = resolveTraining(spec, p.arch);
  const modelId = surrogateModelId(ctx.campaign.id, p.arch, p.trainSize, p.repeat);
  const rows = trainingRows(spec.subsets, spec.seed, meta.stacked.train.n, p.trainSize, p.repeat);
  const input: TrainSurrogateTaskInput = {
    artifactRoot: ctx.store.location,
    caseName,
    arch: p.arch,
    inputKind,
    options: training.options,
    training: {
      epochs: training.epochs,
      batchSize: training.batchSize,
      learningRate: training.learningRate,
      weightDecay: training.weightDecay,
      schedule: training.schedule,
    },
    seed: p.seed,
    d: meta.d,
    m: meta.m,
    stacked: meta.stacked,
    obsBounds: observationBounds(meta.bounds, observationGroups(c), concentrationScaling(spec)),
    trainIndices: rows,
    msvr: spec.msvr,
    nHeads: c.points.length,

    checkpointSeconds: spec.execution.checkpointSeconds,
  };
  const out = await runComputeWithProgress(surrogatesTasks.trainSurrogate, input, ctx, {
    details: { step: 'train', modelId },
    onProgress: trainingMetrics(p.arch),
    intervalMs: Math.max(1000, (spec.execution.heartbeatTimeoutSeconds * 1000) / 4),
  });
  await registerArtifacts(ctx.database, out.refs);
  const row = {
    id: modelId,
    campaignId: ctx.campaign.id,
    arch: p.arch,
    variable: 'observations',
    repeat: p.repeat,
    hyperparams: {
      ...out.hyperparams,
      trainSize: p.trainSize,
      subsets: spec.subsets,
      seed: p.seed,
      fieldNorm: out.fieldNorm,
      inputKind,
      datasetId: p.datasetId,
      ...(out.resumedFromEpoch !== null ? { resumedFromEpoch: out.resumedFromEpoch } : {}),
      ...(out.backendReason ? { backendReason: out.backendReason } : {}),
    },
    backend: out.backend,
    artifactId: out.artifactId,
    paramsCount: Math.round(out.paramsCount),
    trainSeconds: out.trainSeconds,
  };
  await upsertModel(ctx.database, row);
  const scores: Record<string, number> = {};
  const mrows: (typeof metrics.$inferInsert)[] = [];
  for (const [group, split] of Object.entries(SPLIT_OF_GROUP)) {
    const f = out.test[group];
    if (!f) continue;
    scores[`${split}.rmse`] = f.rmse;
    scores[`${split}.r2`] = f.r2;
    mrows.push(
      { ownerType: 'model', ownerId: modelId, name: 'rmse', split, step: -1, value: f.rmse },
      { ownerType: 'model', ownerId: modelId, name: 'r2', split, step: -1, value: f.r2 },
    );
  }
  out.history.forEach((v, e) => {
    if (Number.isFinite(v)) mrows.push({ ownerType: 'model', ownerId: modelId, name: 'loss', split: 'train', step: e, value: v });
  });
  await upsertMetrics(ctx.database, mrows);
  return {
    runIndex: run.runIndex,
    status: 'completed',
    durationMs: performance.now() - t0,
    output: {
      modelId,
      arch: p.arch,
      trainSize: out.nTrain,
      repeat: p.repeat,
      scores,
      trainSeconds: out.trainSeconds,
      paramsCount: row.paramsCount,
      backend: out.backend,
      artifactId: out.artifactId,
    },
  };
}

async function finalizeSurrogates(spec: SurrogatesSpec, ctx: HandlerContext): Promise<SurrogatesResults | ResultsError> {
  const runs = await ctx.database.query('select status from runs where campaign_id = $1', [ctx.campaign.id]);
  if (runs.rows.length === 0) return { error: 'no runs' };
  const failedRuns = runs.rows.filter((r) => r.status !== 'completed').length;
  const p = await firstRunParams(ctx);
  const meta = await datasetMeta(ctx, p.datasetId, spec.case);
  const scored = await scoredModels(ctx.database, ctx.campaign.id);
  if (scored.length === 0)
    return { error: `no surrogate finished training (${failedRuns} failed runs); see the runs' errors (plume status ${ctx.campaign.id})` };
  const table = sizeTable(scored);
  return {
    datasetId: p.datasetId,
    case: spec.case,
    poolSize: meta.stacked.train.n,
    testSamples: meta.stacked.test.n,
    architectures: spec.architectures,
    trainSizes: [...spec.trainSizes].sort((a, b) => a - b),
    repeats: spec.repeats,
    subsets: spec.subsets,
    observationScaling: { heads: 'component', concentrations: concentrationScaling(spec) },
    models: scored,
    failedRuns,
    backends: [...new Set(scored.map((m) => m.backend))],
    table,
    ranking: rankBySize(table, spec.trainSizes),
  };
}

export const surrogatesHandler: KindHandler<SurrogatesSpec, SurrogatesRunParams, SurrogatesResults> = {
  kind: 'surrogates',
  defaultBatchSize: 1,
  chunkSize: 1,
  setup: [{ name: 'data', role: 'compute' }],
  stages: [{ name: 'train', role: 'ml' }],

  async prepare(spec, ctx) {
    let datasetId: string;
    if (typeof spec.dataset === 'string') {
      datasetId = await resolveDatasetId(
        ctx.database,
        spec.dataset,
        'run a groundwater dataset campaign first (e.g. examples/dataset-case1.yaml in the same directory) or give { train, test } to generate one inline',
      );
      const meta = await datasetMeta(ctx, datasetId, spec.case);
      spec.trainSizes.forEach((n, i) => {
        if (n > meta.stacked.train.n)
          throw new SpecError(
            `trainSizes[${i}]: ${n} exceeds dataset ${datasetId}'s ${meta.stacked.train.n} training samples; use a larger dataset or drop the size`,
            [{ path: `trainSizes[${i}]`, message: `exceeds the ${meta.stacked.train.n} training samples` }],
          );
      });
      if (surrogateInputKind(spec.case, spec.input) === 'field' && !meta.stacked.train.field)
        throw new Error(`dataset ${datasetId} stores no fields; use input 'parameters' or a dataset with fields`);
    } else {
      datasetId = `${ctx.campaign.id}-data`;
    }
    const sizes = [...spec.trainSizes].sort((a, b) => b - a);
    const params: SurrogatesRunParams[] = [];
    for (let repeat = 0; repeat < spec.repeats; repeat++) {
      for (const trainSize of sizes) {
        for (const arch of spec.architectures) params.push({ datasetId, arch, trainSize, repeat, seed: cellSeed(spec.seed, trainSize, repeat) });
      }
    }
    return { params };
  },

  async runSetup(stage, spec, ctx) {
    if (stage !== 'data') throw new Error(`surrogates: unknown setup step '${stage}'`);
    if (typeof spec.dataset === 'string') return;
    const { datasetId } = await firstRunParams(ctx);
    const existing = await ctx.database.query('select id from datasets where id = $1', [datasetId]);
    if (existing.rows.length) return;
    const src = spec.dataset;
    await generateCaseDataset(ctx, datasetId, { caseName: spec.case, seed: spec.seed, train: src.train, test: src.test, sampler: src.sampler });
  },

  runBatch(_stage, spec, runs, ctx) {
    return runEach(runs, ctx, (r) => trainRun(spec, r, ctx));
  },

  finalize: finalizeSurrogates,
};
