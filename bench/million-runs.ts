/**
 * A very large campaign of a cheap model through the embedded stack (in-process worker, PGlite,
 * a fresh Temporal dev server): wall time, runs/s per core against an in-process loop, peak RSS of
 * this process (worker + database) and of the Temporal server (sampled every second, with the
 * samples' first and last values to show whether memory stays flat), and the longest workflow
 * history of any execution (continue-as-new keeps each under the server's threshold).
 *
 * Peer: Ray, what a user would otherwise pick for this fan-out (bench/python/ray_peer.py): the same
 * design points and evaluations on a local Ray cluster (127.0.0.1, as many CPUs as this machine),
 * one task per run and one task per batch of the same size, nothing persisted. It runs after
 * Plume's campaign, never concurrently, from ${PLUME_HOME:-~/.plume}/bench-venv (Ray installed from
 * PyPI on first use). --skip-ray leaves it out; --ray-per-run-runs N times one-task-per-run on the
 * first N runs only (a million tasks take long).
 *
 *   nice -n 10 npx tsx bench/million-runs.ts [--samples 200000] [--batch 500] [--skip-ray] [--ray-per-run-runs N]
 *   # 200,000 x 5 = 1,000,000 runs
 *
 * Not covered yet: the multi-process topology (see docs/CLUSTER.md; test/cluster/local-cluster.test.ts
 * runs it at small scale).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseCampaignSpec } from '../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../engine/launcher.js';
import { countRuns } from '../db/campaign-store.js';
import { openStack } from '../worker/stack.js';
import { startDevServer } from '../infra/temporal-dev-server.js';
import { saltelliDesign, saltelliPointStream } from '../physics/sensitivity/saltelli-sampling.js';
import { ishigami } from '../physics/sensitivity/test-functions.js';
import { benchPython } from './bench-venv.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const samples = arg('samples', 200_000);
const batch = arg('batch', 500);
const skipRay = process.argv.includes('--skip-ray');
const rayPerRunRuns = arg('ray-per-run-runs', 0);
/** Pinned so the peer's figures are reproducible. */
const RAY_PIP = 'ray==2.60.0';
process.env.PLUME_LOG_LEVEL ??= 'warn';

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
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

const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-bench-million-'));
process.env.PLUME_STATE_DIR = dir;
process.env.PLUME_QUEUE_PREFIX = 'million-';
delete process.env.DATABASE_URL;
const temporal = await startDevServer({ headless: true });
process.env.TEMPORAL_ADDRESS = temporal.address;
const stack = await openStack({ workers: ['cpu'], metricsPort: null });
const selfRss: number[] = [];
const temporalRss: number[] = [];
let stopped = false;
const sampler = setInterval(() => {
  selfRss.push(rssMiB(process.pid));
  temporalRss.push(rssMiB(temporal.pid));
}, 1000);
try {
  const spec = parseCampaignSpec({
    kind: 'sensitivity',
    name: 'million',
    seed: 1,
    model: { name: 'ishigami' },
    samples,
    bootstrap: { resamples: 200 },
    execution: { batchSize: batch, maxConcurrentBatches: 4 },
  });
  const t1 = performance.now();
  const { id } = await launchCampaign(stack.client, stack.database, spec);
  const out = await waitForCampaign(stack.client, stack.database, id);
  const wallS = (performance.now() - t1) / 1000;
  const c = await countRuns(stack.database, id);
  if (out.status !== 'completed' || c.completed !== runs) throw new Error(`campaign ${out.status}: ${c.completed} of ${runs} runs`);
  let maxHistory = 0;
  let executions = 0;
  for await (const wf of stack.client.workflow.list()) {
    executions++;
    maxHistory = Math.max(maxHistory, wf.historyLength);
  }
  const cores = os.cpus().length;
  const self = series(selfRss);
  const tmp = series(temporalRss);
  clearInterval(sampler);
  await stack.close();
  await temporal.stop();
  stopped = true;
  const load = os.loadavg()[0];
  const ray = skipRay ? null : rayPeer(dir, cores);
  const row = (mode: string, n: number, wallS: number) => [
    mode,
    wallS.toFixed(wallS < 10 ? 2 : 1),
    (n / wallS / cores).toFixed(0),
    ((wallS * 1000) / n).toFixed(4),
    (wallS / n / (loopS / runs)).toFixed(0),
  ];
  console.log(`\n${runs.toLocaleString('en')} Ishigami runs, batches of ${batch}, 4 in flight, ${cores} cores, load ${load.toFixed(1)} when Plume finished\n`);
  const table = [
    row('Plume, embedded stack (Temporal + PGlite, every run persisted)', runs, wallS),
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
    `RSS MiB (first / peak / last sample): worker+database ${self.first.toFixed(0)} / ${self.peak.toFixed(0)} / ${self.last.toFixed(0)}; Temporal server ${tmp.first.toFixed(0)} / ${tmp.peak.toFixed(0)} / ${tmp.last.toFixed(0)}`,
  );
  console.log(`Workflow executions: ${executions}; longest history: ${maxHistory} events`);
} finally {
  clearInterval(sampler);
  if (!stopped) {
    await stack.close();
    await temporal.stop();
  }
  rmSync(dir, { recursive: true, force: true });
}
