/**
 * Native TensorFlow's process settings, kept apart from `backend.ts` so the main thread can prepare
 * them before it starts compute threads without loading TensorFlow.js itself.
 */
import os from 'node:os';

/**
 * TensorFlow's thread pools for this process: intra-op = cores / compute threads (at least 1), so
 * `PLUME_COMPUTE_THREADS` threads each running TensorFlow never oversubscribe the cores, and one
 * inter-op thread (Plume's graphs are sequential chains of ops). `TF_NUM_INTRAOP_THREADS` /
 * `TF_NUM_INTEROP_THREADS` set by the user win. TensorFlow reads them when the binding loads.
 */
export function nativeThreadSettings(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): { intraOp: number; interOp: number } {
  const computeThreads = Number(env.PLUME_COMPUTE_THREADS) > 0 ? Number(env.PLUME_COMPUTE_THREADS) : cores;
  const fromEnv = (v: string | undefined): number | null => (v !== undefined && /^[1-9][0-9]*$/.test(v.trim()) ? Number(v) : null);
  return {
    intraOp: fromEnv(env.TF_NUM_INTRAOP_THREADS) ?? Math.max(1, Math.floor(cores / computeThreads)),
    interOp: fromEnv(env.TF_NUM_INTEROP_THREADS) ?? 1,
  };
}

/**
 * Puts TensorFlow's settings (thread pools, log level) into the process environment, where the
 * native library reads them with getenv when it loads. Call it on the main thread before starting
 * compute threads: a worker thread's `process.env` is a private copy that getenv never sees.
 * oneDNN's custom operations stay at TensorFlow's default (on for x86) unless
 * `TF_ENABLE_ONEDNN_OPTS` says otherwise: they train the convolutional surrogates 1.3-1.9x faster
 * than the Eigen kernels (infra/native-tensorflow/README.md), and the notice TensorFlow prints about
 * them at load time is filtered by `preloadNativeLibrary`.
 */
export function prepareNativeEnvironment(): { intraOp: number; interOp: number } {
  const threads = nativeThreadSettings();
  process.env.TF_NUM_INTRAOP_THREADS = String(threads.intraOp);
  process.env.TF_NUM_INTEROP_THREADS = String(threads.interOp);
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  return threads;
}
