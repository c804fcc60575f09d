/** The total-runs cap: default, flag over environment, and the refusal naming the fields. */
import { afterEach, describe, expect, it } from 'vitest';
import { checkRunBudget, DEFAULT_MAX_RUNS, maxRuns } from '../../engine/run-budget.js';
import { SpecError } from '../../engine/spec-error.js';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { boundHandler } from '../../kinds/index.js';
import { checkPipelineBudget } from '../../kinds/pipeline-budget.js';

afterEach(() => {
  delete process.env.PLUME_MAX_RUNS;
});

describe('total-runs cap', () => {
  it('defaults to a few million; PLUME_MAX_RUNS sets it; a flag wins', () => {
    expect(maxRuns()).toBe(DEFAULT_MAX_RUNS);
    expect(DEFAULT_MAX_RUNS).toBeGreaterThanOrEqual(1_000_000);
    process.env.PLUME_MAX_RUNS = '1234';
    expect(maxRuns()).toBe(1234);
    expect(maxRuns(99)).toBe(99);
    process.env.PLUME_MAX_RUNS = 'lots';
    expect(() => maxRuns()).toThrow(/PLUME_MAX_RUNS must be a positive integer/);
  });

  it('sensitivity plans samples x (parameters + 2) without materialising a run', async () => {
    const spec = parseCampaignSpec({
      kind: 'sensitivity',
      name: 'big',
      model: { name: 'sobol_g', a: Array.from({ length: 100 }, () => 1) },
      samples: 1_000_000,
    });
    const planned = (await boundHandler(spec)).plannedRuns!();
    expect(planned.total).toBe(102_000_000);
    const err = (() => {
      try {
        checkRunBudget(planned, DEFAULT_MAX_RUNS);
      } catch (e) {
        return e;
      }
    })() as SpecError;
    expect(err).toBeInstanceOf(SpecError);
    expect(err.message).toMatch(/102,000,000 runs \(samples = 1000000 x model\.a \(100 coefficients\) \+ 2\)/);
    expect(err.issues[0].path).toMatch(/samples, model\.a/);
    // A 1M-run campaign is within the default limit.
    const ok = parseCampaignSpec({ kind: 'sensitivity', name: 'ok', model: { name: 'ishigami' }, samples: 200_000 });
    const okPlanned = (await boundHandler(ok)).plannedRuns!();
    expect(() => checkRunBudget(okPlanned, DEFAULT_MAX_RUNS)).not.toThrow();
  });

  it('plans a 1M-run campaign as a stream: points are produced on demand, not materialised', async () => {
    const spec = parseCampaignSpec({ kind: 'sensitivity', name: 'ok', model: { name: 'ishigami' }, samples: 200_000 });
    const prepared = await (await boundHandler(spec)).prepare({} as never);
    expect(Array.isArray(prepared.params)).toBe(false);
    const first: number[][] = [];
    for (const p of prepared.params) {
      first.push((p as { u: number[] }).u);
      if (first.length === 5) break; // the other 999,995 points are never computed
    }
    // Saltelli layout: A, AB1, AB2, AB3, B share columns with A and B.
    expect(first[1][1]).toBe(first[0][1]);
    expect(first[1][0]).toBe(first[4][0]);
  });

  it('checks every pipeline stage against the cap, naming the stage', async () => {
    const stage = (samples: number) => ({ kind: 'sensitivity', model: { name: 'sobol_g', a: Array.from({ length: 100 }, () => 1) }, samples });
    const spec = parseCampaignSpec({
      kind: 'pipeline',
      name: 'p',
      stages: [
        { id: 'small', spec: stage(100) },
        { id: 'huge', spec: stage(1_000_000) },
      ],
    });
    if (spec.kind !== 'pipeline') throw new Error('expected a pipeline');
    await expect(checkPipelineBudget(spec, DEFAULT_MAX_RUNS)).rejects.toThrow(/stages\[1\]\.spec: the spec plans 102,000,000 runs/);
    await expect(checkPipelineBudget(spec, 200_000_000)).resolves.toBeUndefined();
  });
});
