/**
 * An embedded campaign that failed is finished with one command: `plume retry ID --failed --wait`
 * starts the embedded stack itself (as `plume run` does) when no `plume dev` serves the state,
 * re-runs the unfinished runs and prints the summary. Without --wait it says how. A campaign still
 * 'running' on record whose process was killed is continued the same way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refreshCounts } from '../../db/campaign-store.js';
import { openDatabase } from '../../db/client.js';
import { runPlumeCli } from '../support/plume-cli.js';
import { useTestEnv } from '../support/test-stack.js';

const EMBEDDED = { unset: ['TEMPORAL_ADDRESS', 'DATABASE_URL'] };

describe('plume retry on the embedded stack', () => {
  it('re-runs a failed campaign in its own process with --wait', async () => {
    const env = await useTestEnv();
    const file = path.join(env.stateDir, 'specs', 'retry.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'kind: sensitivity\nname: embedded-retry\nseed: 4\nmodel: { name: ishigami }\nsamples: 40\nbootstrap: { resamples: 20 }\n');
    const run = await runPlumeCli(env, ['run', file, '--json'], EMBEDDED);
    expect(run.code, run.err).toBe(0);
    const { id } = JSON.parse(run.out) as { id: string };

    // What a failure leaves (see failed-campaign.test.ts): 150 of 200 runs failed, the campaign failed.
    const db = await openDatabase();
    try {
      await db.query(`update runs set status = 'failed', output = null, error = 'not run: worker lost' where campaign_id = $1 and run_index >= 50`, [id]);
      await refreshCounts(db, id);
      await db.query(`update campaigns set status = 'failed', error = 'batch failed' where id = $1`, [id]);
    } finally {
      await db.close();
    }

    const refused = await runPlumeCli(env, ['retry', id, '--failed'], EMBEDDED);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/add --wait to re-run the campaign in this process/);

    const retried = await runPlumeCli(env, ['retry', id, '--failed', '--wait', '--json'], EMBEDDED);
    expect(retried.code, retried.err).toBe(0);
    const summary = JSON.parse(retried.out) as { status: string; runs: { total: number; completed: number; failed: number } };
    expect(summary.status).toBe('completed');
    expect(summary.runs).toMatchObject({ total: 200, completed: 200, failed: 0 });

    // What a killed process leaves (a reboot mid-campaign): the campaign still 'running' on
    // record, its remaining runs pending, no workflow serving it. retry --wait continues it.
    const db2 = await openDatabase();
    try {
      await db2.query(`update runs set status = 'pending', output = null where campaign_id = $1 and run_index >= 120`, [id]);
      await refreshCounts(db2, id);
      await db2.query(`update campaigns set status = 'running', finished_at = null where id = $1`, [id]);
    } finally {
      await db2.close();
    }
    const stalled = await runPlumeCli(env, ['status', id], EMBEDDED);
    expect(stalled.code, stalled.err).toBe(0);
    expect(stalled.err).toMatch(/not progressing; continue it with `plume retry .* --failed --wait`/);
    const continued = await runPlumeCli(env, ['retry', id, '--failed', '--wait', '--json'], EMBEDDED);
    expect(continued.code, continued.err).toBe(0);
    const after = JSON.parse(continued.out) as { status: string; runs: { total: number; completed: number; failed: number } };
    expect(after.status).toBe('completed');
    expect(after.runs).toMatchObject({ total: 200, completed: 200, failed: 0 });
    expect((await runPlumeCli(env, ['status', id], EMBEDDED)).err).not.toMatch(/not progressing/);
    const check = await openDatabase();
    try {
      const { rows } = await check.query(`select count(*)::int as n from runs where campaign_id = $1 and status = 'completed' and output is not null`, [id]);
      expect(rows[0]?.n).toBe(200);
    } finally {
      await check.close();
    }
  }, 240_000);
});
