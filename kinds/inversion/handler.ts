/**
 * `inversion` campaigns (paper 2: TNNA vs GA/PSO/DE/SA) on one groundwater case:
 *
 *   setup `data` (compute)      the case dataset: a referenced `dataset` campaign (by id or name),
 *                               or generated here in worker threads (inline `{train, test}`)
 *   setup `surrogate` (ml)      case 3: the adversarial-autoencoder decoder; then the surrogate
 *                               (resnet/lenet/fcdnn/msvr) -> artifact store, `models` rows, test
 *                               RMSE/R^2 in `metrics` (owner 'campaign')
 *   stage `invert` (ml)         one run = (scenario, method, npc, repeat[, variant]) in a worker
 *                               thread (kinds/inversion/tasks/invert-run.ts) -> `inversion_results`
 *   finalize                    per method x NPC (x variant) summary + mean log10 convergence curves
 *
 * Setup outputs are found again by deterministic ids: dataset `${campaignId}-data` (inline),
 * surrogate model `${campaignId}:${arch}:observations:r0`, decoder `${campaignId}:aae:decoder:r0`;
 * a retried setup step reuses what a previous attempt stored.
 */
import { upsertModel } from '../../db/model-store.js';
import { and, eq } from 'drizzle-orm';
import { inversionResults } from '../../db/schema.js';
import type { Database } from '../../db/client.js';
import { getCase } from '../../physics/groundwater/case-registry.js';
import { observationGroups } from '../../physics/groundwater/observation-layout.js';
import type { InvertRunInput } from './tasks/invert-run.js';
import type { TrainDecoderTaskInput, TrainDecoderTaskOutput } from './tasks/train-decoder.js';
import type { TrainSurrogateTaskInput } from './tasks/train-surrogate.js';
import { registerArtifacts } from '../../db/artifact-registry.js';
import { getDataset, loadCaseDataset, resolveDatasetId, type CaseMeta } from '../dataset/store.js';
import { runComputeWithProgress, trainingMetrics } from '../../compute/progress.js';
import { forwardCallsTotal } from '../../infra/metrics.js';
import { generateCaseDataset } from '../dataset/case-dataset.js';
import { inversionTasks } from './compute-tasks.js';
import { inversionCase, surrogateInputKind } from './cases.js';
import { drawScenarios, inversionRunSeed, inversionVariants, observationBounds, observationSplit, scenarioNoiseSeed } from './problem.js';
import { SpecError } from '../../engine/spec-error.js';
import { concentrationScaling, INVERSION_METHODS, SINGLE_RUN_METHODS, type InversionSpec } from './spec.js';
import { summariseRows, type ResultRow } from './method-table.js';
import { fitGroups, fitMetricRows } from './fit-table.js';
import type { HandlerContext, KindHandler, RunInput, RunOutcome } from '../../engine/kind-handler.js';
import type { InversionResults, InversionRunParams } from './results.js';
import { upsertMetrics } from '../../db/metric-store.js';
import { decoderModelId, modelRow, surrogateModelId } from './model-rows.js';
import { matchSurrogateSource, reuseSurrogate } from './surrogate-reuse.js';

async function runParams(ctx: HandlerContext): Promise<InversionRunParams> {
  const r = await ctx.database.query('select params from runs where campaign_id = $1 and run_index = 0', [ctx.campaign.id]);
  if (!r.rows.length) throw new Error(`campaign ${ctx.campaign.id} has no runs; plan it first`);
  return r.rows[0].params as InversionRunParams;
}

/** Metric rows of one owner (a model, or this campaign). */
function upsertMetricsOf(
  database: Database,
  ownerType: 'model' | 'campaign',
  ownerId: string,
  rows: { name: string; split: string; step: number; value: number }[],
): Promise<void> {
  return upsertMetrics(
    database,
    rows.map((r) => ({ ownerType, ownerId, ...r })),
  );
}

/** Setup `data`, inline: the dataset kind simulates train + test samples and records a `datasets` row. */
async function generateInlineDataset(spec: InversionSpec, datasetId: string, ctx: HandlerContext): Promise<void> {
  if (typeof spec.dataset === 'string') return;
  const existing = await ctx.database.query('select id from datasets where id = $1', [datasetId]);
  if (existing.rows.length) return;
  const src = spec.dataset;
  await generateCaseDataset(ctx, datasetId, { caseName: spec.case, seed: spec.seed, train: src.train, test: src.test, sampler: src.sampler });
}

/**
 * Null when the trained decoder generates channels; else why not and what to change. A decoder
 * stuck at the all-background field (decoded prior samples with almost no channel cells, while
 * ~30 % of the training cells are channel) makes every method return the same empty field, so
 * the campaign stops here instead of running meaningless inversions.
 */
export function decoderCollapse(
  out: Pick<TrainDecoderTaskOutput, 'priorChannelProportion' | 'trainProportion' | 'trainAccuracy'>,
  cfg: { epochs: number; batchSize: number; n: number },
): string | null {
  if (!(out.trainProportion > 0) || out.priorChannelProportion >= 0.2 * out.trainProportion) return null;
  const steps = cfg.epochs * Math.ceil(cfg.n / cfg.batchSize);
  return (
    `decoder: the trained decoder collapsed to the all-background field (decoded prior samples are ${(100 * out.priorChannelProportion).toFixed(1)} % channel vs ${(100 * out.trainProportion).toFixed(1)} % in the training fields; ` +
    `reconstruction accuracy ${out.trainAccuracy.toFixed(3)} = about 1 - channel proportion) after ${steps} optimiser steps. ` +
    `Give it more steps: raise decoder.epochs, lower decoder.batchSize (e.g. 10), or train on more fields (dataset.train); a longer decoder.bceWarmupEpochs also helps.`
  );
}

async function trainDecoder(spec: InversionSpec, meta: CaseMeta, ctx: HandlerContext): Promise<void> {
  const id = decoderModelId(ctx.campaign.id);
  if (await modelRow(ctx.database, id)) return;
  const cfg = spec.decoder ?? { latentDim: 100, filters: [16, 32, 64], epochs: 100, batchSize: 50, learningRate: 1e-3 };
  const [ny, nx] = meta.fieldShape ?? [80, 80];
  const n = Math.min(meta.stacked.train.n, cfg.trainSamples ?? meta.stacked.train.n);
  const input: TrainDecoderTaskInput = {
    artifactRoot: ctx.store.location,
    fields: meta.stacked.train.field!,
    n,
    testFields: meta.stacked.test.field,
    testN: meta.stacked.test.n,
    height: ny,
    width: nx,
    latentDim: cfg.latentDim,
    filters: cfg.filters,
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    learningRate: cfg.learningRate,
    ...(cfg.bceWarmupEpochs !== undefined ? { bceWarmupEpochs: cfg.bceWarmupEpochs } : {}),
    seed: spec.seed,
  };
  ctx.log('training the case-3 decoder', { n, epochs: cfg.epochs });
  const out = await runComputeWithProgress(inversionTasks.trainDecoder, input, ctx, { details: { step: 'decoder' } });
  await registerArtifacts(ctx.database, out.refs);
  const collapse = decoderCollapse(out, { epochs: cfg.epochs, batchSize: cfg.batchSize, n });
  if (collapse) throw new SpecError(collapse, [{ path: 'decoder', message: collapse }]);
  const row = {
    id,
    campaignId: ctx.campaign.id,
    arch: 'aae-decoder',
    variable: 'decoder',
    repeat: 0,
    hyperparams: { ...cfg, trainSamples: n },
    backend: out.backend,
    artifactId: out.artifactId,
    paramsCount: 0,
    trainSeconds: out.trainSeconds,
  };
  await upsertModel(ctx.database, row);
  await upsertMetricsOf(ctx.database, 'model', id, [
    { name: 'reconstruction_accuracy', split: 'train', step: -1, value: out.trainAccuracy },
    { name: 'reconstruction_accuracy', split: 'test', step: -1, value: out.testAccuracy ?? NaN },
    { name: 'channel_proportion', split: 'prior', step: -1, value: out.priorChannelProportion },
    { name: 'channel_proportion', split: 'train', step: -1, value: out.trainProportion },
    { name: 'binary_fraction', split: 'prior', step: -1, value: out.binaryFraction },
  ]);
}

/** The dataset's per-component observation bounds with the campaign's concentration scaling applied. */
function scaledBounds(spec: InversionSpec, meta: CaseMeta): { min: number[]; max: number[] } {
  return observationBounds(meta.bounds, observationGroups(getCase(spec.case)), concentrationScaling(spec));
}

async function trainSurrogateStep(spec: InversionSpec, ctx: HandlerContext): Promise<void> {
  const params = await runParams(ctx);
  if (spec.surrogate.from) {
    await reuseSurrogate(ctx.database, spec, ctx.campaign.id, params.datasetId, spec.surrogate.from);
    ctx.log('reusing a trained surrogate', { from: spec.surrogate.from });
    return;
  }
  const ds = await getDataset(ctx.database, params.datasetId);
  const meta = ds.meta as CaseMeta;
  if (inversionCase(spec.case).needsDecoder) await trainDecoder(spec, meta, ctx);
  const arch = spec.surrogate.arch;
  const id = surrogateModelId(ctx.campaign.id, arch);
  if (await modelRow(ctx.database, id)) return;
  const inputKind = surrogateInputKind(spec.case, spec.surrogate.input);
  const nHeads = getCase(spec.case).points.length;
  const input: TrainSurrogateTaskInput = {
    artifactRoot: ctx.store.location,
    caseName: spec.case,
    arch,
    inputKind,
    options: spec.surrogate.options,
    training: {
      epochs: spec.surrogate.epochs,
      batchSize: spec.surrogate.batchSize,
      learningRate: spec.surrogate.learningRate,
      weightDecay: spec.surrogate.weightDecay,
      schedule: spec.surrogate.schedule,
    },
    seed: spec.seed,
    d: meta.d,
    m: meta.m,
    stacked: meta.stacked,
    obsBounds: scaledBounds(spec, meta),
    trainSamples: spec.surrogate.trainSamples,
    msvr: spec.surrogate.msvr,
    nHeads,

    checkpointSeconds: spec.execution.checkpointSeconds,
  };
  ctx.log('training the surrogate', { arch, inputKind });
  const out = await runComputeWithProgress(inversionTasks.trainSurrogate, input, ctx, { details: { step: 'surrogate' }, onProgress: trainingMetrics(arch) });
  await registerArtifacts(ctx.database, out.refs);
  const row = {
    id,
    campaignId: ctx.campaign.id,
    arch,
    variable: 'observations',
    repeat: 0,
    hyperparams: {
      ...out.hyperparams,
      fieldNorm: out.fieldNorm,
      inputKind,
      ...(out.resumedFromEpoch !== null ? { resumedFromEpoch: out.resumedFromEpoch } : {}),
      datasetId: params.datasetId,
      trainSamples: out.nTrain,
      ...(out.backendReason ? { backendReason: out.backendReason } : {}),
    },
    backend: out.backend,
    artifactId: out.artifactId,
    paramsCount: Math.round(out.paramsCount),
    trainSeconds: out.trainSeconds,
  };
  await upsertModel(ctx.database, row);
  const fit: { name: string; split: string; step: number; value: number }[] = [];
  for (const [group, split] of [
    ['heads', 'heads'],
    ['concentrations', 'conc'],
    ['all', 'all'],
  ] as const) {
    const f = out.test[group];
    if (!f) continue;
    fit.push({ name: 'surrogate_rmse', split, step: -1, value: f.rmse }, { name: 'surrogate_r2', split, step: -1, value: f.r2 });
  }
  await upsertMetricsOf(ctx.database, 'campaign', ctx.campaign.id, fit);
  await upsertMetricsOf(ctx.database, 'model', id, [
    ...fit.map((f) => ({ ...f, name: f.name.replace('surrogate_', '') })),
    ...out.history.map((v, e) => ({ name: 'loss', split: 'train', step: e, value: v })),
  ]);
}

interface InvertContext {
  meta: CaseMeta;
  test: { params: Float64Array; obs: Float32Array; fields: Float32Array | null; d: number; m: number; cells: number };
  surrogate: { artifactId: string; inputKind: 'parameters' | 'field'; fieldNorm: { min: number; max: number } | null };
  decoderArtifactId: string | null;
}

const invertContexts = new Map<string, InvertContext>();

async function invertContext(spec: InversionSpec, datasetId: string, ctx: HandlerContext): Promise<InvertContext> {
  const hit = invertContexts.get(ctx.campaign.id);
  if (hit) return hit;
  const data = await loadCaseDataset(ctx.database, ctx.store, datasetId, 'test');
  const sur = await modelRow(ctx.database, surrogateModelId(ctx.campaign.id, spec.surrogate.arch));
  if (!sur?.artifactId) throw new Error(`campaign ${ctx.campaign.id}: no trained surrogate (setup step 'surrogate' did not finish)`);
  const hp = sur.hyperparams as { inputKind: 'parameters' | 'field'; fieldNorm: { min: number; max: number } | null };
  const dec = inversionCase(spec.case).needsDecoder ? await modelRow(ctx.database, decoderModelId(ctx.campaign.id)) : null;
  const value: InvertContext = {
    meta: data.meta,
    test: {
      params: data.params,
      obs: data.obs,
      fields: data.fields,
      d: data.d,
      m: data.m,
      cells: data.fieldShape ? data.fieldShape[0] * data.fieldShape[1] : 0,
    },
    surrogate: { artifactId: sur.artifactId, inputKind: hp.inputKind, fieldNorm: hp.fieldNorm ?? null },
    decoderArtifactId: dec?.artifactId ?? null,
  };
  if (invertContexts.size > 4) invertContexts.clear();
  invertContexts.set(ctx.campaign.id, value);
  return value;
}

const finiteOr = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A run whose `inversion_results` row is already stored (written when its inversion finished) is not
 * computed again: a batch retried after its worker or server was lost while its runs were still
 * marked running (a chunk's runs are recorded together) resumes with the runs left to do.
 */
async function storedOutcome(run: RunInput<InversionRunParams>, ctx: HandlerContext): Promise<RunOutcome | null> {
  const p = run.params;
  const rows = await ctx.database.db
    .select()
    .from(inversionResults)
    .where(
      and(
        eq(inversionResults.campaignId, ctx.campaign.id),
        eq(inversionResults.scenario, p.scenario),
        eq(inversionResults.method, p.method),
        eq(inversionResults.npc, p.npc),
        eq(inversionResults.repeat, p.repeat),
        eq(inversionResults.variant, p.variant),
      ),
    );
  const row = rows[0];
  const detail = row?.detail as { runIndex?: number; fieldRmse?: number; backend?: string } | undefined;
  if (!row || detail?.runIndex !== run.runIndex) return null;
  return {
    runIndex: run.runIndex,
    status: 'completed',
    durationMs: 0,
    output: {
      forwardCalls: row.forwardCalls,
      finalObjective: row.finalObjective,
      log10Objective: Math.log10(Math.max(row.finalObjective, 1e-300)),
      calibRmse: row.calibRmse,
      validRmse: row.validRmse,
      fieldRmse: detail.fieldRmse ?? null,
      wallMs: row.wallMs,
      backend: detail.backend ?? null,
      resumed: true,
    },
  };
}

async function invertRun(spec: InversionSpec, run: RunInput<InversionRunParams>, ctx: HandlerContext): Promise<RunOutcome> {
  const stored = await storedOutcome(run, ctx);
  if (stored) return stored;
  const p = run.params;
  const ic = await invertContext(spec, p.datasetId, ctx);
  const variant = inversionVariants(spec)[p.variantIndex];
  const { d, m, cells } = ic.test;
  const k = p.testIndex;
  const input: InvertRunInput = {
    artifactRoot: ctx.store.location,
    runIndex: run.runIndex,
    caseName: spec.case,
    method: p.method,
    npc: p.npc,
    iterations: spec.iterations,
    seed: inversionRunSeed(spec.seed, p.scenario, p.method, p.npc, p.repeat, p.variantIndex),
    surrogate: ic.surrogate,
    decoderArtifactId: ic.decoderArtifactId,
    obsBounds: scaledBounds(spec, ic.meta),
    truth: {
      params: ic.test.params.slice(k * d, (k + 1) * d),
      obs: ic.test.obs.slice(k * m, (k + 1) * m),
      field: ic.test.fields ? ic.test.fields.slice(k * cells, (k + 1) * cells) : null,
    },
    noise: { sigma: variant.noise, seed: scenarioNoiseSeed(spec.seed, p.scenario, p.variantIndex) },
    layout: variant.layout,
    reduction: spec.objective.reduction,
    tnna: {
      epochs: spec.tnna.epochs ?? spec.iterations,
      learningRate: spec.tnna.learningRate,
      weightDecay: spec.tnna.weightDecay,
      hiddenUnits: spec.tnna.hiddenUnits,
      corrections: {
        count: spec.tnna.corrections,
        order: spec.tnna.correctionOrder,
        step: spec.tnna.correctionStep,
        radius: spec.tnna.correctionRadius,
        warmup: spec.tnna.correctionWarmup,
      },
    },
    saBatching: spec.sa.batching,
    lm: spec.lm,
    wellRegularisation:
      inversionCase(spec.case).wellRegularisation && (spec.wellRegularisation?.enabled ?? true) ? { weight: spec.wellRegularisation?.weight ?? 1 } : null,
  };
  const t0 = performance.now();
  const out = await runComputeWithProgress(inversionTasks.invertRun, input, ctx, { details: { step: 'invert', runIndex: run.runIndex } });
  forwardCallsTotal.inc({ method: p.method }, out.forwardCalls);
  await registerArtifacts(ctx.database, out.refs);
  const row = {
    campaignId: ctx.campaign.id,
    scenario: p.scenario,
    method: p.method,
    npc: p.npc,
    repeat: p.repeat,
    variant: p.variant,
    forwardCalls: out.forwardCalls,
    wallMs: out.wallMs,
    finalObjective: out.finalObjective,
    objectiveCurve: Array.from(out.curve),
    estimate: Array.from(out.estimate),
    truth: Array.from(out.truth),
    calibRmse: finiteOr(out.calib.rmse),
    calibR2: finiteOr(out.calib.r2),
    validRmse: finiteOr(out.valid?.rmse),
    validR2: finiteOr(out.valid?.r2),
    detail: { ...out.detail, testIndex: p.testIndex, runIndex: run.runIndex, iterations: out.iterations, batches: out.batches, backend: out.backend },
  };
  const { campaignId: _c, scenario: _s, method: _m, npc: _n, repeat: _r, variant: _v, ...set } = row;
  await ctx.database.db
    .insert(inversionResults)
    .values(row)
    .onConflictDoUpdate({
      target: [
        inversionResults.campaignId,
        inversionResults.scenario,
        inversionResults.method,
        inversionResults.npc,
        inversionResults.repeat,
        inversionResults.variant,
      ],
      set,
    });
  return {
    runIndex: run.runIndex,
    status: 'completed',
    durationMs: performance.now() - t0,
    output: {
      forwardCalls: out.forwardCalls,
      finalObjective: out.finalObjective,
      log10Objective: Math.log10(Math.max(out.finalObjective, 1e-300)),
      calibRmse: row.calibRmse,
      validRmse: row.validRmse,
      fieldRmse: out.detail.fieldRmse ?? null,
      wallMs: out.wallMs,
      backend: out.backend,
    },
  };
}

export const inversionHandler: KindHandler<InversionSpec, InversionRunParams, InversionResults> = {
  kind: 'inversion',
  defaultBatchSize: 20,
  chunkSize: 4,
  setup: [
    { name: 'data', role: 'compute' },
    { name: 'surrogate', role: 'ml' },
  ],
  stages: [{ name: 'invert', role: 'ml' }],

  async preflight(spec, ctx) {
    if (typeof spec.dataset !== 'string') return [];
    const hint = 'run a groundwater dataset campaign first in this state directory, or give { train, test } to generate one inline';
    if (!ctx.database) return [{ path: 'dataset', message: `no dataset '${spec.dataset}': this state directory has no campaigns yet; ${hint}` }];
    let datasetId: string;
    try {
      datasetId = await resolveDatasetId(ctx.database, spec.dataset, hint);
    } catch (e) {
      return [{ path: 'dataset', message: (e as Error).message.replace(/^dataset: /, '') }];
    }
    if (!spec.surrogate.from) return [];
    try {
      await matchSurrogateSource(ctx.database, spec, datasetId, spec.surrogate.from);
      return [];
    } catch (e) {
      if (e instanceof SpecError) return e.issues;
      throw e;
    }
  },

  async prepare(spec, ctx) {
    let datasetId: string;
    let testSize: number;
    if (typeof spec.dataset === 'string') {
      datasetId = await resolveDatasetId(
        ctx.database,
        spec.dataset,
        'run a groundwater dataset campaign first (e.g. examples/dataset-case1.yaml in the same directory) or give { train, test } to generate one inline',
      );
      const ds = await getDataset(ctx.database, datasetId);
      if (ds.source !== spec.case)
        throw new Error(`dataset ${datasetId} holds ${ds.source} samples but the campaign inverts ${spec.case}: reference a ${spec.case} dataset`);
      const meta = ds.meta as CaseMeta;
      testSize = meta.stacked.test.n;
      if (inversionCase(spec.case).needsFields && !meta.stacked.test.field) throw new Error(`dataset ${datasetId} stores no fields; cases 2-3 need them`);
    } else {
      datasetId = `${ctx.campaign.id}-data`;
      testSize = spec.dataset.test;
    }
    observationSplit(spec.case, null);
    const variants = inversionVariants(spec);
    const scenarios = drawScenarios(spec.seed, spec.scenarios, testSize);
    const methods = INVERSION_METHODS.filter((m) => spec.methods.includes(m));
    const params: InversionRunParams[] = [];
    variants.forEach((v, vi) => {
      scenarios.forEach((testIndex, scenario) => {
        for (const method of methods) {
          for (const npc of SINGLE_RUN_METHODS.includes(method) ? [1] : spec.npc) {
            for (let repeat = 0; repeat < spec.repeats; repeat++) {
              const p: InversionRunParams = { datasetId, scenario, testIndex, method, npc, repeat, variant: v.label, variantIndex: vi };
              params.push({ ...p });
            }
          }
        }
      });
    });
    return { params };
  },

  async runSetup(stage, spec, ctx) {
    if (stage === 'data') {
      const p = await runParams(ctx);
      await generateInlineDataset(spec, p.datasetId, ctx);
      await getDataset(ctx.database, p.datasetId);
      return;
    }
    if (stage === 'surrogate') return trainSurrogateStep(spec, ctx);
    throw new Error(`inversion: unknown setup step '${stage}'`);
  },

  async runBatch(_stage, spec, runs, ctx) {
    return Promise.all(
      runs.map(async (r) => {
        try {
          return await invertRun(spec, r, ctx);
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          return { runIndex: r.runIndex, status: 'failed' as const, error: (e as Error).message, durationMs: 0 };
        }
      }),
    );
  },

  async finalize(spec, ctx) {
    const res = await ctx.database.query(
      `select scenario, method, npc, repeat, variant, forward_calls, wall_ms, final_objective, objective_curve, estimate, truth,
              calib_rmse, calib_r2, valid_rmse, valid_r2, detail
       from inversion_results where campaign_id = $1 order by variant, scenario, method, npc, repeat`,
      [ctx.campaign.id],
    );
    const total = await ctx.database.query('select count(*)::int as n from runs where campaign_id = $1', [ctx.campaign.id]);
    const expected = Number(total.rows[0].n);
    if (res.rows.length !== expected) {
      return { error: `${expected - res.rows.length} of ${expected} inversion runs have no result row; retry them (plume retry ${ctx.campaign.id} --failed)` };
    }
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    const rows: ResultRow[] = res.rows.map((r) => ({
      scenario: Number(r.scenario),
      method: String(r.method),
      npc: Number(r.npc),
      repeat: Number(r.repeat),
      variant: typeof r.variant === 'string' ? r.variant : '',
      forwardCalls: Number(r.forward_calls),
      wallMs: Number(r.wall_ms),
      finalObjective: Number(r.final_objective),
      curve: ((r.objective_curve as unknown[]) ?? []).map(Number),
      estimate: ((r.estimate as unknown[]) ?? []).map(Number),
      truth: ((r.truth as unknown[]) ?? []).map(Number),
      calibRmse: num(r.calib_rmse),
      calibR2: num(r.calib_r2),
      validRmse: num(r.valid_rmse),
      validR2: num(r.valid_r2),
      detail: r.detail as ResultRow['detail'],
    }));
    const variants = inversionVariants(spec).map((v) => v.label);
    const methods = INVERSION_METHODS.filter((m) => spec.methods.includes(m));
    const summary = summariseRows(rows, methods, variants);
    await upsertMetricsOf(ctx.database, 'campaign', ctx.campaign.id, fitMetricRows(fitGroups(rows, variants, methods)));
    const p = await runParams(ctx);
    const sur = await modelRow(ctx.database, surrogateModelId(ctx.campaign.id, spec.surrogate.arch));
    const met = await ctx.database.query(
      `select name, split, value from metrics where owner_type = 'campaign' and owner_id = $1 and step = -1 and name like 'surrogate_%'`,
      [ctx.campaign.id],
    );
    const test: Record<string, Record<string, number>> = {};
    for (const r of met.rows) (test[String(r.split)] ??= {})[String(r.name).replace('surrogate_', '')] = Number(r.value);
    const dec = inversionCase(spec.case).needsDecoder ? await modelRow(ctx.database, decoderModelId(ctx.campaign.id)) : null;
    let decoder: Record<string, unknown> | undefined;
    if (dec) {
      const dm = await ctx.database.query(`select name, split, value from metrics where owner_type = 'model' and owner_id = $1`, [dec.id]);
      decoder = {
        modelId: dec.id,
        artifactId: dec.artifactId,
        trainSeconds: dec.trainSeconds,
        ...Object.fromEntries(dm.rows.map((r) => [`${String(r.name)}_${String(r.split)}`, Number(r.value)])),
      };
    }
    return {
      datasetId: p.datasetId,
      case: spec.case,
      scenarios: spec.scenarios,
      iterations: spec.iterations,
      tnnaEpochs: spec.tnna.epochs ?? spec.iterations,
      noise: spec.noise ?? [0.01],
      objective:
        spec.objective.reduction === 'mean'
          ? 'J = mean over calibration entries of (y_obs - F(G(u)))^2 (normalised)'
          : 'J = sum over calibration entries of (y_obs - F(G(u)))^2 (normalised)',
      variants,
      observationScaling: { heads: 'component', concentrations: concentrationScaling(spec) },
      runs: rows.length,
      surrogate: {
        modelId: sur?.id ?? null,
        arch: spec.surrogate.arch,
        artifactId: sur?.artifactId ?? null,
        paramsCount: sur?.paramsCount ?? null,
        trainSeconds: sur?.trainSeconds ?? null,
        hyperparams: sur?.hyperparams ?? null,
        test,
      },
      ...(decoder ? { decoder } : {}),
      ...summary,
    };
  },
};
