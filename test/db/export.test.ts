import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import parquet from '@dsnp/parquetjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRows, toCsv, toTable } from '../../db/tabular-format.js';
import { openDatabase, type Database } from '../../db/client.js';
import { exportCampaign } from '../../db/export.js';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await database.query(`insert into campaigns (id, kind, name, spec, spec_hash, seed) values ('c1', 'train', 'demo', '{}', 'h', 1)`);
  await database.query(
    `insert into runs (campaign_id, run_index, params, status, duration_ms, output, finished_at) values
     ('c1', 0, '{"x1": 0.5, "x2": -1}', 'completed', 12.5, '{"y": 3.25, "series": [1,2]}', '2030-01-02T03:04:05Z'),
     ('c1', 1, '{"x1": 1.5, "x2": 2}', 'failed', 3, null, null)`,
  );
  await database.query(`insert into models (id, campaign_id, arch, repeat, hyperparams, backend) values ('m1', 'c1', 'stam', 0, '{}', 'cpu')`);
  await database.query(
    `insert into metrics (owner_type, owner_id, name, split, value) values ('model', 'm1', 'rmse', 'test', 0.125), ('campaign', 'c1', 'wall_s', '', 60), ('campaign', 'other', 'wall_s', '', 1)`,
  );
  await database.query(
    `insert into predictions (campaign_id, run_index, variable, artifact_id, summary) values ('c1', 0, 'conc', '${'a'.repeat(64)}', '{"mean": 0.75, "max": 2, "series": [0.1, 0.2]}')`,
  );
});
afterAll(async () => database?.close());

describe('output formats', () => {
  const rows = [
    { a: 1, b: 'x,"y"', c: null, d: new Date('2030-01-01T00:00:00Z') },
    { a: 22.5, b: 'line\nbreak', c: { k: 1 }, d: null },
  ];
  const fields = ['a', 'b', 'c', 'd'];
  it('CSV quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(toCsv(rows, fields)).toBe('a,b,c,d\r\n1,"x,""y""",,2030-01-01T00:00:00.000Z\r\n22.5,"line\nbreak","{""k"":1}",\r\n');
  });
  it('table right-aligns numbers and counts rows', () => {
    const t = toTable(rows, fields).split('\n');
    expect(t[0]).toBe('   a  b           c        d');
    expect(t[1]).toBe('----  ----------  -------  ------------------------');
    expect(t[2]).toBe('   1  x,"y"                2030-01-01T00:00:00.000Z');
    expect(t[3]).toBe('22.5  line break  {"k":1}');
    expect(t[4]).toBe('(2 rows)');
  });
  it('JSON is an array of objects in field order', async () => {
    const j = JSON.parse((await formatRows(rows, fields, 'json')).toString()) as Record<string, unknown>[];
    expect(j[0]).toEqual({ a: 1, b: 'x,"y"', c: null, d: '2030-01-01T00:00:00.000Z' });
    expect(Object.keys(j[1])).toEqual(fields);
  });
  it('Parquet round-trips with typed columns', async () => {
    const buf = await formatRows(rows, fields, 'parquet');
    expect(buf.subarray(0, 4).toString()).toBe('PAR1');
    const reader = await parquet.ParquetReader.openBuffer(buf);
    const cur = reader.getCursor();
    const r0 = (await cur.next()) as Record<string, unknown>;
    const r1 = (await cur.next()) as Record<string, unknown>;
    expect(r0.a).toBe(1);
    expect(r1.a).toBe(22.5);
    expect(r0.b).toBe('x,"y"');
    expect(r1.c).toBe('{"k":1}');
    expect((r0.d as Date).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(Number(reader.getRowCount())).toBe(2);
    await reader.close();
  });
});

describe('exportCampaign', () => {
  it('exports runs with params and scalar outputs as their own columns', async () => {
    const r = await exportCampaign(database, 'c1', { what: 'runs', format: 'csv' });
    expect(r.rows).toBe(2);
    expect(r.fields).toEqual([
      'run_index',
      'status',
      'attempt',
      'worker',
      'backend',
      'started_at',
      'finished_at',
      'duration_ms',
      'error',
      'param_x1',
      'param_x2',
      'params',
      'out_y',
      'output',
    ]);
    const lines = r.bytes.toString().trim().split('\r\n');
    expect(lines[1]).toBe('0,completed,0,,,,2030-01-02T03:04:05.000Z,12.5,,0.5,-1,,3.25,"{""series"":[1,2]}"');
    expect(lines[2]).toBe('1,failed,0,,,,,3,,1.5,2,,,');
  });

  it('exports metrics of the campaign and its models only', async () => {
    const r = await exportCampaign(database, 'c1', { what: 'metrics', format: 'json' });
    const j = JSON.parse(r.bytes.toString()) as Record<string, unknown>[];
    expect(j.map((x) => [x.owner_id, x.arch, x.name, x.value])).toEqual([
      ['c1', null, 'wall_s', 60],
      ['m1', 'stam', 'rmse', 0.125],
    ]);
  });

  it('exports predictions to a Parquet file with summary columns', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plume-export-'));
    const out = path.join(dir, 'p.parquet');
    const r = await exportCampaign(database, 'c1', { what: 'predictions', format: 'parquet', out });
    expect(r.fields).toContain('summary_mean');
    const reader = await parquet.ParquetReader.openBuffer(await readFile(out));
    const row = (await reader.getCursor().next()) as Record<string, unknown>;
    expect(row.summary_mean).toBe(0.75);
    expect(row.summary_max).toBe(2n); // whole numbers are INT64 (pandas int64)
    expect(row.summary).toBe('{"series":[0.1,0.2]}');
    await reader.close();
  });

  it('names an unknown campaign and a bad --what', async () => {
    await expect(exportCampaign(database, 'nope', { what: 'runs', format: 'csv' })).rejects.toThrow(/no campaign with id 'nope'/);
    await expect(exportCampaign(database, 'c1', { what: 'bogus' as never, format: 'csv' })).rejects.toThrow(/--what must be one of runs, metrics, predictions/);
  });
});
