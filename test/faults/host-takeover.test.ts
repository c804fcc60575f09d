/**
 * Fault: two `plume run` in one embedded state dir. The first serves the database and the dev
 * server; the second borrows them. The first then exits (SIGTERM, its services stop with it) while
 * the second's campaign runs: the second takes the services over and finishes its campaign with
 * the spec's exact run count, then leaves nothing of the state dir running. Then the same for
 * `plume retry --failed --wait` of the first's interrupted campaign beside a third `plume run`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { pidAlive } from '../../infra/dev-server-ownership.js';
import { processesMentioning, servedRunCounts, spawnPlume, type PlumeChild } from '../support/plume-process.js';
import { childEnv, useTestEnv, waitUntil } from '../support/test-stack.js';

function sensitivitySpec(name: string, samples: number): string {
  return [
    'kind: sensitivity',
    `name: ${name}`,
    'seed: 5',
    'model: { name: ishigami }',
    `samples: ${samples}`, // samples x (3 + 2) runs
    'bootstrap: { resamples: 20 }',
    'execution: { batchSize: 25, maxConcurrentBatches: 2, heartbeatTimeoutSeconds: 2 }',
    '',
  ].join('\n');
}

/** Wait until the campaign `name` that `proc` runs has completed 100 runs. */
async function startedRuns(name: string, proc: PlumeChild): Promise<void> {
  const completed = async (): Promise<number> => (await servedRunCounts(name).catch(() => null))?.completed ?? 0;
  await waitUntil(async () => (await completed()) >= 100, 120_000, `${name}'s progress (${proc.stderr()})`);
}

describe('the plume run serving a state dir exits while another runs there', () => {
  it('the other takes over its database and dev server and finishes with the exact run count', async () => {
    const env = await useTestEnv();
    const hostFile = path.join(env.stateDir, 'host.yaml');
    const guestFile = path.join(env.stateDir, 'guest.yaml');
    writeFileSync(hostFile, sensitivitySpec('fault-host', 6000)); // 30,000 runs: left unfinished, then retried
    writeFileSync(guestFile, sensitivitySpec('fault-guest', 1200)); // 6,000 runs
    const e = childEnv(env, { PLUME_BACKEND: 'cpu' });
    delete e.TEMPORAL_ADDRESS;
    delete e.DATABASE_URL;

    const host = spawnPlume(['run', hostFile, '--json'], e, env.stateDir);
    await startedRuns('fault-host', host);
    const guest = spawnPlume(['run', guestFile, '--json'], e, env.stateDir);
    await startedRuns('fault-guest', guest);
    const before = await servedRunCounts('fault-guest');
    expect(before!.completed).toBeLessThan(6000); // still running when its host goes

    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(143);
    expect(host.stderr()).toMatch(/SIGTERM: campaign .* left unfinished/);

    const code = await guest.exited;
    expect(code, guest.stderr()).toBe(0);
    expect(guest.stderr()).toMatch(new RegExp(`the Plume process that served this state \\(pid ${host.child.pid}\\) has exited; taking over`));
    const summary = JSON.parse(guest.stdout()) as { id: string; status: string; runs: { total: number; completed: number; failed: number } };
    expect(summary.status).toBe('completed');
    expect(summary.runs).toMatchObject({ total: 6000, completed: 6000, failed: 0 });

    // The guest stopped the dev server it started on taking over: nothing of this state dir runs.
    await waitUntil(() => processesMentioning(env.stateDir).length === 0, 15_000, 'no process of the state dir left');
    expect(pidAlive(host.child.pid!)).toBe(false);
    const db = await openDatabase({ migrate: false, serve: false });
    try {
      const c = await db.query(`select name, status, total_runs from campaigns order by name`);
      expect(c.rows).toEqual([
        { name: 'fault-guest', status: 'completed', total_runs: 6000 },
        { name: 'fault-host', status: 'running', total_runs: 30000 }, // left resumable by its SIGTERM
      ]);
      const runs = await db.query(`select count(*)::int as n, count(distinct run_index)::int as d from runs where campaign_id = $1`, [summary.id]);
      expect(runs.rows[0]).toEqual({ n: 6000, d: 6000 });
    } finally {
      await db.close();
    }

    // `plume retry --failed --wait` of the host's interrupted campaign, beside another `plume run`
    // that serves the state and then exits: the retry takes over too and finishes that campaign.
    const ownerFile = path.join(env.stateDir, 'owner.yaml');
    writeFileSync(ownerFile, sensitivitySpec('fault-owner', 4000));
    const owner = spawnPlume(['run', ownerFile, '--json'], e, env.stateDir);
    await startedRuns('fault-owner', owner);
    const hostId = (await servedRunCounts('fault-host'))!.id;
    // Without --json it says when it follows the campaign (which the owner's worker has resumed).
    const retry = spawnPlume(['retry', hostId, '--failed', '--wait'], e, env.stateDir);
    await waitUntil(() => /is still running: following it/.test(retry.stderr()), 60_000, `the retry to follow the campaign (${retry.stderr()})`);
    expect((await servedRunCounts('fault-host'))!.completed).toBeLessThan(30000);
    owner.child.kill('SIGTERM');
    expect(await owner.exited).toBe(143);
    expect(await retry.exited, retry.stderr()).toBe(0);
    expect(retry.stderr()).toMatch(
      new RegExp(`the Plume process that served this state \\(pid ${owner.child.pid}\\) has exited; taking over .* campaign ${hostId}`),
    );
    expect(retry.stdout()).toMatch(/completed/);
    await waitUntil(() => processesMentioning(env.stateDir).length === 0, 15_000, 'no process of the state dir left after the retry');
    const db2 = await openDatabase({ migrate: false, serve: false });
    try {
      const c = await db2.query(`select status, completed_runs from campaigns where id = $1`, [hostId]);
      expect(c.rows[0]).toEqual({ status: 'completed', completed_runs: 30000 });
      const runs = await db2.query(`select count(*)::int as n, count(distinct run_index)::int as d from runs where campaign_id = $1 and status = 'completed'`, [
        hostId,
      ]);
      expect(runs.rows[0]).toEqual({ n: 30000, d: 30000 });
    } finally {
      await db2.close();
    }
  }, 420_000);
});
