/**
 * `upscale` campaigns (the Monte-Carlo job): N sampled scenarios (own seed stream, distinct from
 * any dataset's), stage `simulate1x` (role compute: 1x simulation in worker threads; the seeded
 * validation subset is also simulated at 10x there), stage `upscale` (role ml: trained models
 * loaded once per worker thread, batched de-normalised inference, prediction artifacts,
 * `predictions` rows and the quantities of interest), and `finalize` (distributions, validation
 * errors against the real 10x runs, throughput and the measured speed-up). Rows: docs/RESULTS.md.
 */
import { setMaxListeners } from 'node:events';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { datasets, metrics, models, predictions } from '../../db/schema.js';
import { regressionMetrics } from '../../models/evaluation/regression-metrics.js';
import { sampleScenarios } from '../../physics/bioremediation/parameters.js';
import type { PresetName } from '../../physics/bioremediation/presets.js';
import type { FieldName } from '../../physics/bioremediation/simulate.js';
import { Rng } from '../../numerics/rng.js';
import { runCompute } from '../../compute/pool.js';
import type { Bio1xInput } from './tasks/bioremediation-1x.js';
import type { UpscalePredictInput } from './tasks/upscale-predict.js';
import { registerArtifacts } from '../../db/artifact-registry.js';
import { loadRuns } from '../../db/campaign-store.js';
import { heartbeatWhile, runComputeWithProgress } from '../../compute/progress.js';
import { upscaleTasks } from './compute-tasks.js';
import type { PairedMeta } from '../dataset/store.js';
import type { HandlerContext, KindHandler, ResultsError, RunInput, RunOutcome } from '../../engine/kind-handler.js';
import type { DistributionSummary, UpscaleResults, UpscaleRunParams, UpscaleValidation } from './results.js';
import { UPSCALE_QUANTITIES, type UpscaleSpec } from './spec.js';
import { describeSorted, equalWidthBins, mean, quantileSorted } from '../../numerics/statistics.js';
import { upsertMetrics } from '../../db/metric-store.js';

interface ResolvedUpscaleModel {
  modelId: string;
  artifactId: string;
  variable: string;
  arch: string;
}

interface UpscaleSetup {
  models: ResolvedUpscaleModel[];
  datasetId: string;
  preset: PresetName;
  shapeX: [number, number, number];
  shapeY: [number, number, number];
  /** Fields simulated at 1x (model variables plus B, ED, Cr for the quantities). */
  variables: FieldName[];
}

/** Seed of the Monte-Carlo sample (a stream of its own: never the dataset's `sampleScenarios(n, seed)`). */
export function upscaleSampleSeed(seed: number): number {
  return Rng.derive(seed, 0x5ca1e).uint32() | 0;
}

/** Seed of scenario i's permeability field / boundary noise. */
function upscaleScenarioSeed(seed: number, i: number): number {
  return Rng.derive(seed, 0x5ca1f, i).uint32() | 0;
}

/** The seeded validation subset (run indices simulated at 10x too). */
export function validationIndices(spec: UpscaleSpec): Set<number> {
  const k = Math.min(spec.validation.scenarios, spec.scenarios);
  const perm = new Rng(Rng.derive(spec.seed, 0x7a11d).uint32() | 0).permutation(spec.scenarios);
  return new Set(Array.from(perm.slice(0, k)));
}

async function resolveModels(database: Database, spec: UpscaleSpec): Promise<ResolvedUpscaleModel[]> {
  const m = spec.model;
  let rows: (typeof models.$inferSelect)[];
  if ('modelIds' in m) {
    rows = await database.db.select().from(models).where(inArray(models.id, m.modelIds));
    const missing = m.modelIds.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw new Error(`model.modelIds: no model ${missing.join(', ')} (see the models table of a finished train campaign)`);
  } else {
    let all = await database.db.select().from(models).where(eq(models.campaignId, m.train));
    if (all.length === 0) {
      // A train campaign's name: its latest completed run.
      const byName = await database.query(
        `select id from campaigns where kind = 'train' and name = $1 and status = 'completed' order by finished_at desc limit 1`,
        [m.train],
      );
      if (byName.rows[0])
        all = await database.db
          .select()
          .from(models)
          .where(eq(models.campaignId, String(byName.rows[0].id)));
    }
    if (all.length === 0)
      throw new Error(
        `model.train: campaign '${m.train}' has no trained models (neither a train campaign id nor the name of a completed one); run (or finish) the train campaign first`,
      );
    const ofArch = all.filter((r) => r.arch === m.arch);
    if (ofArch.length === 0)
      throw new Error(`model.arch: train campaign '${m.train}' has no '${m.arch}' models (it has ${[...new Set(all.map((r) => r.arch))].join(', ')})`);
    const vars = m.variables ?? [...new Set(ofArch.map((r) => r.variable ?? ''))].sort();
    rows = [];
    for (const v of vars) {
      const cands = ofArch.filter((r) => r.variable === v);
      if (cands.length === 0) throw new Error(`model.variables: no ${m.arch} model for '${v}' in train campaign '${m.train}'`);
      if (m.pick === 'best') {
        const mse = await database.db
          .select()
          .from(metrics)
          .where(
            sql`${metrics.ownerType} = 'model' and ${metrics.name} = 'mse' and ${metrics.split} = 'test' and ${metrics.step} = -1 and ${inArray(
              metrics.ownerId,
              cands.map((c) => c.id),
            )}`,
          );
        const by = new Map(mse.map((r) => [r.ownerId, r.value]));
        cands.sort((a, b) => (by.get(a.id) ?? Infinity) - (by.get(b.id) ?? Infinity) || a.repeat - b.repeat);
        rows.push(cands[0]);
      } else {
        const r0 = cands.find((c) => c.repeat === 0);
        if (!r0) throw new Error(`model.pick: the ${m.arch} '${v}' model of repeat 0 is missing in '${m.train}'; use pick: best`);
        rows.push(r0);
      }
    }
  }
  const vars = rows.map((r) => r.variable);
  if (new Set(vars).size !== vars.length) throw new Error(`model: one model per variable, got ${vars.join(', ')}`);
  return rows.map((r) => {
    if (!r.artifactId) throw new Error(`model ${r.id} has no saved artifact`);
    return { modelId: r.id, artifactId: r.artifactId, variable: r.variable ?? '', arch: r.arch };
  });
}

const setups = new Map<string, Promise<UpscaleSetup>>();

async function buildSetup(database: Database, spec: UpscaleSpec): Promise<UpscaleSetup> {
  const ms = await resolveModels(database, spec);
  const trainIds = [
    ...new Set(
      (
        await database.db
          .select()
          .from(models)
          .where(
            inArray(
              models.id,
              ms.map((m) => m.modelId),
            ),
          )
      ).map((r) => r.campaignId),
    ),
  ];
  const res = await database.query(`select distinct params->>'datasetId' as d from runs where campaign_id = any($1::text[])`, [trainIds]);
  const ids = res.rows.map((r) => String(r.d)).filter((d) => d && d !== 'null');
  if (ids.length !== 1) throw new Error(`model: the models come from ${ids.length} datasets (${ids.join(', ')}); use models trained on one dataset`);
  const [ds] = await database.db.select().from(datasets).where(eq(datasets.id, ids[0]));
  if (!ds || ds.source !== 'bioremediation') throw new Error(`model: dataset '${ids[0]}' of the models is not a bioremediation dataset`);
  if (ds.pairing !== 'scale10x') throw new Error(`model: dataset '${ids[0]}' pairs ${ds.pairing}; upscale campaigns need models trained on scale10x pairs`);
  const meta = ds.meta as PairedMeta;
  const variables = [...new Set([...ms.map((m) => m.variable), 'B', 'ED', 'Cr'])] as FieldName[];
  return { models: ms, datasetId: ds.id, preset: (ds.preset ?? 'small') as PresetName, shapeX: meta.shapeX, shapeY: meta.shapeY, variables };
}

function setupOf(ctx: HandlerContext, spec: UpscaleSpec): Promise<UpscaleSetup> {
  let s = setups.get(ctx.campaign.id);
  if (!s) {
    s = buildSetup(ctx.database, spec);
    s.catch(() => setups.delete(ctx.campaign.id));
    setups.set(ctx.campaign.id, s);
  }
  return s;
}

interface Stage1Output {
  input: Record<string, string>;
  truth10x: Record<string, string> | null;
  shape1x: [number, number, number];
  shape10x: [number, number, number] | null;
  times: number[];
  dx: number;
  validated: boolean;
  truthQuantities: Record<string, number> | null;
  inputQuantities: Record<string, number> | null;
  wallMs: { simulate1x: number; simulate10x: number | null };
}

async function writeOutputs(database: Database, campaignId: string, outs: { runIndex: number; output: unknown }[]): Promise<void> {
  if (outs.length === 0) return;
  await database.query(
    `update runs r set output = v.output from jsonb_to_recordset($2::jsonb) as v(i int, output jsonb) where r.campaign_id = $1 and r.run_index = v.i`,
    [campaignId, JSON.stringify(outs.map((o) => ({ i: o.runIndex, output: o.output })))],
  );
}

async function simulateStage(spec: UpscaleSpec, runs: RunInput<UpscaleRunParams>[], ctx: HandlerContext): Promise<RunOutcome[]> {
  const setup = await setupOf(ctx, spec);
  const valid = validationIndices(spec);
  const existing = new Map(
    (
      await loadRuns(
        ctx.database,
        ctx.campaign.id,
        runs.map((r) => r.runIndex),
      )
    ).map((r) => [r.runIndex, r.output as Partial<Stage1Output> | null]),
  );
  const todo = runs.filter((r) => !existing.get(r.runIndex)?.input);
  const failed: RunOutcome[] = [];
  // One abort listener per pooled task on the activity's signal.
  setMaxListeners(Math.max(10, todo.length + 10), ctx.signal);
  const done = await heartbeatWhile(
    ctx,
    Promise.all(
      todo.map(async (r) => {
        const input: Bio1xInput = {
          storeRoot: ctx.store.location,
          scenario: r.params,
          preset: setup.preset,
          seed: upscaleScenarioSeed(spec.seed, r.runIndex),
          variables: setup.variables,
          target10x: valid.has(r.runIndex),
        };
        try {
          const o = await runCompute(upscaleTasks.bioremediation1x, input, ctx.signal);
          const out: Stage1Output = {
            input: o.input.fields,
            truth10x: (o.target?.fields as Record<string, string>) ?? null,
            shape1x: o.input.shape,
            shape10x: o.target?.shape ?? null,
            times: o.times,
            dx: o.dx,
            validated: Boolean(o.target),
            truthQuantities: o.target?.quantities ?? null,
            inputQuantities: o.input.quantities,
            wallMs: { simulate1x: o.input.wallMs, simulate10x: o.target?.wallMs ?? null },
          };
          return { runIndex: r.runIndex, output: out, artifacts: o.artifacts };
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          failed.push({ runIndex: r.runIndex, status: 'failed', error: `simulate1x: ${(e as Error).message}`, durationMs: 0 });
          return null;
        }
      }),
    ),
    { stage: 'simulate1x' },
  );
  const ok = done.filter((d): d is NonNullable<typeof d> => d !== null);
  await registerArtifacts(
    ctx.database,
    ok.flatMap((d) => d.artifacts),
  );
  await writeOutputs(ctx.database, ctx.campaign.id, ok);
  // Failures of the intermediate stage are recorded now (the last stage skips runs without input).
  return failed;
}

async function upscaleStage(spec: UpscaleSpec, runs: RunInput<UpscaleRunParams>[], ctx: HandlerContext): Promise<RunOutcome[]> {
  const setup = await setupOf(ctx, spec);
  const rows = await loadRuns(
    ctx.database,
    ctx.campaign.id,
    runs.map((r) => r.runIndex),
  );
  const ready = rows.filter((r) => (r.output as Partial<Stage1Output> | null)?.input && r.status !== 'failed');
  const paramsOf = new Map(runs.map((r) => [r.runIndex, r.params]));
  const outcomes: RunOutcome[] = rows
    .filter((r) => !ready.includes(r))
    .map((r) => ({
      runIndex: r.runIndex,
      status: 'failed' as const,
      error: r.error ?? 'simulate1x produced no 1x fields for this run; retry the failed runs',
      durationMs: 0,
    }));
  if (ready.length === 0) return outcomes;
  const s1 = ready.map((r) => r.output as Stage1Output);
  const input: Omit<UpscalePredictInput, 'progressChannel'> = {
    storeRoot: ctx.store.location,
    models: setup.models,
    runs: ready.map((r, k) => {
      const p = paramsOf.get(r.runIndex)!;
      return { runIndex: r.runIndex, input: s1[k].input, scenario: { crBackground: p.crBackground, biomass0: p.biomass0, edInjection: p.edInjection } };
    }),
    shapeX: s1[0].shape1x,
    dx: s1[0].dx,
    batchSize: spec.inferenceBatchSize,
  };
  const t0 = performance.now();
  const res = await runComputeWithProgress(upscaleTasks.upscalePredict, input, ctx, { details: { stage: 'upscale' } });
  const wall = performance.now() - t0;
  await registerArtifacts(ctx.database, res.artifacts);
  const inferMs = Object.values(res.inferenceMs).reduce((a, b) => a + b, 0);
  const perRunInfer = inferMs / ready.length;
  const byModel = new Map(setup.models.map((m) => [m.variable, m]));
  const prows: (typeof predictions.$inferInsert)[] = [];
  for (const r of res.runs) {
    for (const [v, id] of Object.entries(r.prediction)) {
      const s = r.summaries[v];
      prows.push({
        campaignId: ctx.campaign.id,
        runIndex: r.runIndex,
        variable: v,
        modelId: byModel.get(v)!.modelId,
        artifactId: id,
        summary: { ...s, source: byModel.get(v)!.arch },
      });
    }
  }
  for (let s = 0; s < prows.length; s += 500) {
    await ctx.database.db
      .insert(predictions)
      .values(prows.slice(s, s + 500))
      .onConflictDoUpdate({
        target: [predictions.campaignId, predictions.runIndex, predictions.variable],
        set: { modelId: sql`excluded.model_id`, artifactId: sql`excluded.artifact_id`, summary: sql`excluded.summary` },
      });
  }
  res.runs.forEach((r, k) => {
    const o = s1[k];
    outcomes.push({
      runIndex: r.runIndex,
      status: 'completed',
      durationMs: o.wallMs.simulate1x + wall / ready.length,
      output: {
        quantities: r.quantities,
        input: o.input,
        prediction: r.prediction,
        validated: o.validated,
        ...(o.validated ? { truth10x: o.truth10x, truthQuantities: o.truthQuantities } : {}),
        inputQuantities: o.inputQuantities,
        backend: res.backend,
        wallMs: { simulate1x: o.wallMs.simulate1x, upscale: perRunInfer, ...(o.wallMs.simulate10x !== null ? { simulate10x: o.wallMs.simulate10x } : {}) },
      },
    });
  });
  return outcomes;
}

function distribution(values: number[], bins: number, threshold?: number): DistributionSummary {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { n: 0 };
  const { mean, std, min: lo, max: hi } = describeSorted(v);
  const { edges, counts } = equalWidthBins(v, bins, lo, hi);
  const quantile = (p: number): number => quantileSorted(v, p) ?? NaN;
  return {
    n,
    mean,
    std,
    min: lo,
    max: hi,
    quantiles: { p05: quantile(0.05), p25: quantile(0.25), p50: quantile(0.5), p75: quantile(0.75), p95: quantile(0.95) },
    histogram: { edges, counts },
    ...(threshold !== undefined ? { exceedance: { threshold, probability: v.filter((x) => x > threshold).length / n } } : {}),
  };
}

async function finalizeUpscale(spec: UpscaleSpec, ctx: HandlerContext): Promise<UpscaleResults | ResultsError> {
  const setup = await setupOf(ctx, spec);
  const res = await ctx.database.query(`select run_index, status, output from runs where campaign_id = $1 order by run_index`, [ctx.campaign.id]);
  type Out = {
    quantities: Record<string, number | null>;
    validated: boolean;
    truth10x?: Record<string, string>;
    prediction: Record<string, string>;
    truthQuantities?: Record<string, number>;
    wallMs: { simulate1x: number; upscale: number; simulate10x?: number };
    backend?: string;
  };
  const done = res.rows.filter((r) => r.status === 'completed' && r.output).map((r) => ({ i: Number(r.run_index), o: r.output as Out }));
  if (done.length === 0) return { error: `no scenario completed; see runs.error and retry (plume retry ${ctx.campaign.id} --failed)` };
  const distributions: Record<string, DistributionSummary> = {};
  for (const q of UPSCALE_QUANTITIES) {
    const vals = done.map((d) => d.o.quantities[q]).filter((x): x is number => typeof x === 'number');
    distributions[q] = vals.length
      ? distribution(vals, spec.histogramBins, spec.thresholds[q])
      : { n: 0, note: `no model for the variable this quantity needs` };
  }
  // Validation against real 10x simulations (seeded subset).
  const val = done.filter((d) => d.o.validated && d.o.truth10x);
  const validation: UpscaleValidation = { scenarios: val.length, runIndices: val.map((d) => d.i), variables: {}, quantities: {} };
  const mrows: (typeof metrics.$inferInsert)[] = [];
  const metric = (name: string, split: string, value: number): void => {
    if (Number.isFinite(value)) mrows.push({ ownerType: 'campaign', ownerId: ctx.campaign.id, name, split, step: -1, value });
  };
  if (val.length > 0) {
    const [t, H, W] = setup.shapeY;
    const per = t * H * W;
    for (const m of setup.models) {
      const truth = new Float32Array(val.length * per);
      const pred = new Float32Array(val.length * per);
      for (let k = 0; k < val.length; k++) {
        truth.set((await ctx.store.getTensor(val[k].o.truth10x![m.variable])).data, k * per);
        pred.set((await ctx.store.getTensor(val[k].o.prediction[m.variable])).data, k * per);
      }
      const r = regressionMetrics(truth, pred, [val.length, t, H, W]);
      validation.variables[m.variable] = { mse: r.mse, mae: r.mae, rmse: r.rmse, r2_whole: r.r2_whole, r2_mean_series_median: r.r2_mean_series_median };
      metric('validation_mse', m.variable, r.mse);
      metric('validation_mae', m.variable, r.mae);
      metric('validation_r2', m.variable, r.r2_whole);
      metric('validation_r2_mean_series_median', m.variable, r.r2_mean_series_median);
    }
    for (const q of UPSCALE_QUANTITIES) {
      const pairs = val
        .map((d) => [d.o.truthQuantities?.[q], d.o.quantities[q]])
        .filter((p): p is [number, number] => typeof p[0] === 'number' && typeof p[1] === 'number');
      if (pairs.length === 0) continue;
      const mae = pairs.reduce((a, [x, y]) => a + Math.abs(x - y), 0) / pairs.length;
      const truthMean = pairs.reduce((a, p) => a + p[0], 0) / pairs.length;
      const warning = quantityValidationWarning(q, mae, truthMean);
      if (warning) ctx.log(warning, { quantity: q, mae, truthMean });
      validation.quantities[q] = {
        n: pairs.length,
        mae,
        truthMean,
        predictedMean: pairs.reduce((a, p) => a + p[1], 0) / pairs.length,
        ...(warning ? { warning } : {}),
      };
      metric('validation_quantity_mae', q, mae);
    }
  }
  // Throughput and speed-up: every scenario at 10x (mean 10x wall time of the validation subset)
  // vs the pipeline actually run (1x simulation + upscaling inference per scenario).
  const inferMs = mean(done.map((d) => d.o.wallMs.upscale)) ?? NaN;
  const sim1xMs = mean(done.map((d) => d.o.wallMs.simulate1x)) ?? NaN;
  const tenx = val.map((d) => d.o.wallMs.simulate10x).filter((x): x is number => typeof x === 'number');
  let sim10xMs = mean(tenx) ?? NaN;
  let sim10xSource = 'validation subset';
  if (!tenx.length) {
    const w = await ctx.database.query(`select avg((output->'wallMs'->>'target')::float8) as t from runs where campaign_id = $1 and status = 'completed'`, [
      setup.datasetId,
    ]);
    sim10xMs = Number(w.rows[0]?.t);
    sim10xSource = `training dataset ${setup.datasetId}`;
  }
  const throughput = 1000 / inferMs;
  metric('upscale_inference_samples_per_s', '', throughput);
  metric('simulate1x_ms_per_scenario', '', sim1xMs);
  if (Number.isFinite(sim10xMs)) metric('simulate10x_ms_per_scenario', '', sim10xMs);
  const simulate10xSeconds = (sim10xMs * done.length) / 1000;
  const pipelineSeconds = ((sim1xMs + inferMs) * done.length) / 1000;
  metric('speedup_ratio', '', simulate10xSeconds / pipelineSeconds);
  await upsertMetrics(ctx.database, mrows);
  const failed = res.rows.length - done.length;
  return {
    modelIds: setup.models.map((m) => m.modelId),
    arch: [...new Set(setup.models.map((m) => m.arch))].join(', '),
    datasetId: setup.datasetId,
    preset: setup.preset,
    scenarios: done.length,
    failedRuns: failed,
    backends: [...new Set(done.map((d) => d.o.backend).filter((b): b is string => Boolean(b)))],
    queue: ctx.campaign.queue,
    routing: ctx.campaign.routing,
    distributions,
    validation,
    throughput: { upscaleInferenceSamplesPerSecond: throughput, inferenceMsPerScenario: inferMs, simulate1xMsPerScenario: sim1xMs },
    speedup: {
      simulate10xMsPerScenario: sim10xMs,
      simulate10xSource: sim10xSource,
      simulate10xSeconds,
      pipelineSeconds,
      ratio: simulate10xSeconds / pipelineSeconds,
      inferenceOnlyRatio: sim10xMs / inferMs,
    },
  };
}

/**
 * A warning when a derived quantity's error on the 10x validation runs exceeds its mean true value:
 * then its Monte-Carlo distribution shows the model's error more than the scenarios' spread
 * (observed: biomass penetration length 7.5 m MAE against 0.125 m true, from a model that smears a
 * little biomass over the whole domain). Null otherwise.
 */
export function quantityValidationWarning(quantity: string, mae: number, truthMean: number): string | null {
  if (!(mae > Math.abs(truthMean))) return null;
  return `${quantity}: the validation error (MAE ${mae.toPrecision(3)}) exceeds the mean true value (${truthMean.toPrecision(3)}), so its Monte-Carlo distribution mostly reflects model error; validate more scenarios, or retrain (for thresholded quantities, a loss that keeps near-zero regions at zero)`;
}

export const upscaleHandler: KindHandler<UpscaleSpec, UpscaleRunParams, UpscaleResults> = {
  kind: 'upscale',
  defaultBatchSize: 200,
  chunkSize: 50,
  setup: [],
  stages: [
    { name: 'simulate1x', role: 'compute' },
    { name: 'upscale', role: 'ml' },
  ],

  /** The trained models must exist in this state directory before anything starts. */
  async preflight(spec, ctx) {
    const hint = 'run (or finish) the train campaign first in this state directory (see `plume list`)';
    if (!ctx.database) return [{ path: 'model', message: `this state directory has no campaigns yet, so no trained models; ${hint}` }];
    try {
      await resolveModels(ctx.database, spec);
      return [];
    } catch (e) {
      const message = (e as Error).message;
      const field = /^(model(?:\.[A-Za-z]+)?): /.exec(message);
      return [{ path: field?.[1] ?? 'model', message: field ? message.slice(field[0].length) : message }];
    }
  },

  async prepare(spec, ctx) {
    setups.delete(ctx.campaign.id);
    await setupOf(ctx, spec);
    return { params: sampleScenarios(spec.scenarios, upscaleSampleSeed(spec.seed), spec.sampler).map((s) => ({ ...s })) };
  },

  async runBatch(stage, spec, runs, ctx) {
    if (stage === 'simulate1x') return simulateStage(spec, runs, ctx);
    if (stage === 'upscale') return upscaleStage(spec, runs, ctx);
    throw new Error(`upscale: unknown stage '${stage}'`);
  },

  finalize: finalizeUpscale,
};
