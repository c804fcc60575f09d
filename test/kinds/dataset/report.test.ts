/** Dataset reports from inserted rows: paired bioremediation (split, shapes, stretch effect, biomass distribution, mean series) and groundwater cases. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, runs } from '../../../db/schema.js';
import { SERIES_COLORS } from '../../../report/figures/palette.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { countAttr, expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../../support/report-fixture.js';

const T = 5;
const H = 2;
const W = 3;

/** A [t, h, w] tensor whose every cell at step k is base + slope * k (spatial mean exactly that). */
function ramp(base: number, slope: number, w: number): Float32Array {
  const out = new Float32Array(T * H * w);
  for (let k = 0; k < T; k++) out.fill(base + slope * k, k * H * w, (k + 1) * H * w);
  return out;
}

describe('dataset report', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    await insertCampaign(fx.database, {
      id: 'ds-bio',
      kind: 'dataset',
      totalRuns: 10,
      completedRuns: 10,
      results: {
        datasetId: 'ds-bio',
        source: 'bioremediation',
        pairing: 'scale10x',
        preset: 'tiny',
        size: 10,
        split: { train: 7, val: 1, test: 2 },
        shapeX: [T, H, W],
        shapeY: [T, H, 10 * W],
        variables: ['B', 'Cr'],
        stretchOverPredictsBiomass: { scenarios: 7, of: 10 },
        maxMassBalanceError: 0.000123,
      },
    });
    const times = [24, 48, 72, 96, 120];
    await fx.database.db.insert(datasets).values({
      id: 'ds-bio',
      campaignId: 'ds-bio',
      source: 'bioremediation',
      pairing: 'scale10x',
      preset: 'tiny',
      size: 10,
      split: { train: [0, 1, 2, 3, 5, 6, 8], val: [4], test: [7, 9] },
      meta: { variables: ['B', 'Cr'], shapeX: [T, H, W], shapeY: [T, H, 10 * W], times, parameterNames: ['a'] },
    });
    for (let i = 0; i < 10; i++) {
      // Pair i: 1x mean biomass 10 + i + 2k, target 8 + i + 1.5k.
      const x = await fx.store.putTensor('x', ramp(10 + i, 2, W), [T, H, W]);
      const y = await fx.store.putTensor('y', ramp(8 + i, 1.5, 10 * W), [T, H, 10 * W]);
      await fx.database.db.insert(runs).values({
        campaignId: 'ds-bio',
        runIndex: i,
        params: { a: i },
        status: 'completed',
        output: { x: { B: x.id }, y: { B: y.id }, shapeX: [T, H, W], shapeY: [T, H, 10 * W], times, summary: {} },
      });
    }

    // Two 1-voxel pairs (T = H = W = 1, target 10 wide) in the paper's biomass classes.
    await insertCampaign(fx.database, {
      id: 'ds-classes',
      kind: 'dataset',
      totalRuns: 2,
      completedRuns: 2,
      results: {
        datasetId: 'ds-classes',
        source: 'bioremediation',
        pairing: 'scale10x',
        preset: 'medium',
        size: 2,
        split: { train: 1, val: 0, test: 1 },
        variables: ['B'],
      },
    });
    await fx.database.db.insert(datasets).values({
      id: 'ds-classes',
      campaignId: 'ds-classes',
      source: 'bioremediation',
      pairing: 'scale10x',
      preset: 'medium',
      size: 2,
      split: { train: [0], val: [], test: [1] },
      meta: { variables: ['B'], shapeX: [1, 1, 1], shapeY: [1, 1, 10], times: [144], parameterNames: ['a'] },
    });
    const classPairs: [number[], number[]][] = [
      [[200], [0, 0, 0, 0, 0, 100, 100, 60, 30, 10]],
      [[5], new Array<number>(10).fill(50)],
    ];
    for (const [i, [xv, yv]] of classPairs.entries()) {
      const x = await fx.store.putTensor('x', Float32Array.from(xv), [1, 1, 1]);
      const y = await fx.store.putTensor('y', Float32Array.from(yv), [1, 1, 10]);
      await fx.database.db.insert(runs).values({
        campaignId: 'ds-classes',
        runIndex: i,
        params: { a: i },
        status: 'completed',
        output: { x: { B: x.id }, y: { B: y.id }, shapeX: [1, 1, 1], shapeY: [1, 1, 10], times: [144], summary: {} },
      });
    }

    await insertCampaign(fx.database, {
      id: 'ds-case2',
      kind: 'dataset',
      results: { datasetId: 'ds-case2', source: 'case2', size: 5, split: { train: 3, test: 2 }, parameters: 100, observations: 50, fieldShape: [4, 5] },
    });
    const field = await fx.store.putTensor(
      'f',
      Float32Array.from({ length: 3 * 20 }, (_, k) => -13 + (k % 20) / 20),
      [3, 4, 5],
    );
    await fx.database.db.insert(datasets).values({
      id: 'ds-case2',
      campaignId: 'ds-case2',
      source: 'case2',
      size: 5,
      split: { train: [0, 1, 2], test: [3, 4] },
      meta: {
        case: 'case2',
        d: 100,
        m: 50,
        fieldShape: [4, 5],
        bounds: { min: [], max: [] },
        stacked: { train: { params: 'p', obs: 'o', field: field.id, n: 3 }, test: { params: 'p', obs: 'o', field: null, n: 2 } },
      },
    });

    await insertCampaign(fx.database, {
      id: 'ds-case1',
      kind: 'dataset',
      results: { datasetId: 'ds-case1', source: 'case1', size: 6, split: { train: 4, test: 2 } },
    });
    const obs = await fx.store.putTensor(
      'o',
      Float32Array.from({ length: 4 * 8 }, (_, k) => Math.sin(k)),
      [4, 8],
    );
    await fx.database.db.insert(datasets).values({
      id: 'ds-case1',
      campaignId: 'ds-case1',
      source: 'case1',
      size: 6,
      split: { train: [0, 1, 2, 3], test: [4, 5] },
      meta: {
        case: 'case1',
        d: 6,
        m: 8,
        fieldShape: null,
        bounds: { min: [], max: [] },
        stacked: { train: { params: 'p', obs: obs.id, field: null, n: 4 }, test: { params: 'p', obs: obs.id, field: null, n: 2 } },
      },
    });
  });
  afterAll(async () => fx?.close());

  it('paired bioremediation: split, shapes, stretch effect and the 1x-vs-target mean biomass of three pairs', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'ds-bio', fx.outDir('bio'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(tableRow(md, 'train')).toEqual([['train', '7', '70.0%']]);
    expect(tableRow(md, 'val')).toEqual([['val', '1', '10.0%']]);
    expect(tableRow(md, 'test')).toEqual([['test', '2', '20.0%']]);
    expect(tableRow(md, 'tensor [t, h, w]')).toEqual([['tensor [t, h, w]', '[5, 2, 3]', '[5, 2, 30]']]);
    expect(tableRow(md, 'output times (h)')[0][1]).toBe('5: 24 … 120');
    expect(md).toContain('**7 of 10** scenarios (70.0%)');
    expect(md).toContain('mass-balance error over all simulations: 1.230e-4');
    // Final (k = 4) means: 1x 10 + i + 8, target 8 + i + 6; pairs 0, 1, 2 are shown.
    expect(tableRow(md, '0')).toEqual([['0', '18', '14', '1.286']]);
    expect(tableRow(md, '2')).toEqual([['2', '20', '16', '1.25']]);
    expect(tableRow(md, '3')).toEqual([]);
    // Biomass over all voxels and times: target 8 + i + 1.5k (mean 15.5; 21 of 50 (i, k) below 15, max 23),
    // 1x 10 + i + 2k (mean 18.5; 9 of 50 below 15, max 27); every pair's 1x mean is above its target's.
    expect(tableRow(md, 'target (10x)')).toEqual([['target (10x)', '15.5', '42.0%', '58.0%', '0.0%', '23']]);
    expect(tableRow(md, '1x stretched')).toEqual([['1x stretched', '18.5', '18.0%', '82.0%', '0.0%', '27']]);
    expect(tableRow(md, 'paper Table 1')).toEqual([['paper Table 1', '58', 'n/a', 'n/a', 'n/a', '765']]);
    expect(md).toContain('Target mean / paper mean: **0.2672** (outside a factor of 2)');
    expect(md).toContain("over-predicts the target's mean biomass in **10 of 10** pairs; over all pairs the stretched mean is **1.194x** the target mean");
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()].sort()).toEqual(['dataset-biomass-histogram', 'dataset-mean-b']);
    expect(svgs.get('dataset-biomass-histogram')).toContain('>log10 B (mol/m^3)<');
    for (const label of ['>15<', '>50<']) expect(svgs.get('dataset-biomass-histogram')).toContain(label);
    expect(svgs.get('dataset-biomass-histogram')).toContain('>mean 15.5<');
    const svg = svgs.get('dataset-mean-b')!;
    // Each pair's colour: two lines (1x, target) and two legend entries (line + symbol each).
    for (let k = 0; k < 3; k++) expect(countAttr(svg, 'stroke', SERIES_COLORS[k])).toBe(6);
    expect(countAttr(svg, 'stroke', SERIES_COLORS[3])).toBe(0);
    expect(svg).toContain('>time (h)<');
    expect(svg).toContain('>run 2 target<');
  });

  it("paired bioremediation: the paper's low / mid / high biomass classes, mean within a factor of 2, a pair the stretch under-predicts", async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'ds-classes', fx.outDir('classes'));
    const md = readFileSync(out.markdownPath, 'utf8');
    // Target voxels: 0 x5, 10 (low: 6 of 20), 30 and 50 x10 (mid: 11), 60, 100 x2 (high: 3); mean 800 / 20 = 40.
    expect(tableRow(md, 'target (10x)')).toEqual([['target (10x)', '40', '30.0%', '55.0%', '15.0%', '100']]);
    expect(tableRow(md, '1x stretched')).toEqual([['1x stretched', '102.5', '50.0%', '0.0%', '50.0%', '200']]);
    expect(md).toContain('Target mean / paper mean: **0.6897** (within a factor of 2)');
    expect(md).toContain('in **1 of 2** pairs; over all pairs the stretched mean is **2.563x** the target mean');
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect(svgs.get('dataset-biomass-histogram')).toContain('>Target biomass distribution (2 pairs)<');
  });

  it('groundwater case 2: split and dimensions, sample fields as heatmaps', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'ds-case2', fx.outDir('case2'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(tableRow(md, 'train')).toEqual([['train', '3', '60.0%']]);
    expect(tableRow(md, 'parameters d')).toEqual([['parameters d', '100']]);
    expect(tableRow(md, 'field [ny, nx]')).toEqual([['field [ny, nx]', '[4, 5]']]);
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()]).toEqual(['dataset-fields']);
    expect(svgs.get('dataset-fields')).toContain('>train sample 2<');
  });

  it('groundwater case 1 (no fields): observation vectors instead', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'ds-case1', fx.outDir('case1'));
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()]).toEqual(['dataset-observations']);
    for (let k = 0; k < 3; k++) expect(countAttr(svgs.get('dataset-observations')!, 'stroke', SERIES_COLORS[k])).toBe(3);
  });
});
