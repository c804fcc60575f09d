/**
 * `sensitivity` campaigns: Saltelli design over a registered model's parameters, one run per model
 * evaluation, Sobol first-order and total indices with bootstrap confidence intervals.
 */
import { saltelliDesign, saltelliPointStream } from '../../physics/sensitivity/saltelli-sampling.js';
import { PARAMETER_NAMES } from '../../physics/bioremediation/parameters.js';
import { sobolIndices } from '../../physics/sensitivity/sobol-indices.js';
import { upsertMetrics } from '../../db/metric-store.js';
import type { KindHandler, RunOutcome } from '../../engine/kind-handler.js';
import type { SensitivitySpec } from './spec.js';
import { CASE1_PARAMETERS, sensitivityModel } from './models.js';
import type { SensitivityResults, SensitivityRunParams } from './results.js';

function* mapIterable<A, B>(xs: Iterable<A>, f: (x: A) => B): Generator<B> {
  for (const x of xs) yield f(x);
}

/** Parameters varied by a model spec, without building the model. */
function parameterCount(model: SensitivitySpec['model']): number {
  switch (model.name) {
    case 'sobol_g':
      return model.a.length;
    case 'bioremediation':
      return (model.parameters ?? PARAMETER_NAMES).length;
    case 'ishigami':
      return 3;
    case 'groundwater_case1':
      return CASE1_PARAMETERS.length;
  }
}

function named(names: string[], values: number[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

export const sensitivityHandler: KindHandler<SensitivitySpec, SensitivityRunParams, SensitivityResults> = {
  kind: 'sensitivity',
  defaultBatchSize: 250,
  // Heartbeat between chunks (simulator-backed models take seconds per chunk).
  chunkSize: 50,
  setup: [],
  stages: [{ name: 'evaluate', role: 'compute' }],

  prepare(spec) {
    const model = sensitivityModel(spec.model, spec.seed);
    const design = saltelliDesign(spec.samples, model.parameterNames.length);
    return Promise.resolve({ params: mapIterable(saltelliPointStream(design, spec.seed), (u) => ({ u: Array.from(u) })) });
  },

  plannedRuns(spec) {
    const d = parameterCount(spec.model);
    const field =
      spec.model.name === 'sobol_g'
        ? `model.a (${d} coefficients) + 2`
        : spec.model.name === 'bioremediation'
          ? `model.parameters (${d}) + 2`
          : `${d} parameters of ${spec.model.name} + 2`;
    return { total: spec.samples * (d + 2), factors: [`samples = ${spec.samples}`, field] };
  },

  preflight(spec) {
    if (spec.model.name !== 'bioremediation' || !spec.model.parameters) return Promise.resolve([]);
    const known = PARAMETER_NAMES as readonly string[];
    const unknown = spec.model.parameters.filter((n) => !known.includes(n));
    return Promise.resolve(
      unknown.length ? [{ path: 'model.parameters', message: `unknown parameter(s) ${unknown.join(', ')}; choose from ${known.join(', ')}` }] : [],
    );
  },

  async runBatch(_stage, spec, batch, ctx) {
    const model = sensitivityModel(spec.model, spec.seed);
    const t0 = performance.now();
    const points = batch.map((r) => r.params.u);
    const ys = await model.evaluate(points, ctx.signal);
    const per = (performance.now() - t0) / Math.max(1, batch.length);
    return batch.map<RunOutcome>((r, k) =>
      Number.isFinite(ys[k])
        ? { runIndex: r.runIndex, status: 'completed', output: { y: ys[k] }, durationMs: per }
        : { runIndex: r.runIndex, status: 'failed', error: `model returned ${ys[k]}`, durationMs: per },
    );
  },

  async finalize(spec, ctx) {
    const model = sensitivityModel(spec.model, spec.seed);
    const design = saltelliDesign(spec.samples, model.parameterNames.length);
    const res = await ctx.database.query(`select run_index, status, (output->>'y')::float8 as y from runs where campaign_id = $1 order by run_index`, [
      ctx.campaign.id,
    ]);
    const y = new Float64Array(design.size);
    let missing = 0;
    for (const r of res.rows) {
      if (r.status !== 'completed' || r.y === null) missing++;
      else y[Number(r.run_index)] = Number(r.y);
    }
    missing += design.size - res.rows.length;
    if (missing > 0) {
      return { error: `${missing} of ${design.size} model evaluations are missing; retry the failed runs (plume retry ${ctx.campaign.id} --failed)` };
    }
    const idx = sobolIndices(design, y, { resamples: spec.bootstrap.resamples, confidence: spec.bootstrap.confidence, seed: spec.seed });
    const names = model.parameterNames;
    // The indices as metric rows too (owner = the campaign, split = the parameter), for `plume export --what metrics` and SQL.
    await upsertMetrics(
      ctx.database,
      (['S1', 'ST', 'S1_conf', 'ST_conf'] as const).flatMap((name) =>
        names.map((p, k) => ({ ownerType: 'campaign', ownerId: ctx.campaign.id, name, split: p, step: -1, value: idx[name][k] })),
      ),
    );
    return {
      model: spec.model.name,
      bootstrap: { resamples: spec.bootstrap.resamples, confidence: spec.bootstrap.confidence },
      parameters: names,
      evaluations: design.size,
      baseSamples: design.base,
      indices: {
        S1: named(names, idx.S1),
        ST: named(names, idx.ST),
        S1_conf: named(names, idx.S1_conf),
        ST_conf: named(names, idx.ST_conf),
      },
      ...(model.analytic ? { analytic: { S1: named(names, model.analytic.S1), ST: named(names, model.analytic.ST) } } : {}),
    };
  },
};
