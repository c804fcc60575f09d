/** Upscale reports from inserted rows: distributions, histograms with quantile markers, exceedance, validation, speed-up. */
import { quantityValidationWarning } from '../../../kinds/upscale/handler.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../../../db/schema.js';
import { SERIES_COLORS } from '../../../report/figures/palette.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { countAttr, expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../../support/report-fixture.js';

describe('upscale report', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    const edges = Array.from({ length: 11 }, (_, k) => 0.2 + 0.05 * k);
    await insertCampaign(fx.database, {
      id: 'up',
      kind: 'upscale',
      results: {
        modelIds: ['tr:mlp_eca:B:r0'],
        arch: 'mlp_eca',
        datasetId: 'ds',
        scenarios: 200,
        distributions: {
          crRemovedFraction: {
            n: 200,
            mean: 0.4512,
            std: 0.0831,
            quantiles: { p05: 0.31, p25: 0.39, p50: 0.45, p75: 0.51, p95: 0.6 },
            histogram: { edges, counts: [2, 8, 15, 30, 45, 40, 30, 18, 9, 3] },
            exceedance: { threshold: 0.55, probability: 0.15 },
          },
          meanBiomassFinal: {
            n: 200,
            mean: 31.5,
            std: 4.25,
            quantiles: { p05: 25, p25: 28.5, p50: 31, p75: 34.5, p95: 39 },
            histogram: { edges: [20, 25, 30, 35, 40, 45], counts: [12, 60, 80, 40, 8] },
          },
          nutrientFrontPosition: { n: 0, note: 'no model for the variable this quantity needs' },
        },
        validation: {
          scenarios: 8,
          variables: { B: { mse: 2600, mae: 22.1, rmse: 50.99, r2_whole: 0.88, r2_mean_series_median: 0.93 } },
          quantities: {
            meanBiomassFinal: { n: 8, mae: 1.25, truthMean: 30.5, predictedMean: 31.25 },
            biomassPenetrationLength: {
              n: 8,
              mae: 7.54,
              truthMean: 0.125,
              predictedMean: 7.66,
              warning: quantityValidationWarning('biomassPenetrationLength', 7.54, 0.125)!,
            },
          },
        },
        throughput: { upscaleInferenceSamplesPerSecond: 512, inferenceMsPerScenario: 1.953, simulate1xMsPerScenario: 150 },
        speedup: {
          simulate10xMsPerScenario: 6000,
          simulate10xSource: 'validation subset',
          simulate10xSeconds: 1200,
          pipelineSeconds: 30.39,
          ratio: 39.49,
          inferenceOnlyRatio: 3072,
        },
      },
    });
    await insertCampaign(fx.database, { id: 'up2', kind: 'upscale', results: { distributions: {} } });
    await fx.database.db.insert(metrics).values([
      { ownerType: 'campaign', ownerId: 'up2', name: 'validation_mse', split: 'ED', step: -1, value: 0.5 },
      { ownerType: 'campaign', ownerId: 'up2', name: 'validation_r2', split: 'ED', step: -1, value: 0.75 },
      { ownerType: 'campaign', ownerId: 'up2', name: 'speedup_ratio', split: '', step: -1, value: 12 },
    ]);
  });
  afterAll(async () => fx?.close());

  it('tabulates distributions, exceedance, validation and speed-up', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'up', fx.outDir('up'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(tableRow(md, 'Cr(VI) removed fraction')[0]).toEqual(['Cr(VI) removed fraction', '200', '0.4512', '0.0831', '0.31', '0.39', '0.45', '0.51', '0.6']);
    expect(tableRow(md, 'final domain-mean biomass')[0]).toEqual(['final domain-mean biomass', '200', '31.5', '4.25', '25', '28.5', '31', '34.5', '39']);
    expect(tableRow(md, 'nutrient front position')[0].slice(0, 3)).toEqual(['nutrient front position', '0', 'n/a']);
    expect(md).toContain('nutrient front position: no model for the variable this quantity needs.');
    expect(tableRow(md, 'Cr(VI) removed fraction')[1]).toEqual(['Cr(VI) removed fraction', '0.55', '15.0%', '200']);
    expect(md).toContain('| variable | MSE | MAE | RMSE | R² (whole tensor) | R² (mean series, median) |');
    expect(tableRow(md, 'B')).toEqual([['B', '2600', '22.1', '50.99', '0.88', '0.93']]);
    expect(tableRow(md, 'final domain-mean biomass')[1]).toEqual(['final domain-mean biomass', '8', '30.5', '31.25', '1.25']);
    // A quantity whose validation error exceeds its true mean is flagged in the table and explained.
    expect(tableRow(md, 'biomass penetration length').at(-1)).toEqual(['biomass penetration length', '8', '0.125', '7.66', '7.54 ⚠']);
    expect(md).toMatch(/> ⚠ biomassPenetrationLength: the validation error \(MAE 7.54\) exceeds the mean true value \(0.125\)/);
    expect(quantityValidationWarning('meanBiomassFinal', 1.25, 30.5)).toBeNull();
    expect(tableRow(md, 'every scenario simulated at 10x')).toEqual([['every scenario simulated at 10x', '20 min']]);
    expect(tableRow(md, '1x simulation + upscaling (this campaign)')).toEqual([['1x simulation + upscaling (this campaign)', '30.4 s']]);
    expect(tableRow(md, 'speed-up')).toEqual([['speed-up', '39.5x']]);
    expect(tableRow(md, 'upscaling throughput')).toEqual([['upscaling throughput', '512 samples/s']]);
    expect(md).toContain('architecture MLP+ECA');
  });

  it('draws one histogram per quantity with its bins and quantile / threshold markers', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'up', fx.outDir('up-figs'));
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()].sort()).toEqual(['upscale-hist-crremovedfraction', 'upscale-hist-meanbiomassfinal']);
    const cr = svgs.get('upscale-hist-crremovedfraction')!;
    expect(countAttr(cr, 'fill', SERIES_COLORS[0])).toBe(10);
    for (const q of ['p05', 'p25', 'p50', 'p75', 'p95', 'threshold 0.55']) expect(cr).toContain(`>${q}<`);
    expect(countAttr(svgs.get('upscale-hist-meanbiomassfinal')!, 'fill', SERIES_COLORS[0])).toBe(5);
  });

  it('reads validation errors from campaign metrics when results have none', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'up2', fx.outDir('up2'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('| variable | MSE | R² (whole tensor) |');
    expect(tableRow(md, 'ED')).toEqual([['ED', '0.5', '0.75']]);
    expect(out.figures).toEqual([]);
  });
});
