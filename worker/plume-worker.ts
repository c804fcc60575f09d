/**
 * A Plume worker: polls one task queue (`cpu` or `gpu`) with the workflows and campaign
 * activities, reports its ML backend (log, `/metrics` label, rows it writes). Embedded mode runs
 * one in the `plume` process; production runs `plume worker --queue gpu|cpu` on many machines.
 */
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ArtifactStore } from '../artifacts/store.js';
import { createCampaignActivities } from '../activities/campaign-activities.js';
import { createPipelineActivities } from '../activities/pipeline-activities.js';
import type { Database } from '../db/client.js';
import { logger } from '../infra/logger.js';
import { workerInfo } from '../infra/metrics.js';
import { queueName, temporalNamespace, type QueueKind } from '../infra/queues.js';
import { installTemporalRuntime } from './temporal-runtime.js';
import { workflowBundle } from './workflow-bundle.js';

export interface WorkerOptions {
  address: string;
  queue: QueueKind;
  database: Database;
  store: ArtifactStore;
  /** ML backend name this worker uses (from models/backend). */
  backend: string;
  /** Concurrent activity executions (default: CPU count). */
  concurrency?: number;
  /** Poll workflow tasks too (the cpu queue hosts workflows). Default: queue === 'cpu'. */
  workflows?: boolean;
  identity?: string;
}

export interface RunningWorker {
  worker: Worker;
  queue: string;
  identity: string;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  await installTemporalRuntime();
  const taskQueue = queueName(opts.queue);
  const identity = opts.identity ?? `${os.hostname()}:${process.pid}:${taskQueue}`;
  const connection = await NativeConnection.connect({ address: opts.address });
  const clientConnection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection: clientConnection, namespace: temporalNamespace() });
  const services = { database: opts.database, store: opts.store, client, backend: opts.backend, workerId: identity, logger };
  // Temporary files of writers that died (a disk-full, a killed worker) are removed at start-up.
  void opts.store.sweepTemporaryFiles().then((n) => {
    if (n > 0) logger.info({ removed: n, location: opts.store.location }, 'removed leftover temporary artifact files');
  });
  const activities = { ...createCampaignActivities(services), ...createPipelineActivities(services) };
  const withWorkflows = opts.workflows ?? opts.queue === 'cpu';
  const concurrency = opts.concurrency ?? Math.max(2, os.cpus().length);
  const worker = await Worker.create({
    connection,
    namespace: temporalNamespace(),
    taskQueue,
    identity,
    activities,
    ...(withWorkflows ? { workflowBundle: await workflowBundle() } : {}),
    maxConcurrentActivityTaskExecutions: concurrency,
    maxConcurrentWorkflowTaskExecutions: 20,
    maxCachedWorkflows: 200,
    shutdownGraceTime: '5s',
  });
  workerInfo.set({ backend: opts.backend, queue: taskQueue }, 1);
  logger.info({ queue: taskQueue, backend: opts.backend, identity, concurrency }, 'worker started');
  const done = worker.run().finally(async () => {
    await connection.close().catch(() => undefined);
    await clientConnection.close().catch(() => undefined);
  });
  let stopping: Promise<void> | null = null;
  return {
    worker,
    queue: taskQueue,
    identity,
    done,
    shutdown() {
      if (!stopping) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        stopping = done.catch(() => undefined);
      }
      return stopping;
    },
  };
}
