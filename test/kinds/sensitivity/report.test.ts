/**
 * Sensitivity reports: from inserted rows (exact table numbers, the bar chart's bars and error
 * bars), and end to end from a real ishigami campaign through Temporal.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { exportCampaign } from '../../../db/export.js';
import { parseCampaignSpec } from '../../../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../../../engine/launcher.js';
import type { Stack } from '../../../worker/stack.js';
import { SERIES_COLORS } from '../../../report/figures/palette.js';
import { formatNumber } from '../../../report/number-format.js';
import { CampaignNotFoundError } from '../../../report/write-report.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { openTestStack, useTestEnv } from '../../support/test-stack.js';
import { countAttr, expectFigures, insertCampaign, openReportFixture, tableRow, type ReportFixture } from '../../support/report-fixture.js';

describe('sensitivity report from inserted rows', () => {
  let fx: ReportFixture;
  beforeAll(async () => {
    fx = await openReportFixture();
    await insertCampaign(fx.database, {
      id: 'sens-1',
      kind: 'sensitivity',
      name: 'ishigami-check',
      spec: {
        kind: 'sensitivity',
        name: 'ishigami-check',
        model: { name: 'ishigami', a: 7, b: 0.1 },
        samples: 512,
        bootstrap: { resamples: 500, confidence: 0.9 },
      },
      totalRuns: 2560,
      completedRuns: 2560,
      results: {
        evaluations: 2560,
        baseSamples: 512,
        indices: {
          S1: { x1: 0.3121, x2: 0.4435, x3: -0.0042 },
          ST: { x1: 0.5512, x2: 0.4478, x3: 0.2401 },
          S1_conf: { x1: 0.0512, x2: 0.0433, x3: 0.0391 },
          ST_conf: { x1: 0.0301, x2: 0.0222, x3: 0.0155 },
        },
        analytic: { S1: { x1: 0.3139, x2: 0.4424, x3: 0 }, ST: { x1: 0.5576, x2: 0.4424, x3: 0.2437 } },
      },
    });
  });
  afterAll(async () => fx?.close());

  it('tabulates S1/ST with half-widths and analytic values, and draws bars with error bars', async () => {
    const out = await writeCampaignReport(fx.database, fx.store, 'sens-1', fx.outDir('sens'));
    expect(out.markdownPath).toBe(path.join(fx.outDir('sens'), 'report.md'));
    const md = readFileSync(out.markdownPath, 'utf8');
    expect(md).toContain('# Report: ishigami-check');
    expect(md).toContain('| parameter | S1 | S1 ± (90%) | ST | ST ± (90%) | S1 analytic | ST analytic |');
    expect(tableRow(md, 'x1')).toEqual([['x1', '0.3121', '0.0512', '0.5512', '0.0301', '0.3139', '0.5576']]);
    expect(tableRow(md, 'x3')).toEqual([['x3', '-0.0042', '0.0391', '0.2401', '0.0155', '0', '0.2437']]);
    expect(md).toContain(`Sum of S1 = ${formatNumber(0.3121 + 0.4435 - 0.0042)}`);
    expect(md).toContain('**Headline:** model ishigami · evaluations 2560');
    expect(md).toContain('512 base samples, 2560 model evaluations');
    expect(md).toContain('| wall time | 90 s |');
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect(out.figures).toHaveLength(2);
    const svg = svgs.get('sobol-indices')!;
    // 3 bars + 1 legend icon per series; 3 strokes (stem and two caps) per error bar.
    expect(countAttr(svg, 'fill', SERIES_COLORS[0])).toBe(4);
    expect(countAttr(svg, 'fill', SERIES_COLORS[1])).toBe(4);
    expect(countAttr(svg, 'stroke', '#222222')).toBe(3 * 6);
    for (const label of ['x1', 'x2', 'x3', 'S1', 'ST', 'analytic', 'Sobol index']) expect(svg).toContain(`>${label}<`);
  });

  it('throws CampaignNotFoundError for an unknown id', async () => {
    await expect(writeCampaignReport(fx.database, fx.store, 'nope', fx.outDir('nope'))).rejects.toBeInstanceOf(CampaignNotFoundError);
  });
});

describe('sensitivity report end to end', () => {
  let stack: Stack;
  beforeAll(async () => {
    await useTestEnv();
    stack = await openTestStack();
  });
  afterAll(async () => stack?.close());

  it('reports a real 64-sample ishigami campaign', async () => {
    const spec = parseCampaignSpec({ kind: 'sensitivity', name: 'r', model: { name: 'ishigami' }, samples: 64 });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const done = await waitForCampaign(stack.client, stack.database, id);
    expect(done.status).toBe('completed');
    const dir = path.join(process.env.PLUME_STATE_DIR!, 'report');
    const out = await writeCampaignReport(stack.database, new ArtifactStore(), id, dir);
    const md = readFileSync(out.markdownPath, 'utf8');
    const res = (await stack.database.query('select results from campaigns where id = $1', [id])).rows[0].results as {
      indices: { S1: Record<string, number>; ST: Record<string, number>; S1_conf: Record<string, number>; ST_conf: Record<string, number> };
    };
    for (const p of ['x1', 'x2', 'x3']) {
      const f = (v: number) => formatNumber(v);
      expect(tableRow(md, p)).toEqual([
        [p, f(res.indices.S1[p]), f(res.indices.S1_conf[p]), f(res.indices.ST[p]), f(res.indices.ST_conf[p]), expect.any(String), expect.any(String)],
      ]);
    }
    // Analytic ishigami (a = 7, b = 0.1): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    expect(tableRow(md, 'x1')[0].slice(5)).toEqual(['0.3139', '0.5576']);
    expect(tableRow(md, 'x3')[0].slice(5)).toEqual(['0', '0.2437']);
    expect(md).toContain('| runs | 320 total, 320 completed, 0 failed, 0 cancelled |');
    const svgs = expectFigures(out.markdownPath, out.figures);
    expect(countAttr(svgs.get('sobol-indices')!, 'fill', SERIES_COLORS[0])).toBe(4);

    // The indices are metric rows too: `plume export --what metrics` returns them, as numbers.
    const metrics = JSON.parse((await exportCampaign(stack.database, id, { what: 'metrics', format: 'json' })).bytes.toString()) as Record<string, unknown>[];
    const s1 = metrics.filter((m) => m.name === 'S1');
    expect(s1.map((m) => m.split).sort()).toEqual(['x1', 'x2', 'x3']);
    for (const m of metrics.filter((x) => ['S1', 'ST', 'S1_conf', 'ST_conf'].includes(String(x.name)))) {
      expect(m.value).toBe(res.indices[m.name as 'S1'][String(m.split)]);
    }
    expect(metrics).toHaveLength(12);
  });
});
