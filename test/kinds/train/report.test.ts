/** Train (upscaling) reports from inserted rows: Table 3, p-values, cost, mean series, maps, training curves. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, metrics, models, predictions } from '../../../db/schema.js';
import { SERIES_COLORS } from '../../../report/figures/palette.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { countAttr, expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../../support/report-fixture.js';

const T = 4;
const H = 3;
const W = 6;
const stat = (mean: number, std: number, n: number) => ({ mean, std, n });

describe('train report', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    await fx.database.db.insert(datasets).values({
      id: 'ds',
      campaignId: 'ds',
      source: 'bioremediation',
      size: 10,
      split: { train: [], val: [], test: [7, 9] },
      meta: { variables: ['B'], shapeX: [T, H, 2], shapeY: [T, H, W], times: [10, 20, 30, 40], parameterNames: [] },
    });
    await insertCampaign(fx.database, {
      id: 'tr',
      kind: 'train',
      name: 'upscaling-b',
      results: {
        datasetId: 'ds',
        variables: ['B'],
        architectures: ['stamnet_upscale', 'mlp_eca', 'interpolation'],
        table: {
          B: {
            interpolation: {
              mse: stat(4089, 0, 1),
              mae: stat(26.42, 0, 1),
              r2_whole: stat(0.727, 0, 1),
              r2_mean_series_median: stat(0.61, 0, 1),
              'test_low.mse': stat(120, 0, 1),
            },
            mlp_eca: {
              mse: stat(2525, 61.25, 14),
              mae: stat(21.35, 0.5, 14),
              r2_whole: stat(0.892, 0.011, 14),
              r2_mean_series_median: stat(0.95, 0.01, 14),
              'test_low.mse': stat(80, 2, 14),
              params_count: stat(12345, 0, 14),
              train_seconds: stat(42.5, 3, 14),
              inference_ms_per_sample: stat(2, 0.1, 14),
            },
            stamnet_upscale: {
              mse: stat(2480, 55, 14),
              mae: stat(21.6, 0.4, 14),
              r2_whole: stat(0.925, 0.008, 14),
              r2_mean_series_median: stat(0.96, 0.01, 14),
            },
          },
        },
        pValues: {
          B: {
            mse: { 'interpolation vs mlp_eca': 0.0123, 'mlp_eca vs stamnet_upscale': 0.45 },
            r2_whole: { 'interpolation vs mlp_eca': 1.5e-6, 'mlp_eca vs stamnet_upscale': 0.03 },
          },
        },
        speedup: {
          simulate10xMsPerSample: 1000,
          simulate1xMsPerSample: 100,
          datasetRuns: 10,
          architectures: { 'B:mlp_eca': { inferenceMsPerSample: 2, inferenceOnly: 500, withSimulate1x: 9.804 } },
        },
      },
    });
    // Repeat-0 models with loss curves (interpolation has none).
    for (const arch of ['interpolation', 'mlp_eca', 'stamnet_upscale']) {
      await fx.database.db.insert(models).values({ id: `tr:${arch}:B:r0`, campaignId: 'tr', arch, variable: 'B', repeat: 0, hyperparams: {}, backend: 'cpu' });
      if (arch === 'interpolation') continue;
      for (let e = 0; e < 10; e++) {
        await fx.database.db.insert(metrics).values([
          { ownerType: 'model', ownerId: `tr:${arch}:B:r0`, name: 'loss', split: 'train', step: e, value: 1 / (e + 1) },
          { ownerType: 'model', ownerId: `tr:${arch}:B:r0`, name: 'loss', split: 'val', step: e, value: 1.2 / (e + 1) },
        ]);
      }
    }
    // Test samples 7 and 9: truth mean series [1..4] and [3..6]; models add an offset.
    const offsets: Record<string, number> = { truth: 0, interpolation: 2, mlp_eca: 0.5, stamnet_upscale: 0.25 };
    for (const run of [7, 9]) {
      const base = run === 7 ? 1 : 3;
      const field = (off: number) => Float32Array.from({ length: T * H * W }, (_, i) => base + Math.floor(i / (H * W)) + off);
      const truth = await fx.store.putTensor('truth', field(0), [T, H, W]);
      for (const [source, off] of Object.entries(offsets)) {
        const art = source === 'truth' ? truth : await fx.store.putTensor('pred', field(off), [T, H, W]);
        await fx.database.db.insert(predictions).values({
          campaignId: 'tr',
          runIndex: run,
          variable: source === 'truth' ? 'B' : `B@${source}`,
          modelId: source === 'truth' ? null : `tr:${source}:B:r0`,
          artifactId: art.id,
          summary: { source, variable: 'B', meanSeries: [0, 1, 2, 3].map((k) => base + k + off), truthArtifactId: truth.id },
        });
      }
    }

    // A campaign without results.table: the table comes from models + metrics rows.
    await insertCampaign(fx.database, { id: 'tr2', kind: 'train', results: null, status: 'running' });
    for (const [r, v] of [1, 2, 3].entries()) {
      await fx.database.db
        .insert(models)
        .values({ id: `tr2:mlp_eca:ED:r${r}`, campaignId: 'tr2', arch: 'mlp_eca', variable: 'ED', repeat: r, hyperparams: {}, backend: 'cpu' });
      await fx.database.db.insert(metrics).values([
        { ownerType: 'model', ownerId: `tr2:mlp_eca:ED:r${r}`, name: 'mse', split: 'test', step: -1, value: v },
        { ownerType: 'model', ownerId: `tr2:mlp_eca:ED:r${r}`, name: 'mse', split: 'test_high', step: -1, value: 10 * v },
      ]);
    }
    await fx.database.db
      .insert(models)
      .values({ id: 'tr2:interpolation:ED:r0', campaignId: 'tr2', arch: 'interpolation', variable: 'ED', repeat: 0, hyperparams: {}, backend: 'cpu' });
    await fx.database.db.insert(metrics).values({ ownerType: 'model', ownerId: 'tr2:interpolation:ED:r0', name: 'mse', split: 'test', step: -1, value: 5 });
    // Cr so far has only its baseline: no pair to compare.
    await fx.database.db
      .insert(models)
      .values({ id: 'tr2:interpolation:Cr:r0', campaignId: 'tr2', arch: 'interpolation', variable: 'Cr', repeat: 0, hyperparams: {}, backend: 'cpu' });
    await fx.database.db.insert(metrics).values({ ownerType: 'model', ownerId: 'tr2:interpolation:Cr:r0', name: 'mse', split: 'test', step: -1, value: 7 });
  });
  afterAll(async () => fx?.close());

  it('writes Table 3, Welch p-values, cost and speed-up with the stored numbers', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'tr', fx.outDir('tr'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('| metric | Interpolation | MLP+ECA | STAMNet-Upscale |');
    expect(tableRow(md, 'MSE')[0]).toEqual(['MSE', '4089', '2525 ± 61.3', '2480 ± 55']);
    expect(tableRow(md, 'MAE')[0]).toEqual(['MAE', '26.42', '21.35 ± 0.5', '21.6 ± 0.4']);
    expect(tableRow(md, 'R² (whole tensor)')[0]).toEqual(['R² (whole tensor)', '0.727', '0.892 ± 0.011', '0.925 ± 0.008']);
    expect(tableRow(md, 'repeats n')[0]).toEqual(['repeats n', '1', '14', '14']);
    expect(md).toContain("**R² (mean series, median)** = the STAMNet authors' definition");
    expect(md).toContain('## B: low-concentration test samples');
    expect(tableRow(md, 'MSE')[1]).toEqual(['MSE', '120', '80 ± 2', 'n/a']);
    expect(md).not.toContain('high-concentration');
    expect(md).toContain('| comparison | MSE | R² (whole tensor) |');
    expect(tableRow(md, 'Interpolation vs MLP+ECA')).toEqual([['Interpolation vs MLP+ECA', '0.0123*', '1.50e-6*']]);
    expect(tableRow(md, 'MLP+ECA vs STAMNet-Upscale')).toEqual([['MLP+ECA vs STAMNet-Upscale', '0.45', '0.03*']]);
    expect(tableRow(md, 'B').find((r) => r[1] === 'MLP+ECA')).toEqual(['B', 'MLP+ECA', '12345', '42.5', '2', '500', '9.8']);
    expect(md).toContain('10x simulation: 1000 ms per scenario; 1x simulation: 100 ms');
  });

  it('draws mean series (with their numbers), truth/prediction/error maps of one sample and training curves', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'tr', fx.outDir('tr-figs'));
    const md = readFileSync(out.markdownPath, 'utf8');
    // Means over samples 7 and 9 of base + k + offset: truth 2..5.
    expect(tableRow(md, 'truth (10x)')).toEqual([['truth (10x)', '2', '2', '5', '3.5']]);
    expect(tableRow(md, 'Interpolation')).toEqual([['Interpolation', '2', '4', '7', '5.5']]);
    expect(tableRow(md, 'STAMNet-Upscale')).toEqual([['STAMNet-Upscale', '2', '2.25', '5.25', '3.75']]);
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()].sort()).toEqual(['train-loss-b', 'train-maps-b', 'train-mean-series-b']);
    const series = svgs.get('train-mean-series-b')!;
    expect(countAttr(series, 'stroke', SERIES_COLORS[7])).toBe(3); // truth: line + legend line + legend symbol
    expect(series).toContain('>time (h)<');
    const maps = svgs.get('train-maps-b')!;
    // Best learned architecture by R² is STAMNet-Upscale; sample 7; error = +0.25 everywhere.
    expect(maps).toContain('>STAMNet-Upscale prediction<');
    expect(maps).toContain('>B, test sample 7, last output time<');
    expect(maps).toContain('>0.25<');
    expect(maps).toContain('>-0.25<');
    // Test MSE by sample: a constant offset gives every voxel of both samples the error offset^2.
    expect(md).toContain('2 of 2 samples carry 80 % of Interpolation');
    expect(tableRow(md, '7')).toEqual([['7', '2.5', '50 %', '4', '0.25', '0.0625']]);
    expect(tableRow(md, 'all (test MSE)')).toEqual([['all (test MSE)', '', '100 %', '4', '0.25', '0.0625']]);
    const loss = svgs.get('train-loss-b')!;
    // MLP+ECA (colour 1) and STAMNet (colour 2): train + val each.
    expect(countAttr(loss, 'stroke', SERIES_COLORS[1])).toBe(6);
    expect(countAttr(loss, 'stroke', SERIES_COLORS[2])).toBe(6);
    expect(loss).toContain('>MLP+ECA val<');
  });

  it('while the campaign runs, computes mean ± std and Welch p-values from the rows written so far', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'tr2', fx.outDir('tr2'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('No final results yet (status: running): these tables cover the 5 trainings finished so far');
    expect(md).toContain('## ED: whole test set');
    const ed = md.slice(md.indexOf('## ED: whole test set'));
    expect(tableRow(ed, 'MSE')[0]).toEqual(['MSE', '5', '2 ± 1']);
    expect(tableRow(ed, 'MSE')[1]).toEqual(['MSE', 'n/a', '20 ± 10']);
    expect(tableRow(ed, 'repeats n')[0]).toEqual(['repeats n', '1', '3']);
    // Welch between [5, 5] (the n = 1 baseline as a constant) and [1, 2, 3]: t = 3 / sqrt(1/3), df = 2,
    // p = 1 - t / sqrt(2 + t^2) = 0.0351.
    expect(md).toContain('# Welch t-test p-values');
    expect(tableRow(md, 'Interpolation vs MLP+ECA')[0]).toEqual(['Interpolation vs MLP+ECA', '0.0351*']);
    expect(md).toContain('## Cr: whole test set');
    expect(md.slice(md.indexOf('# Welch t-test p-values'))).not.toContain('### Cr');
    expect(out.figures).toEqual([]);
  });
});
