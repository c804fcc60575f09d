/**
 * What persisting a run costs the engine, without Temporal: the database round trips of one batch
 * activity (load the batch's runs, mark them running, upsert the results, refresh the campaign's
 * counts) after the campaign's runs were inserted, for cheap runs (Ishigami evaluations) in batches
 * like a sensitivity campaign's. Peer: the same evaluations in a plain in-process loop, which
 * persists nothing. Embedded PGlite (on disk, as `plume run` uses it) and a PostgreSQL server.
 *
 *   nice -n 10 npx tsx bench/engine-writes.ts [--runs 20000] [--batch 500] [--skip-postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../db/client.js';
import { insertCampaign, insertRuns, loadRuns, markRunsRunning, refreshCounts, writeRunResults } from '../db/campaign-store.js';
import { findPostgresBin, startPostgresServer } from '../infra/postgres-server.js';
import { parseCampaignSpec } from '../kinds/campaign-spec.js';
import { ishigami } from '../physics/sensitivity/test-functions.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const total = arg('runs', 20_000);
const batch = arg('batch', 500);
const skipPostgres = process.argv.includes('--skip-postgres');

function params(n: number): { x1: number; x2: number; x3: number }[] {
  let s = 12345;
  const u = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => ({ x1: u(), x2: u(), x3: u() }));
}

interface Row {
  mode: string;
  insertMs: number;
  batchesMs: number;
  /** Per step of the batch activity: load, mark running, upsert results, refresh counts. */
  steps: [number, number, number, number];
}

async function engineWrites(mode: string, database: Database): Promise<Row> {
  const spec = parseCampaignSpec({ kind: 'sensitivity', name: `writes-${mode}`, seed: 1, model: { name: 'ishigami' }, samples: 16 });
  const id = `writes-${mode.replace(/\W+/g, '-')}-${Date.now()}`;
  await insertCampaign(database, { id, spec });
  const ps = params(total);
  const t0 = performance.now();
  await insertRuns(database, id, ps);
  const t1 = performance.now();
  const steps: Row['steps'] = [0, 0, 0, 0];
  const timed = async <T>(k: number, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const v = await f();
    steps[k] += performance.now() - t;
    return v;
  };
  for (let s = 0; s < total; s += batch) {
    const indices = Array.from({ length: Math.min(batch, total - s) }, (_, k) => s + k);
    const rows = await timed(0, () => loadRuns(database, id, indices));
    await timed(1, () => markRunsRunning(database, id, indices, 'bench:1:cpu', 'none'));
    const results = rows.map((r) => {
      const p = r.params as { x1: number; x2: number; x3: number };
      return { runIndex: r.runIndex, status: 'completed' as const, output: { y: ishigami([p.x1, p.x2, p.x3]) }, durationMs: 0.01 };
    });
    await timed(2, () => writeRunResults(database, id, results, 'bench:1:cpu', 'none'));
    await timed(3, () => refreshCounts(database, id));
  }
  const t2 = performance.now();
  const c = await refreshCounts(database, id);
  if (c.completed !== total) throw new Error(`${mode}: ${c.completed} of ${total} runs completed`);
  return { mode, insertMs: t1 - t0, batchesMs: t2 - t1, steps };
}

function inProcessLoop(): Row {
  const ps = params(total);
  const t0 = performance.now();
  const out = new Float64Array(total);
  for (let i = 0; i < total; i++) out[i] = ishigami([ps[i].x1, ps[i].x2, ps[i].x3]);
  return { mode: 'in-process loop (no persistence)', insertMs: 0, batchesMs: performance.now() - t0, steps: [0, 0, 0, 0] };
}

const rows: Row[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-bench-writes-'));
try {
  const pglite = await openDatabase({ dataDir: path.join(dir, 'pgdata'), serve: false });
  rows.push(await engineWrites('embedded PGlite', pglite));
  await pglite.close();
  if (!skipPostgres && findPostgresBin()) {
    const pg = await startPostgresServer({ database: 'plume_bench' });
    try {
      const database = await openDatabase({ url: pg.url });
      rows.push(await engineWrites('PostgreSQL server', database));
      await database.close();
    } finally {
      await pg.stop();
    }
  }
  rows.push(inProcessLoop());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nEngine writes: ${total} Ishigami runs in batches of ${batch} (load, mark running, upsert results, refresh counts per batch), ${os.cpus().length} cores\n`,
);
const loop = rows[rows.length - 1];
const ms = (x: number) => (x / total).toFixed(4);
console.log('| mode | insert runs | load | mark running | upsert results | refresh counts | total ms/run | x in-process loop |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const t = r.insertMs + r.batchesMs;
  console.log(`| ${r.mode} | ${ms(r.insertMs)} | ${r.steps.map(ms).join(' | ')} | ${ms(t)} | ${(t / (loop.insertMs + loop.batchesMs)).toFixed(0)} |`);
}
