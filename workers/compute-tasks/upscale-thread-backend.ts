/**
 * Shared by the upscaling compute tasks (not a task itself: it exports no `run`): each worker
 * thread initialises its own tf backend once (`initBackend` honours `PLUME_BACKEND`, default
 * 'auto': tfjs-node-gpu > tfjs-node > wasm > cpu), reports progress to the activity's main thread
 * over a `BroadcastChannel`, and describes the artifacts it wrote so the main thread can register
 * them in the database.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import type { ArtifactRef, ArtifactStore } from '../../artifacts/store.js';
import { initBackend, type BackendInfo } from '../../models/backend.js';
import type { ModelManifest } from '../../models/persistence.js';
import { toolHome } from '../../infra/paths.js';

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

/** Posts progress messages to the channel the caller listens on (no-op without a name). */
export function progressPoster(channel: string | undefined): { post(msg: unknown): void; close(): void } {
  if (!channel) return { post() {}, close() {} };
  const bc = new BroadcastChannel(channel);
  return {
    post(msg) {
      bc.postMessage(msg);
    },
    close() {
      bc.close();
    },
  };
}

/** Artifact refs of a saved model (manifest + weights), for the `artifacts` table. */
export async function modelArtifactRefs(store: ArtifactStore, manifestId: string, manifest: ModelManifest): Promise<ArtifactRef[]> {
  const file = store.pathOf(manifestId, '.json');
  const bytes = (await stat(file)).size;
  const refs: ArtifactRef[] = [{ id: manifestId, kind: 'model', dtype: 'bytes', shape: [bytes], bytes, uri: `file://${file}` }];
  for (const w of manifest.weights) {
    const f = store.pathOf(w.artifactId, '.npy');
    refs.push({ id: w.artifactId, kind: 'model-weight', dtype: 'float32', shape: w.shape, bytes: (await stat(f)).size, uri: `file://${f}` });
  }
  return refs;
}
