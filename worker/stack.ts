/**
 * The Plume stack a process needs: results database, artifact store, Temporal client and, in
 * embedded mode, an in-process worker and a dev server.
 *
 * Temporal: `TEMPORAL_ADDRESS` if set; else a dev server recorded in `<state>/temporal.json` by
 * another live Plume process (`plume dev`); else a dev server started here (SQLite in
 * `<state>/temporal.db`) and stopped on close. A recorded server whose owner died is adopted and
 * stopped on close too (infra/dev-server-ownership.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ArtifactStore } from '../artifacts/store.js';
import { openDatabase, type Database } from '../db/client.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { startWorker, type RunningWorker } from './plume-worker.js';
import { devServerRecordFile, findRecordedDevServer, recordDevServer, stopOnExit, stopServerByPid } from '../infra/dev-server-ownership.js';
import { logger } from '../infra/logger.js';
import { stableUiPort } from '../infra/temporal-ui-port.js';
import { stateDir } from '../infra/paths.js';
import { temporalNamespace, type QueueKind } from '../infra/queues.js';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server.js';

export interface StackOptions {
  /** Queues to run in-process workers for (embedded mode). Default none. */
  workers?: QueueKind[];
  workerConcurrency?: number;
  /** Start a dev server if none is reachable (default true). */
  startTemporal?: boolean;
  /** Serve `/metrics` on this port (0 = random) when workers run. */
  metricsPort?: number | null;
  /** Extra dynamic config for a dev server started here (tests). */
  dynamicConfig?: Record<string, unknown>;
  /** ML backend name reported by workers. */
  backend?: string;
  /** An already open results database to use (and close with the stack). */
  database?: Database;
}

export interface Stack {
  database: Database;
  store: ArtifactStore;
  client: Client;
  temporalAddress: string;
  temporalUiUrl: string | null;
  devServer: DevServer | null;
  workers: RunningWorker[];
  metrics: MetricsServer | null;
  /**
   * pids of the other Plume processes this stack borrows from: the one serving the embedded
   * database, the one owning the shared dev server. When they exit, so do those services.
   */
  hosts: number[];
  close(): Promise<void>;
}

export async function openStack(opts: StackOptions = {}): Promise<Stack> {
  const database = opts.database ?? (await openDatabase());
  const store = new ArtifactStore();
  let devServer: DevServer | null = null;
  /** pid of a dev server this process stops on close (started here, or an adopted orphan). */
  let ownedPid: number | null = null;
  let address = process.env.TEMPORAL_ADDRESS ?? null;
  let uiUrl: string | null = null;
  const hosts = new Set<number>(database.servedBy !== null ? [database.servedBy] : []);
  if (!address) {
    const recorded = await findRecordedDevServer();
    if (recorded) {
      address = recorded.record.address;
      uiUrl = recorded.record.uiUrl;
      if (recorded.state === 'shared' && recorded.record.ownerPid !== process.pid) hosts.add(recorded.record.ownerPid);
      if (recorded.state === 'orphan' && (opts.startTemporal ?? true)) {
        // Its owner died without stopping it (SIGKILL): adopt it, so it is stopped when we exit.
        await recordDevServer({ pid: recorded.record.pid, address, uiUrl });
        ownedPid = recorded.record.pid;
        logger.info({ address, pid: ownedPid }, 'adopted an orphaned temporal dev server');
      }
    } else if (opts.startTemporal ?? true) {
      const serverOptions = {
        dbFilename: path.join(stateDir(), 'temporal.db'),
        logFile: path.join(stateDir(), 'logs', 'temporal.log'),
        dynamicConfig: opts.dynamicConfig,
      };
      // The UI on this state dir's stable port, so stored workflow links keep working; any free port if that fails (taken meanwhile).
      devServer = await startDevServer({ ...serverOptions, uiPort: await stableUiPort() }).catch(() => startDevServer(serverOptions));
      address = devServer.address;
      uiUrl = devServer.uiUrl;
      ownedPid = devServer.pid;
      await recordDevServer({ pid: devServer.pid, address, uiUrl });
      logger.info({ address, ui: uiUrl, binary: devServer.binary }, 'temporal dev server started');
    } else {
      await database.close();
      throw new Error('no Temporal server: set TEMPORAL_ADDRESS, or run `plume dev` in another terminal');
    }
  }
  const unregisterExitStop = ownedPid !== null ? stopOnExit(ownedPid) : () => undefined;
  const stopOwnedServer = async (): Promise<void> => {
    if (ownedPid === null) return;
    if (devServer) await devServer.stop();
    else await stopServerByPid(ownedPid);
    await rm(devServerRecordFile(), { force: true });
    unregisterExitStop();
  };
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: temporalNamespace() });
  const workers: RunningWorker[] = [];
  let metrics: MetricsServer | null = null;
  try {
    for (const q of opts.workers ?? []) {
      workers.push(await startWorker({ address, queue: q, database, store, backend: opts.backend ?? 'none', concurrency: opts.workerConcurrency }));
    }
    if (workers.length > 0 && opts.metricsPort !== null) metrics = await startMetricsServer(opts.metricsPort ?? 0);
  } catch (e) {
    await Promise.all(workers.map((w) => w.shutdown()));
    await connection.close();
    await stopOwnedServer();
    await database.close();
    throw e;
  }
  let closed = false;
  return {
    database,
    store,
    client,
    temporalAddress: address,
    temporalUiUrl: uiUrl,
    devServer,
    workers,
    metrics,
    hosts: [...hosts],
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((w) => w.shutdown()));
      await metrics?.close();
      await connection.close().catch(() => undefined);
      await stopOwnedServer();
      await database.close();
    },
  };
}
