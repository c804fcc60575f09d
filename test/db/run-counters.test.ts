/**
 * The batch activity's writes (db/campaign-store.ts): one load per batch, results that move the
 * campaign's counters by what they changed (no count over the campaign's rows), idempotent when a
 * batch is written twice, and exact when runs fail, are retried or are marked running first. On
 * embedded PGlite and on a PostgreSQL server (the result upsert differs: PGlite returns each row's
 * previous status itself, a server reads and locks the batch's rows first).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import {
  countRuns,
  getCampaign,
  insertCampaign,
  insertRuns,
  loadBatchRuns,
  markRunsRunning,
  recordRunResults,
  updateCampaign,
  type RunResultWrite,
} from '../../db/campaign-store.js';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { useTestEnv } from '../support/test-stack.js';

let database: Database;
const spec = parseCampaignSpec({ kind: 'sensitivity', name: 'counters', seed: 1, model: { name: 'ishigami' }, samples: 16 });

afterEach(async () => database?.close());
async function counters(id: string): Promise<{ completed: number; failed: number }> {
  const row = await getCampaign(database, id);
  return { completed: row!.completedRuns, failed: row!.failedRuns };
}

const done = (i: number): RunResultWrite => ({ runIndex: i, status: 'completed', output: { y: i }, durationMs: 1 });
const broke = (i: number): RunResultWrite => ({ runIndex: i, status: 'failed', error: 'boom', durationMs: 1 });

describe.each(['pglite', 'postgres'] as const)('run counters (%s)', (driver) => {
  it('count each finished run once, through duplicates, failures, retries and marking', async () => {
    database =
      driver === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await openDatabase({ url: (await useTestEnv({ postgres: true })).databaseUrl! });
    expect(database.engine).toBe(driver);
    const id = 'counters-1';
    await insertCampaign(database, { id, spec });
    await insertRuns(
      database,
      id,
      Array.from({ length: 10 }, (_, i) => ({ x: i })),
    );
    await updateCampaign(database, id, { totalRuns: 10 });
    const batch = await loadBatchRuns(database, id, [0, 1, 2, 3, 4]);
    expect(batch.done).toBe(0);
    expect(batch.todo.map((r) => r.runIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(batch.todo[2].params).toEqual({ x: 2 });

    const t0 = new Date();
    const c1 = await recordRunResults(database, id, [done(0), done(1), done(2), broke(3)], 'w1', 'cpu', t0);
    expect(c1).toEqual({ total: 10, completed: 3, failed: 1 });
    // The same results again (a second attempt of the batch): nothing changes or counts twice.
    expect(await recordRunResults(database, id, [done(0), done(1), done(2)], 'w2', 'cpu', t0)).toEqual({ total: 10, completed: 3, failed: 1 });
    const row1 = await database.query('select worker, attempt, started_at from runs where campaign_id = $1 and run_index = 1', [id]);
    expect(row1.rows[0]).toMatchObject({ worker: 'w1', attempt: 1 });
    expect(row1.rows[0].started_at).not.toBeNull();

    // The failed run is retried: marked running it leaves the failed count, its result counts.
    expect((await loadBatchRuns(database, id, [0, 1, 2, 3, 4])).done).toBe(3);
    await markRunsRunning(database, id, [3, 4], 'w3', 'cpu');
    expect(await counters(id)).toEqual({ completed: 3, failed: 0 });
    expect((await countRuns(database, id)).running).toBe(2);
    expect(
      await recordRunResults(
        database,
        id,
        [
          { ...done(3), marked: true },
          { ...done(4), marked: true },
        ],
        'w3',
        'cpu',
        t0,
      ),
    ).toMatchObject({ completed: 5, failed: 0 });
    const row3 = await database.query('select attempt from runs where campaign_id = $1 and run_index = 3', [id]);
    expect(row3.rows[0].attempt).toBe(2);

    // A failed run written again without marking (an intermediate stage's failure, then the last stage's).
    await recordRunResults(database, id, [broke(5)], 'w1', 'cpu', t0);
    await recordRunResults(database, id, [broke(5)], 'w1', 'cpu', t0);
    expect(await counters(id)).toEqual({ completed: 5, failed: 1 });
    await recordRunResults(database, id, [done(5)], 'w1', 'cpu', t0);
    expect(await counters(id)).toEqual({ completed: 6, failed: 0 });

    // A cancelled run keeps its status when a late result arrives.
    await database.query(`update runs set status = 'cancelled' where campaign_id = $1 and run_index = 6`, [id]);
    await recordRunResults(database, id, [done(6)], 'w1', 'cpu', t0);
    const c = await countRuns(database, id);
    expect(c).toMatchObject({ completed: 6, failed: 0, cancelled: 1, pending: 3 });
    expect(await counters(id)).toEqual({ completed: c.completed, failed: c.failed });
  });
});
