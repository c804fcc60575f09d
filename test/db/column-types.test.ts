/**
 * One column typing whichever way the database is reached: the same campaign exported (and
 * queried) through the embedded database's owner and through a second client of its socket (what a `plume export` does while
 * `plume dev` runs: postgres.js) gives the same Parquet schema and the same JSON values; counts
 * and timestamps are numbers and dates, not strings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import parquet from '@dsnp/parquetjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { exportCampaign } from '../../db/export.js';
import { runReadOnlyQuery } from '../../db/read-only-query.js';
import { formatRows } from '../../db/tabular-format.js';

let tmp: string;
let embedded: Database;
let socket: Database;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'plume-coltypes-'));
  embedded = await openDatabase({ dataDir: path.join(tmp, 'pgdata') });
  socket = await openDatabase({ dataDir: path.join(tmp, 'pgdata') });
  await embedded.query(`insert into campaigns (id, kind, name, spec, spec_hash, seed) values ('c1', 'sensitivity', 'demo', '{}', 'h', 1)`);
  await embedded.query(
    `insert into runs (campaign_id, run_index, params, status, duration_ms, output, started_at, finished_at) values
     ('c1', 0, '{"x1": 0.5, "x2": -1}', 'completed', 12.5, '{"y": 3.25}', '2030-01-02T03:04:00Z', '2030-01-02T03:04:05Z'),
     ('c1', 1, '{"x1": 1.5, "x2": 2}', 'failed', 3, null, null, null)`,
  );
  await embedded.query(
    `insert into metrics (owner_type, owner_id, name, split, value) values ('campaign', 'c1', 'S1', 'x1', 0.31), ('campaign', 'c1', 'ST', 'x1', 0.55)`,
  );
});
afterAll(async () => {
  await socket?.close();
  await embedded?.close();
  await rm(tmp, { recursive: true, force: true });
});

async function parquetSchema(buf: Buffer): Promise<Record<string, string>> {
  const reader = await parquet.ParquetReader.openBuffer(buf);
  return Object.fromEntries(
    Object.entries(reader.getSchema().fields).map(([k, f]) => [
      k,
      String((f as { originalType?: string; primitiveType?: string }).originalType ?? (f as { primitiveType?: string }).primitiveType),
    ]),
  );
}

describe('column typing', () => {
  it('reaches the same embedded database both ways (its owner and a second client of its socket)', () => {
    expect(embedded.engine).toBe('pglite');
    expect(socket.engine).toBe('pglite');
    expect(embedded.url).not.toBeNull();
    expect(socket.url).toBe(embedded.url);
  });

  it('export: the same Parquet schema and JSON either way, params flattened, numbers and timestamps typed', async () => {
    for (const what of ['runs', 'metrics'] as const) {
      const a = await exportCampaign(embedded, 'c1', { what, format: 'parquet' });
      const b = await exportCampaign(socket, 'c1', { what, format: 'parquet' });
      expect(await parquetSchema(b.bytes)).toEqual(await parquetSchema(a.bytes));
      const ja = (await exportCampaign(embedded, 'c1', { what, format: 'json' })).bytes.toString();
      expect((await exportCampaign(socket, 'c1', { what, format: 'json' })).bytes.toString()).toBe(ja);
    }
    const schema = await parquetSchema((await exportCampaign(socket, 'c1', { what: 'runs', format: 'parquet' })).bytes);
    expect(schema).toMatchObject({
      run_index: 'INT64',
      duration_ms: 'DOUBLE',
      finished_at: 'TIMESTAMP_MILLIS',
      param_x1: 'DOUBLE',
      param_x2: 'INT64',
      status: 'UTF8',
    });
    const runs = JSON.parse((await exportCampaign(socket, 'c1', { what: 'runs', format: 'json' })).bytes.toString()) as Record<string, unknown>[];
    expect(runs[0]).toMatchObject({ run_index: 0, param_x1: 0.5, out_y: 3.25, duration_ms: 12.5, finished_at: '2030-01-02T03:04:05.000Z' });
  });

  it('query: counts are numbers and timestamps dates, the same either way, in every format', async () => {
    const q = `select count(*) as n, max(finished_at) as last, sum(duration_ms)::numeric as total, bool_and(run_index >= 0) as ok from runs`;
    const a = await runReadOnlyQuery(embedded, q);
    const b = await runReadOnlyQuery(socket, q);
    expect(a.kinds).toEqual(['integer', 'timestamp', 'float', 'boolean']);
    expect(b.kinds).toEqual(a.kinds);
    expect(b.rows).toEqual(a.rows);
    expect(a.rows[0]).toEqual({ n: 2, last: new Date('2030-01-02T03:04:05Z'), total: 15.5, ok: true });
    const pa = await formatRows(a.rows, a.fields, 'parquet', a.kinds);
    const pb = await formatRows(b.rows, b.fields, 'parquet', b.kinds);
    expect(await parquetSchema(pb)).toEqual(await parquetSchema(pa));
    expect(await parquetSchema(pa)).toEqual({ n: 'INT64', last: 'TIMESTAMP_MILLIS', total: 'DOUBLE', ok: 'BOOLEAN' });
    expect(JSON.parse((await formatRows(b.rows, b.fields, 'json', b.kinds)).toString())).toEqual([
      { n: 2, last: '2030-01-02T03:04:05.000Z', total: 15.5, ok: true },
    ]);
  });
});
