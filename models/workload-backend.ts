/**
 * Places one ML workload (training a model, batched inference) on the faster of the backends this
 * thread started. Native TensorFlow is many times faster than wasm on large tensors but pays a
 * per-op overhead that dominates tiny ones, so no fixed rule by name is right: the choice is made by
 * a short timed probe of the workload's own step on each backend (warm-up, then the fastest of a few
 * steps: on shared cores other jobs only ever add time to a step, so the minimum is the estimate
 * least disturbed by them; bench/train-backends.ts saw a median-of-3 probe pick either backend for
 * the same small workload at load average 30 on 2 cores), and remembered by the workload's signature (architecture, shapes, batch) so repeats of the
 * same workload, in this thread and, with `cacheFile`, on this machine, land on the same backend
 * (same numbers for the same spec and seed). The choice and its reason are returned for the run's row.
 * Native TensorFlow is probed first, and a later backend is cut short once it is clearly slower (3x
 * and over a quarter second per step), so a probe of a large workload costs its warm-up and one slow
 * step there.
 *
 * `PLUME_BACKEND` set to a backend skips the probe (everything runs there). A thread with one
 * backend (wasm-only or cpu-only installs, GPU workers) never probes.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { activateBackend, currentBackend } from './backend.js';
import { tf } from './tf.js';

export interface WorkloadProbe {
  /** Same signature, same choice: include architecture, tensor shapes and batch size. */
  signature: string;
  /** One representative step on the active backend. Must leave model state unchanged and dispose
   *  what it creates (e.g. gradients without applying them, or one forward pass). */
  step: () => void;
  /** Timed steps per backend after one warm-up (default 3; the fastest counts). */
  steps?: number;
}

export interface BackendChoice {
  backend: string;
  reason: string;
  /** Fastest milliseconds per probe step on each backend (absent when nothing was probed). */
  msPerStep?: Record<string, number>;
}

const memo = new Map<string, BackendChoice>();

function readCache(file: string): Record<string, BackendChoice> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, BackendChoice>;
  } catch {
    return {};
  }
}

function writeCache(file: string, signature: string, choice: BackendChoice): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const all = existsSync(file) ? readCache(file) : {};
    all[signature] = choice;
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 1));
    renameSync(tmp, file);
  } catch {
    // a read-only home only costs a probe next time
  }
}

/** Steps shorter than this cost too little to be worth cutting a probe short for. */
const PROBE_CUT_MS = 250;

/**
 * True when a backend's fastest timed step so far already shows it losing
 * by a wide margin to the best backend probed before it: at least 3x its fastest step and long enough
 * that finishing the probe would cost real time. On shared cores other jobs only add time, so a
 * 3x margin is not noise; small workloads (where the backends are close) always run the full probe.
 */
function clearlySlower(msSoFar: number, bestMs: number): boolean {
  return Number.isFinite(bestMs) && msSoFar > 3 * bestMs && msSoFar > PROBE_CUT_MS;
}

/**
 * Chooses and activates the backend for a workload. `cacheFile` (optional) remembers choices across
 * threads and processes on this machine; entries are keyed by backend set and native kernels too, so
 * installing or removing the native binding, or switching oneDNN, re-probes.
 */
export async function chooseWorkloadBackend(probe: WorkloadProbe, cacheFile?: string): Promise<BackendChoice> {
  const info = currentBackend();
  if (!info) throw new Error('chooseWorkloadBackend: no ML backend started in this thread (call initBackend first)');
  const forced = process.env.PLUME_BACKEND?.trim();
  if (info.available.length < 2 || (forced && forced !== 'auto')) {
    const backend = tf.getBackend();
    return { backend, reason: forced && forced !== 'auto' ? `PLUME_BACKEND=${forced}` : `only backend started here (${info.package})` };
  }
  const key = `${info.available.join('+')}${info.tensorflowKernels ? `[${info.tensorflowKernels}]` : ''}|${probe.signature}`;
  let choice = memo.get(key) ?? (cacheFile ? readCache(cacheFile)[key] : undefined);
  if (!choice || !info.available.includes(choice.backend)) {
    const steps = probe.steps ?? 3;
    const ms: Record<string, number> = {};
    const abandoned: string[] = [];
    // Native first: it wins most workloads large enough for the probe to cost anything, so the
    // backends after it can be abandoned as soon as they are clearly slower (see `clearlySlower`).
    const order = [...info.available].sort((a, b) => Number(b === 'tensorflow') - Number(a === 'tensorflow'));
    for (const b of order) {
      const best = Math.min(...Object.values(ms));
      await activateBackend(b);
      // Warm-up: moves the model's variables to this backend and pays one-time kernel set-up, so its
      // time says nothing about the step (wasm's first small-preset step took 1.1 s, its later ones ~10-20 ms).
      probe.step();
      let fastest = Infinity;
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        probe.step();
        fastest = Math.min(fastest, performance.now() - t0);
        if (clearlySlower(fastest, best)) {
          abandoned.push(b);
          break;
        }
      }
      ms[b] = fastest;
    }
    const ranked = Object.entries(ms).sort((a, b) => a[1] - b[1]);
    const [best, bestMs] = ranked[0];
    const [other, otherMs] = ranked[1];
    choice = {
      backend: best,
      reason: `probe: ${best} ${bestMs.toFixed(2)} ms/step vs ${other} ${abandoned.includes(other) ? '>' : ''}${otherMs.toFixed(2)} ms/step`,
      msPerStep: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Number(v.toFixed(3))])),
    };
    if (cacheFile) writeCache(cacheFile, key, choice);
  }
  memo.set(key, choice);
  await activateBackend(choice.backend);
  return choice;
}
