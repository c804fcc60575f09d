/**
 * Every shipped example spec parses against the current schema (a renamed field would otherwise
 * only surface when a user runs the example), and the settings the examples document hold.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaignSpec } from '../kinds/campaign-spec.js';
import { concentrationScaling } from '../kinds/inversion/spec.js';
import { resolveHyperparams } from '../kinds/train/spec.js';
import { resolveTraining } from '../kinds/surrogates/spec.js';

const dir = path.join(import.meta.dirname, '..', 'examples');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('examples/', () => {
  it('ships the issue-listed examples', () => {
    for (const f of [
      'quickstart.yaml',
      'upscaling-paper.yaml',
      'inversion-case1-paper.yaml',
      'inversion-case2-paper.yaml',
      'inversion-case3-paper.yaml',
      'inversion-case1-small.yaml',
      'inversion-case2-small.yaml',
      'inversion-case3-small.yaml',
      'train-small.yaml',
    ]) {
      expect(files).toContain(f);
    }
  });

  it.each(files)('%s parses', async (f) => {
    const spec = await loadCampaignSpec(path.join(dir, f));
    expect(spec.kind).toMatch(/^(sensitivity|dataset|train|upscale|inversion|surrogates|pipeline)$/);
    expect(spec.name.length).toBeGreaterThan(0);
  });

  it('train-small trains B on pure MSE and Cr at a lower learning rate, ED on the shared settings', async () => {
    const spec = await loadCampaignSpec(path.join(dir, 'train-small.yaml'));
    if (spec.kind !== 'train') throw new Error('train-small is not a train spec');
    expect(resolveHyperparams(spec, 'mlp_eca', 'B')).toMatchObject({ maeWeight: 0, lr: 3e-3, epochs: 600 });
    expect(resolveHyperparams(spec, 'mlp_eca', 'Cr')).toMatchObject({ lr: 5e-4, epochs: 600 });
    expect(resolveHyperparams(spec, 'stamnet_upscale', 'ED')).toMatchObject({ lr: 3e-3, maeWeight: 0.6 });
    expect(resolveHyperparams(spec, 'interpolation', 'B').epochs).toBe(0);
  });

  it("surrogates-case1-resnet-cosine is the paper grid's ResNet at 2,000 samples with only the learning-rate schedule changed", async () => {
    const grid = await loadCampaignSpec(path.join(dir, 'surrogates-case1.yaml'));
    const cosine = await loadCampaignSpec(path.join(dir, 'surrogates-case1-resnet-cosine.yaml'));
    if (grid.kind !== 'surrogates' || cosine.kind !== 'surrogates') throw new Error('not surrogates specs');
    // Same seed, dataset, repeats and subsets: the same training rows and initialisation seeds as the grid's ResNet row.
    for (const key of ['seed', 'case', 'dataset', 'repeats', 'subsets'] as const) expect(cosine[key]).toEqual(grid[key]);
    expect(cosine.architectures).toEqual(['resnet']);
    expect(cosine.trainSizes).toEqual([2000]);
    expect(grid.trainSizes).toContain(2000);
    expect(resolveTraining(grid, 'resnet')).toEqual({ options: {} });
    expect(resolveTraining(cosine, 'resnet')).toEqual({ learningRate: 1e-3, schedule: { kind: 'cosine_warm_restarts', t0: 500 }, options: {} });
  });

  it('case 2-3 examples normalise concentrations per group, case 1 per component', async () => {
    for (const [f, want] of [
      ['inversion-case1-small.yaml', 'component'],
      ['inversion-case2-small.yaml', 'group'],
      ['inversion-case3-paper.yaml', 'group'],
    ] as const) {
      const spec = await loadCampaignSpec(path.join(dir, f));
      if (spec.kind !== 'inversion') throw new Error(`${f} is not an inversion spec`);
      expect(concentrationScaling(spec)).toBe(want);
    }
  });
});
