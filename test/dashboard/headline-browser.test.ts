/**
 * Each kind's headline on its dashboard page, in Debian's Chromium (playwright-core): the
 * sensitivity page shows S1/ST for x1-x3, the pipeline page links its three stages, the upscale
 * page shows the validation R², and the action buttons appear only when they can act (no Pause on
 * a completed campaign, none at all on a read-only server). Campaign rows are inserted (tiny,
 * no Temporal needed); /docs serves Swagger UI.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { insertCampaign } from '../support/report-fixture.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'plume-headline-'));
process.env.PLUME_ARTIFACTS = path.join(tmp, 'artifacts');
process.env.PLUME_STATE_DIR = path.join(tmp, 'state');
const { openDatabase } = await import('../../db/client.js');
const { ArtifactStore } = await import('../../artifacts/store.js');
const { startDashboard } = await import('../../dashboard/server.js');

let database: Awaited<ReturnType<typeof openDatabase>>;
let dash: Awaited<ReturnType<typeof startDashboard>>;
let readOnly: Awaited<ReturnType<typeof startDashboard>>;
let browser: BrowserContext;
const errors: string[] = [];

const sobol = {
  model: 'ishigami',
  parameters: ['x1', 'x2', 'x3'],
  evaluations: 320,
  bootstrap: { resamples: 100, confidence: 0.95 },
  indices: {
    S1: { x1: 0.3121, x2: 0.4435, x3: -0.0042 },
    ST: { x1: 0.5512, x2: 0.4478, x3: 0.2401 },
    S1_conf: { x1: 0.05, x2: 0.04, x3: 0.03 },
    ST_conf: { x1: 0.03, x2: 0.02, x3: 0.01 },
  },
};

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const stack = { database, store: new ArtifactStore(), temporalUiUrl: null, client: null };
  dash = await startDashboard({ port: 0, stack, token: 'headline-token' });
  readOnly = await startDashboard({ port: 0, stack, token: null });
  await insertCampaign(database, { id: 'sens', kind: 'sensitivity', name: 'ishigami', results: sobol, totalRuns: 320, completedRuns: 320 });
  await insertCampaign(database, { id: 'busy', kind: 'sensitivity', name: 'still running', status: 'running', finishedAt: null, totalRuns: 320 });
  await insertCampaign(database, {
    id: 'up',
    kind: 'upscale',
    name: 'mc',
    results: {
      scenarios: 40,
      arch: 'optimal_mlp',
      validation: { scenarios: 4, runIndices: [0, 1, 2, 3], variables: { B: { r2_whole: 0.9731, rmse: 0.012, mae: 0.008 } }, quantities: {} },
      distributions: { peakB: { n: 40, quantiles: { p05: 1, p25: 2, p50: 3, p75: 4, p95: 5 }, exceedance: { threshold: 4.5, probability: 0.1 } } },
    },
  });
  const stat = (mean: number) => ({ mean, std: 0.01, n: 2 });
  await insertCampaign(database, {
    id: 'tr',
    kind: 'train',
    name: 'models',
    results: {
      variables: ['B'],
      models: 4,
      repeats: 2,
      table: { B: { interpolation: { mse: stat(62), r2_whole: stat(-39.2) }, optimal_mlp: { mse: stat(1.44), r2_whole: stat(0.0668) } } },
    },
  });
  await insertCampaign(database, { id: 'pipe', kind: 'pipeline', name: 'quickstart', spec: { kind: 'pipeline', name: 'quickstart', stages: [{}, {}, {}] } });
  for (const [k, kind] of ['dataset', 'train', 'upscale'].entries()) {
    await insertCampaign(database, { id: `pipe-${kind}`, kind, name: kind, parentId: 'pipe', createdAt: new Date(Date.UTC(2025, 0, 1, 0, k)) });
  }
  browser = await launchChromium(tmp);
});

afterAll(async () => {
  await browser?.close();
  await readOnly?.close();
  await dash?.close();
  await database?.close();
  await rm(tmp, { recursive: true, force: true });
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

const cells = (page: Page, table: string) =>
  page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));

describe('dashboard headlines in Chromium', () => {
  it('sensitivity: S1 and ST of x1-x3; no Pause, Resume or Cancel on a completed campaign', async () => {
    const page = await open(`${dash.url}/#/campaigns/sens`);
    await page.locator('#headline-sobol').waitFor({ timeout: 45_000 });
    const rows = await cells(page, '#headline-sobol');
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['x1', '0.3121', '0.05', '0.5512', '0.03'],
      ['x2', '0.4435', '0.04', '0.4478', '0.02'],
      ['x3', '-0.0042', '0.03', '0.2401', '0.01'],
    ]);
    await page.locator('#progress-total').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 45_000 });
    expect(await page.locator('#actions button').count()).toBe(0);
    // The report's Sobol bar chart, drawn by the report's figure code.
    await page.locator('#report-figures img').first().waitFor({ timeout: 90_000 });
    expect(await page.locator('#report-figures figcaption').first().textContent()).toMatch(/S1.*ST.*Sobol/);
    expect(
      await page
        .locator('#report-figures img')
        .first()
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    ).toBe(true);
    await page.close();
  });

  it('buttons only where they can act: Pause and Cancel on a running campaign, none on a read-only server', async () => {
    const page = await open(`${dash.url}/#/campaigns/busy`);
    await page.locator('#actions button[data-act="pause"]').waitFor({ timeout: 45_000 });
    expect(await page.locator('#actions button').evaluateAll((b) => b.map((x) => x.getAttribute('data-act')))).toEqual(['pause', 'cancel']);
    const ro = await open(`${readOnly.url}/#/campaigns/busy`);
    await ro
      .locator('#actions')
      .filter({ hasText: /read-only/ })
      .waitFor({ timeout: 45_000 });
    expect(await ro.locator('#actions button').count()).toBe(0);
    await page.close();
    await ro.close();
  });

  it('pipeline: links its three stages, in order, to their pages', async () => {
    const page = await open(`${dash.url}/#/campaigns/pipe`);
    await page.locator('a.stage-link').nth(2).waitFor({ timeout: 45_000 });
    const links = await page.locator('a.stage-link').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['stage 1/3 dataset "dataset"', '#/campaigns/pipe-dataset'],
      ['stage 2/3 train "train"', '#/campaigns/pipe-train'],
      ['stage 3/3 upscale "upscale"', '#/campaigns/pipe-upscale'],
    ]);
    await page.locator('a.stage-link').nth(1).click();
    await page.locator('h1').filter({ hasText: 'train' }).waitFor({ timeout: 45_000 });
    await page.close();
  });

  it('upscale: validation R² against the 10x simulations', async () => {
    const page = await open(`${dash.url}/#/campaigns/up`);
    await page.locator('#headline-validation').waitFor({ timeout: 45_000 });
    expect(await page.locator('#headline-validation thead th').allTextContents()).toEqual(['variable', 'R²', 'RMSE', 'MAE']);
    expect(await cells(page, '#headline-validation')).toEqual([['B', '0.9731', '0.012', '0.008']]);
    expect((await cells(page, '#headline-exceedance'))[0]).toEqual(['peakB', '4.5', '10.0%', '3', '5']);
    await page.close();
  });

  it('train: two models side by side', async () => {
    const page = await open(`${dash.url}/#/campaigns/tr`);
    await page.locator('#compare-table tbody tr').nth(1).waitFor({ timeout: 45_000 });
    const rows = await page
      .locator('#compare-table tr')
      .evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll('th,td')].map((c) => c.textContent?.trim() ?? '')));
    expect(rows[0]).toEqual(['', 'B · Interpolation', 'B · Optimal MLP']);
    expect(rows.find((r) => r[0] === 'R² whole')).toEqual(['R² whole', '-39.2 ± 0.01', '0.0668 ± 0.01']);
    await page.close();
  });

  it('serves Swagger UI at /docs, and the page had no script errors', async () => {
    const res = await fetch(`${dash.url}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/swagger/i);
    expect(errors).toEqual([]);
  });
});
