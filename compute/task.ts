/**
 * Typed handles of compute tasks. A task is a module `kinds/<kind>/tasks/<name>.ts` exporting
 * `run(input)`; its handle carries the module's URL (what a worker thread imports) and, as types
 * only, the input and output of `run`, so `runCompute(handle, input)` is checked at compile time
 * and the main thread never loads the task's code.
 *
 *   import type { run as simulate } from './tasks/simulate.js';
 *   export const simulateTask = computeTask<typeof simulate>(new URL('./tasks/simulate.ts', import.meta.url));
 */
export interface ComputeTask<I, O> {
  /** `file:` URL of the task module. */
  readonly url: string;
  /** `<kind>/<task>`, for logs, errors and progress channel names. */
  readonly name: string;
  /** Carries the types of `run` (never set at run time). */
  readonly types?: (input: I) => O;
}

type TaskRun = (input: never) => unknown;

/** `…/kinds/<kind>/tasks/<task>.ts` (`.js` once compiled): the only modules a compute thread runs. */
export const TASK_MODULE = /\/kinds\/([a-z][a-z0-9-]*)\/tasks\/([a-z][a-z0-9-]*)\.(ts|js)$/;

/** True when this code runs compiled to JavaScript (images: infra/build-app.sh), not from TypeScript sources. */
const COMPILED = import.meta.url.endsWith('.js');

export function computeTask<F extends TaskRun>(source: URL): ComputeTask<Parameters<F>[0], Awaited<ReturnType<F>>> {
  // Handles name the TypeScript source; compiled code runs the .js next to where it was.
  const url = COMPILED ? new URL(source.href.replace(/\.ts$/, '.js')) : source;
  const m = TASK_MODULE.exec(url.pathname);
  if (url.protocol !== 'file:' || !m) throw new Error(`compute task module must be kinds/<kind>/tasks/<name>.ts, got ${url.href}`);
  return { url: url.href, name: `${m[1]}/${m[2]}` };
}
