/**
 * A very large campaign of a cheap model through one of two topologies, each on a fresh Temporal
 * dev server:
 *
 * - `--topology embedded` (default): what `plume run` uses on one machine, the worker in this
 *   process with PGlite;
 * - `--topology cluster`: the production topology as separate processes, as
 *   test/cluster/local-cluster.test.ts runs it (worker/plume-processes.ts): a PostgreSQL server,
 *   `--workers` (default 2) `plume worker --queue cpu --concurrency C` processes, and this process
 *   as the launcher only (it plans nothing and runs no batch).
 *
 * It reports wall time, runs/s per core against an in-process loop, the RSS of every process
 * (sampled every second; first / peak / last sample to show whether memory stays flat; for the
 * PostgreSQL server the PSS summed over the postmaster and its backends, which share memory), the
 * CPU seconds each process used during the campaign (where the wall time goes), the runs each
 * worker process wrote (cluster), and the longest workflow history of any execution
 * (continue-as-new keeps each under the server's threshold).
 *
 * Peer: Ray, what a user would otherwise pick for this fan-out (bench/python/ray_peer.py): the same
 * design points and evaluations on a local Ray cluster (127.0.0.1, as many CPUs as this machine),
 * one task per run and one task per batch of the same size, nothing persisted. It runs after
 * Plume's campaign, never concurrently, from ${PLUME_HOME:-~/.plume}/bench-venv (Ray installed from
 * PyPI on first use). --skip-ray leaves it out; --ray-per-run-runs N times one-task-per-run on the
 * first N runs only (a million tasks take long).
 *
 *   nice -n 10 npx tsx bench/million-runs.ts [--samples 200000] [--batch 500] [--in-flight 4] [--concurrency C] [--skip-ray] [--ray-per-run-runs N]
 *   nice -n 10 npx tsx bench/million-runs.ts --topology cluster [--workers 2] [--concurrency 2] [--samples 200000] [--skip-ray]
 *   # 200,000 x 5 = 1,000,000 runs
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseCampaignSpec } from '../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../engine/launcher.js';
import { countRuns } from '../db/campaign-store.js';
import { metricsText } from '../worker/metrics-server.js';
import { openStack, type Stack } from '../worker/stack.js';
import { prebuildWorkflowBundle, spawnPlume, stopPlume, waitForPlume, type PlumeProcess } from '../worker/plume-processes.js';
import { freePort } from '../infra/free-port.js';
import { startPostgresServer, type PostgresServer } from '../infra/postgres-server.js';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server.js';
import { saltelliDesign, saltelliPointStream } from '../physics/sensitivity/saltelli-sampling.js';
import { ishigami } from '../physics/sensitivity/test-functions.js';
import { benchPython } from './bench-venv.js';
import { argFlag, argNumber, argText } from './bench-args.js';

const samples = argNumber('samples', 200_000);
const batch = argNumber('batch', 500);
const inFlight = argNumber('in-flight', 4);
const topology = z.enum(['embedded', 'cluster']).parse(argText('topology', 'embedded'));
const workerProcesses = argNumber('workers', 2);
const workerConcurrency = argNumber('concurrency', 2);
const skipRay = argFlag('skip-ray');
const rayPerRunRuns = argNumber('ray-per-run-runs', 0);
/** Pinned so the peer's figures are reproducible. */
const RAY_PIP = 'ray==2.60.0';
process.env.PLUME_LOG_LEVEL ??= 'warn';
/** Load average (1/5/15 min): before the bench starts it is what other jobs put on the machine. */
const loadText = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadBefore = loadText();

/** A `<field>: N kB` line of /proc/<pid>/<file>, in MiB (0 once the process is gone). */
function procMiB(pid: number, file: string, field: string): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
const rssMiB = (pid: number): number => procMiB(pid, 'status', 'VmRSS');
/** Proportional set size: memory shared between processes (Postgres' shared buffers) counted once over them. */
const pssMiB = (pid: number): number => procMiB(pid, 'smaps_rollup', 'Pss');

/** A process and its children (the postmaster's backends). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // Fields after the command (which may hold spaces) start after the last ')': state, ppid.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

interface Series {
  first: number;
  peak: number;
  last: number;
}
const series = (xs: number[]): Series => ({ first: xs[0] ?? 0, peak: Math.max(0, ...xs), last: xs[xs.length - 1] ?? 0 });

// Peer: the same evaluations in a plain loop.
const t0 = performance.now();
const design = saltelliDesign(samples, 3);
// Streamed, as Plume plans them: a million retained point arrays would time the garbage collector.
const perRunRuns = rayPerRunRuns > 0 ? rayPerRunRuns : Infinity;
let runs = 0;
let loopSum = 0;
let perRunSum = 0;
for (const u of saltelliPointStream(design, 1)) {
  const y = ishigami(u);
  loopSum += y;
  if (runs < perRunRuns) perRunSum += y;
  runs++;
}
const loopS = (performance.now() - t0) / 1000;

const RayOutput = z.object({
  ray: z.string(),
  init_s: z.number(),
  runs: z.number(),
  modes: z.array(z.object({ mode: z.string(), runs: z.number(), wall_s: z.number(), sum: z.number() })),
});

/** The same points through bench/python/ray_peer.py; null (with the reason on stderr) when Ray cannot run here. */
function rayPeer(dir: string, cores: number): z.infer<typeof RayOutput> | null {
  let python: string;
  try {
    python = benchPython('ray', RAY_PIP);
  } catch (e) {
    console.error(`Ray peer left out: ${(e as Error).message}`);
    return null;
  }
  const file = path.join(dir, 'points.f64');
  // The same design points again (same seed), not kept in memory while Plume's campaign runs.
  const flat = new Float64Array(runs * 3);
  let i = 0;
  for (const u of saltelliPointStream(design, 1)) flat.set(u, 3 * i++);
  writeFileSync(file, flat);
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python', 'ray_peer.py');
  const cfg = { points: file, batch, num_cpus: cores, modes: ['batched', 'per-run'], ...(rayPerRunRuns > 0 ? { per_run_runs: rayPerRunRuns } : {}) };
  const r = spawnSync(python, [script, JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0) {
    console.error(`Ray peer failed (exit ${r.status}): ${last}`);
    return null;
  }
  const out = RayOutput.parse(JSON.parse(last));
  // Same evaluations: each mode's sum matches the in-process loop's (over the runs it timed).
  for (const m of out.modes) {
    const want = m.runs === runs ? loopSum : perRunSum;
    if (Math.abs(m.sum - want) > 1e-9 * Math.max(1, Math.abs(want))) throw new Error(`Ray ${m.mode}: sum ${m.sum} differs from the loop's ${want}`);
  }
  return out;
}

/** Latencies the Temporal SDK of the workers measured (their /metrics), summed over the workers: where a batch waits. */
const SDK_LATENCIES: [metric: string, meaning: string][] = [
  ['temporal_workflow_task_schedule_to_start_latency', 'workflow task: scheduled -> picked up by a worker'],
  ['temporal_workflow_task_execution_latency', 'workflow task: run by the worker'],
  ['temporal_activity_schedule_to_start_latency', 'activity: scheduled -> picked up by a worker'],
  ['temporal_activity_execution_latency', 'activity: run by the worker (the batch: load, evaluate, write)'],
  ['temporal_workflow_endtoend_latency', 'workflow execution: start -> close'],
];

function sdkLatencies(texts: string[]): { metric: string; meaning: string; count: number; sumS: number }[] {
  return SDK_LATENCIES.map(([metric, meaning]) => {
    let count = 0;
    let sumS = 0;
    const re = new RegExp(`^${metric}(?:_seconds)?_(sum|count)(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'gm');
    for (const text of texts) {
      for (const m of text.matchAll(re)) {
        if (m[1] === 'count') count += Number(m[2]);
        else sumS += Number(m[2]);
      }
    }
    return { metric, meaning, count, sumS };
  });
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime); f starts at field 3.
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The processes of a topology, by label: their memory is sampled every second and their CPU time
 * read before and after the campaign (where the wall time goes: on two shared cores, the engine is
 * CPU-bound when the processes' CPU seconds add up to about cores x wall).
 */
type Sampled = { label: string; sample: () => number; pids: () => number[] }[];

interface Topology {
  label: string;
  /** The launcher's stack: Temporal client and results database. */
  stack: Stack;
  temporal: DevServer;
  sampled: Sampled;
  /** /metrics text of every worker (Plume's and the Temporal SDK's). */
  workerMetrics(): Promise<string[]>;
  stop(): Promise<void>;
}

/** In-process worker + PGlite in this process (what `plume run` uses on one machine). */
async function embedded(dir: string): Promise<Topology> {
  process.env.PLUME_STATE_DIR = dir;
  delete process.env.DATABASE_URL;
  const temporal = await startDevServer({ headless: true });
  process.env.TEMPORAL_ADDRESS = temporal.address;
  // `--concurrency` sets the in-process worker's activity slots too (default: the worker's, max(2, cores)).
  const concurrency = argFlag('concurrency') ? { workerConcurrency } : {};
  const stack = await openStack({ workers: ['cpu'], metricsPort: null, ...concurrency });
  return {
    label: 'Plume, embedded stack (Temporal + PGlite + in-process worker, every run persisted)',
    stack,
    temporal,
    sampled: [
      { label: 'worker + PGlite (this process)', sample: () => rssMiB(process.pid), pids: () => [process.pid] },
      { label: 'Temporal server', sample: () => rssMiB(temporal.pid), pids: () => [temporal.pid] },
    ],
    workerMetrics: async () => [await metricsText()],
    async stop() {
      await stack.close();
      await temporal.stop();
    },
  };
}

/** Separate processes: Temporal, a PostgreSQL server, `plume worker` processes; this process only launches and waits. */
async function cluster(dir: string): Promise<Topology> {
  let temporal: DevServer | null = null;
  let pg: PostgresServer | null = null;
  let stack: Stack | null = null;
  const procs: PlumeProcess[] = [];
  const stop = async (): Promise<void> => {
    await stopPlume(procs);
    await stack?.close();
    await temporal?.stop();
    await pg?.stop();
  };
  try {
    [temporal, pg] = await Promise.all([startDevServer({ headless: true }), startPostgresServer({ database: 'plume_million' })]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: pg.url,
      PLUME_ARTIFACTS: path.join(dir, 'artifacts'),
    };
    Object.assign(process.env, env, { PLUME_STATE_DIR: path.join(dir, 'launcher') });
    // The launcher migrates the database (the Helm chart's migrations job) before the workers start.
    stack = await openStack({ startTemporal: false });
    const bundleCache = await prebuildWorkflowBundle(path.join(dir, 'bundle'));
    for (let w = 1; w <= workerProcesses; w++) {
      const port = await freePort();
      const args = ['worker', '--queue', 'cpu', '--concurrency', String(workerConcurrency), '--metrics-port', String(port)];
      procs.push(await spawnPlume({ name: `worker-${w}`, args, env, root: dir, bundleCache, metricsPort: port }));
    }
    for (const p of procs) await waitForPlume(p, `http://127.0.0.1:${p.metricsPort}/readyz`);
    const t = temporal;
    const server = pg;
    return {
      label: `Plume, cluster (Temporal + PostgreSQL server + ${workerProcesses} worker processes x ${workerConcurrency}, every run persisted)`,
      stack,
      temporal: t,
      sampled: [
        ...procs.map((p) => ({
          label: `plume worker ${p.name.slice('worker-'.length)}`,
          sample: () => rssMiB(p.child.pid ?? -1),
          pids: () => [p.child.pid ?? -1],
        })),
        { label: 'launcher (this process)', sample: () => rssMiB(process.pid), pids: () => [process.pid] },
        { label: 'Temporal server', sample: () => rssMiB(t.pid), pids: () => [t.pid] },
        {
          label: 'PostgreSQL server (PSS, postmaster + backends)',
          sample: () => {
            const pid = server.pid();
            return pid ? processTree(pid).reduce((a, p) => a + pssMiB(p), 0) : 0;
          },
          // Backends that exited during the campaign are not counted (the pools keep theirs open).
          pids: () => {
            const pid = server.pid();
            return pid ? processTree(pid) : [];
          },
        },
      ],
      workerMetrics: () => Promise.all(procs.map(async (p) => (await fetch(`http://127.0.0.1:${p.metricsPort}/metrics`)).text())),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-bench-million-'));
process.env.PLUME_QUEUE_PREFIX = 'million-';
const topo = topology === 'cluster' ? await cluster(dir) : await embedded(dir);
const samplesByProcess = topo.sampled.map(() => [] as number[]);
let stopped = false;
const sampler = setInterval(() => topo.sampled.forEach((s, k) => samplesByProcess[k].push(s.sample())), 1000);
try {
  const { stack } = topo;
  const spec = parseCampaignSpec({
    kind: 'sensitivity',
    name: 'million',
    seed: 1,
    model: { name: 'ishigami' },
    samples,
    bootstrap: { resamples: 200 },
    execution: { batchSize: batch, maxConcurrentBatches: inFlight },
  });
  const cpuOf = (pids: number[]): Map<number, number> => new Map(pids.map((p) => [p, cpuSeconds(p)]));
  const cpuBefore = topo.sampled.map((s) => cpuOf(s.pids()));
  const t1 = performance.now();
  const { id } = await launchCampaign(stack.client, stack.database, spec);
  const out = await waitForCampaign(stack.client, stack.database, id);
  const wallS = (performance.now() - t1) / 1000;
  const latencies = sdkLatencies(await topo.workerMetrics());
  const cpuUsed = topo.sampled.map((s, k) => [...cpuOf(s.pids())].reduce((a, [pid, c]) => a + c - (cpuBefore[k].get(pid) ?? 0), 0));
  const c = await countRuns(stack.database, id);
  if (out.status !== 'completed' || c.completed !== runs) throw new Error(`campaign ${out.status}: ${c.completed} of ${runs} runs`);
  const planned = await stack.database.query(
    `select extract(epoch from (min(finished_at) - (select created_at from campaigns where id = $1)))::float8 as s from runs where campaign_id = $1`,
    [id],
  );
  const firstResultS = Number(planned.rows[0]?.s ?? NaN);
  const perWorker =
    topology === 'cluster'
      ? (await stack.database.query(`select worker, count(*)::int as n from runs where campaign_id = $1 group by worker order by worker`, [id])).rows
      : [];
  let maxHistory = 0;
  let executions = 0;
  for await (const wf of stack.client.workflow.list()) {
    executions++;
    maxHistory = Math.max(maxHistory, wf.historyLength);
  }
  const cores = os.cpus().length;
  clearInterval(sampler);
  const memory = topo.sampled.map((s, k) => ({ label: s.label, cpu: cpuUsed[k], ...series(samplesByProcess[k]) }));
  const loadAfter = loadText();
  await topo.stop();
  stopped = true;
  const ray = skipRay ? null : rayPeer(dir, cores);
  const row = (mode: string, n: number, wallS: number) => [
    mode,
    wallS.toFixed(wallS < 10 ? 2 : 1),
    (n / wallS / cores).toFixed(0),
    ((wallS * 1000) / n).toFixed(4),
    (wallS / n / (loopS / runs)).toFixed(0),
  ];
  console.log(
    `\n${runs.toLocaleString('en')} Ishigami runs, batches of ${batch}, ${inFlight} in flight, ${cores} cores, load ${loadBefore} before the bench and ${loadAfter} when Plume finished (1/5/15 min)\n`,
  );
  const table = [
    row(topo.label, runs, wallS),
    ...(ray?.modes ?? []).map((m) =>
      row(
        `Ray ${ray!.ray}, ${m.mode === 'per-run' ? 'one task per run' : `one task per batch of ${batch}`}${m.runs < runs ? ` (first ${m.runs.toLocaleString('en')} runs)` : ''}, nothing persisted`,
        m.runs,
        m.wall_s,
      ),
    ),
    row('in-process loop (nothing persisted)', runs, loopS),
  ];
  console.log('| mode | wall s | runs/s per core | ms/run | x in-process loop (per run) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of table) console.log(`| ${r.join(' | ')} |`);
  if (ray) console.log(`\nRay: local cluster start-up and worker warm-up ${ray.init_s.toFixed(1)} s (not in its wall times); sums match the loop's.`);
  else if (!skipRay) console.log('\nRay: not measured (see the message above).');
  console.log(
    `\nPlanning (launch to the first stored result, inserting ${runs.toLocaleString('en')} run rows): ${firstResultS.toFixed(1)} s of the ${wallS.toFixed(1)} s`,
  );
  const cpuTotal = memory.reduce((a, m) => a + m.cpu, 0);
  console.log('\n| process | RSS MiB first sample | peak | last sample | CPU s during the campaign |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const m of memory) console.log(`| ${m.label} | ${m.first.toFixed(0)} | ${m.peak.toFixed(0)} | ${m.last.toFixed(0)} | ${m.cpu.toFixed(1)} |`);
  console.log(
    `\nCPU of these processes: ${cpuTotal.toFixed(1)} s = ${((cpuTotal * 1000) / runs).toFixed(4)} ms/run, ${((100 * cpuTotal) / (wallS * cores)).toFixed(0)}% of ${cores} cores x ${wallS.toFixed(1)} s wall`,
  );
  if (perWorker.length > 0)
    console.log(`\nRuns per worker process: ${perWorker.map((r) => `${String(r.worker)} ${Number(r.n).toLocaleString('en')}`).join(', ')}`);
  console.log(`Workflow executions: ${executions}; longest history: ${maxHistory} events`);
  console.log('\nTemporal SDK latencies (worker side, summed over the workers; batches overlap, so totals exceed the wall time):\n');
  console.log('| metric | what | count | total s | mean ms |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const l of latencies) {
    console.log(`| ${l.metric} | ${l.meaning} | ${l.count} | ${l.sumS.toFixed(1)} | ${l.count ? ((1000 * l.sumS) / l.count).toFixed(1) : '-'} |`);
  }
} finally {
  clearInterval(sampler);
  if (!stopped) await topo.stop();
  rmSync(dir, { recursive: true, force: true });
}
