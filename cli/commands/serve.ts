/** `plume dev` (server + workers + dashboard in the foreground) and `plume worker`. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactStore } from '../../artifacts/store.js';
import { startDashboard } from '../../dashboard/server.js';
import { openDatabase } from '../../db/client.js';
import { logger } from '../../infra/logger.js';
import { stateDir } from '../../infra/paths.js';
import { openStack } from '../../worker/stack.js';
import { startMetricsServer } from '../../worker/metrics-server.js';
import { startWorker } from '../../worker/plume-worker.js';
import { initWorkerBackend } from '../../worker/worker-backend.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function workerCommand(opts: { queue: string; concurrency?: number; metricsPort?: number; metricsHost?: string }): Promise<number> {
  if (opts.queue !== 'cpu' && opts.queue !== 'gpu') throw new UsageError(`--queue must be cpu or gpu, got '${opts.queue}'`);
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new UsageError(
      'plume worker needs TEMPORAL_ADDRESS (and DATABASE_URL) pointing at the shared Temporal and Postgres servers; for a single machine use `plume dev`',
    );
  const backend = await initWorkerBackend();
  const database = await openDatabase();
  const worker = await startWorker({
    address,
    queue: opts.queue,
    database,
    store: new ArtifactStore(),
    backend,
    concurrency: opts.concurrency,
  });
  const metrics = await startMetricsServer(opts.metricsPort ?? 9464, opts.metricsHost ?? '127.0.0.1', () => {
    const state = worker.worker.getState();
    return state === 'RUNNING' ? null : `worker is ${state.toLowerCase()}`;
  });
  logger.info({ metrics: metrics.url, queue: worker.queue, backend }, 'plume worker ready');
  await Promise.race([untilSignal(), worker.done]);
  await worker.shutdown();
  await metrics.close();
  await database.close();
  return EXIT_OK;
}

export async function devCommand(opts: { concurrency?: number; dashboard?: boolean; port?: number }): Promise<number> {
  const backend = await initWorkerBackend();
  const stack = await openStack({ workers: ['cpu'], workerConcurrency: opts.concurrency, metricsPort: 0, backend });
  let closeDashboard: (() => Promise<void>) | null = null;
  if (opts.dashboard !== false) {
    try {
      const d = await startDashboard({ port: opts.port ?? 8787, stack });
      closeDashboard = () => d.close();
      process.stderr.write(`[plume] dashboard: ${d.url}\n`);
    } catch (e) {
      logger.warn({ err: (e as Error).message }, 'dashboard not started');
    }
  }
  await writeFile(
    path.join(stateDir(), 'dev.json'),
    JSON.stringify({ pid: process.pid, temporal: stack.temporalAddress, ui: stack.temporalUiUrl, database: stack.database.url, metrics: stack.metrics?.url }),
  );
  process.stderr.write(
    `[plume] dev stack up: Temporal ${stack.temporalAddress}${stack.temporalUiUrl ? ` (UI ${stack.temporalUiUrl})` : ''}, ` +
      `metrics ${stack.metrics?.url}, database ${stack.database.engine}${stack.database.url ? ` (${stack.database.url})` : ''}; Ctrl-C stops\n`,
  );
  await untilSignal();
  await closeDashboard?.();
  await stack.close();
  return EXIT_OK;
}
