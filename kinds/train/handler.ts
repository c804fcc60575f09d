/**
 * `train` campaigns: architectures x variables x repeats on a paired bioremediation dataset, one
 * training per run in a worker thread on the ML queue (gpu when a GPU worker polls, else cpu).
 * Each run writes a `models` row, its `metrics` (test / test_low / test_high, loss curves) and, for
 * repeat 0, `predictions` rows for the test set; `finalize` builds the paper's Table 3 (mean and
 * std per metric), Welch t-test p-values between architectures and the speed-up over the 10x
 * simulator. Rows: docs/RESULTS.md (train).
 *
 * `predictions` is unique on (campaign_id, run_index, variable), so the truth row uses the
 * variable's name and each architecture's row `<variable>@<arch>` (summary.variable holds the
 * plain name, summary.source the arch).
 */
import { runEach } from '../../engine/run-each.js';
import { eq, sql } from 'drizzle-orm';
import { upsertModel } from '../../db/model-store.js';
import { datasets, metrics, predictions } from '../../db/schema.js';
import type { Database } from '../../db/client.js';
import type { ModelOptions } from '../../models/upscaling/model-options.js';
import { resolveModelOptions } from '../../models/upscaling/model-options.js';
import { Rng } from '../../numerics/rng.js';
import type { TrainTaskInput } from './tasks/train-upscaling-model.js';
import { registerArtifacts } from '../../db/artifact-registry.js';
import { loadRuns } from '../../db/campaign-store.js';
import { runComputeWithProgress, trainingMetrics } from '../../compute/progress.js';
import { trainTasks } from './compute-tasks.js';
import type { PairedMeta } from '../dataset/store.js';
import type { HandlerContext, KindHandler, ResultsError, RunInput, RunOutcome } from '../../engine/kind-handler.js';
import { resolveHyperparams, type TrainArch, type TrainSpec } from './spec.js';
import type { TrainResults, TrainRunParams, TrainSpeedup } from './results.js';
import { trainStatisticsOf } from './statistics.js';
import { upsertMetrics } from '../../db/metric-store.js';
import { resolveDatasetId } from '../dataset/store.js';

const METRIC_NAMES = ['mse', 'mae', 'rmse', 'r2_whole', 'r2_mean_series_median', 'r2_mean_series_mean'] as const;
const METRIC_SPLITS = ['test', 'test_low', 'test_high'] as const;

function modelIdOf(campaignId: string, arch: string, variable: string, repeat: number): string {
  return `${campaignId}:${arch}:${variable}:r${repeat}`;
}

/** Model options of (arch, dataset shapes, hyperparams): scale factors from the pair's shapes. */
function modelOptionsOf(arch: TrainArch, meta: PairedMeta, hp: ReturnType<typeof resolveHyperparams>, seed: number): ModelOptions {
  const [, h, w] = meta.shapeX;
  const [, h2, w2] = meta.shapeY;
  const o: ModelOptions = { scale: w2 / w, seed };
  if (arch === 'stamnet_upsample' || h2 !== h) o.scaleH = h2 / h;
  if (hp.widthMultipliers) o.hiddenMultipliers = hp.widthMultipliers;
  if (hp.dropout !== undefined) o.dropout = hp.dropout;
  if (hp.firstLayer) o.firstLayer = hp.firstLayer;
  if (hp.ecaKernelSize) o.ecaKernelSize = hp.ecaKernelSize;
  if (hp.stam) o.stam = hp.stam;
  if (hp.skip && arch !== 'interpolation') o.skip = hp.skip;
  return o;
}

async function datasetMeta(
  database: Database,
  id: string,
): Promise<{ meta: PairedMeta; split: Record<'train' | 'val' | 'test', number[]>; preset: string | null; pairing: string | null }> {
  const [ds] = await database.db.select().from(datasets).where(eq(datasets.id, id));
  if (!ds) throw new Error(`dataset '${id}' not found`);
  if (ds.source !== 'bioremediation') throw new Error(`dataset: '${id}' holds ${ds.source} samples; a train campaign needs a bioremediation dataset`);
  return { meta: ds.meta as PairedMeta, split: ds.split as Record<'train' | 'val' | 'test', number[]>, preset: ds.preset, pairing: ds.pairing };
}

async function artifactIds(database: Database, datasetId: string, indices: number[], variable: string): Promise<{ x: string[]; y: string[] }> {
  const runs = await loadRuns(database, datasetId, indices);
  const by = new Map(runs.map((r) => [r.runIndex, r]));
  const x: string[] = [];
  const y: string[] = [];
  for (const i of indices) {
    const out = by.get(i)?.output as { x?: Record<string, string>; y?: Record<string, string> } | null | undefined;
    if (!out?.x?.[variable] || !out.y?.[variable])
      throw new Error(`dataset ${datasetId}: run ${i} has no '${variable}' tensors; retry the dataset's failed runs`);
    x.push(out.x[variable]);
    y.push(out.y[variable]);
  }
  return { x, y };
}

// `excluded.<col>` references for upserts.
const predictionsExcluded = { modelId: sql`excluded.model_id`, artifactId: sql`excluded.artifact_id`, summary: sql`excluded.summary` };

async function trainRun(spec: TrainSpec, run: RunInput<TrainRunParams>, ctx: HandlerContext): Promise<RunOutcome> {
  const t0 = performance.now();
  const p = run.params;
  const { meta, split } = await datasetMeta(ctx.database, p.datasetId);
  const hp = resolveHyperparams(spec, p.arch, p.variable);
  const options = modelOptionsOf(p.arch, meta, hp, p.seed);
  const trainIdx = spec.foldValidation ? [...split.train, ...split.val].sort((a, b) => a - b) : split.train;
  const curveIdx = spec.foldValidation ? split.test : split.val;
  const modelId = modelIdOf(ctx.campaign.id, p.arch, p.variable, p.repeat);
  if (hp.keepBestEpoch && !curveIdx.length) throw new Error(`keepBestEpoch needs validation samples, and dataset ${p.datasetId} has none: drop keepBestEpoch`);
  const thresholds = spec.subsets[p.variable as keyof typeof spec.subsets] ?? (p.variable === 'B' ? { low: 15, high: 50 } : null);
  const input: Omit<TrainTaskInput, 'progressChannel'> = {
    storeRoot: ctx.store.location,
    modelId,
    arch: p.arch,
    variable: p.variable,
    seed: p.seed,
    epochs: hp.epochs,
    lr: hp.lr,
    batchSize: hp.batchSize,
    weightDecay: hp.weightDecay,
    maeWeight: hp.maeWeight,
    schedule: hp.schedule,
    keepBestEpoch: hp.keepBestEpoch ?? false,
    options,
    shapeX: meta.shapeX,
    shapeY: meta.shapeY,
    train: await artifactIds(ctx.database, p.datasetId, trainIdx, p.variable),
    curve: curveIdx.length ? { ...(await artifactIds(ctx.database, p.datasetId, curveIdx, p.variable)), split: spec.foldValidation ? 'test' : 'val' } : null,
    test: { ...(await artifactIds(ctx.database, p.datasetId, split.test, p.variable)), runIndices: split.test },
    thresholds,
    storePredictions: spec.predictions === 'repeat0' && p.repeat === 0,
    meta: { datasetId: p.datasetId, variable: p.variable, campaignId: ctx.campaign.id, repeat: p.repeat },
  };
  const r = await runComputeWithProgress(trainTasks.trainUpscalingModel, input, ctx, {
    onProgress: trainingMetrics(p.arch),
    details: { modelId },
    intervalMs: Math.max(1000, (spec.execution.heartbeatTimeoutSeconds * 1000) / 4),
  });
  await registerArtifacts(ctx.database, r.artifacts);
  const hyperparams = { ...hp, options, foldValidation: spec.foldValidation, trainSamples: trainIdx.length, bestEpoch: r.bestEpoch, subsets: r.thresholds };
  const row = {
    id: modelId,
    campaignId: ctx.campaign.id,
    arch: p.arch,
    variable: p.variable,
    repeat: p.repeat,
    hyperparams,
    backend: r.backend,
    artifactId: r.modelArtifactId,
    paramsCount: r.paramsCount,
    trainSeconds: r.trainSeconds,
  };
  await upsertModel(ctx.database, row);
  const mrows: (typeof metrics.$inferInsert)[] = [];
  for (const s of METRIC_SPLITS) {
    for (const name of METRIC_NAMES) {
      const v = r.metrics[s][name];
      if (Number.isFinite(v)) mrows.push({ ownerType: 'model', ownerId: modelId, name, split: s, step: -1, value: v });
    }
  }
  mrows.push({ ownerType: 'model', ownerId: modelId, name: 'inference_ms_per_sample', split: 'test', step: -1, value: r.inferenceMsPerSample });
  for (const c of r.curve) {
    if (Number.isFinite(c.loss)) mrows.push({ ownerType: 'model', ownerId: modelId, name: 'loss', split: 'train', step: c.epoch, value: c.loss });
    if (r.curveSplit && c.curveLoss !== null && Number.isFinite(c.curveLoss))
      mrows.push({ ownerType: 'model', ownerId: modelId, name: 'loss', split: r.curveSplit, step: c.epoch, value: c.curveLoss });
  }
  await upsertMetrics(ctx.database, mrows);
  if (r.predictions.length) {
    const prows: (typeof predictions.$inferInsert)[] = [];
    for (const q of r.predictions) {
      prows.push({
        campaignId: ctx.campaign.id,
        runIndex: q.runIndex,
        variable: p.variable,
        modelId: null,
        artifactId: q.truthArtifactId,
        summary: {
          source: 'truth',
          variable: p.variable,
          datasetId: p.datasetId,
          meanSeries: q.truthMeanSeries,
          mean: q.truthMean,
          min: q.truthMin,
          max: q.truthMax,
          truthArtifactId: q.truthArtifactId,
        },
      });
      prows.push({
        campaignId: ctx.campaign.id,
        runIndex: q.runIndex,
        variable: `${p.variable}@${p.arch}`,
        modelId,
        artifactId: q.artifactId,
        summary: {
          source: p.arch,
          variable: p.variable,
          datasetId: p.datasetId,
          meanSeries: q.meanSeries,
          mean: q.mean,
          min: q.min,
          max: q.max,
          truthArtifactId: q.truthArtifactId,
          errorArtifactId: q.errorArtifactId,
        },
      });
    }
    await ctx.database.db
      .insert(predictions)
      .values(prows)
      .onConflictDoUpdate({
        target: [predictions.campaignId, predictions.runIndex, predictions.variable],
        set: { modelId: predictionsExcluded.modelId, artifactId: predictionsExcluded.artifactId, summary: predictionsExcluded.summary },
      });
  }
  return {
    runIndex: run.runIndex,
    status: 'completed',
    durationMs: performance.now() - t0,
    output: {
      modelId,
      arch: p.arch,
      variable: p.variable,
      repeat: p.repeat,
      backend: r.backend,
      backendReason: r.backendReason,
      device: r.device,
      modelArtifactId: r.modelArtifactId,
      paramsCount: r.paramsCount,
      trainSeconds: r.trainSeconds,
      epochs: r.epochs,
      inferenceMsPerSample: r.inferenceMsPerSample,
      test: {
        mse: r.metrics.test.mse,
        mae: r.metrics.test.mae,
        r2_whole: r.metrics.test.r2_whole,
        r2_mean_series_median: r.metrics.test.r2_mean_series_median,
      },
      meanSeries: r.meanSeries,
      errorMaps: r.errorMaps,
    },
  };
}

async function finalizeTrain(spec: TrainSpec, ctx: HandlerContext): Promise<TrainResults | ResultsError> {
  const runs = await ctx.database.query(`select params, status, output from runs where campaign_id = $1`, [ctx.campaign.id]);
  const failed = runs.rows.filter((r) => r.status !== 'completed').length;
  if (runs.rows.length === 0) return { error: 'no runs' };
  const datasetId = String((runs.rows[0].params as TrainRunParams).datasetId);
  const { table, pValues, beatsInterpolation, modelRows: mrows } = await trainStatisticsOf(ctx.database, ctx.campaign.id);
  // Speed-up: the simulator's 10x wall time per scenario (dataset runs) vs model inference per sample.
  const wall = await ctx.database.query(
    `select avg((output->'wallMs'->>'target')::float8) as target, avg((output->'wallMs'->>'input')::float8) as input, count(*)::int as n
     from runs where campaign_id = $1 and status = 'completed' and output->'wallMs' is not null`,
    [datasetId],
  );
  const sim10x = Number(wall.rows[0]?.target);
  const sim1x = Number(wall.rows[0]?.input);
  const speedup: TrainSpeedup = { simulate10xMsPerSample: sim10x, simulate1xMsPerSample: sim1x, datasetRuns: Number(wall.rows[0]?.n ?? 0), architectures: {} };
  for (const [v, archs] of Object.entries(table)) {
    for (const [a, t] of Object.entries(archs)) {
      const inf = t.inference_ms_per_sample?.mean;
      if (!Number.isFinite(inf)) continue;
      speedup.architectures[`${v}:${a}`] = {
        inferenceMsPerSample: inf,
        // model alone vs the 10x simulation (the paper's headline), and the full 1x-sim + model path
        inferenceOnly: sim10x / inf,
        withSimulate1x: sim10x / (sim1x + inf),
      };
    }
  }
  const backends = [...new Set(mrows.map((m) => m.backend))];
  return {
    datasetId,
    variables: spec.variables,
    architectures: spec.architectures,
    repeats: spec.repeats,
    models: mrows.length,
    failedRuns: failed,
    backends,
    queue: ctx.campaign.queue,
    routing: ctx.campaign.routing,
    table,
    pValues,
    beatsInterpolation,
    speedup,
  };
}

export const trainHandler: KindHandler<TrainSpec, TrainRunParams, TrainResults> = {
  kind: 'train',
  defaultBatchSize: 1,
  chunkSize: 1,
  setup: [],
  stages: [{ name: 'train', role: 'ml' }],

  async preflight(spec, ctx) {
    const hint = 'run the dataset campaign first in this state directory and use its id or name (see `plume list`)';
    if (!ctx.database) return [{ path: 'dataset', message: `no dataset '${spec.dataset}': this state directory has no campaigns yet; ${hint}` }];
    try {
      await resolveDatasetId(ctx.database, spec.dataset, hint);
      return [];
    } catch (e) {
      return [{ path: 'dataset', message: (e as Error).message.replace(/^dataset: /, '') }];
    }
  },

  async prepare(spec, ctx) {
    const datasetId = await resolveDatasetId(ctx.database, spec.dataset);
    const { meta, split } = await datasetMeta(ctx.database, datasetId);
    for (const v of spec.variables) {
      if (!meta.variables.includes(v))
        throw new Error(`variables: dataset ${datasetId} has no '${v}' (it has ${meta.variables.join(', ')}); add it to the dataset or drop it here`);
    }
    if ((split.test ?? []).length === 0) throw new Error(`dataset ${datasetId} has no test split; rebuild it with split.test > 0`);
    const params: TrainRunParams[] = [];
    for (const variable of spec.variables) {
      for (const arch of spec.architectures) {
        const hp = resolveHyperparams(spec, arch, variable);
        try {
          resolveModelOptions(arch, { t: meta.shapeX[0], h: meta.shapeX[1], w: meta.shapeX[2] }, modelOptionsOf(arch, meta, hp, 0));
        } catch (e) {
          throw new Error(`${arch} (${variable}): ${(e as Error).message} (set hyperparams/perArch.${arch}.widthMultipliers etc.)`);
        }
        // Interpolation has no parameters: one evaluation stands for every repeat.
        const repeats = arch === 'interpolation' ? 1 : spec.repeats;
        for (let repeat = 0; repeat < repeats; repeat++) {
          params.push({ arch, variable, repeat, datasetId, seed: Rng.derive(spec.seed, 0x7a1, repeat).uint32() | 0 });
        }
      }
    }
    return { params: params.map((p) => ({ ...p })) };
  },

  runBatch(_stage, spec, runs, ctx) {
    return runEach(runs, ctx, (r) => trainRun(spec, r, ctx));
  },

  finalize: finalizeTrain,
};
