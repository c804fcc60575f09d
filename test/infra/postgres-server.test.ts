/**
 * `plume query` and `plume export` on a real PostgreSQL server: the read-only path uses the
 * `plume_reader` role and the server's statement timeout, and refusals change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { exportCampaign } from '../../db/export.js';
import { QueryRefusedError, runReadOnlyQuery } from '../../db/read-only-query.js';
import { useTestEnv } from '../support/test-stack.js';

let database: Database;

async function fingerprint(): Promise<string> {
  const r = await database.query(`select count(*)::int as n, coalesce(sum(run_index), 0)::int as s from runs`);
  const t = await database.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
  return JSON.stringify([r.rows, t.rows]);
}

beforeAll(async () => {
  await useTestEnv({ postgres: true });
  database = await openDatabase();
  expect(database.engine).toBe('postgres');
  await database.query(
    `insert into campaigns (id, kind, name, spec, spec_hash, seed, status, total_runs) values ('pg1', 'sensitivity', 'pg demo', '{}', 'h', 1, 'completed', 50)`,
  );
  await database.query(
    `insert into runs (campaign_id, run_index, params, output, status, duration_ms)
     select 'pg1', g, jsonb_build_object('x1', g / 50.0), jsonb_build_object('y', g * 2), 'completed', g from generate_series(0, 49) g`,
  );
});
afterAll(async () => database?.close());

describe('read-only queries on a PostgreSQL server', () => {
  it('the migration created the plume_reader role', async () => {
    const r = await database.query(`select rolname from pg_roles where rolname = 'plume_reader'`);
    expect(r.rows).toHaveLength(1);
  });

  it('reads views with a row limit', async () => {
    const r = await runReadOnlyQuery(database, `select run_index, kind from v_runs where campaign_id = 'pg1' order by run_index`, { rowLimit: 10 });
    expect(r.fields).toEqual(['run_index', 'kind']);
    expect(r.rows).toHaveLength(10);
    expect(r.truncated).toBe(true);
    expect(r.rows[3]).toEqual({ run_index: 3, kind: 'sensitivity' });
  });

  it('stops a long query with the statement timeout', async () => {
    const before = await fingerprint();
    const t0 = Date.now();
    const err = await runReadOnlyQuery(database, 'select count(*) from generate_series(1, 20000000000::bigint)', { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryRefusedError);
    expect((err as Error).message).toMatch(/timeout|cancel/i);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(await fingerprint()).toBe(before);
  });

  for (const [name, q] of [
    ['insert', `insert into runs (campaign_id, run_index, params) values ('pg1', 999, '{}')`],
    ['DDL', 'drop table runs'],
    ['pg_read_file', `select pg_read_file('/etc/passwd')`],
    ['COPY TO PROGRAM', `copy (select 1) to program 'touch /tmp/plume-pg-pwned'`],
    ['role switch', `select set_config('role', 'postgres', true)`],
  ] as const) {
    it(`refuses ${name} and changes nothing`, async () => {
      const before = await fingerprint();
      const err = await runReadOnlyQuery(database, q).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryRefusedError);
      expect(await fingerprint()).toBe(before);
    });
  }

  it('exports runs as CSV with params and outputs as columns', async () => {
    const r = await exportCampaign(database, 'pg1', { what: 'runs', format: 'csv' });
    expect(r.rows).toBe(50);
    const lines = r.bytes.toString().trim().split(/\r?\n/);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toContain('param_x1');
    expect(lines[0]).toContain('out_y');
  });
});
