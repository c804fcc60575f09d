/**
 * CPU-heavy work (simulations, training) runs in worker threads so the worker's event loop keeps
 * heartbeating and answering workflow tasks. One pool per process, sized by `PLUME_COMPUTE_THREADS`
 * (default: CPU count; 0 runs tasks inline on the main thread, for debugging).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { prepareNativeEnvironment } from '../models/native-environment.js';
import { runComputeTask } from './dispatch.js';
import type { ComputeTask } from './task.js';

let pool: Piscina | null = null;

function threads(): number {
  const env = process.env.PLUME_COMPUTE_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0) throw new Error(`PLUME_COMPUTE_THREADS must be an integer >= 0, got '${env}'`);
    return n;
  }
  return Math.max(1, os.cpus().length);
}

function getPool(): Piscina | null {
  const n = threads();
  if (n === 0) return null;
  if (!pool) {
    // Compute threads inherit the environment as it is now; TensorFlow in them reads it natively.
    prepareNativeEnvironment();
    pool = new Piscina({
      filename: path.join(path.dirname(fileURLToPath(import.meta.url)), 'thread-entry.mjs'),
      minThreads: 0,
      maxThreads: n,
      idleTimeout: 60_000,
    });
  }
  return pool;
}

/** Runs a compute task in a worker thread (inline when `PLUME_COMPUTE_THREADS=0`). */
export async function runCompute<I, O>(task: ComputeTask<I, O>, input: I, signal?: AbortSignal): Promise<O> {
  const p = getPool();
  // Both paths return what the task module's `run` returned, typed by the task handle.
  if (!p) return (await runComputeTask(task.url, input)) as O;
  return (await p.run({ url: task.url, input }, { signal })) as O;
}

export async function closeComputePool(): Promise<void> {
  if (pool) {
    const p = pool;
    pool = null;
    await p.destroy();
  }
}
