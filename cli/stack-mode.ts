/**
 * Which stack a CLI command uses. Embedded (no DATABASE_URL, or no TEMPORAL_ADDRESS) hosts workers
 * in the `plume` process; production (both set) relies on `plume worker` processes, unless the
 * user asks for in-process workers with `--workers`.
 */
import type { Database } from '../db/client.js';
import { openStack, type Stack } from '../worker/stack.js';
import type { QueueKind } from '../infra/queues.js';
import { initWorkerBackend } from '../worker/worker-backend.js';

function productionMode(): boolean {
  return Boolean(process.env.DATABASE_URL && process.env.TEMPORAL_ADDRESS);
}

export async function openCliStack(
  opts: { workers?: boolean; queues?: QueueKind[]; concurrency?: number; metricsPort?: number | null; database?: Database } = {},
): Promise<Stack> {
  const hostWorkers = opts.workers ?? !productionMode();
  const backend = hostWorkers ? await initWorkerBackend() : 'none';
  return openStack({
    workers: hostWorkers ? (opts.queues ?? ['cpu']) : [],
    workerConcurrency: opts.concurrency,
    metricsPort: opts.metricsPort ?? null,
    backend,
    database: opts.database,
  });
}
