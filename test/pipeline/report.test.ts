/** Pipeline reports: one section per stage campaign (parent_id), reusing each kind's report, figures prefixed per stage. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCampaignReport } from '../../kinds/index.js';
import { expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../support/report-fixture.js';

describe('pipeline report', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    await insertCampaign(fx.database, { id: 'pipe', kind: 'pipeline', name: 'full-study' });
    const sens = (S1: number) => ({
      evaluations: 100,
      baseSamples: 20,
      indices: { S1: { a: S1, b: 0.2 }, ST: { a: 0.7, b: 0.3 }, S1_conf: { a: 0.05, b: 0.04 }, ST_conf: { a: 0.06, b: 0.03 } },
    });
    await insertCampaign(fx.database, {
      id: 'pipe-s1',
      kind: 'sensitivity',
      name: 'screening',
      parentId: 'pipe',
      createdAt: new Date('2025-01-01T00:00:01Z'),
      results: sens(0.6),
      totalRuns: 100,
      completedRuns: 100,
    });
    await insertCampaign(fx.database, {
      id: 'pipe-s2',
      kind: 'sensitivity',
      name: 'refined',
      parentId: 'pipe',
      createdAt: new Date('2025-01-01T00:00:02Z'),
      results: sens(0.55),
      status: 'running',
    });
    await insertCampaign(fx.database, {
      id: 'pipe-up',
      kind: 'upscale',
      name: 'mc',
      parentId: 'pipe',
      createdAt: new Date('2025-01-01T00:00:03Z'),
      results: null,
      status: 'pending',
    });
    await insertCampaign(fx.database, { id: 'other', kind: 'sensitivity', results: sens(0.1) });
  });
  afterAll(async () => fx?.close());

  it('lists the stages and reports each with its own kind section, one heading level down', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'pipe', fx.outDir('pipe'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('# Report: full-study');
    expect(tableRow(md, '1')).toEqual([['1', 'sensitivity', 'screening', '`pipe-s1`', 'completed', '100 / 100']]);
    expect(tableRow(md, '2')[0].slice(0, 5)).toEqual(['2', 'sensitivity', 'refined', '`pipe-s2`', 'running']);
    expect(tableRow(md, '3')[0].slice(0, 5)).toEqual(['3', 'upscale', 'mc', '`pipe-up`', 'pending']);
    expect(md).not.toContain('`other`');
    const order = [
      '## Stage 1: screening (sensitivity)',
      '### Sobol indices',
      '## Stage 2: refined (sensitivity)',
      '## Stage 3: mc (upscale)',
      '### Monte-Carlo distributions',
    ];
    const at = order.map((h) => md.indexOf(h));
    expect(at.every((p) => p >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(tableRow(md, 'a').map((r) => r[1])).toEqual(['0.6', '0.55']);
    expect(md).toContain('No distributions recorded: the campaign has not finished.');
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect([...svgs.keys()].sort()).toEqual(['stage1-sobol-indices', 'stage2-sobol-indices']);
  });

  it('an unknown kind gets its results as JSON', async () => {
    await insertCampaign(fx.database, { id: 'odd', kind: 'future-kind', results: { answer: 42 } });
    const out = await writeCampaignReport(fx.database, fx.store, 'odd', fx.outDir('odd'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('No dedicated report for kind `future-kind`');
    expect(md).toContain('"answer": 42');
  });
});
