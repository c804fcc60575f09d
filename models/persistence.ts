/**
 * Save/load trained upscaling models in the content-addressed `ArtifactStore`.
 *
 * Layout: each weight tensor is an `.npy` artifact (numpy-readable, kind 'model-weight'); a JSON
 * manifest (kind 'model') records the format version, arch, shape, fully resolved options,
 * normalisation, the backend it was trained on, parameter count and the weight artifact ids in
 * parameter order. The manifest's id is the model's artifact id. Identical models give identical
 * ids. Loading rebuilds the architecture from the manifest on the current backend and assigns
 * the weights, so a model trained on wasm predicts the same (to float tolerance) on cpu.
 */
import type { ArtifactRef, ArtifactStore } from '../artifacts/store.js';
import { tf } from './tf.js';
import type { TrainedModel } from './predict.js';
import type { MinMaxNormalisation } from './training/normalisation.js';
import type { ModelShape, UpscalingArch, UpscalingModel } from './upscaling/model.js';
import type { ResolvedModelOptions } from './upscaling/model-options.js';
import { buildModel } from './upscaling/registry.js';

export { predict, type TrainedModel } from './predict.js';

export const MODEL_FORMAT = 'plume-upscaling-model/1';

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  arch: UpscalingArch;
  shape: ModelShape;
  options: ResolvedModelOptions;
  normalisation: MinMaxNormalisation;
  /** Backend the model was trained/saved on (informational; any backend can load it). */
  backend: string;
  paramsCount: number;
  weights: { name: string; shape: number[]; artifactId: string }[];
  /** Free-form provenance (e.g. dataset id, epochs); keep it deterministic for stable ids. */
  meta?: Record<string, unknown>;
}

export interface SaveModelOptions {
  backend?: string;
  meta?: Record<string, unknown>;
}

/** Stores weights and manifest; returns the manifest's artifact id. */
export async function saveModel(store: ArtifactStore, trained: TrainedModel, options: SaveModelOptions = {}): Promise<string> {
  const { model, normalisation } = trained;
  const weights: ModelManifest['weights'] = [];
  for (const p of model.parameters) {
    const data = (await p.variable.data()) as Float32Array;
    const ref = await store.putTensor('model-weight', data, p.variable.shape);
    weights.push({ name: p.name, shape: [...p.variable.shape], artifactId: ref.id });
  }
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    arch: model.arch,
    shape: { ...model.shape },
    options: model.options,
    normalisation,
    backend: options.backend ?? tf.getBackend(),
    paramsCount: model.paramsCount,
    weights,
    ...(options.meta ? { meta: options.meta } : {}),
  };
  return (await store.putJson('model', manifest)).id;
}

export async function loadManifest(store: ArtifactStore, id: string): Promise<ModelManifest> {
  const m = await store.getJson<ModelManifest>(id);
  if (m?.format !== MODEL_FORMAT) throw new Error(`artifact ${id} is not a Plume upscaling model (format '${m?.format}', expected '${MODEL_FORMAT}')`);
  return m;
}

/** Loads a model saved by `saveModel` onto the current backend. */
export async function loadModel(store: ArtifactStore, id: string): Promise<TrainedModel & { manifest: ModelManifest }> {
  const manifest = await loadManifest(store, id);
  const model: UpscalingModel = buildModel(manifest.arch, manifest.shape, manifest.options);
  try {
    if (model.parameters.length !== manifest.weights.length) {
      throw new Error(`model ${id}: manifest lists ${manifest.weights.length} weights, ${manifest.arch} has ${model.parameters.length}`);
    }
    for (let i = 0; i < model.parameters.length; i++) {
      const p = model.parameters[i];
      const w = manifest.weights[i];
      const arr = await store.getTensor(w.artifactId);
      if (p.name !== w.name || arr.shape.join(',') !== p.variable.shape.join(',')) {
        throw new Error(
          `model ${id}: weight ${i} is '${w.name}' [${arr.shape.join(',')}], the architecture expects '${p.name}' [${p.variable.shape.join(',')}]`,
        );
      }
      tf.tidy(() => p.variable.assign(tf.tensor(arr.data as Float32Array, p.variable.shape, 'float32')));
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, normalisation: manifest.normalisation, manifest };
}

/** Artifact refs of a saved model (manifest + weights), for the `artifacts` table. */
export async function modelArtifactRefs(store: ArtifactStore, manifestId: string, manifest: ModelManifest): Promise<ArtifactRef[]> {
  const bytes = (await store.stat(manifestId, '.json'))?.bytes ?? 0;
  const refs: ArtifactRef[] = [{ id: manifestId, kind: 'model', dtype: 'bytes', shape: [bytes], bytes, uri: store.uriOf(manifestId, '.json') }];
  for (const w of manifest.weights) {
    const size = (await store.stat(w.artifactId, '.npy'))?.bytes ?? 0;
    refs.push({ id: w.artifactId, kind: 'model-weight', dtype: 'float32', shape: w.shape, bytes: size, uri: store.uriOf(w.artifactId, '.npy') });
  }
  return refs;
}
