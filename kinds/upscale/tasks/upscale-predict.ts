/**
 * Compute task: the `upscale` stage for a chunk of Monte-Carlo runs. Loads each model once per
 * thread (cached by artifact id), predicts the 10x fields of every run in batches, de-normalised
 * to physical units, stores them, and derives the quantities of interest (needs B, ED and Cr; a
 * quantity whose variable has no model is null).
 */
import { physicalLowerBound } from '../../../physics/bioremediation/simulate.js';
import type { ArtifactRef } from '../../../artifacts/store.js';
import { ArtifactStore } from '../../../artifacts/store.js';
import { loadModel, predict, type TrainedModel } from '../../../models/persistence.js';
import { choosePredictBackend } from '../../../models/predict.js';
import type { BackendChoice } from '../../../models/workload-backend.js';
import { domainMean, penetrationLength, BIOMASS_GROWTH_FACTOR } from '../../../physics/bioremediation/scalar-outputs.js';
import { progressPoster } from '../../../compute/progress.js';
import { backendChoiceCache, threadBackend } from '../../../compute/thread-backend.js';

export interface UpscalePredictInput {
  storeRoot: string;
  progressChannel?: string;
  models: { modelId: string; artifactId: string; variable: string; arch: string }[];
  runs: { runIndex: number; input: Record<string, string>; scenario: { crBackground: number; biomass0: number; edInjection: number } }[];
  shapeX: [number, number, number];
  dx: number;
  batchSize: number;
}

export interface RunPrediction {
  runIndex: number;
  prediction: Record<string, string>;
  summaries: Record<string, { mean: number; min: number; max: number; meanSeries: number[] }>;
  quantities: {
    crRemovedFraction: number | null;
    biomassPenetrationLength: number | null;
    nutrientFrontPosition: number | null;
    meanBiomassFinal: number | null;
  };
}

export interface UpscalePredictOutput {
  /** Backend(s) inference ran on ('tensorflow', 'wasm', or both joined by '+'). */
  backend: string;
  /** Per variable: the backend its model ran on and why. */
  backends: Record<string, BackendChoice>;
  runs: RunPrediction[];
  /** Forward-pass wall time per variable (ms, all runs of the chunk) and model load time. */
  inferenceMs: Record<string, number>;
  loadMs: number;
  shapeY: [number, number, number];
  artifacts: ArtifactRef[];
}

const cache = new Map<string, TrainedModel>();
const CACHE_LIMIT = 8;

async function model(store: ArtifactStore, artifactId: string): Promise<TrainedModel> {
  let m = cache.get(artifactId);
  if (!m) {
    if (cache.size >= CACHE_LIMIT) {
      const [k, old] = cache.entries().next().value as [string, TrainedModel];
      old.model.dispose();
      cache.delete(k);
    }
    m = await loadModel(store, artifactId);
    cache.set(artifactId, m);
  }
  return m;
}

export async function run(input: UpscalePredictInput): Promise<UpscalePredictOutput> {
  const info = await threadBackend();
  const store = new ArtifactStore(input.storeRoot);
  const progress = progressPoster(input.progressChannel);
  const refs: ArtifactRef[] = [];
  const n = input.runs.length;
  const [t, h, w] = input.shapeX;
  const per = t * h * w;
  const out: RunPrediction[] = input.runs.map((r) => ({
    runIndex: r.runIndex,
    prediction: {},
    summaries: {},
    quantities: { crRemovedFraction: null, biomassPenetrationLength: null, nutrientFrontPosition: null, meanBiomassFinal: null },
  }));
  const inferenceMs: Record<string, number> = {};
  let loadMs = 0;
  const backends: Record<string, BackendChoice> = {};
  let shapeY: [number, number, number] = [t, h, w];
  try {
    for (const m of input.models) {
      const l0 = performance.now();
      const trained = await model(store, m.artifactId);
      loadMs += performance.now() - l0;
      const x = new Float32Array(n * per);
      for (let k = 0; k < n; k++) {
        const id = input.runs[k].input[m.variable];
        if (!id) throw new Error(`run ${input.runs[k].runIndex} has no 1x '${m.variable}' field`);
        x.set((await store.getTensor(id)).data, k * per);
      }
      const placed = await choosePredictBackend(trained, Math.min(input.batchSize, n), backendChoiceCache());
      backends[m.variable] = placed;
      const t0 = performance.now();
      const pred = predict(trained, x, { batchSize: input.batchSize, lowerBound: physicalLowerBound(m.variable) });
      inferenceMs[m.variable] = performance.now() - t0;
      const [, oc, oh, ow] = pred.shape;
      shapeY = [oc, oh, ow];
      const outPer = oc * oh * ow;
      const hw = oh * ow;
      for (let k = 0; k < n; k++) {
        const y = pred.y.subarray(k * outPer, (k + 1) * outPer);
        const a = await store.putTensor(`upscale.prediction.${m.variable}`, y, shapeY);
        refs.push(a);
        let s = 0;
        let lo = Infinity;
        let hi = -Infinity;
        const meanSeries: number[] = [];
        for (let c = 0; c < oc; c++) {
          let sc = 0;
          for (let i = c * hw; i < (c + 1) * hw; i++) {
            const v = y[i];
            sc += v;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          s += sc;
          meanSeries.push(sc / hw);
        }
        out[k].prediction[m.variable] = a.id;
        out[k].summaries[m.variable] = { mean: s / outPer, min: lo, max: hi, meanSeries };
        const sc = input.runs[k].scenario;
        const q = out[k].quantities;
        if (m.variable === 'B') {
          q.meanBiomassFinal = domainMean(y, shapeY);
          q.biomassPenetrationLength = penetrationLength(y, shapeY, input.dx, BIOMASS_GROWTH_FACTOR * sc.biomass0);
        } else if (m.variable === 'ED') {
          q.nutrientFrontPosition = penetrationLength(y, shapeY, input.dx, 0.01 * sc.edInjection);
        } else if (m.variable === 'Cr') {
          q.crRemovedFraction = 1 - domainMean(y, shapeY) / sc.crBackground;
        }
      }
      progress.post({ kind: 'variable', variable: m.variable, runs: n });
    }
  } finally {
    progress.close();
  }
  const used = [...new Set(Object.values(backends).map((b) => b.backend))];
  return { backend: used.length ? used.join('+') : info.name, backends, runs: out, inferenceMs, loadMs, shapeY, artifacts: refs };
}
