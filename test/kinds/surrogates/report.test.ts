/** Surrogates report of a running campaign (no results yet): tables, ranking and figures rebuilt from `models` + `metrics` rows. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, models } from '../../../db/schema.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../../support/report-fixture.js';

// RMSE of all outputs per (arch, size) for repeats 0 and 1; R² = 1 - 10 * RMSE.
const RMSE: Record<string, Record<number, [number, number]>> = {
  resnet: { 200: [0.05, 0.065], 2000: [0.015, 0.017] },
  fcdnn: { 200: [0.06, 0.06], 2000: [0.03, 0.032] },
  msvr: { 200: [0.04, 0.04], 2000: [0.035, 0.035] },
};

describe('surrogates report', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    await insertCampaign(fx.database, { id: 'sg', kind: 'surrogates', results: null, status: 'running' });
    for (const [arch, bySize] of Object.entries(RMSE)) {
      for (const [n, values] of Object.entries(bySize)) {
        for (const [repeat, rmse] of values.entries()) {
          const id = `sg:${arch}:n${n}:r${repeat}`;
          await fx.database.db.insert(models).values({
            id,
            campaignId: 'sg',
            arch,
            variable: 'observations',
            repeat,
            hyperparams: { trainSize: Number(n) },
            backend: 'tensorflow',
            trainSeconds: 60,
            paramsCount: 1000,
          });
          await fx.database.db.insert(metrics).values(
            ['heads', 'conc', 'all'].flatMap((split) => [
              { ownerType: 'model', ownerId: id, name: 'rmse', split, step: -1, value: rmse },
              { ownerType: 'model', ownerId: id, name: 'r2', split, step: -1, value: 1 - 10 * rmse },
            ]),
          );
        }
      }
    }
  });
  afterAll(async () => fx?.close());

  it('ranks by mean RMSE per size, checks ResNet against the paper target and draws Figs. 5-6 from rows', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'sg', fx.outDir('sg'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('- 2000 samples (by mean RMSE of all outputs): ResNet > FC-DNN > MSVR');
    expect(md).toContain('- 200 samples (by mean RMSE of all outputs): MSVR > ResNet > FC-DNN');
    expect(md).toContain('Paper (2000 samples): ResNet > LeNet > FC-DNN > MSVR');
    expect(md).toContain('- ResNet at 2000 samples: RMSE_all 0.016 ± 0.00141, R²_all 0.84 ± 0.0141: does not meet');
    // Rows: size 200 first, then 2000; columns RMSE heads/conc/all, R² heads/conc/all, time, parameters, n.
    expect(tableRow(md, 'ResNet')[0]).toEqual([
      'ResNet',
      '0.0575 ± 0.0106',
      '0.0575 ± 0.0106',
      '0.0575 ± 0.0106',
      '0.425 ± 0.106',
      '0.425 ± 0.106',
      '0.425 ± 0.106',
      '60 s',
      '1000',
      '2',
    ]);
    expect(tableRow(md, 'MSVR')[1][3]).toBe('0.035 ± 0');
    const figs = expectFigures(out.markdownPath, out.figures);
    expect([...figs.keys()].sort()).toEqual(
      [
        'r2-all-spread',
        'r2-all-vs-size',
        'r2-conc-vs-size',
        'r2-heads-vs-size',
        'rmse-all-spread',
        'rmse-all-vs-size',
        'rmse-conc-vs-size',
        'rmse-heads-vs-size',
      ].sort(),
    );
    for (const name of ['ResNet', 'FC-DNN', 'MSVR']) expect(figs.get('rmse-all-vs-size')).toContain(name);
  });
});
