/**
 * `upscale` campaigns end to end: tiny dataset -> tiny train (optimal MLP for B, ED, Cr) -> a
 * Monte-Carlo upscale of 40 scenarios with a validation subset of 4 real 10x simulations, while a
 * second worker polls `gpu`: the ML stage is routed there (routing is by queue, not hardware).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec } from '../../../kinds/campaign-spec.js';
import { getCampaign } from '../../../db/campaign-store.js';
import { upscaleSampleSeed, validationIndices } from '../../../kinds/upscale/handler.js';
import { launchCampaign, waitForCampaign } from '../../../engine/launcher.js';
import type { UpscaleSpec } from '../../../kinds/upscale/spec.js';
import type { Stack } from '../../../worker/stack.js';
import { queueName } from '../../../infra/queues.js';
import { sampleScenarios } from '../../../physics/bioremediation/parameters.js';
import { closeComputePool } from '../../../compute/pool.js';
import { startWorker, type RunningWorker } from '../../../worker/plume-worker.js';
import { openTestStack, useTestEnv } from '../../support/test-stack.js';

let stack: Stack;
let gpu: RunningWorker | null = null;
let trainId: string;

async function run(spec: unknown): Promise<string> {
  const { id } = await launchCampaign(stack.client, stack.database, parseCampaignSpec(spec));
  const out = await waitForCampaign(stack.client, stack.database, id);
  expect(out.error).toBeUndefined();
  expect(out.status).toBe('completed');
  return id;
}

beforeAll(async () => {
  await useTestEnv();
  stack = await openTestStack();
  const ds = await run({
    kind: 'dataset',
    name: 'tiny-pairs',
    seed: 9,
    source: { type: 'bioremediation', preset: 'tiny', scenarios: 8, variables: ['B', 'ED', 'Cr'], split: { val: 0.125, test: 0.25 } },
    execution: { batchSize: 4 },
  });
  trainId = await run({
    kind: 'train',
    name: 'tiny-train',
    seed: 2,
    dataset: ds,
    architectures: ['optimal_mlp'],
    variables: ['B', 'ED', 'Cr'],
    repeats: 1,
    hyperparams: { epochs: 2, lr: 1e-3, batchSize: 2, widthMultipliers: [2, 4, 2] },
    predictions: 'none',
  });
});

afterAll(async () => {
  await gpu?.shutdown();
  await stack?.close();
  await closeComputePool();
});

describe('upscale campaign', () => {
  it('runs 40 scenarios (1x on cpu, upscaling on the gpu queue) with distributions, validation and speed-up', async () => {
    gpu = await startWorker({ address: stack.temporalAddress, queue: 'gpu', database: stack.database, store: stack.store, backend: 'wasm', concurrency: 2 });
    const spec = {
      kind: 'upscale',
      name: 'tiny-mc',
      seed: 4,
      model: { train: trainId, arch: 'optimal_mlp' },
      scenarios: 40,
      validation: { scenarios: 4 },
      thresholds: { crRemovedFraction: 0.2 },
      histogramBins: 8,
      execution: { batchSize: 20 },
    };
    const id = await run(spec);
    const row = await getCampaign(stack.database, id);
    expect(row?.queue).toBe(queueName('gpu'));
    expect(row?.routing).toMatch(/GPU worker\(s\) poll/);
    const runs = await stack.database.query(`select run_index, params, status, worker, output from runs where campaign_id = $1 order by run_index`, [id]);
    expect(runs.rows).toHaveLength(40);
    // The Monte-Carlo sample is the spec's own seed stream, not a dataset's.
    const parsed = parseCampaignSpec(spec) as UpscaleSpec;
    expect(runs.rows[7].params).toEqual({ ...sampleScenarios(40, upscaleSampleSeed(4))[7] });
    expect(runs.rows[7].params).not.toEqual({ ...sampleScenarios(40, 4)[7] });
    const valid = validationIndices(parsed);
    expect(valid.size).toBe(4);
    for (const r of runs.rows) {
      expect(r.status).toBe('completed');
      // The last stage (upscale, role ml) ran on the gpu worker.
      expect(String(r.worker)).toMatch(new RegExp(`:${queueName('gpu')}$`));
      const o = r.output as { validated: boolean; quantities: Record<string, number>; prediction: Record<string, string>; wallMs: Record<string, number> };
      expect(o.validated).toBe(valid.has(Number(r.run_index)));
      expect(Object.keys(o.prediction).sort()).toEqual(['B', 'Cr', 'ED']);
      expect(o.wallMs.simulate1x).toBeGreaterThan(0);
      expect(o.wallMs.upscale).toBeGreaterThan(0);
      for (const q of ['crRemovedFraction', 'biomassPenetrationLength', 'nutrientFrontPosition', 'meanBiomassFinal'])
        expect(Number.isFinite(o.quantities[q])).toBe(true);
      // Penetration lengths live on the 10x domain: 0..20 m.
      expect(o.quantities.biomassPenetrationLength).toBeGreaterThanOrEqual(0);
      expect(o.quantities.biomassPenetrationLength).toBeLessThanOrEqual(20 + 1e-9);
    }
    const preds = await stack.database.query(
      `select variable, count(*)::int as n from predictions where campaign_id = $1 group by variable order by variable`,
      [id],
    );
    expect(preds.rows).toEqual([
      { variable: 'B', n: 40 },
      { variable: 'Cr', n: 40 },
      { variable: 'ED', n: 40 },
    ]);
    const res = row!.results as {
      modelIds: string[];
      distributions: Record<
        string,
        {
          n: number;
          mean: number;
          quantiles: Record<string, number>;
          histogram: { edges: number[]; counts: number[] };
          exceedance?: { threshold: number; probability: number };
        }
      >;
      validation: { scenarios: number; variables: Record<string, { mse: number; r2_whole: number }> };
      throughput: { upscaleInferenceSamplesPerSecond: number };
      speedup: { simulate10xSeconds: number; pipelineSeconds: number; ratio: number; simulate10xSource: string };
    };
    expect(res.modelIds.sort()).toEqual([`${trainId}:optimal_mlp:B:r0`, `${trainId}:optimal_mlp:Cr:r0`, `${trainId}:optimal_mlp:ED:r0`]);
    for (const d of Object.values(res.distributions)) {
      expect(d.n).toBe(40);
      const q = d.quantiles;
      expect(q.p05 <= q.p25 && q.p25 <= q.p50 && q.p50 <= q.p75 && q.p75 <= q.p95).toBe(true);
      expect(d.histogram.counts.reduce((a, b) => a + b, 0)).toBe(40);
      expect(d.histogram.edges).toHaveLength(9);
    }
    const meanB = runs.rows.reduce((a, r) => a + (r.output as { quantities: { meanBiomassFinal: number } }).quantities.meanBiomassFinal, 0) / 40;
    expect(res.distributions.meanBiomassFinal.mean).toBeCloseTo(meanB, 9);
    const ex = res.distributions.crRemovedFraction.exceedance!;
    const above = runs.rows.filter((r) => (r.output as { quantities: { crRemovedFraction: number } }).quantities.crRemovedFraction > 0.2).length;
    expect(ex).toEqual({ threshold: 0.2, probability: above / 40 });
    expect(res.validation.scenarios).toBe(4);
    expect(Object.keys(res.validation.variables).sort()).toEqual(['B', 'Cr', 'ED']);
    for (const v of Object.values(res.validation.variables)) expect(v.mse).toBeGreaterThanOrEqual(0);
    expect(res.throughput.upscaleInferenceSamplesPerSecond).toBeGreaterThan(0);
    expect(res.speedup.simulate10xSource).toBe('validation subset');
    expect(res.speedup.ratio).toBeCloseTo(res.speedup.simulate10xSeconds / res.speedup.pipelineSeconds, 9);
    const m = await stack.database.query(`select name, split from metrics where owner_type = 'campaign' and owner_id = $1 order by name, split`, [id]);
    const names = m.rows.map((r) => `${String(r.name)}/${String(r.split)}`);
    for (const v of ['B', 'Cr', 'ED']) expect(names).toContain(`validation_mse/${v}`);
    expect(names).toContain('upscale_inference_samples_per_s/');
  });
});
