/**
 * Orchestration overhead through the real stack: a 10,000-run Ishigami sensitivity campaign
 * (2,000 base samples x 5) on the embedded stack (PGlite) and with a PostgreSQL server, both on a
 * fresh Temporal dev server with an in-process worker. Peer: the same 10,000 evaluations plus index
 * estimation in a plain loop, so the table shows what the engine costs per run.
 *
 *   npx tsx bench/orchestration.ts [--samples 2000] [--batch 500] [--skip-postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCampaignSpec } from '../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../engine/launcher.js';
import { countRuns } from '../db/campaign-store.js';
import { findPostgresBin, startPostgresServer } from '../infra/postgres-server.js';
import { openStack } from '../worker/stack.js';
import { startDevServer } from '../infra/temporal-dev-server.js';
import { saltelliDesign, saltelliPoints } from '../physics/sensitivity/saltelli-sampling.js';
import { sobolIndices } from '../physics/sensitivity/sobol-indices.js';
import { ishigami } from '../physics/sensitivity/test-functions.js';
import { argFlag, argNumber } from './bench-args.js';

const samples = argNumber('samples', 2000);
const batch = argNumber('batch', 500);
const skipPostgres = argFlag('skip-postgres');
process.env.PLUME_LOG_LEVEL ??= 'warn';

interface Row {
  mode: string;
  runs: number;
  wallS: number;
}

async function campaign(mode: string, databaseUrl: string | null): Promise<Row> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-bench-'));
  process.env.PLUME_STATE_DIR = dir;
  process.env.PLUME_QUEUE_PREFIX = `bench-${mode}-`;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else delete process.env.DATABASE_URL;
  const temporal = await startDevServer({ headless: true });
  process.env.TEMPORAL_ADDRESS = temporal.address;
  const stack = await openStack({ workers: ['cpu'], metricsPort: null });
  try {
    const spec = parseCampaignSpec({
      kind: 'sensitivity',
      name: `bench-${mode}`,
      seed: 1,
      model: { name: 'ishigami' },
      samples,
      bootstrap: { resamples: 1000 },
      execution: { batchSize: batch, maxConcurrentBatches: 4 },
    });
    const t0 = performance.now();
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    const wallS = (performance.now() - t0) / 1000;
    const c = await countRuns(stack.database, id);
    if (out.status !== 'completed' || c.completed !== samples * 5) throw new Error(`${mode}: campaign ${out.status}, ${c.completed} runs`);
    return { mode, runs: c.completed, wallS };
  } finally {
    await stack.close();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function direct(): Row {
  const t0 = performance.now();
  const d = saltelliDesign(samples, 3);
  const y = saltelliPoints(d, 1).map((u) => ishigami(u));
  sobolIndices(d, y, { resamples: 1000, seed: 1 });
  return { mode: 'peer: plain loop (no engine)', runs: d.size, wallS: (performance.now() - t0) / 1000 };
}

const rows: Row[] = [direct()];
rows.push(await campaign('embedded (PGlite)', null));
if (!skipPostgres) {
  if (!findPostgresBin()) {
    console.error('PostgreSQL server binaries not found: skipping the Postgres row (apt-get install postgresql)');
  } else {
    const pg = await startPostgresServer({ database: 'plume_bench' });
    try {
      rows.push(await campaign('Postgres server', pg.url));
    } finally {
      await pg.stop();
    }
  }
}
const peer = rows[0];
const embedded = rows[1];
console.log(`\nOrchestration: ${samples * 5} Ishigami evaluations, batches of ${batch}, 4 batches in flight, ${os.cpus().length} cores\n`);
console.log('| mode | runs | wall s | runs/s | overhead ms/run | wall / embedded |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const overhead = ((r.wallS - peer.wallS) * 1000) / r.runs;
  console.log(
    `| ${r.mode} | ${r.runs} | ${r.wallS.toFixed(2)} | ${(r.runs / r.wallS).toFixed(0)} | ${r === peer ? '-' : overhead.toFixed(3)} | ${(r.wallS / embedded.wallS).toFixed(2)} |`,
  );
}
process.exit(0);
