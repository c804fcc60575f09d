/**
 * Compute task: one upscaling training (arch, variable, repeat) in a worker thread. Initialises
 * the thread's tf backend, trains with `trainModel`, times inference on the test set, evaluates
 * (whole test set, low/high subsets), saves the model and (optionally) the per-sample test
 * predictions and error maps in the artifact store, and posts per-epoch progress on
 * `progressChannel` so the activity can heartbeat with it.
 */
import { physicalLowerBound } from '../../../physics/bioremediation/simulate.js';
import type { ArtifactRef } from '../../../artifacts/store.js';
import { ArtifactStore } from '../../../artifacts/store.js';
import { evaluateUpscaling } from '../../../models/evaluation/upscaling-report.js';
import type { RegressionMetrics } from '../../../models/evaluation/regression-metrics.js';
import { loadManifest, modelArtifactRefs, predict, saveModel } from '../../../models/persistence.js';
import type { LrSchedule } from '../../../models/training/lr-schedule.js';
import type { TensorData } from '../../../models/training/tensor-dataset.js';
import { trainModel } from '../../../models/training/train-model.js';
import type { UpscalingArch } from '../../../models/upscaling/model.js';
import type { ModelOptions } from '../../../models/upscaling/model-options.js';
import { progressPoster } from '../../../compute/progress.js';
import { backendChoiceCache, threadBackend } from '../../../compute/thread-backend.js';

export interface TrainTaskInput {
  storeRoot: string;
  progressChannel?: string;
  modelId: string;
  arch: UpscalingArch;
  variable: string;
  seed: number;
  epochs: number;
  lr: number;
  batchSize: number;
  weightDecay: number;
  maeWeight: number;
  schedule: LrSchedule;
  /** End on the weights of the epoch with the lowest loss on `curve` (a validation split). */
  keepBestEpoch: boolean;
  options: ModelOptions;
  /** Per-sample shapes `[t, h, w]` (1x input) and `[t, H, W]` (target). */
  shapeX: [number, number, number];
  shapeY: [number, number, number];
  /** Artifact ids of the dataset tensors (the thread stacks them itself). */
  train: SplitIds;
  /** Data the per-epoch curve is computed on (val, or test when val is folded into train). */
  curve: (SplitIds & { split: 'val' | 'test' }) | null;
  test: SplitIds & { runIndices: number[] };
  /** Mean-truth thresholds of the low/high test subsets; null: terciles of the test samples. */
  thresholds: { low: number; high: number } | null;
  storePredictions: boolean;
  meta: Record<string, unknown>;
}

export interface SplitIds {
  x: string[];
  y: string[];
}

export interface SamplePrediction {
  runIndex: number;
  artifactId: string;
  errorArtifactId: string;
  truthArtifactId: string;
  meanSeries: number[];
  truthMeanSeries: number[];
  mean: number;
  min: number;
  max: number;
  truthMean: number;
  truthMin: number;
  truthMax: number;
}

export type SplitMetrics = Omit<RegressionMetrics, 'n'> & { n: number };

export interface TrainTaskOutput {
  modelArtifactId: string;
  backend: string;
  /** Why this backend (probe timings, PLUME_BACKEND, or the only one available). */
  backendReason: string;
  device: string;
  paramsCount: number;
  trainSeconds: number;
  epochs: number;
  bestEpoch: number;
  curve: { epoch: number; loss: number; curveLoss: number | null }[];
  curveSplit: 'val' | 'test' | null;
  metrics: { test: SplitMetrics; test_low: SplitMetrics; test_high: SplitMetrics };
  inferenceMsPerSample: number;
  meanSeries: { truth: number[]; prediction: number[] };
  errorMaps: { meanAbs: string; mean: string; shape: [number, number] };
  thresholds: { low: number; high: number };
  predictions: SamplePrediction[];
  artifacts: ArtifactRef[];
}

function stats(a: Float32Array): { mean: number; min: number; max: number } {
  let s = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    s += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { mean: s / a.length, min: lo, max: hi };
}

function series(a: Float32Array, t: number): number[] {
  const hw = a.length / t;
  const out: number[] = [];
  for (let k = 0; k < t; k++) {
    let s = 0;
    for (let i = k * hw; i < (k + 1) * hw; i++) s += a[i];
    out.push(s / hw);
  }
  return out;
}

async function stackSplit(store: ArtifactStore, ids: SplitIds, shapeX: [number, number, number], shapeY: [number, number, number]): Promise<TensorData> {
  const n = ids.x.length;
  const sx = shapeX[0] * shapeX[1] * shapeX[2];
  const sy = shapeY[0] * shapeY[1] * shapeY[2];
  const x = new Float32Array(n * sx);
  const y = new Float32Array(n * sy);
  for (let k = 0; k < n; k++) {
    const a = await store.getTensor(ids.x[k]);
    const b = await store.getTensor(ids.y[k]);
    if (a.data.length !== sx || b.data.length !== sy)
      throw new Error(
        `dataset sample ${k}: artifact shapes [${a.shape.join(',')}] / [${b.shape.join(',')}] differ from the dataset's [${shapeX.join(',')}] / [${shapeY.join(',')}]`,
      );
    x.set(a.data, k * sx);
    y.set(b.data, k * sy);
  }
  return { x, y, shapeX: [n, ...shapeX], shapeY: [n, ...shapeY] };
}

/** Terciles of the per-sample mean truth (subset thresholds of variables without paper values). */
function terciles(y: Float32Array, n: number): { low: number; high: number } {
  const per = y.length / n;
  const means = Array.from({ length: n }, (_, k) => stats(y.subarray(k * per, (k + 1) * per)).mean).sort((a, b) => a - b);
  const q = (p: number): number => {
    const pos = p * (n - 1);
    const lo = Math.floor(pos);
    return means[lo] + (means[Math.min(n - 1, lo + 1)] - means[lo]) * (pos - lo);
  };
  return { low: q(1 / 3), high: q(2 / 3) };
}

export async function run(input: TrainTaskInput): Promise<TrainTaskOutput> {
  const info = await threadBackend();
  const store = new ArtifactStore(input.storeRoot);
  const progress = progressPoster(input.progressChannel);
  try {
    const train = await stackSplit(store, input.train, input.shapeX, input.shapeY);
    const curve = input.curve && input.curve.x.length > 0 ? await stackSplit(store, input.curve, input.shapeX, input.shapeY) : null;
    if (input.keepBestEpoch && (!curve || input.curve?.split !== 'val'))
      throw new Error(`keepBestEpoch picks the epoch on a validation split, and this run's curve is on ${input.curve?.split ?? 'nothing'}`);
    const test = await stackSplit(store, input.test, input.shapeX, input.shapeY);
    const thresholds = input.thresholds ?? terciles(test.y, test.shapeY[0]);
    const r = await trainModel({
      arch: input.arch,
      options: input.options,
      train,
      ...(curve ? { val: curve } : {}),
      epochs: input.epochs,
      batchSize: input.batchSize,
      lr: input.lr,
      weightDecay: input.weightDecay,
      maeWeight: input.maeWeight,
      schedule: input.schedule,
      seed: input.seed,
      ...(input.keepBestEpoch ? { earlyStopping: { patience: Infinity, restoreBest: true } } : {}),
      chooseBackend: { cacheFile: backendChoiceCache() },
      onEpoch: (e) => progress.post({ kind: 'epoch', epoch: e.epoch, epochs: e.epochs, loss: e.loss, valLoss: e.valLoss, etaSeconds: e.etaSeconds }),
      onBatch: (b) => {
        if (b.batch === b.batches || b.batch % 8 === 0) progress.post({ kind: 'batch', epoch: b.epoch, batch: b.batch, batches: b.batches });
      },
    });
    try {
      const [n, t, H, W] = test.shapeY;
      // Inference time per sample: one warm-up sample, then the whole test set.
      predict(r, test.x.subarray(0, test.x.length / n), { batchSize: 1 });
      const t0 = performance.now();
      const pred = predict(r, test.x, { batchSize: Math.min(n, 16), lowerBound: physicalLowerBound(input.variable) });
      const inferenceMsPerSample = (performance.now() - t0) / n;
      const report = evaluateUpscaling(test.y, pred.y, [n, t, H, W], { lowThreshold: thresholds.low, highThreshold: thresholds.high });
      const refs: ArtifactRef[] = [];
      const manifestId = await saveModel(store, r, { backend: r.backend, meta: input.meta });
      refs.push(...(await modelArtifactRefs(store, manifestId, await loadManifest(store, manifestId))));
      const meanAbs = await store.putTensor('train.error-map.mean-abs', report.meanAbsErrorMap, report.mapShape);
      const meanErr = await store.putTensor('train.error-map.mean', report.meanErrorMap, report.mapShape);
      refs.push(meanAbs, meanErr);
      const predictions: SamplePrediction[] = [];
      if (input.storePredictions) {
        const per = t * H * W;
        const hw = H * W;
        for (let k = 0; k < n; k++) {
          const p = pred.y.subarray(k * per, (k + 1) * per);
          const y = test.y.subarray(k * per, (k + 1) * per);
          const err = new Float32Array(hw);
          for (let s = 0; s < t; s++) for (let i = 0; i < hw; i++) err[i] += Math.abs(p[s * hw + i] - y[s * hw + i]) / t;
          const pa = await store.putTensor('prediction', p, [t, H, W]);
          const ea = await store.putTensor('prediction.abs-error-map', err, [H, W]);
          refs.push(pa, ea);
          const ps = stats(p);
          const ys = stats(y);
          predictions.push({
            runIndex: input.test.runIndices[k],
            artifactId: pa.id,
            errorArtifactId: ea.id,
            truthArtifactId: input.test.y[k],
            meanSeries: series(p, t),
            truthMeanSeries: series(y, t),
            mean: ps.mean,
            min: ps.min,
            max: ps.max,
            truthMean: ys.mean,
            truthMin: ys.min,
            truthMax: ys.max,
          });
        }
      }
      const split = (m: RegressionMetrics): SplitMetrics => ({ ...m });
      return {
        modelArtifactId: manifestId,
        backend: r.backend,
        backendReason: r.backendReason,
        device: info.device,
        paramsCount: r.paramsCount,
        trainSeconds: r.trainSeconds,
        epochs: input.epochs,
        bestEpoch: r.bestEpoch,
        curve: r.history.filter((h) => h.epoch > 0).map((h) => ({ epoch: h.epoch, loss: h.loss, curveLoss: h.valLoss })),
        curveSplit: curve ? input.curve!.split : null,
        metrics: { test: split(report.all), test_low: split(report.low), test_high: split(report.high) },
        inferenceMsPerSample,
        meanSeries: { truth: Array.from(report.meanSeries.truth), prediction: Array.from(report.meanSeries.prediction) },
        errorMaps: { meanAbs: meanAbs.id, mean: meanErr.id, shape: report.mapShape },
        thresholds,
        predictions,
        artifacts: refs,
      };
    } finally {
      r.model.dispose();
    }
  } finally {
    progress.close();
  }
}
