/**
 * The ML backend a worker process uses, chosen once at start-up (tfjs-node-gpu, tfjs-node, wasm,
 * cpu; `PLUME_BACKEND` forces one) and reported in logs, `/metrics` and the rows it writes.
 */
import { logger } from '../infra/logger.js';

let chosen: string | null = null;

export async function initWorkerBackend(): Promise<string> {
  if (chosen) return chosen;
  try {
    const mod = (await import('../models/backend.js')) as { initBackend?: (p?: string) => Promise<{ name: string }> };
    if (mod.initBackend) {
      const info = await mod.initBackend(process.env.PLUME_BACKEND ?? 'auto');
      chosen = info.name;
    }
  } catch (e) {
    if (process.env.PLUME_BACKEND) throw e;
    logger.warn({ err: (e as Error).message }, 'ML backend unavailable; ML stages will fail on this worker');
  }
  chosen ??= 'none';
  logger.info({ backend: chosen }, 'ML backend selected');
  return chosen;
}
