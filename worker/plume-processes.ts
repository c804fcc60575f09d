/**
 * `plume` commands as separate processes on this machine, the way a cluster runs them (workers,
 * dashboard, the migrations job): for the multi-process cluster test and the million-run benchmark.
 * The workflow bundle is built once, by the caller's process, and each spawned process gets a copy
 * of it in its own state directory instead of rebuilding it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../infra/paths.js';
import { workflowBundle } from './workflow-bundle.js';

export interface PlumeProcess {
  name: string;
  child: ChildProcess;
  stateDir: string;
  /** Port of its `/metrics` (workers: also `/healthz` and `/readyz`; the dashboard: its HTTP port). */
  metricsPort: number;
  /** The last 4,000 characters of its stdout and stderr. */
  output: string;
}

const PLUME_BIN = path.join(projectRoot(), 'bin', 'plume.mjs');

/** Build the workflow bundle once into `<dir>/cache` (a state dir of its own); returns that cache folder. */
export async function prebuildWorkflowBundle(dir: string): Promise<string> {
  const saved = process.env.PLUME_STATE_DIR;
  process.env.PLUME_STATE_DIR = dir;
  try {
    await workflowBundle();
  } finally {
    if (saved === undefined) delete process.env.PLUME_STATE_DIR;
    else process.env.PLUME_STATE_DIR = saved;
  }
  return path.join(dir, 'cache');
}

/**
 * Start a long-running `plume` process (`worker`, `dashboard`) with its own state directory
 * `<root>/<name>`, holding a copy of the prebuilt workflow bundle.
 */
export async function spawnPlume(opts: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  root: string;
  bundleCache: string;
  metricsPort: number;
}): Promise<PlumeProcess> {
  const stateDir = path.join(opts.root, opts.name);
  await cp(opts.bundleCache, path.join(stateDir, 'cache'), { recursive: true });
  const child = spawn(process.execPath, [PLUME_BIN, ...opts.args], {
    env: { ...opts.env, PLUME_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: PlumeProcess = { name: opts.name, child, stateDir, metricsPort: opts.metricsPort, output: '' };
  child.stdout.on('data', (d) => (p.output = (p.output + String(d)).slice(-4000)));
  child.stderr.on('data', (d) => (p.output = (p.output + String(d)).slice(-4000)));
  return p;
}

/** Run a `plume` command to its end (e.g. `migrate`, the Helm chart's migrations job); exit code and output. */
export function runPlume(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PLUME_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('exit', (c) => resolve({ code: c, out }));
  });
}

async function httpOk(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
}

/** Wait until `url` (a worker's `/readyz`, the dashboard's `/metrics`) answers 200; fails with the process's output if it exits first. */
export async function waitForPlume(p: PlumeProcess, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode}):\n${p.output}`);
    if (await httpOk(url)) return;
    if (Date.now() > deadline) throw new Error(`${p.name} not ready at ${url} after ${timeoutMs} ms:\n${p.output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM every process still running (a worker drains its tasks), SIGKILL after 10 s. */
export async function stopPlume(procs: readonly PlumeProcess[]): Promise<void> {
  await Promise.all(
    procs.map(async (p) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return;
      const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
      p.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }),
  );
}
