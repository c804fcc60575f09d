/**
 * The dashboard in Debian's Chromium (playwright-core): launch a campaign through the API (with the
 * token), pause it, open its page, resume it, and watch progress advance and the throughput chart
 * render. Screenshot saved to test-results/dashboard-campaign.png.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { projectRoot } from '../../infra/paths.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'plume-browser-'));
process.env.PLUME_STATE_DIR = path.join(tmp, 'state');
process.env.PLUME_ARTIFACTS = path.join(tmp, 'artifacts');
process.env.PLUME_QUEUE_PREFIX = `browser-${process.pid}-`;
delete process.env.TEMPORAL_ADDRESS;
delete process.env.DATABASE_URL;
const { openStack } = await import('../../worker/stack.js');
const { startDashboard } = await import('../../dashboard/server.js');

const TOKEN = 'browser-test-token';
let stack: Awaited<ReturnType<typeof openStack>>;
let dash: Awaited<ReturnType<typeof startDashboard>>;
let browser: BrowserContext;

const api = async (p: string, method = 'GET', body?: unknown) => {
  const res = await fetch(`${dash.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  stack = await openStack({ workers: ['cpu'], metricsPort: null });
  dash = await startDashboard({ port: 0, stack, token: TOKEN });
  browser = await launchChromium(tmp);
});

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await stack?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
  it('shows a running campaign advancing, with a rendered chart', async () => {
    expect(dash.host).toBe('127.0.0.1');
    const launched = await api('/api/campaigns', 'POST', {
      spec: { kind: 'sensitivity', name: 'browser watch', seed: 11, model: { name: 'ishigami' }, samples: 1500 },
    });
    expect(launched.status).toBe(201);
    const id = String(launched.body.id);
    // Pause once the workflow runs, so the page opens before the work is done.
    const paused = await api(`/api/campaigns/${id}/pause`, 'POST');
    expect(paused.status).toBe(202);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${dash.url}/#/`);
    await page.locator(`#campaigns tr[data-id="${id}"]`).waitFor({ timeout: 15_000 });
    await page.click(`#campaigns tr[data-id="${id}"] a`);
    await page.locator('#progress-total').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#temporal-link').getAttribute('href')).toMatch(new RegExp(`/workflows/campaign-${id}$`));
    const before = Number(await page.locator('#progress-done').textContent());

    expect((await api(`/api/campaigns/${id}/resume`, 'POST')).status).toBe(202);
    await page.waitForFunction((b) => Number(document.getElementById('progress-done')?.textContent) > b, before, { timeout: 30_000 });
    await page.locator('#chart-throughput[data-rendered="1"] canvas').waitFor({ timeout: 15_000 });
    await page.locator('#chart-progress[data-rendered="1"] canvas').waitFor({ timeout: 15_000 });
    const after = Number(await page.locator('#progress-done').textContent());
    expect(after).toBeGreaterThan(before);
    await mkdir(path.join(projectRoot(), 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(projectRoot(), 'test-results', 'dashboard-campaign.png'), fullPage: true });

    // Cancel what is left (or learn it already finished), and the page shows a final status.
    const cancel = await api(`/api/campaigns/${id}/cancel`, 'POST');
    expect([202, 409]).toContain(cancel.status);
    await page
      .locator('h1 .badge')
      .filter({ hasText: /completed|cancelled/ })
      .waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  });
});
