/**
 * What persisting a run costs the engine, without Temporal: the database statements of one batch
 * activity (load the batch's runs; upsert the results and move the campaign's counters in one
 * statement; a progress sample, which the worker records at most once a second but this bench after
 * every batch; a cheap batch is not marked running, see activities/campaign-activities.ts) after the campaign's runs were
 * inserted, for cheap runs (Ishigami evaluations) in batches like a sensitivity campaign's. Peer: the same evaluations in a plain in-process loop, which
 * persists nothing. Embedded PGlite (on disk and served on its socket, as `plume run` opens it: its
 * own statements then take turns with socket clients, db/serialised-pglite.ts) and a PostgreSQL server.
 *
 * `--write-chunk N` writes each batch's results in statements of N runs (the batch activity wrote
 * after every 50-run chunk of a sensitivity batch before it buffered them for up to a second).
 *
 *   nice -n 10 npx tsx bench/engine-writes.ts [--runs 20000] [--batch 500] [--write-chunk 500] [--skip-postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../db/client.js';
import {
  countRuns,
  getCampaign,
  insertCampaign,
  insertRuns,
  loadBatchRuns,
  recordProgressSample,
  recordRunResults,
  updateCampaign,
} from '../db/campaign-store.js';
import { findPostgresBin, startPostgresServer } from '../infra/postgres-server.js';
import { parseCampaignSpec } from '../kinds/campaign-spec.js';
import { ishigami } from '../physics/sensitivity/test-functions.js';
import { argFlag, argNumber } from './bench-args.js';

const total = argNumber('runs', 20_000);
const batch = argNumber('batch', 500);
const writeChunk = argNumber('write-chunk', batch);
/** Load average (1/5/15 min) before this bench starts: what other jobs put on the machine. */
const loadText = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadBefore = loadText();
const skipPostgres = argFlag('skip-postgres');

function params(n: number): { x1: number; x2: number; x3: number }[] {
  let s = 12345;
  const u = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => ({ x1: u(), x2: u(), x3: u() }));
}

interface Row {
  mode: string;
  insertMs: number;
  batchesMs: number;
  /** Per step of the batch activity: load the batch, upsert results + counters, progress sample. */
  steps: [number, number, number];
  /** CPU time of this process per step: all of the work with embedded PGlite (in-process), the client's share with a server. */
  cpu: [number, number, number];
}

async function engineWrites(mode: string, database: Database): Promise<Row> {
  const spec = parseCampaignSpec({ kind: 'sensitivity', name: `writes-${mode}`, seed: 1, model: { name: 'ishigami' }, samples: 16 });
  const id = `writes-${mode.replace(/\W+/g, '-')}-${Date.now()}`;
  await insertCampaign(database, { id, spec });
  const ps = params(total);
  const t0 = performance.now();
  await insertRuns(database, id, ps);
  await updateCampaign(database, id, { totalRuns: total });
  const t1 = performance.now();
  const steps: Row['steps'] = [0, 0, 0];
  const cpu: Row['steps'] = [0, 0, 0];
  const timed = async <T>(k: number, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const c = process.cpuUsage();
    const v = await f();
    steps[k] += performance.now() - t;
    const d = process.cpuUsage(c);
    cpu[k] += (d.user + d.system) / 1000;
    return v;
  };
  for (let s = 0; s < total; s += batch) {
    const indices = Array.from({ length: Math.min(batch, total - s) }, (_, k) => s + k);
    const started = new Date();
    const runsToDo = await timed(0, () => loadBatchRuns(database, id, indices));
    const results = runsToDo.todo.map((r) => {
      const p = r.params as { x1: number; x2: number; x3: number };
      return { runIndex: r.runIndex, status: 'completed' as const, output: { y: ishigami([p.x1, p.x2, p.x3]) }, durationMs: 0.01 };
    });
    for (let w = 0; w < results.length; w += writeChunk) {
      const part = results.slice(w, w + writeChunk);
      await timed(1, () => recordRunResults(database, id, part, 'bench:1:cpu', 'none', started));
    }
    await timed(2, () => recordProgressSample(database, id));
  }
  const t2 = performance.now();
  const c = await countRuns(database, id);
  const counter = (await getCampaign(database, id))?.completedRuns;
  if (c.completed !== total || counter !== total) throw new Error(`${mode}: ${c.completed} of ${total} runs completed (counter ${counter})`);
  return { mode, insertMs: t1 - t0, batchesMs: t2 - t1, steps, cpu };
}

function inProcessLoop(): Row {
  const ps = params(total);
  const t0 = performance.now();
  const out = new Float64Array(total);
  for (let i = 0; i < total; i++) out[i] = ishigami([ps[i].x1, ps[i].x2, ps[i].x3]);
  return { mode: 'in-process loop (no persistence)', insertMs: 0, batchesMs: performance.now() - t0, steps: [0, 0, 0], cpu: [0, 0, 0] };
}

const rows: Row[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-bench-writes-'));
try {
  const pglite = await openDatabase({ dataDir: path.join(dir, 'pgdata') });
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
  `\nEngine writes: ${total} Ishigami runs in batches of ${batch} (per batch: load, upsert results + counters${writeChunk < batch ? ` in statements of ${writeChunk} runs` : ''}, progress sample), ${os.cpus().length} cores, load ${loadBefore} before and ${loadText()} after (1/5/15 min)\n`,
);
const loop = rows[rows.length - 1];
const ms = (x: number) => (x / total).toFixed(4);
console.log("ms/run, wall (CPU of this process); the batch steps' CPU is the whole work with PGlite, the client's share with a server\n");
console.log('| mode | insert runs | load batch | upsert results + counters | progress sample | total ms/run | batch steps CPU ms/run | x in-process loop |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const t = r.insertMs + r.batchesMs;
  const steps = r.steps.map((w, k) => `${ms(w)} (${ms(r.cpu[k])})`).join(' | ');
  console.log(
    `| ${r.mode} | ${ms(r.insertMs)} | ${steps} | ${ms(t)} | ${ms(r.cpu.reduce((a, b) => a + b, 0))} | ${(t / (loop.insertMs + loop.batchesMs)).toFixed(0)} |`,
  );
}
