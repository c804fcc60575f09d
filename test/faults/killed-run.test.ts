/**
 * Fault: `plume run` (embedded stack: its own Temporal dev server, PGlite, in-process worker) is
 * SIGKILLed mid-campaign, then the same command runs again. The rerun adopts the orphaned dev
 * server, attaches to the interrupted campaign instead of starting a duplicate, finishes it with
 * the spec's exact run count, and leaves no dev server behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { pidAlive } from '../../infra/dev-server-ownership.js';
import { processesMentioning, servedRunCounts, spawnPlume } from '../support/plume-process.js';
import { childEnv, useTestEnv, waitUntil } from '../support/test-stack.js';

describe('SIGKILL of plume run, then the same command', () => {
  it('yields one campaign with exactly 1,500 runs and no orphaned dev server', async () => {
    const env = await useTestEnv();
    const file = path.join(env.stateDir, 'killed.yaml');
    writeFileSync(
      file,
      [
        'kind: sensitivity',
        'name: fault-killed-run',
        'seed: 3',
        'model: { name: ishigami }',
        'samples: 300', // 300 x (3 + 2) = 1,500 runs
        'bootstrap: { resamples: 50 }',
        'execution: { batchSize: 25, maxConcurrentBatches: 2, heartbeatTimeoutSeconds: 2 }',
        '',
      ].join('\n'),
    );
    // Embedded mode: no TEMPORAL_ADDRESS, no DATABASE_URL.
    const e = childEnv(env, { PLUME_BACKEND: 'cpu' });
    delete e.TEMPORAL_ADDRESS;
    delete e.DATABASE_URL;
    const run = () => spawnPlume(['run', file, '--json'], e, env.stateDir);
    const counts = () => servedRunCounts('fault-killed-run');

    const t0 = Date.now();
    const phase = (what: string): void => console.log(`[killed-run] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const first = run();
    await waitUntil(async () => ((await counts().catch(() => null))?.completed ?? 0) >= 300, 120_000, `first run's progress (${first.stderr()})`);
    phase('first run reached 300 runs; SIGKILL');
    first.child.kill('SIGKILL');
    await first.exited;
    const temporal = JSON.parse(readFileSync(path.join(env.stateDir, 'temporal.json'), 'utf8')) as { pid: number; ownerPid: number };
    expect(temporal.ownerPid).toBe(first.child.pid);
    expect(pidAlive(temporal.pid)).toBe(true); // orphaned by the SIGKILL

    const killedAt = Date.now();
    const second = run();
    const code = await second.exited;
    const rerunMs = Date.now() - killedAt;
    phase('rerun exited');
    expect(code, second.stderr()).toBe(0);
    expect(second.stderr()).toMatch(/attached to unfinished campaign/);
    const summary = JSON.parse(second.stdout()) as { id: string; status: string; runs: { total: number; completed: number } };
    expect(summary.status).toBe('completed');
    expect(summary.runs).toMatchObject({ total: 1500, completed: 1500, failed: 0 });

    // The rerun stopped the adopted server: nothing of this state dir is left running.
    await waitUntil(() => !pidAlive(temporal.pid), 15_000, 'the adopted dev server to stop');
    expect(processesMentioning(env.stateDir)).toEqual([]);

    const db = await openDatabase({ migrate: false, serve: false });
    try {
      const c = await db.query(`select count(*)::int as n from campaigns where name = 'fault-killed-run'`);
      expect(c.rows[0].n).toBe(1);
      const runs = await db.query(`select count(*)::int as n, count(distinct run_index)::int as d from runs where campaign_id = $1`, [summary.id]);
      expect(runs.rows[0]).toEqual({ n: 1500, d: 1500 });
      console.log(
        `[fault-table] SIGKILL plume run, same command again | one campaign, exact count, no orphan | ${summary.runs.completed}/1500 (1 campaign) | ${Number(runs.rows[0].n) - Number(runs.rows[0].d)} | rerun finished ${(rerunMs / 1000).toFixed(1)} s after the kill`,
      );
    } finally {
      await db.close();
    }
  }, 240_000);
});
