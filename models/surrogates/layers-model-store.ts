/**
 * Save / load TF.js `LayersModel`s (surrogates, decoders) through the `ArtifactStore`: the weight
 * bytes go in as one `.bin` artifact, the topology + weight specs + caller metadata as a `.json`
 * artifact that references it. The returned JSON artifact id is what callers keep (e.g. in the DB).
 */
import { tf } from '../tf.js';
import type { ArtifactRef, ArtifactStore } from '../../artifacts/store.js';
import type { SurrogateInputSpec } from './surrogate-input.js';
// Registers the custom layers some saved surrogates contain (the U-Net's per-output affine and breakthrough curves).
import './breakthrough-curves.js';
import './per-output-affine.js';
import { wrapSurrogate, type Surrogate, type SurrogateArch } from './surrogate.js';

interface StoredModelManifest<M> {
  format: 'plume-tfjs-layers-v1';
  meta: M;
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightsId: string;
}

export async function saveLayersModel<M>(store: ArtifactStore, kind: string, model: tf.LayersModel, meta: M): Promise<ArtifactRef> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error(`saving ${kind}: TF.js produced no weights`);
  const bytes = new Uint8Array(new tf.io.CompositeArrayBuffer(artifacts.weightData).slice());
  const weights = await store.putBytes(`${kind}-weights`, bytes, '.bin');
  const manifest: StoredModelManifest<M> = {
    format: 'plume-tfjs-layers-v1',
    meta,
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    weightsId: weights.id,
  };
  return store.putJson(kind, manifest);
}

export async function loadLayersModel<M>(store: ArtifactStore, id: string): Promise<{ model: tf.LayersModel; meta: M }> {
  const manifest = await store.getJson<StoredModelManifest<M>>(id);
  if (manifest.format !== 'plume-tfjs-layers-v1') throw new Error(`artifact ${id} is not a saved Plume TF.js model (format '${manifest.format}')`);
  const buf = await store.getBytes(manifest.weightsId, '.bin');
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: manifest.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: manifest.weightSpecs, weightData }),
  );
  return { model, meta: manifest.meta };
}

interface SurrogateMeta {
  arch: SurrogateArch;
  input: SurrogateInputSpec;
  outputDim: number;
  options: Record<string, unknown>;
}

export function saveSurrogate(store: ArtifactStore, s: Surrogate): Promise<ArtifactRef> {
  const meta: SurrogateMeta = { arch: s.arch, input: s.input, outputDim: s.outputDim, options: { ...s.options } };
  return saveLayersModel(store, `surrogate-${s.arch}`, s.model, meta);
}

export async function loadSurrogate(store: ArtifactStore, id: string): Promise<Surrogate> {
  const { model, meta } = await loadLayersModel<SurrogateMeta>(store, id);
  return wrapSurrogate(meta.arch, meta.input, meta.outputDim, meta.options, model);
}
