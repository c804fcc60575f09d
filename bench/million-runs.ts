/**
 * A very large campaign of a cheap model through the embedded stack (in-process worker, PGlite,
 * a fresh Temporal dev server): wall time, runs/s per core against an in-process loop, peak RSS of
 * this process (worker + database) and of the Temporal server (sampled every second, with the
 * samples' first and last values to show whether memory stays flat), and the longest workflow
 * history of any execution (continue-as-new keeps each under the server's threshold).
 *
 *   nice -n 10 npx tsx bench/million-runs.ts [--samples 200000] [--batch 500]   # 200,000 x 5 = 1,000,000 runs
 *
 * Not covered yet: the multi-process topology and a Ray peer (see docs/CLUSTER.md for the
 * topology; test/cluster/local-cluster.test.ts runs it at small scale).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCampaignSpec } from '../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../engine/launcher.js';
import { countRuns } from '../db/campaign-store.js';
import { openStack } from '../worker/stack.js';
import { startDevServer } from '../infra/temporal-dev-server.js';
import { saltelliDesign, saltelliPoints } from '../physics/sensitivity/saltelli-sampling.js';
import { ishigami } from '../physics/sensitivity/test-functions.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const samples = arg('samples', 200_000);
const batch = arg('batch', 500);
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
const ys = saltelliPoints(design, 1).map((u) => ishigami(u));
const loopS = (performance.now() - t0) / 1000;
const runs = ys.length;

const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-bench-million-'));
process.env.PLUME_STATE_DIR = dir;
process.env.PLUME_QUEUE_PREFIX = 'million-';
delete process.env.DATABASE_URL;
const temporal = await startDevServer({ headless: true });
process.env.TEMPORAL_ADDRESS = temporal.address;
const stack = await openStack({ workers: ['cpu'], metricsPort: null });
const selfRss: number[] = [];
const temporalRss: number[] = [];
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
  console.log(`\n${runs.toLocaleString('en')} Ishigami runs, batches of ${batch}, 4 in flight, embedded stack, ${cores} cores\n`);
  console.log('| mode | wall s | runs/s per core | ms/run | x in-process loop |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| embedded stack (Temporal + PGlite, persisted) | ${wallS.toFixed(1)} | ${(runs / wallS / cores).toFixed(0)} | ${((wallS * 1000) / runs).toFixed(3)} | ${(wallS / loopS).toFixed(0)} |`,
  );
  console.log(
    `| in-process loop (nothing persisted) | ${loopS.toFixed(2)} | ${(runs / loopS / cores).toFixed(0)} | ${((loopS * 1000) / runs).toFixed(4)} | 1 |`,
  );
  console.log(
    `\nRSS MiB (first / peak / last sample): worker+database ${self.first.toFixed(0)} / ${self.peak.toFixed(0)} / ${self.last.toFixed(0)}; Temporal server ${tmp.first.toFixed(0)} / ${tmp.peak.toFixed(0)} / ${tmp.last.toFixed(0)}`,
  );
  console.log(`Workflow executions: ${executions}; longest history: ${maxHistory} events`);
} finally {
  clearInterval(sampler);
  await stack.close();
  await temporal.stop();
  rmSync(dir, { recursive: true, force: true });
}
