import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { checkQueryText, QueryRefusedError, runReadOnlyQuery } from '../../db/read-only-query.js';

let database: Database;

async function snapshot(): Promise<string> {
  const t = await database.query(`select count(*)::int as n from campaigns`);
  const r = await database.query(`select count(*)::int as n, sum(run_index)::int as s from runs`);
  const tables = await database.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
  const roles = await database.query(`select count(*)::int as n from pg_roles`);
  return JSON.stringify([t.rows, r.rows, tables.rows, roles.rows]);
}

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await database.query(
    `insert into campaigns (id, kind, name, spec, spec_hash, seed, status, total_runs) values ('c1', 'sensitivity', 'demo', '{}', 'h', 1, 'running', 30)`,
  );
  await database.query(
    `insert into runs (campaign_id, run_index, params, status, duration_ms) select 'c1', g, '{}'::jsonb, case when g % 10 = 0 then 'failed' else 'completed' end, g * 1.5 from generate_series(0, 29) g`,
  );
});
afterAll(async () => database?.close());

describe('runReadOnlyQuery: queries that are allowed', () => {
  it('reads the documented view v_runs with fields in order', async () => {
    const r = await runReadOnlyQuery(database, `select run_index, status, kind from v_runs where status = 'failed' order by run_index;`);
    expect(r.fields).toEqual(['run_index', 'status', 'kind']);
    expect(r.rows.map((x) => x.run_index)).toEqual([0, 10, 20]);
    expect(r.rows[0].kind).toBe('sensitivity');
    expect(r.truncated).toBe(false);
  });

  it('applies the row limit and says the result was truncated', async () => {
    const r = await runReadOnlyQuery(database, 'select run_index from runs order by run_index', { rowLimit: 7 });
    expect(r.rows).toHaveLength(7);
    expect(r.rows[6].run_index).toBe(6);
    expect(r.truncated).toBe(true);
  });

  it('understands comments and literals (a ; or a keyword inside them is harmless)', async () => {
    const r = await runReadOnlyQuery(database, `-- a comment; drop table runs\nselect ';delete from runs' as s, $x$ copy $x$ as t /* ; */`);
    expect(r.rows).toEqual([{ s: ';delete from runs', t: ' copy ' }]);
  });

  it('summarises inversions through v_inversion_summary', async () => {
    const r = await runReadOnlyQuery(database, 'select count(*)::int as n from v_inversion_summary');
    expect(r.rows[0].n).toBe(0);
  });

  it('refuses duplicate column names with a clear fix', async () => {
    await expect(runReadOnlyQuery(database, 'select 1 as a, 2 as a')).rejects.toThrow(/appears twice.*AS/);
  });
});

describe('runReadOnlyQuery: refused, and nothing changes', () => {
  const refused: [string, string, RegExp][] = [
    ['insert', `insert into campaigns (id, kind, name, spec, spec_hash, seed) values ('x','k','n','{}','h',1)`, /only queries/],
    ['update', `update runs set status = 'x'`, /only queries/],
    ['delete hidden behind a comment', `/* select */ delete from runs`, /only queries/],
    ['DDL drop', 'drop table runs', /only queries/],
    ['DDL create', 'create table t (x int)', /only queries/],
    ['truncate', 'truncate runs', /only queries/],
    ['two statements', 'select 1; drop table runs', /one statement/],
    ['data-modifying CTE', 'with d as (delete from runs returning *) select count(*) from d', /read-only|data-modifying/],
    ['select into (creates a table)', 'select * into stolen from runs', /read-only|only queries|INTO|not allowed/i],
    ['locking read', 'select * from runs for update', /read-only/],
    ['pg_read_file', `select pg_read_file('/etc/passwd')`, /pg_read_file\(\) is not allowed/],
    ['qualified, quoted pg_read_file', `select pg_catalog."pg_read_file"('postgresql.conf')`, /pg_read_file\(\) is not allowed/],
    ['pg_ls_dir', `select pg_ls_dir('.')`, /not allowed/],
    ['lo_import', `select lo_import('/etc/passwd')`, /not allowed/],
    ['copy to program', `copy (select 1) to program 'touch /tmp/plume-pwned'`, /only queries/],
    ['copy from program', `copy runs from program 'echo 1'`, /only queries/],
    ['copy hidden in a select', `select 1 from runs where 'copy' = 'x' union select 1 from (copy runs to stdout) x`, /COPY/],
    ['set transaction read write', 'set transaction read write', /only queries/],
    ['read-write through set_config', `select set_config('transaction_read_only', 'off', true)`, /set_config\(\) is not allowed/],
    ['role switch through set_config', `select set_config('role', 'postgres', true), query_to_xml('select 1', true, false, '')`, /not allowed/],
    ['SQL text executed by a function', `select ts_stat('delete from runs')`, /not allowed/],
    ['sleep for ever', 'select pg_sleep(1e9)', /pg_sleep\(\) is not allowed/],
    ['huge series (cost guard)', 'select count(*) from generate_series(1, 1000000000000::bigint)', /estimated cost/],
    ['huge cross join (cost guard)', 'select count(*) from runs a, runs b, runs c, runs d, runs e, runs f', /estimated cost/],
    ['endless recursion', 'with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t', /RECURSIVE/],
    ['catalog of passwords, as the reader role', 'select rolpassword from pg_authid', /permission denied/],
    ['nextval writes', `select nextval('predictions_id_seq')`, /not allowed/],
    ['do block', `do $$ begin perform 1; end $$`, /only queries/],
    ['unterminated literal', `select 'abc`, /unterminated/],
  ];
  for (const [name, q, re] of refused) {
    it(`refuses: ${name}`, async () => {
      const before = await snapshot();
      const err = await runReadOnlyQuery(database, q).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryRefusedError);
      expect((err as Error).message).toMatch(re);
      expect(await snapshot()).toBe(before);
    });
  }

  it('the database is still writable by Plume itself afterwards (no transaction left open)', async () => {
    await database.query(`update campaigns set status = 'running' where id = 'c1'`);
    const r = await database.query(`select current_setting('transaction_read_only') as ro, current_user as u`);
    expect(r.rows[0]).toEqual({ ro: 'off', u: 'postgres' });
  });

  it('checkQueryText strips trailing semicolons and refuses empty text', () => {
    expect(checkQueryText('select 1 ;; ')).toBe('select 1');
    expect(() => checkQueryText('   ')).toThrow(/empty query/);
    expect(() => checkQueryText('select 1', {})).not.toThrow();
  });

  it('validates its options', async () => {
    await expect(runReadOnlyQuery(database, 'select 1', { rowLimit: 0 })).rejects.toThrow(/rowLimit must be an integer/);
  });
});

describe('runReadOnlyQuery: PostgreSQL parser', () => {
  it('reports a typo as a syntax error, not as a write attempt', async () => {
    const err = await runReadOnlyQuery(database, 'selec 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryRefusedError);
    expect((err as Error).message).toMatch(/^syntax error at or near "selec" \(character 1\)$/);
    expect((err as Error).message).not.toMatch(/read-only|only queries/);
  });

  it('runs a query whose column alias is a keyword (copy) and one with non-ASCII text', async () => {
    expect((await runReadOnlyQuery(database, `select 'a' as copy`)).rows).toEqual([{ copy: 'a' }]);
    expect((await runReadOnlyQuery(database, `select 'Grüße' as g, 1 as n;`)).rows).toEqual([{ g: 'Grüße', n: 1 }]);
  });

  it('accepts VALUES and TABLE, and refuses a query made only of comments', async () => {
    expect((await runReadOnlyQuery(database, 'values (1, 2)')).rows).toEqual([{ column1: 1, column2: 2 }]);
    expect((await runReadOnlyQuery(database, 'table campaigns')).rows).toHaveLength(1);
    expect(() => checkQueryText('-- nothing')).toThrow(/empty query/);
  });
});
