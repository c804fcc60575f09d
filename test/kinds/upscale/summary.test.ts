/** The upscale headline: both speed-up figures, and the small preset's caveat (what it can and cannot show). */
import { describe, expect, it } from 'vitest';
import type { UpscaleResults } from '../../../kinds/upscale/results.js';
import { upscaleSummary } from '../../../kinds/upscale/summary.js';

function results(preset: string): UpscaleResults {
  return {
    modelIds: ['m1'],
    arch: 'optimal_mlp',
    datasetId: 'ds',
    preset,
    scenarios: 1000,
    failedRuns: 0,
    backends: ['tensorflow'],
    queue: null,
    routing: null,
    distributions: {},
    validation: { scenarios: 4, runIndices: [0, 1, 2, 3], variables: { B: { r2_whole: 0.11, rmse: 2, mae: 1 } }, quantities: {} },
    throughput: { upscaleInferenceSamplesPerSecond: 500, inferenceMsPerScenario: 2, simulate1xMsPerScenario: 170 },
    speedup: {
      simulate10xMsPerScenario: 190,
      simulate10xSource: 'validation',
      simulate10xSeconds: 190,
      pipelineSeconds: 172,
      ratio: 1.1,
      inferenceOnlyRatio: 95,
    },
  };
}

describe('upscale headline', () => {
  it('states the whole-pipeline and the inference-only speed-ups', () => {
    const facts = upscaleSummary(results('medium'), {}).facts;
    expect(facts.find((f) => f.label === 'speed-up vs 10x')?.value).toMatch(/^1\.1x/);
    expect(facts.find((f) => f.label === 'speed-up, inference alone vs 10x')?.value).toBe('95x');
  });

  it('says what the small preset cannot show, and only for that preset', () => {
    expect(upscaleSummary(results('small'), {}).notes.join('\n')).toMatch(/small preset: .*not the paper's accuracy.*medium preset/);
    expect(upscaleSummary(results('medium'), {}).notes.join('\n')).not.toMatch(/small preset/);
  });
});
