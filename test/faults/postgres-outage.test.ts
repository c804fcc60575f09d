/**
 * Fault: the PostgreSQL server stops for 60 s in the middle of a 3,000-run campaign. Activities
 * wait the outage out (transient errors, capped backoff, heartbeats), so the campaign completes with
 * every run exactly once. Own Postgres server (the suite's shared one is never stopped), the
 * suite's Temporal dev server, an in-process worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRuns, getCampaign } from '../../db/campaign-store.js';
import { launchCampaign, waitForCampaign } from '../../engine/launcher.js';
import { startPostgresServer, type PostgresServer } from '../../infra/postgres-server.js';
import { registry } from '../../infra/metrics.js';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import type { Stack } from '../../worker/stack.js';
import { openTestStack, useTestEnv, waitUntil } from '../support/test-stack.js';
import { findPostgresBin } from '../../infra/postgres-server.js';

const OUTAGE_MS = 60_000;
let pg: PostgresServer | null = null;
let stack: Stack;

beforeAll(async () => {
  await useTestEnv();
  pg = await startPostgresServer({ database: 'plume_outage' });
  process.env.DATABASE_URL = pg.url;
  stack = await openTestStack({ workerConcurrency: 2 });
});
afterAll(async () => {
  await stack?.close();
  await pg?.stop();
});

describe.skipIf(!findPostgresBin())('Postgres outage mid-campaign', () => {
  it('a 60 s outage loses and duplicates nothing: 3,000/3,000 runs, the campaign completes', async () => {
    // 600 base samples x (3 + 2) = 3,000 runs in 150 batches of 20, one batch at a time.
    const spec = parseCampaignSpec({
      kind: 'sensitivity',
      name: 'fault-pg-outage',
      seed: 5,
      model: { name: 'ishigami' },
      samples: 600,
      bootstrap: { resamples: 50 },
      execution: { batchSize: 20, maxConcurrentBatches: 1, heartbeatTimeoutSeconds: 5 },
    });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    await waitUntil(async () => (await countRuns(stack.database, id)).completed >= 300, 90_000, 'first runs');
    const before = (await countRuns(stack.database, id)).completed;
    await pg!.halt();
    const down = Date.now();
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    const waiting = await registry.getSingleMetricAsString('plume_storage_outage_waiting');
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    await pg!.restart();
    const up = Date.now();
    await waitUntil(async () => ((await countRuns(stack.database, id).catch(() => null))?.completed ?? 0) > before, 60_000, 'progress after the outage');
    const recoveryMs = Date.now() - up;
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect(out.error ?? '').toBe('');
    expect(out.status).toBe('completed');
    const c = await countRuns(stack.database, id);
    expect(c).toMatchObject({ total: 3000, completed: 3000, failed: 0, cancelled: 0, pending: 0, running: 0 });
    const dup = await stack.database.query(
      `select count(*)::int as n, count(distinct run_index)::int as d, (select count(*)::int from campaigns where name = $2) as campaigns from runs where campaign_id = $1`,
      [id, spec.name],
    );
    expect(dup.rows[0]).toEqual({ n: 3000, d: 3000, campaigns: 1 });
    expect((await getCampaign(stack.database, id))?.completedRuns).toBe(3000);
    // The alert metric was raised while the worker waited, and the waits were counted.
    expect(waiting).toMatch(/plume_storage_outage_waiting\{activity="\w+"\} [1-9]/);
    expect(await registry.getSingleMetricAsString('plume_storage_outage_retries_total')).toMatch(
      /plume_storage_outage_retries_total\{activity="\w+",code="\w+"\} [1-9]/,
    );
    expect(before).toBeLessThan(3000);
    console.log(
      `[fault-table] postgres stopped ${Math.round((up - down) / 1000)} s mid-campaign | completes, 0 lost | ${c.completed}/3000 | ${Number(dup.rows[0].n) - Number(dup.rows[0].d)} | ${(recoveryMs / 1000).toFixed(1)} s after restart`,
    );
  }, 240_000);
});
