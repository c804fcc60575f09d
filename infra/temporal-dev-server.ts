/**
 * Starting and stopping a local Temporal dev server (`temporal server start-dev`): SQLite file in
 * the state dir, free loopback ports, readiness wait, clean shutdown. Used by `plume run`/`plume dev`
 * when `TEMPORAL_ADDRESS` is unset, and by the test suite's global setup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from './free-port.js';
import { requireTemporalBinary } from './temporal-binary.js';

export interface DevServerOptions {
  /** SQLite file for persistence; omit for in-memory. */
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  metricsPort?: number;
  headless?: boolean;
  /** Extra `--dynamic-config-value KEY=VALUE` entries (values are JSON). */
  dynamicConfig?: Record<string, unknown>;
  /** File that receives the server's stdout/stderr. */
  logFile?: string;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  metricsUrl: string;
  pid: number;
  binary: string;
  stop(): Promise<void>;
}

/** Dynamic config that keeps a dev server fast for tests and campaigns on a small machine. */
const DEFAULT_DYNAMIC_CONFIG: Record<string, unknown> = {
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.workerVersioningDataAPIs': true,
};

async function waitReady(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode} during start-up`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.getSystemInfo({});
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await conn.close();
      }
    } catch (e) {
      lastErr = e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal dev server at ${address} not ready after ${timeoutMs} ms: ${String(lastErr)}`);
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const binary = requireTemporalBinary();
  const port = opts.port ?? (await freePort());
  const metricsPort = opts.metricsPort ?? (await freePort());
  const uiPort = opts.headless ? null : (opts.uiPort ?? (await freePort()));
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--metrics-port', String(metricsPort), '--log-level', 'error'];
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (opts.dbFilename) {
    mkdirSync(path.dirname(opts.dbFilename), { recursive: true });
    args.push('--db-filename', opts.dbFilename);
  }
  for (const [k, v] of Object.entries({ ...DEFAULT_DYNAMIC_CONFIG, ...opts.dynamicConfig })) {
    args.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
  }
  let stdio: ('ignore' | number)[] = ['ignore', 'ignore', 'ignore'];
  if (opts.logFile) {
    mkdirSync(path.dirname(opts.logFile), { recursive: true });
    const fd = openSync(opts.logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(binary, args, { stdio, detached: false });
  const address = `127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(address, child, opts.readyTimeoutMs ?? 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    address,
    uiUrl: uiPort === null ? null : `http://127.0.0.1:${uiPort}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    pid: child.pid ?? -1,
    binary,
    stop,
  };
}
