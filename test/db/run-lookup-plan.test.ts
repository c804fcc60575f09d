/**
 * Planning a campaign analyzes the run table's key and status columns (PGlite has no autovacuum),
 * so the batch activity's lookup of its runs is a primary-key index scan, not a scan of every run
 * of the campaign.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { insertRuns } from '../../db/campaign-store.js';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
});
afterAll(() => database?.close());

it("a batch's lookup of its runs uses the primary key once the campaign is planned", async () => {
  await database.query(`insert into campaigns (id, kind, name, spec, spec_hash, seed, status) values ('plan1', 'sensitivity', 's', '{}', 'h', 1, 'running')`);
  const n = await insertRuns(
    database,
    'plan1',
    Array.from({ length: 20_000 }, (_, i) => ({ u: [i / 20_000, 0.5, 0.25] })),
  );
  expect(n).toBe(20_000);
  const stats = await database.query(`select attname from pg_stats where tablename = 'runs' order by attname`);
  expect(stats.rows.map((r) => r.attname)).toEqual(['campaign_id', 'run_index', 'status']);
  const plan = await database.query(
    `explain (costs off) select run_index, status, params from runs where campaign_id = $1 and run_index = any($2::int[]) order by run_index`,
    ['plan1', `{${Array.from({ length: 500 }, (_, i) => 7_000 + i).join(',')}}`],
  );
  const text = plan.rows.map((r) => String(r['QUERY PLAN'])).join('\n');
  expect(text).toMatch(/Index Scan (using|on) runs_campaign_id_run_index_pk/);
  expect(text).not.toMatch(/Seq Scan|runs_status_idx/);
});
