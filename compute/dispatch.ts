/**
 * Runs a compute task module (`kinds/<kind>/tasks/<name>.ts`, exporting `run(input)`) in the
 * calling thread: the body of every compute worker thread, and of inline mode
 * (`PLUME_COMPUTE_THREADS=0`).
 */
import { TASK_MODULE } from './task.js';

interface TaskModule {
  run(input: unknown): unknown;
}

const KINDS_ROOT = new URL('../kinds/', import.meta.url).href;

export async function runComputeTask(url: string, input: unknown): Promise<unknown> {
  if (!url.startsWith(KINDS_ROOT) || !TASK_MODULE.test(new URL(url).pathname)) throw new Error(`not a compute task module: ${url}`);
  const mod = (await import(url)) as Partial<TaskModule>;
  if (typeof mod.run !== 'function') throw new Error(`compute task module ${url} exports no run(input)`);
  // Results are structured-cloned back to the caller (typed arrays copy at memory speed, which is
  // negligible next to the simulations that produce them).
  return mod.run(input);
}
