/**
 * ML backend selection. Order tried by `initBackend('auto')`:
 *   1. `tensorflow` via `@tensorflow/tfjs-node-gpu` (GPU pools)
 *   2. `tensorflow` via `@tensorflow/tfjs-node` (native CPU)
 *   3. `wasm` via `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD when the runtime has it; the
 *      threaded build needs Web Workers, which Node's wasm build does not use)
 *   4. `cpu` (pure JavaScript, slow; always there)
 * `PLUME_BACKEND` (same names as the `preferred` argument) forces one and fails with a clear error
 * when it is not available. The returned `BackendInfo` is what workers log, label metrics with
 * and store in `runs.backend` / `models.backend`.
 *
 * On `wasm` Plume registers the training kernels that the wasm backend lacks (see
 * `wasm-kernels/`), so every model here trains on it.
 *
 * With the native backend, `auto` also starts `wasm` beside it (both stay registered on the one
 * engine), so a compute task can run each workload on the faster of the two (`workload-backend.ts`
 * chooses; `activateBackend` switches). Native TensorFlow's thread pools are sized before the
 * binding loads (`nativeThreadSettings`) so compute threads x TensorFlow threads never exceed the
 * cores, and its start-up logging is quietened (TF_CPP_MIN_LOG_LEVEL=2 unless set; the notices its
 * library prints as it loads are filtered by `preloadNativeLibrary`).
 *
 * Works from the main thread, `worker_threads` and vitest forks: the native packages are loaded
 * with `createRequire` and the wasm binaries are located on disk next to the package's entry point.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { tf } from './tf.js';
import { prepareNativeEnvironment } from './native-environment.js';
import { preloadNativeLibrary } from './native-library-preload.js';
import { registerNativeStepKernel } from './native-kernels/step.js';
import { registerWasmTrainingKernels } from './wasm-kernels/register.js';

export type BackendPreference = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu' | 'auto';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu', 'auto'];

export interface BackendInfo {
  /** tf backend name as tf.getBackend() reports it: 'tensorflow' | 'wasm' | 'cpu'. */
  name: string;
  device: 'gpu' | 'cpu';
  /** npm package that provides the backend. */
  package: string;
  /** wasm only: SIMD and multithreading as detected at start-up. */
  simd?: boolean;
  threads?: boolean;
  /** Every backend started in this thread (the default first): 'auto' with native TensorFlow
   *  also starts wasm, so workloads can be placed on the faster one. */
  available: string[];
  /** tensorflow only: intra-op and inter-op thread pool sizes. */
  tensorflowThreads?: { intraOp: number; interOp: number };
  /** tensorflow only: which kernels run, e.g. 'onednn+plume-step' ('eigen' with TF_ENABLE_ONEDNN_OPTS=0;
   *  plume-step: `native-kernels/step.ts`). Part of the workload placement cache key. */
  tensorflowKernels?: string;
}

const require = createRequire(import.meta.url);
let current: BackendInfo | null = null;

/** Backend currently selected by `initBackend` (null before the first call). */
export function currentBackend(): BackendInfo | null {
  return current && current.available.includes(tf.getBackend()) ? current : null;
}

function tryRequire(pkg: string): { ok: true } | { ok: false; error: string } {
  try {
    require(pkg);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as Error).message.split('\n')[0] };
  }
}

async function initNative(gpu: boolean): Promise<BackendInfo> {
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const threads = prepareNativeEnvironment();
  preloadNativeLibrary(pkg);
  const r = tryRequire(pkg);
  if (!r.ok) throw new Error(`${pkg} is not usable here (${r.error}); 'npm run setup' builds it (infra/native-tensorflow/build-binding.sh)`);
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but the 'tensorflow' backend failed to initialise`);
  await tf.ready();
  registerNativeStepKernel();
  const onednn = !['0', 'false'].includes((process.env.TF_ENABLE_ONEDNN_OPTS ?? '').trim().toLowerCase());
  // tfjs-node-gpu is only installed on GPU nodes (CUDA libraries are its install prerequisite).
  const device: 'gpu' | 'cpu' = gpu ? 'gpu' : 'cpu';
  const tensorflowKernels = `${onednn ? 'onednn' : 'eigen'}+plume-step`;
  return { name: 'tensorflow', device, package: pkg, available: ['tensorflow'], tensorflowThreads: threads, tensorflowKernels };
}

function wasmDistDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

async function initWasm(): Promise<BackendInfo> {
  const pkg = '@tensorflow/tfjs-backend-wasm';
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    // require, like tf.ts: one CommonJS copy of tfjs-core for every package.
    wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    throw new Error(`${pkg} cannot be imported: ${(e as Error).message}`);
  }
  if (!tf.findBackendFactory('wasm'))
    throw new Error(`${pkg} registered no 'wasm' backend with Plume's tf instance: two copies of @tensorflow/tfjs-core are installed; dedupe node_modules`);
  if (tf.findBackend('wasm') == null) wasm.setWasmPaths(wasmDistDir() + path.sep);
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error(`${pkg}: the wasm backend failed to initialise (wasm files looked up in ${wasmDistDir()})`);
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { name: 'wasm', device: 'cpu', package: pkg, simd, threads, available: ['wasm'] };
}

async function initCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error(`@tensorflow/tfjs-backend-cpu failed to initialise`);
  await tf.ready();
  return { name: 'cpu', device: 'cpu', package: '@tensorflow/tfjs-backend-cpu', available: ['cpu'] };
}

function init(p: Exclude<BackendPreference, 'auto'>): Promise<BackendInfo> {
  switch (p) {
    case 'tensorflow-gpu':
      return initNative(true);
    case 'tensorflow':
      return initNative(false);
    case 'wasm':
      return initWasm();
    case 'cpu':
      return initCpu();
  }
}

/**
 * Select and initialise the backend. `preferred` defaults to `PLUME_BACKEND`, then 'auto'.
 * A named backend (argument or env) that cannot start throws; 'auto' walks the order above.
 */
export async function initBackend(preferred?: BackendPreference): Promise<BackendInfo> {
  const env = process.env.PLUME_BACKEND?.trim();
  if (env && !BACKEND_PREFERENCES.includes(env as BackendPreference)) {
    throw new Error(`PLUME_BACKEND='${env}' is not a backend: use one of ${BACKEND_PREFERENCES.join(', ')}`);
  }
  const choice: BackendPreference = (env as BackendPreference | undefined) || preferred || 'auto';
  if (choice !== 'auto') {
    try {
      current = await init(choice);
    } catch (e) {
      const src = env ? `PLUME_BACKEND=${env}` : `initBackend('${choice}')`;
      throw new Error(`${src}: backend unavailable: ${(e as Error).message}. Unset PLUME_BACKEND or choose 'auto', 'wasm' or 'cpu'.`);
    }
    return current;
  }
  const errors: string[] = [];
  for (const p of ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const) {
    try {
      current = await init(p);
      if (current.name === 'tensorflow' && current.device === 'cpu') {
        // Small workloads can run faster on wasm (per-op overhead); start it too and switch back.
        try {
          await initWasm();
          current.available.push('wasm');
        } catch {
          // wasm missing: everything runs on tensorflow
        }
        await tf.setBackend('tensorflow');
      }
      return current;
    } catch (e) {
      errors.push(`${p}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no ML backend could start:\n  ${errors.join('\n  ')}`);
}

/** Makes `name` (one of `currentBackend().available`) the backend new tensors and ops use. */
export async function activateBackend(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!current?.available.includes(name))
    throw new Error(`backend '${name}' was not started in this thread (available: ${current?.available.join(', ') ?? 'none'})`);
  if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to activate`);
}
