/**
 * An inversion campaign through Temporal: a tiny case-1 dataset generated inline, a tiny FC-DNN
 * surrogate, 3 scenarios x (TNNA, GA, PSO, DE, SA, and LM on the forward simulator) at one small
 * NPC. Checks the row count, the exact forward-call formulas, monotone best-so-far curves of length
 * `iterations`, forward-model calibration/validation metrics and the per-method summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec, SpecError } from '../../../kinds/campaign-spec.js';
import { countRuns } from '../../../db/campaign-store.js';
import { launchCampaign, retryFailedRuns, waitForCampaign } from '../../../engine/launcher.js';
import { preflightCampaign } from '../../../engine/preflight.js';
import { boundHandler } from '../../../kinds/index.js';
import { getCampaign } from '../../../db/campaign-store.js';
import { drawScenarios, inversionVariants, observationBounds, observationSplit } from '../../../kinds/inversion/problem.js';
import { concentrationScaling } from '../../../kinds/inversion/spec.js';
import { decoderCollapse } from '../../../kinds/inversion/handler.js';
import { meanLog10Curve } from '../../../kinds/inversion/curves.js';
import type { Stack } from '../../../worker/stack.js';
import { openTestStack, useTestEnv } from '../../support/test-stack.js';
import { normalize } from '../../../numerics/min-max-normalizer.js';

const POP = 6;
const ITERS = 5;
const SCENARIOS = 3;
/** TNNA runs past the others' iterations (as the paper's 1,000 epochs vs 200). */
const TNNA_EPOCHS = ITERS + 3;
/** LM's Gauss-Newton steps: each costs d = 9 Jacobian simulations and at least one trial. */
const LM_ITERS = 3;
const METHODS = ['TNNA', 'GA', 'PSO', 'DE', 'SA', 'LM'];

describe('inversion problem definition', () => {
  it('splits observations into calibration and validation entries per case and layout', () => {
    const c1 = observationSplit('case1', null);
    expect([c1.calibration.length, c1.validation.length, c1.calibHeads.length, c1.validHeads.length]).toEqual([150, 144, 25, 24]);
    const s5 = observationSplit('case2', 'S-5'); // 81 wells x (head + 20 calibration times); rest = 10 prediction times
    expect([s5.calibration.length, s5.validation.length, s5.validHeads.length]).toEqual([1701, 810, 0]);
    const s3 = observationSplit('case2', 'S-3'); // 25 wells observed; the 56 others validate at every time
    expect([s3.calibration.length, s3.validation.length, s3.validHeads.length]).toEqual([525, 1986, 56]);
    const c3 = observationSplit('case3', null);
    expect([c3.calibration.length, c3.validation.length]).toEqual([468, 108]);
  });

  it('labels variants and draws distinct scenarios reproducibly', () => {
    expect(inversionVariants({ case: 'case1' }).map((v) => v.label)).toEqual(['']);
    expect(inversionVariants({ case: 'case2', layouts: ['S-1', 'S-5'] }).map((v) => v.label)).toEqual(['S-1', 'S-5']);
    expect(inversionVariants({ case: 'case3', noise: [0.01, 0.1] }).map((v) => [v.label, v.noise])).toEqual([
      ['sigma=0.01', 0.01],
      ['sigma=0.1', 0.1],
    ]);
    const a = drawScenarios(5, 10, 100);
    expect(new Set(a).size).toBe(10);
    expect(drawScenarios(5, 10, 100)).toEqual(a);
    expect(() => drawScenarios(5, 101, 100)).toThrow(/exceeds the dataset's test set/);
    expect(
      meanLog10Curve([
        [100, 10],
        [1000, 1],
      ]),
    ).toEqual([2.5, 0.5]);
  });

  it('normalises concentrations per component (floored) or per group, heads always per component', () => {
    const groups = { heads: [0, 1], concentrations: [2, 3, 4] };
    // heads 10..12 and 20..20.000001 (near-constant); concentrations: one well the plume reaches
    // (0..0.8), one it reaches rarely (0..1e-6), one it never reaches (0..0).
    const raw = { min: [10, 20, 0, 0, 0], max: [12, 20.000001, 0.8, 1e-6, 0] };
    const comp = observationBounds(raw, groups, 'component');
    expect(comp.max[1] - comp.min[1]).toBeCloseTo(1e-3 * (20.000001 - 10), 12); // floored at 1e-3 of the heads' overall range
    expect(comp.max[3]).toBeCloseTo(1e-3 * 0.8, 12);
    expect(comp.max[4]).toBeCloseTo(1e-3 * 0.8, 12);
    expect(comp.max[2]).toBe(0.8);
    const grp = observationBounds(raw, groups, 'group');
    expect(grp.min.slice(0, 2)).toEqual([10, 20]);
    expect(grp.max[0]).toBe(12);
    for (const j of [2, 3, 4]) expect([grp.min[j], grp.max[j]]).toEqual([0, 0.8]);
    // A rare arrival of 0.4 at well 3: per component it normalises to 500, per group to 0.5.
    expect(normalize([11, 20, 0.4, 0.4, 0.4], comp)[3]).toBeCloseTo(500, 6);
    expect(Array.from(normalize([11, 20, 0.4, 0.4, 0.4], grp))).toEqual([0.5, 0, 0.5, 0.5, 0.5]);
    expect(raw.max[3]).toBe(1e-6); // input untouched
    expect(concentrationScaling({ case: 'case1', observationScaling: {} })).toBe('component');
    expect(concentrationScaling({ case: 'case2', observationScaling: {} })).toBe('group');
    expect(concentrationScaling({ case: 'case3', observationScaling: { concentrations: 'component' } })).toBe('component');
  });

  it('stops a case-3 campaign whose decoder collapsed to the all-background field, saying what to change', () => {
    // Observed: 300 fields, 30 epochs of batch 50 -> prior samples 0 % channel, accuracy 0.68 = 1 - 0.316.
    const msg = decoderCollapse({ priorChannelProportion: 0, trainProportion: 0.316, trainAccuracy: 0.68 }, { epochs: 30, batchSize: 50, n: 300 });
    expect(msg).toMatch(/collapsed to the all-background field/);
    expect(msg).toMatch(/after 180 optimiser steps/);
    expect(msg).toMatch(/decoder\.epochs/);
    expect(decoderCollapse({ priorChannelProportion: 0.25, trainProportion: 0.316, trainAccuracy: 0.86 }, { epochs: 40, batchSize: 10, n: 300 })).toBeNull();
  });
});

describe('inversion campaign (case 1, tiny)', () => {
  let stack: Stack;
  /** The first campaign: its trained surrogate is reused by the next test. */
  let firstId = '';

  beforeAll(async () => {
    await useTestEnv();
    stack = await openTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('rejects an odd GA population and a layout outside case 2, naming the fields', () => {
    const base = { kind: 'inversion', name: 'bad', case: 'case1', dataset: { train: 20, test: 5 } };
    expect(() => parseCampaignSpec({ ...base, npc: [5] })).toThrow(SpecError);
    expect(() => parseCampaignSpec({ ...base, npc: [5] })).toThrow(/npc: GA needs even population sizes/);
    expect(() => parseCampaignSpec({ ...base, layouts: ['S-1'] })).toThrow(/layouts: monitoring layouts exist only for case2/);
    expect(() => parseCampaignSpec({ ...base, sa: { batching: 'parallel' } })).toThrow(/sa\.batching/);
    const parsed = parseCampaignSpec(base);
    expect(parsed.kind === 'inversion' && parsed.sa.batching).toBe('sequential'); // scikit-opt's chain unless asked
  });

  it('runs scenarios x methods x npc x repeats inversions with exact forward-call counts', async () => {
    const spec = parseCampaignSpec({
      kind: 'inversion',
      name: 'inversion-tiny',
      seed: 3,
      case: 'case1',
      dataset: { train: 40, test: 6 },
      surrogate: { arch: 'fcdnn', options: { hiddenLayers: 1, units: 32 }, epochs: 30, learningRate: 3e-3 },
      scenarios: SCENARIOS,
      methods: METHODS,
      npc: [POP],
      iterations: ITERS,
      tnna: { hiddenUnits: [32, 32, 32], learningRate: 1e-3, epochs: TNNA_EPOCHS },
      sa: { batching: 'speculative' },
      // LM polishes a TNNA estimate with the simulator (lm.start: tnna, the default; 'centre' is unit-tested).
      lm: { iterations: LM_ITERS, start: 'tnna' },
      execution: { batchSize: 8, heartbeatTimeoutSeconds: 30 },
    });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    const row = await getCampaign(stack.database, id);
    expect(row?.error ?? null).toBeNull();
    expect(out.status).toBe('completed');
    expect(await countRuns(stack.database, id)).toMatchObject({ total: SCENARIOS * METHODS.length, completed: SCENARIOS * METHODS.length, failed: 0 });
    firstId = id;

    const res = await stack.database.query(
      `select scenario, method, npc, repeat, forward_calls, objective_curve, final_objective, estimate, truth, calib_rmse, calib_r2, valid_rmse, valid_r2, detail
       from inversion_results where campaign_id = $1 order by scenario, method`,
      [id],
    );
    expect(res.rows.length).toBe(SCENARIOS * METHODS.length);
    const expectedCalls: Record<string, number> = {
      GA: POP * ITERS + 1, // finalEvaluation defaults to true (scikit-opt re-evaluates best_x)
      DE: 2 * POP * ITERS + 1,
      PSO: POP + POP * ITERS,
      SA: 1 + POP * ITERS, // chain length L = NPC, `iterations` chains; speculative batching's discarded evaluations are counted apart
      TNNA: TNNA_EPOCHS, // one forward call per epoch
    };
    for (const r of res.rows) {
      const method = String(r.method);
      const curve = (r.objective_curve as number[]).map(Number);
      if (method === 'LM') {
        // 1 start + per step 9 Jacobian simulations + 1..8 trials; it may stop early once J stalls.
        expect(curve.length).toBeGreaterThanOrEqual(1);
        expect(curve.length).toBeLessThanOrEqual(LM_ITERS);
        expect(Number(r.forward_calls)).toBeGreaterThanOrEqual(1 + curve.length * 10);
        expect(Number(r.forward_calls)).toBeLessThanOrEqual(1 + curve.length * 17);
        // Its J is the simulator's misfit to the noisy data (mean reduction), the forward-model
        // calibration RMSE the same misfit to the noise-free data: they differ by at most the RMS of
        // the noise (1 % of values in [0, 1]). A surrogate's J carries the surrogate's error too.
        expect(Math.abs(Math.sqrt(Number(r.final_objective)) - Number(r.calib_rmse))).toBeLessThanOrEqual(0.01);
        const start = (r.detail as { start?: { method: string; surrogateCalls: number; objective: number } }).start;
        expect(start?.method).toBe('TNNA');
        expect(start?.surrogateCalls).toBe(TNNA_EPOCHS);
        expect(Number.isFinite(start?.objective)).toBe(true);
      } else expect(Number(r.forward_calls), method).toBe(expectedCalls[method]);
      expect(Number(r.npc)).toBe(method === 'TNNA' || method === 'LM' ? 1 : POP);
      if (method !== 'LM') expect(curve.length, method).toBe(method === 'TNNA' ? TNNA_EPOCHS : ITERS);
      for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThanOrEqual(curve[i - 1]);
      expect(curve[curve.length - 1]).toBeCloseTo(Number(r.final_objective), 4);
      expect((r.estimate as number[]).length).toBe(9);
      expect((r.truth as number[]).length).toBe(9);
      for (const v of r.estimate as number[]) expect(v >= 0 && v <= 1).toBe(true);
      // Forward-model fit of the estimate: present and finite; case 1 has 150 calibration and 144 validation entries.
      expect(Number.isFinite(Number(r.calib_rmse))).toBe(true);
      expect(Number.isFinite(Number(r.valid_rmse))).toBe(true);
      expect(r.calib_r2).not.toBeNull();
      const detail = r.detail as { nCalibration: number; nValidation: number; heads: { calibRmse: number }; conc: { validRmse: number }; paramError: number[] };
      expect(detail.nCalibration).toBe(150);
      expect(detail.nValidation).toBe(144);
      expect(Number.isFinite(detail.heads.calibRmse)).toBe(true);
      expect(Number.isFinite(detail.conc.validRmse)).toBe(true);
      expect(detail.paramError.length).toBe(9);
      if (method === 'TNNA') {
        // Its estimate after ITERS epochs, re-simulated like the final one.
        const at = (r.detail as { atBudget: { epochs: number; finalObjective: number; calib: { rmse: number }; paramError: number[] } }).atBudget;
        expect(at.epochs).toBe(ITERS);
        expect(at.finalObjective).toBeCloseTo(curve[ITERS - 1], 4);
        expect(Number.isFinite(at.calib.rmse)).toBe(true);
        expect(at.paramError).toHaveLength(9);
      }
      if (method === 'SA') {
        const { speculativeCalls = 0, batches } = r.detail as { speculativeCalls?: number; batches: number };
        expect(Number.isInteger(speculativeCalls) && speculativeCalls >= 0).toBe(true);
        expect(batches).toBeLessThanOrEqual(Number(r.forward_calls));
      }
    }
    // Every method saw the same noisy data per scenario: the same scenario's truth in every row.
    const truths = new Map<number, string>();
    for (const r of res.rows) {
      const t = JSON.stringify(r.truth);
      const prev = truths.get(Number(r.scenario));
      if (prev) expect(t).toBe(prev);
      truths.set(Number(r.scenario), t);
    }

    const results = row?.results as {
      methods: Record<
        string,
        Record<
          string,
          {
            n: number;
            forwardCalls: number;
            forwardCallsMin: number;
            forwardCallsMax: number;
            log10ObjectiveMean: number;
            calibRmse: number;
            validRmse: number;
          }
        >
      >;
      convergence: { method: string; npc: number; log10Objective: number[] }[];
      surrogate: { test: Record<string, { rmse: number; r2: number }> };
    };
    expect(Object.keys(results.methods).sort()).toEqual(['DE', 'GA', 'LM', 'PSO', 'SA', 'TNNA']);
    for (const [m, byNpc] of Object.entries(results.methods)) {
      const g = byNpc[m === 'TNNA' || m === 'LM' ? '1' : String(POP)];
      expect(g.n).toBe(SCENARIOS);
      if (m !== 'LM') {
        expect(g.forwardCallsMin).toBe(expectedCalls[m]);
        expect(g.forwardCallsMax).toBe(expectedCalls[m]);
      }
      expect(Number.isFinite(g.log10ObjectiveMean)).toBe(true);
      expect(Number.isFinite(g.calibRmse)).toBe(true);
    }
    expect(results.convergence).toHaveLength(METHODS.length);
    for (const c of results.convergence)
      if (c.method === 'LM') expect(c.log10Objective.length).toBeLessThanOrEqual(LM_ITERS);
      else expect(c.log10Objective).toHaveLength(c.method === 'TNNA' ? TNNA_EPOCHS : ITERS);
    expect((results.methods.TNNA['1'] as { atBudget?: { iterations: number } }).atBudget?.iterations).toBe(ITERS);
    for (const split of ['heads', 'conc', 'all']) expect(Number.isFinite(results.surrogate.test[split].rmse)).toBe(true);
    const metrics = await stack.database.query(
      `select count(*)::int as n from metrics where owner_type = 'campaign' and owner_id = $1 and name in ('surrogate_rmse', 'surrogate_r2')`,
      [id],
    );
    expect(metrics.rows[0].n).toBe(6);
  });

  it('reuses a trained surrogate (surrogate.from: an inversion campaign, or a surrogates campaign model) without training, and refuses one that does not fit', async () => {
    expect(firstId).not.toBe('');
    const base = {
      kind: 'inversion',
      name: 'inversion-tiny-reuse',
      seed: 4,
      case: 'case1',
      dataset: `${firstId}-data`,
      surrogate: { arch: 'fcdnn', from: firstId },
      scenarios: 2,
      methods: ['TNNA', 'DE'],
      npc: [POP],
      iterations: ITERS,
      tnna: { hiddenUnits: [32, 32, 32], learningRate: 3e-3, epochs: ITERS },
      execution: { batchSize: 8, heartbeatTimeoutSeconds: 30 },
    };
    expect(() => parseCampaignSpec({ ...base, surrogate: { arch: 'fcdnn', from: firstId, epochs: 5 } })).toThrow(
      /surrogate\.epochs: surrogate\.from reuses a trained surrogate, whose training settings apply: remove surrogate\.epochs/,
    );
    expect(() => parseCampaignSpec({ ...base, dataset: { train: 40, test: 6 } })).toThrow(/dataset: surrogate\.from needs the source campaign's dataset by id/);
    // Preflight (what `plume run` and the dashboard do before launching) names the field to change.
    const misfit = parseCampaignSpec({ ...base, observationScaling: { concentrations: 'group' } });
    await expect(preflightCampaign(await boundHandler(misfit), { database: stack.database })).rejects.toThrow(
      /observationScaling\.concentrations: the surrogate .* scales concentrations per component, this spec per group; set observationScaling\.concentrations: component/,
    );
    const wrongArch = parseCampaignSpec({ ...base, surrogate: { arch: 'resnet', from: firstId } });
    await expect(preflightCampaign(await boundHandler(wrongArch), { database: stack.database })).rejects.toThrow(
      /surrogate\.arch: the surrogate .* is a fcdnn; set surrogate\.arch: fcdnn/,
    );

    // TNNA with two first-order corrections: three runs of ITERS + 2 epochs; per correction one
    // simulation at the estimate and one per unknown (forward differences).
    const spec = parseCampaignSpec({ ...base, tnna: { ...base.tnna, epochs: ITERS + 2, corrections: 2, correctionOrder: 1 } });
    await preflightCampaign(await boundHandler(spec), { database: stack.database });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect((await getCampaign(stack.database, id))?.error ?? null).toBeNull();
    expect(out.status).toBe('completed');
    expect(await countRuns(stack.database, id)).toMatchObject({ total: 4, completed: 4, failed: 0 });
    const m = await stack.database.query(`select id, campaign_id, artifact_id, hyperparams from models where campaign_id = any($1) order by campaign_id = $2`, [
      [firstId, id],
      id,
    ]);
    expect(m.rows).toHaveLength(2);
    const [source, reused] = m.rows;
    expect(reused.artifact_id).toBe(source.artifact_id); // the same trained weights, no second training
    expect((reused.hyperparams as { reusedFrom: string }).reusedFrom).toBe(source.id);
    const fit = async (owner: string) =>
      (
        await stack.database.query(
          `select split, name, value from metrics where owner_type = 'campaign' and owner_id = $1 and name like 'surrogate_%' order by split, name`,
          [owner],
        )
      ).rows;
    expect(await fit(id)).toEqual(await fit(firstId));
    const res = await stack.database.query(`select method, forward_calls, detail from inversion_results where campaign_id = $1 order by scenario, method`, [
      id,
    ]);
    expect(res.rows.map((r) => [r.method, Number(r.forward_calls)])).toEqual([
      ['DE', 2 * POP * ITERS + 1],
      ['TNNA', 3 * (ITERS + 2)],
      ['DE', 2 * POP * ITERS + 1],
      ['TNNA', 3 * (ITERS + 2)],
    ]);
    for (const r of res.rows) {
      const detail = r.detail as {
        paramError: number[];
        atBudget?: unknown;
        corrections?: { order: number; simulations: number; shiftRms: number[]; slopeRms?: number[]; rounds?: { accepted: boolean }[] };
      };
      const corrections = detail.corrections;
      if (r.method === 'DE') expect(corrections).toBeUndefined();
      else {
        // Past the others' iterations, but a corrected run's snapshot would be its last round's: none is taken.
        expect(detail.atBudget).toBeUndefined();
        const d = detail.paramError.length;
        expect(d).toBeGreaterThan(0);
        // The first estimate and its d forward differences, each round's estimate, and d more
        // simulations at the first round's estimate if it was kept (the last round's never need them).
        expect(corrections?.rounds).toHaveLength(2);
        const relinearised = corrections!.rounds![0].accepted ? 1 : 0;
        expect(corrections).toMatchObject({ order: 1, simulations: 1 + d + 2 + d * relinearised });
        // The tiny surrogate's error and its slope at the estimates: present, finite and not zero.
        expect(corrections?.shiftRms).toHaveLength(1 + relinearised);
        expect(corrections?.slopeRms).toHaveLength(1 + relinearised);
        for (const v of [...corrections!.shiftRms, ...corrections!.slopeRms!]) expect(v > 0 && Number.isFinite(v)).toBe(true);
      }
    }

    // A run whose result row is stored is not computed again: two runs whose batch was lost while
    // they were still marked running (here: marked failed) are retried from their rows.
    const stored = async () =>
      (
        await stack.database.query(
          `select scenario, method, wall_ms, final_objective, detail from inversion_results where campaign_id = $1 order by scenario, method`,
          [id],
        )
      ).rows;
    const before = await stored();
    await stack.database.query(`update runs set status = 'failed', output = null where campaign_id = $1 and run_index in (1, 3)`, [id]);
    await retryFailedRuns(stack.client, stack.database, id);
    expect((await waitForCampaign(stack.client, stack.database, id)).status).toBe('completed');
    expect(await countRuns(stack.database, id)).toMatchObject({ total: 4, completed: 4, failed: 0 });
    expect(await stored()).toEqual(before);
    const retried = (
      await stack.database.query(`select run_index, status, duration_ms, output from runs where campaign_id = $1 and run_index in (1, 3) order by run_index`, [
        id,
      ])
    ).rows;
    for (const r of retried) {
      expect(r.status).toBe('completed');
      expect(Number(r.duration_ms)).toBe(0);
      const row = before.find((b) => (b.detail as { runIndex: number }).runIndex === r.run_index)!;
      expect(r.output).toMatchObject({ resumed: true, finalObjective: row.final_objective, wallMs: row.wall_ms, backend: 'tensorflow' });
    }

    // One model of a surrogates campaign on the same dataset, named by its model id.
    const sur = parseCampaignSpec({
      kind: 'surrogates',
      name: 'surrogates-tiny-for-reuse',
      seed: 5,
      case: 'case1',
      dataset: `${firstId}-data`,
      architectures: ['fcdnn'],
      trainSizes: [20],
      repeats: 1,
      training: { epochs: 5, options: { hiddenLayers: 1, units: 16 } },
    });
    const surId = (await launchCampaign(stack.client, stack.database, sur)).id;
    expect((await waitForCampaign(stack.client, stack.database, surId)).status).toBe('completed');
    const [model] = (await stack.database.query(`select id, artifact_id from models where campaign_id = $1`, [surId])).rows;
    const byCampaign = parseCampaignSpec({ ...base, name: 'inversion-tiny-reuse-2', surrogate: { arch: 'fcdnn', from: surId } });
    await expect(preflightCampaign(await boundHandler(byCampaign), { database: stack.database })).rejects.toThrow(
      /is a surrogates campaign; name an inversion campaign, or one model of a surrogates campaign by its model id/,
    );
    // The campaign's name in place of its id: the newest completed campaign of that name.
    const byName = (from: string) => parseCampaignSpec({ ...base, name: 'inversion-tiny-reuse-3', surrogate: { arch: 'fcdnn', from } });
    await preflightCampaign(await boundHandler(byName('surrogates-tiny-for-reuse:fcdnn:n20:r0')), { database: stack.database });
    await expect(preflightCampaign(await boundHandler(byName('surrogates-tiny-for-reuse:lenet:n20:r0')), { database: stack.database })).rejects.toThrow(
      /no 'surrogates-tiny-for-reuse:lenet:n20:r0'/,
    );
    const fromModel = parseCampaignSpec({
      ...base,
      name: 'inversion-tiny-reuse-2',
      methods: ['DE'],
      scenarios: 1,
      surrogate: { arch: 'fcdnn', from: String(model.id) },
    });
    await preflightCampaign(await boundHandler(fromModel), { database: stack.database });
    const id2 = (await launchCampaign(stack.client, stack.database, fromModel)).id;
    expect((await waitForCampaign(stack.client, stack.database, id2)).status).toBe('completed');
    const [reused2] = (await stack.database.query(`select artifact_id, hyperparams from models where campaign_id = $1`, [id2])).rows;
    expect(reused2.artifact_id).toBe(model.artifact_id);
    expect((reused2.hyperparams as { reusedFrom: string }).reusedFrom).toBe(model.id);
    const modelR2 = (
      await stack.database.query(`select value from metrics where owner_type = 'model' and owner_id = $1 and name = 'r2' and split = 'all'`, [model.id])
    ).rows[0];
    const campR2 = (
      await stack.database.query(`select value from metrics where owner_type = 'campaign' and owner_id = $1 and name = 'surrogate_r2' and split = 'all'`, [id2])
    ).rows[0];
    expect(Number(campR2.value)).toBe(Number(modelR2.value));
  });
});
