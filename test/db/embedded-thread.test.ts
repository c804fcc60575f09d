/**
 * The embedded database in a thread of its own (`thread: true`, PLUME_DB_THREAD=1;
 * db/embedded-thread.ts): a long statement does not stall the event loop of the process that
 * opened it (its Temporal worker's), a data dir PGlite cannot open fails the open with an error
 * naming it, and a process that opens and closes the database exits (no thread left running).
 * Served either way, concurrent connections' statements do not mix.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../db/client.js';

let tmp: string;
let database: Database;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'plume-db-thread-'));
  database = await openDatabase({ dataDir: 'memory://', thread: true });
});
afterAll(async () => {
  await database?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs a statement while a 5 ms timer ticks on this thread; the longest gap between ticks. */
async function statementWithTimer(sql: string, params: unknown[]): Promise<{ statementMs: number; longestGapMs: number }> {
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  try {
    await database.query(sql, params);
  } finally {
    clearInterval(timer);
  }
  const end = performance.now();
  // The gap still open when the statement returns counts too (a blocked loop never ticks).
  return { statementMs: end - t0, longestGapMs: Math.max(longestGapMs, end - last) };
}

describe('embedded database thread', () => {
  it('keeps the event loop free while a long statement runs', async () => {
    // CPU-bound work in PGlite, made long enough to tell a blocked loop from a free one.
    const sql = `select count(distinct md5(i::text)) as n from generate_series(1, $1::int) i`;
    let rows = 50_000;
    let m = await statementWithTimer(sql, [rows]);
    while (m.statementMs < 800 && rows < 10_000_000) {
      rows *= 4;
      m = await statementWithTimer(sql, [rows]);
    }
    expect(m.statementMs).toBeGreaterThanOrEqual(800);
    // On the main thread the timer would wait for the whole statement.
    expect(m.longestGapMs).toBeLessThan(m.statementMs / 2);
    const r = await database.query(`select count(*)::int as n from generate_series(1, $1::int)`, [rows]);
    expect(r.rows).toEqual([{ n: rows }]);
  });

  it.each([false, true])("concurrent connections' statements do not mix (PGlite has one session for all of them; thread %s)", async (thread) => {
    const served = await openDatabase({ dataDir: path.join(tmp, `served-${thread}`, 'pgdata'), thread });
    // Another process's pool: four connections to the socket, statements with parameters in flight together.
    const url = new URL(served.url ?? '');
    expect(url.protocol).toBe('postgres:');
    const other = postgres('postgres://postgres@localhost/postgres', {
      path: path.join(url.searchParams.get('host')!, '.s.PGSQL.5432'),
      max: 4,
      prepare: false,
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 2
            ? other.unsafe<{ x: unknown }[]>('select $1::int + 1 as x', [i])
            : other.unsafe<{ x: unknown }[]>(`select $1::text || '!' as x, 2 as y`, [String(i)]),
        ),
      );
      expect(answers.map((r) => r[0].x)).toEqual(Array.from({ length: 200 }, (_, i) => (i % 2 ? i + 1 : `${i}!`)));
    } finally {
      await other.end();
      await served.close();
    }
  });

  it('a data dir PGlite cannot open fails the open with an error naming it', async () => {
    const dataDir = path.join(tmp, 'corrupt', 'pgdata');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'PG_VERSION'), 'not a version\n');
    await expect(openDatabase({ dataDir, serve: false, thread: true })).rejects.toThrow(`the embedded database in ${dataDir}: `);
  });

  it('a process that opens, uses and closes the embedded database exits', () => {
    const client = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/client.ts');
    const dataDir = path.join(tmp, 'child', 'pgdata');
    const script = `
      import { openDatabase } from ${JSON.stringify(client)};
      const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)}, thread: true });
      const r = await db.query('select count(*)::int as n from campaigns');
      console.log('campaigns ' + r.rows[0].n);
      await db.close();`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PLUME_STATE_DIR: path.join(tmp, 'child') },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('campaigns 0');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });
});
