/**
 * `dataset` campaigns: fan out forward simulations through Temporal on the `cpu` queue (in worker
 * threads), store every tensor as an artifact, then record a `datasets` row with a seeded
 * train/val/test split that `train` and `inversion` campaigns reference by id.
 */
import type { ArtifactRef } from '../../artifacts/store.js';
import { datasets } from '../../db/schema.js';
import { sampleScenarios, type Scenario, PARAMETER_NAMES } from '../../physics/bioremediation/parameters.js';
import type { FieldName } from '../../physics/bioremediation/simulate.js';
import { getCase } from '../../physics/groundwater/case-registry.js';
import { observationGroups } from '../../physics/groundwater/observation-layout.js';
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';
import { Rng } from '../../physics/sampling/rng.js';
import { runCompute } from '../../workers/compute-pool.js';
import type { BioPairInput, SimulationMember } from '../../workers/compute-tasks/bioremediation-pair.js';
import type { GroundwaterSampleInput } from '../../workers/compute-tasks/groundwater-sample.js';
import { registerArtifacts } from '../artifact-registry.js';
import { heartbeatWhile } from '../compute-with-heartbeat.js';
import type { CaseMeta, PairedMeta } from '../dataset-store.js';
import type { BioremediationSourceSpec, DatasetSpec, GroundwaterSourceSpec, PflotranSourceSpec } from '../dataset-spec.js';
import { trainingObservationBounds } from '../inversion-problem.js';
import { findPflotranPairs, importPflotranRun } from '../pflotran-import.js';
import type { HandlerContext, KindHandler, RunOutcome } from '../kind-handler.js';

/** Seed of the permeability field / boundary noise of scenario i. */
export function scenarioSeed(seed: number, i: number): number {
  return Rng.derive(seed, 0xd5, i).uint32() | 0;
}

async function simulateBioRun(spec: DatasetSpec, src: BioremediationSourceSpec, run: { runIndex: number; params: Record<string, unknown> }, ctx: HandlerContext): Promise<RunOutcome> {
  const t0 = performance.now();
  const input: BioPairInput = {
    scenario: run.params as unknown as Scenario,
    preset: src.preset,
    pairing: src.pairing,
    seed: scenarioSeed(spec.seed, run.runIndex),
    variables: src.variables as FieldName[],
  };
  const pair = await runCompute<{ input: SimulationMember; target: SimulationMember }>('bioremediation-pair', input, ctx.signal);
  const refs: ArtifactRef[] = [];
  const x: Record<string, string> = {};
  const y: Record<string, string> = {};
  for (const v of src.variables) {
    const a = await ctx.store.putTensor(`dataset.x.${v}`, pair.input.fields[v as FieldName]!, pair.input.shape);
    const b = await ctx.store.putTensor(`dataset.y.${v}`, pair.target.fields[v as FieldName]!, pair.target.shape);
    x[v] = a.id;
    y[v] = b.id;
    refs.push(a, b);
  }
  await registerArtifacts(ctx.database, refs);
  const last = (a: number[]): number => a[a.length - 1];
  return {
    runIndex: run.runIndex,
    status: 'completed',
    durationMs: performance.now() - t0,
    output: {
      x,
      y,
      shapeX: pair.input.shape,
      shapeY: pair.target.shape,
      times: pair.input.times,
      summary: {
        meanB1x: last(pair.input.summary.meanB),
        meanBTarget: last(pair.target.summary.meanB),
        meanCr1x: last(pair.input.summary.meanCr),
        meanCrTarget: last(pair.target.summary.meanCr),
        massBalanceError: Math.max(...Object.values(pair.input.summary.massBalanceError), ...Object.values(pair.target.summary.massBalanceError)),
      },
      wallMs: { input: pair.input.summary.wallMs, target: pair.target.summary.wallMs },
    },
  };
}

async function simulateCaseRun(spec: DatasetSpec, src: GroundwaterSourceSpec, run: { runIndex: number; params: Record<string, unknown> }, ctx: HandlerContext): Promise<RunOutcome> {
  const t0 = performance.now();
  const stream = run.params.stream as 'train' | 'test';
  const input: GroundwaterSampleInput = {
    caseName: src.case as CaseName,
    index: Number(run.params.index),
    seed: spec.seed,
    n: stream === 'train' ? src.train : src.test,
    sampler: src.sampler,
    stream,
  };
  const s = await runCompute<{ params: Float64Array; observations: Float64Array; field: Float64Array | null }>('groundwater-sample', input, ctx.signal);
  const p = await ctx.store.putTensor('case.params', s.params, [s.params.length]);
  const o = await ctx.store.putTensor('case.obs', Float32Array.from(s.observations), [s.observations.length]);
  const refs = [p, o];
  let field: string | undefined;
  if (s.field) {
    const c = getCase(src.case as CaseName);
    const f = await ctx.store.putTensor('case.field', Float32Array.from(s.field), [c.grid.ny, c.grid.nx]);
    field = f.id;
    refs.push(f);
  }
  await registerArtifacts(ctx.database, refs);
  return { runIndex: run.runIndex, status: 'completed', durationMs: performance.now() - t0, output: { params: p.id, obs: o.id, ...(field ? { field } : {}) } };
}

async function finalizeBio(spec: DatasetSpec, src: BioremediationSourceSpec | PflotranSourceSpec, ctx: HandlerContext): Promise<Record<string, unknown>> {
  const res = await ctx.database.query(`select run_index, output from runs where campaign_id = $1 and status = 'completed' order by run_index`, [ctx.campaign.id]);
  const idx = res.rows.map((r) => Number(r.run_index));
  const perm = new Rng(Rng.derive(spec.seed, 0x5b17).uint32() | 0).shuffle([...idx]) as number[];
  const nTest = Math.max(1, Math.round(src.split.test * idx.length));
  const nVal = Math.round(src.split.val * idx.length);
  const test = perm.slice(0, nTest).sort((a, b) => a - b);
  const val = perm.slice(nTest, nTest + nVal).sort((a, b) => a - b);
  const train = perm.slice(nTest + nVal).sort((a, b) => a - b);
  const first = res.rows[0].output as { shapeX: [number, number, number]; shapeY: [number, number, number]; times: number[] };
  const variables = src.type === 'pflotran' ? Object.keys((res.rows[0].output as { x: Record<string, string> }).x) : src.variables;
  const parameterNames = src.type === 'pflotran' ? [] : [...PARAMETER_NAMES];
  const meta: PairedMeta = { variables, shapeX: first.shapeX, shapeY: first.shapeY, times: first.times, parameterNames };
  const preset = src.type === 'pflotran' ? null : src.preset;
  const row = { id: ctx.campaign.id, campaignId: ctx.campaign.id, source: src.type, pairing: src.pairing, preset, size: idx.length, split: { train, val, test }, meta };
  await ctx.database.db.insert(datasets).values(row).onConflictDoUpdate({ target: datasets.id, set: { split: row.split, meta: row.meta, size: row.size } });
  const over = await ctx.database.query(
    `select count(*) filter (where (output->'summary'->>'meanB1x')::float8 > (output->'summary'->>'meanBTarget')::float8)::int as over, count(*)::int as n,
            max((output->'summary'->>'massBalanceError')::float8) as mbe from runs where campaign_id = $1 and status = 'completed'`,
    [ctx.campaign.id],
  );
  return {
    datasetId: ctx.campaign.id,
    source: src.type,
    pairing: src.pairing,
    preset,
    size: idx.length,
    split: { train: train.length, val: val.length, test: test.length },
    shapeX: meta.shapeX,
    shapeY: meta.shapeY,
    variables,
    // The paper's effect: the 1x domain mean biomass exceeds the true 10x one (stretching over-predicts).
    stretchOverPredictsBiomass: { scenarios: Number(over.rows[0].over), of: Number(over.rows[0].n) },
    maxMassBalanceError: Number(over.rows[0].mbe),
  };
}

async function stack(ctx: HandlerContext, rows: { output: Record<string, string> }[], key: 'params' | 'obs' | 'field', dtype: 'f64' | 'f32', shape: number[]): Promise<ArtifactRef> {
  const per = shape.reduce((a, b) => a * b, 1);
  const out = dtype === 'f64' ? new Float64Array(rows.length * per) : new Float32Array(rows.length * per);
  for (let k = 0; k < rows.length; k++) out.set((await ctx.store.getTensor(rows[k].output[key])).data, k * per);
  const ref = await ctx.store.putTensor(`case.stacked.${key}`, out, [rows.length, ...shape]);
  await registerArtifacts(ctx.database, [ref]);
  return ref;
}

async function finalizeCase(spec: DatasetSpec, src: GroundwaterSourceSpec, ctx: HandlerContext): Promise<Record<string, unknown>> {
  const res = await ctx.database.query(`select run_index, params, output from runs where campaign_id = $1 and status = 'completed' order by run_index`, [ctx.campaign.id]);
  const rows = res.rows as { run_index: number; params: { stream: string }; output: Record<string, string> }[];
  const c = getCase(src.case as CaseName);
  const fieldShape: [number, number] | null = rows[0]?.output.field ? [c.grid.ny, c.grid.nx] : null;
  const first = await ctx.store.getTensor(rows[0].output.obs);
  const d = (await ctx.store.getTensor(rows[0].output.params)).data.length;
  const m = first.data.length;
  const groups = observationGroups(c);
  const stacked = {} as CaseMeta['stacked'];
  const split: Record<string, number[]> = {};
  let bounds = { min: [] as number[], max: [] as number[] };
  for (const s of ['train', 'test'] as const) {
    const part = rows.filter((r) => r.params.stream === s);
    split[s] = part.map((r) => Number(r.run_index));
    const p = await stack(ctx, part, 'params', 'f64', [d]);
    const o = await stack(ctx, part, 'obs', 'f32', [m]);
    const f = fieldShape ? await stack(ctx, part, 'field', 'f32', fieldShape) : null;
    stacked[s] = { params: p.id, obs: o.id, field: f?.id ?? null, n: part.length };
    if (s === 'train') {
      const obs = (await ctx.store.getTensor(o.id)).data;
      bounds = trainingObservationBounds(obs, part.length, m, groups);
    }
  }
  const meta: CaseMeta = { case: src.case as CaseMeta['case'], d, m, fieldShape, bounds, stacked };
  const row = { id: ctx.campaign.id, campaignId: ctx.campaign.id, source: src.case, pairing: null, preset: null, size: rows.length, split, meta };
  await ctx.database.db.insert(datasets).values(row).onConflictDoUpdate({ target: datasets.id, set: { split: row.split, meta: row.meta, size: row.size } });
  return {
    datasetId: ctx.campaign.id,
    source: src.case,
    size: rows.length,
    split: { train: stacked.train.n, test: stacked.test.n },
    parameters: d,
    observations: m,
    fieldShape,
    artifacts: { train: stacked.train, test: stacked.test },
  };
}

export const datasetHandler: KindHandler<DatasetSpec> = {
  kind: 'dataset',
  defaultBatchSize: 8,
  chunkSize: 2,
  setup: [],
  stages: [{ name: 'simulate', role: 'compute' }],

  async prepare(spec) {
    const src = spec.source;
    if (src.type === 'pflotran') return { params: (await findPflotranPairs(src)).map((file) => ({ file })) };
    if (src.type === 'bioremediation') {
      return { params: sampleScenarios(src.scenarios, spec.seed, src.sampler).map((s) => ({ ...s })) };
    }
    getCase(src.case as CaseName);
    const params: Record<string, unknown>[] = [];
    for (let i = 0; i < src.train; i++) params.push({ stream: 'train', index: i });
    for (let i = 0; i < src.test; i++) params.push({ stream: 'test', index: i });
    return { params };
  },

  async runBatch(_stage, spec, runs, ctx) {
    // The chunk's runs go to the compute pool together (one per thread); heartbeat while they run
    // (a paper-preset pair takes minutes, longer than the heartbeat timeout).
    const work = Promise.all(
      runs.map(async (r) => {
        try {
          if (spec.source.type === 'pflotran') return await importPflotranRun(spec.source, r, ctx);
          return spec.source.type === 'bioremediation'
            ? await simulateBioRun(spec, spec.source, r, ctx)
            : await simulateCaseRun(spec, spec.source, r, ctx);
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          return { runIndex: r.runIndex, status: 'failed' as const, error: (e as Error).message, durationMs: 0 };
        }
      }),
    );
    return heartbeatWhile(ctx, work, { stage: 'simulate', runs: runs.length });
  },

  async finalize(spec, ctx) {
    return spec.source.type === 'groundwater' ? finalizeCase(spec, spec.source, ctx) : finalizeBio(spec, spec.source, ctx);
  },
};
