/**
 * The fan-out engine against the real Temporal dev server and real databases: exact run counts,
 * continue-as-new, cancellation, pause/resume, retry of failed runs, and a worker process killed
 * mid-campaign.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { Client, Connection } from '@temporalio/client';
import { findServedEmbedded, openDatabase } from '../../db/client.js';
import { countRuns, getCampaign } from '../../db/campaign-store.js';
import { cancelCampaign, campaignProgress, launchCampaign, pauseCampaign, retryFailedRuns, waitForCampaign } from '../../engine/launcher.js';
import type { Stack } from '../../worker/stack.js';
import { projectRoot } from '../../infra/paths.js';
import { childEnv, openTestStack, useTestEnv, waitUntil, type TestEnv } from '../support/test-stack.js';

function ishigamiSpec(name: string, samples: number, execution: Record<string, unknown> = {}) {
  return parseCampaignSpec({
    kind: 'sensitivity',
    name,
    seed: 11,
    model: { name: 'ishigami' },
    samples,
    bootstrap: { resamples: 200 },
    execution: { batchSize: 100, maxConcurrentBatches: 4, heartbeatTimeoutSeconds: 5, ...execution },
  });
}

async function workflowRuns(stack: Stack, workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
}

for (const driver of ['pglite', 'postgres'] as const) {
  describe(`campaign engine on ${driver}`, () => {
    let env: TestEnv;
    let stack: Stack;

    beforeAll(async () => {
      env = await useTestEnv({ postgres: driver === 'postgres' });
      stack = await openTestStack();
      expect(stack.database.engine).toBe(driver);
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('runs a 2,000-run sensitivity campaign to exactly 2,000 completed runs, with continue-as-new', async () => {
      // 400 base samples x (3 + 2) = 2,000 runs in 100 batches of 20; 25 batches per execution.
      const spec = ishigamiSpec('engine-2000', 400, { batchSize: 20, batchesPerExecution: 25, maxConcurrentBatches: 6 });
      const { id, workflowId } = await launchCampaign(stack.client, stack.database, spec);
      const out = await waitForCampaign(stack.client, stack.database, id);
      expect(out.status).toBe('completed');
      const counts = await countRuns(stack.database, id);
      expect(counts).toMatchObject({ total: 2000, completed: 2000, failed: 0, cancelled: 0 });
      const distinct = await stack.database.query(
        'select count(distinct run_index)::int as n, min(run_index)::int as lo, max(run_index)::int as hi from runs where campaign_id = $1',
        [id],
      );
      expect(distinct.rows[0]).toEqual({ n: 2000, lo: 0, hi: 1999 });
      const row = await getCampaign(stack.database, id);
      expect(row?.completedRuns).toBe(2000);
      const S1 = (row?.results as { indices: { S1: Record<string, number> } }).indices.S1;
      expect(Math.abs(S1.x2 - 0.4424)).toBeLessThan(0.1);
      // 100 batches at 25 per execution: at least 4 executions of the same workflow id.
      expect(await workflowRuns(stack, workflowId)).toBeGreaterThanOrEqual(4);
    });

    it('cancels mid-way and marks unfinished runs cancelled', async () => {
      const spec = ishigamiSpec('engine-cancel', 100, { batchSize: 10, maxConcurrentBatches: 1 });
      const { id } = await launchCampaign(stack.client, stack.database, spec);
      await waitUntil(async () => (await countRuns(stack.database, id)).completed >= 50, 60_000, 'first runs');
      await cancelCampaign(stack.client, stack.database, id);
      const out = await waitForCampaign(stack.client, stack.database, id);
      expect(out.status).toBe('cancelled');
      await waitUntil(async () => (await getCampaign(stack.database, id))?.status === 'cancelled', 30_000, 'cancelled status');
      const c = await countRuns(stack.database, id);
      expect(c.total).toBe(500);
      expect(c.cancelled).toBeGreaterThan(0);
      expect(c.completed + c.cancelled).toBe(500);
      expect(c.pending + c.running).toBe(0);

      // Retrying the cancelled runs completes the campaign with every run exactly once.
      await retryFailedRuns(stack.client, stack.database, id);
      await waitUntil(async () => (await getCampaign(stack.database, id))?.status === 'completed', 120_000, 'retry to complete');
      expect(await countRuns(stack.database, id)).toMatchObject({ total: 500, completed: 500, cancelled: 0 });
    });

    if (driver === 'pglite') {
      it('pauses and resumes', async () => {
        const spec = ishigamiSpec('engine-pause', 60, { batchSize: 5, maxConcurrentBatches: 1 });
        const { id } = await launchCampaign(stack.client, stack.database, spec);
        await waitUntil(async () => (await countRuns(stack.database, id)).completed >= 20, 60_000, 'first runs');
        await pauseCampaign(stack.client, stack.database, id, true);
        expect((await getCampaign(stack.database, id))?.status).toBe('paused');
        await new Promise((r) => setTimeout(r, 1500)); // let the in-flight batch finish
        const before = (await countRuns(stack.database, id)).completed;
        await new Promise((r) => setTimeout(r, 2000));
        expect((await countRuns(stack.database, id)).completed).toBe(before);
        expect((await campaignProgress(stack.client, stack.database, id))?.paused).toBe(true);
        await pauseCampaign(stack.client, stack.database, id, false);
        const out = await waitForCampaign(stack.client, stack.database, id);
        expect(out.status).toBe('completed');
        expect((await countRuns(stack.database, id)).completed).toBe(300);
      });
    }

    it('finishes on a new worker process after the first one is killed mid-campaign', async () => {
      // Two `plume worker` processes take turns; this process hosts no worker and, after the
      // launch, holds no database connection: with PGlite the worker process owns the embedded
      // database, so killing it is the embedded crash case (the next worker recovers the data dir).
      const spec = ishigamiSpec('engine-kill', 400, { batchSize: 10, maxConcurrentBatches: 2 });
      const { id, workflowId } = await launchCampaign(stack.client, stack.database, spec);
      await stack.close();
      const connection = await Connection.connect({ address: env.temporalAddress });
      const client = new Client({ connection });
      // Never become the embedded database's owner here: only read through a worker's socket.
      const openReader = async () => {
        if (driver === 'postgres') return openDatabase({ migrate: false });
        const url = await findServedEmbedded();
        if (!url) throw new Error('no worker serves the embedded database yet');
        return openDatabase({ url, migrate: false });
      };
      const counts = async () => {
        const db = await openReader();
        try {
          return await countRuns(db, id);
        } finally {
          await db.close();
        }
      };
      const plume = path.join(projectRoot(), 'bin', 'plume.mjs');
      const startWorkerProcess = (): ChildProcess =>
        spawn(process.execPath, [plume, 'worker', '--queue', 'cpu', '--concurrency', '2', '--metrics-port', '0'], {
          env: childEnv(env, { PLUME_BACKEND: 'cpu' }),
          stdio: ['ignore', 'ignore', 'pipe'],
        });
      const first = startWorkerProcess();
      let stderr = '';
      first.stderr?.on('data', (d) => (stderr += String(d)));
      await waitUntil(async () => (await counts().catch(() => ({ completed: 0 }))).completed >= 300, 180_000, `first worker progress (${stderr})`);
      first.kill('SIGKILL');
      await new Promise<void>((r) => (first.exitCode !== null ? r() : first.once('exit', () => r())));
      const second = startWorkerProcess();
      try {
        const handle = client.workflow.getHandle(workflowId);
        const out = (await handle.result()) as { status: string; error?: string };
        expect(out.error ?? '').toBe('');
        expect(out.status).toBe('completed');
        await waitUntil(async () => (await counts().catch(() => ({ completed: 0 }))).completed === 2000, 30_000, 'final counts');
        const c = await counts();
        expect(c).toMatchObject({ total: 2000, completed: 2000, failed: 0 });
        const db = await openReader();
        try {
          const workers = await db.query('select count(distinct worker)::int as n from runs where campaign_id = $1', [id]);
          expect(Number(workers.rows[0].n)).toBe(2);
        } finally {
          await db.close();
        }
      } finally {
        second.kill('SIGTERM');
        await new Promise<void>((r) => (second.exitCode !== null ? r() : second.once('exit', () => r())));
        await connection.close();
      }
    }, 420_000);
  });
}

describe('plume CLI input errors', () => {
  it('exits 2 and names the field for an invalid spec, writing nothing', async () => {
    const env = await useTestEnv();
    const { writeFileSync } = await import('node:fs');
    const file = path.join(env.stateDir, 'bad.yaml');
    writeFileSync(file, 'kind: sensitivity\nname: bad\nmodel:\n  name: ishigami\nsamples: 4\nexecution:\n  queue: tpu\n');
    const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'plume.mjs'), 'run', file, '--json'], {
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('samples');
    expect(err).toContain('execution.queue');
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(env.stateDir, 'pgdata'))).toBe(false);
  });
});
