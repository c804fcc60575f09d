/**
 * The ML backend of a compute thread: each worker thread initialises its own tf backend once, on
 * first use by an ML task (`initBackend` honours `PLUME_BACKEND`, default 'auto': tfjs-node-gpu >
 * tfjs-node > wasm > cpu).
 */
import path from 'node:path';
import { toolHome } from '../infra/paths.js';
import { initBackend, type BackendInfo } from '../models/backend.js';

let backend: Promise<BackendInfo> | null = null;

/** This thread's ML backend, initialised on first use. */
export function threadBackend(): Promise<BackendInfo> {
  backend ??= initBackend((process.env.PLUME_BACKEND as never) || 'auto').catch((e: unknown) => {
    backend = null;
    throw e;
  });
  return backend;
}

/** Where workload backend choices are remembered on this machine (see models/workload-backend.ts). */
export function backendChoiceCache(): string {
  return path.join(toolHome(), 'backend-choices.json');
}
