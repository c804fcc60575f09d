/**
 * Compute task: train an inversion campaign's surrogate (FC-DNN, LeNet, ResNet or MSVR) on a case
 * dataset read from the artifact store, save it there, and measure it on the test set (RMSE and
 * R^2 of normalised heads, concentrations and all outputs). Runs in a worker thread with its own
 * TF.js backend.
 */
import { createHash } from 'node:crypto';
import { ArtifactStore, type ArtifactRef } from '../../../artifacts/store.js';
import { progressPoster } from '../../../compute/progress.js';
import { threadBackend } from '../../../compute/thread-backend.js';
import { inversionCase } from '../cases.js';
import { encodeInputs, fitAndSaveMsvr, fitFieldNorm, saveInversionSurrogate, surrogateInputSpec, type FieldNorm } from '../surrogate.js';
import { fcdnnDepthForSamples } from '../../../models/surrogates/fcdnn.js';
import { headsThenConcentrations, evaluateOutputs, type OutputMetrics } from '../../../models/surrogates/output-metrics.js';
import { buildSurrogate } from '../../../models/surrogates/registry.js';
import { initialiseOutputNormalisation } from '../../../models/surrogates/unet.js';
import { unetObservationSampling } from '../unet-sampling.js';
import {
  decodeSurrogateTrainingState,
  encodeSurrogateTrainingState,
  stateFitsModel,
  trainSurrogate,
  type SurrogateTrainingState,
} from '../../../models/surrogates/train-surrogate.js';
import { backendChoiceCache } from '../../../compute/thread-backend.js';
import type { CaseName } from '../../../physics/groundwater/groundwater-case.js';
import { normalize } from '../../../numerics/min-max-normalizer.js';
import type { LrSchedule } from '../../../models/training/lr-schedule.js';

export interface StackedSplit {
  params: string;
  obs: string;
  field: string | null;
  n: number;
}

export interface TrainSurrogateTaskInput {
  artifactRoot: string;
  caseName: CaseName;
  arch: 'fcdnn' | 'lenet' | 'resnet' | 'unet' | 'msvr';
  inputKind: 'parameters' | 'field';
  options: Record<string, unknown>;
  training: { epochs?: number; batchSize?: number; learningRate?: number; weightDecay?: number; schedule?: LrSchedule };
  seed: number;
  d: number;
  m: number;
  stacked: { train: StackedSplit; test: StackedSplit };
  obsBounds: { min: number[]; max: number[] };
  trainSamples?: number;
  /** Train on these rows of the training split (in this order) instead of the first `trainSamples`. */
  trainIndices?: number[];
  msvr: { C: number[]; sigmaScale: number[]; epsilon: number[] };
  /** Observation-vector indices of heads (the rest are concentrations, which follow them). */
  nHeads: number;
  /** Save a checkpoint this often (network surrogates); a retried task resumes from it. Default 300. */
  checkpointSeconds?: number;
  progressChannel?: string;
}

export interface TrainSurrogateTaskOutput {
  artifactId: string;
  refs: ArtifactRef[];
  fieldNorm: FieldNorm | null;
  test: OutputMetrics;
  history: number[];
  paramsCount: number;
  trainSeconds: number;
  backend: string;
  /** Why this backend (probe timings, PLUME_BACKEND, or the only one available); absent for MSVR. */
  backendReason?: string;
  hyperparams: Record<string, unknown>;
  nTrain: number;
  /** Epochs a checkpoint of an earlier attempt had done (null: trained from scratch). */
  resumedFromEpoch: number | null;
}

/**
 * The checkpoint key of a training: sha256 of every input that decides its result (not where the
 * store is, how progress is posted or how often it checkpoints).
 */
export function trainingCheckpointKey(input: TrainSurrogateTaskInput): string {
  const { artifactRoot: _root, progressChannel: _channel, checkpointSeconds: _every, ...decisive } = input;
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex');
}

/** The saved state of an earlier attempt, or null (none, or unreadable: then it trains from scratch). */
async function savedState(store: ArtifactStore, key: string): Promise<SurrogateTrainingState | null> {
  const bytes = await store.getCheckpoint(key);
  if (!bytes) return null;
  try {
    return decodeSurrogateTrainingState(bytes);
  } catch {
    return null;
  }
}

/** Rows `0..n-1` of a split (n = min(size, limit)), or the listed rows; observations min-max normalised. */
export async function loadSplit(
  store: ArtifactStore,
  s: StackedSplit,
  d: number,
  m: number,
  bounds: { min: number[]; max: number[] },
  limit?: number,
  rows?: number[],
) {
  const pick = rows ?? Array.from({ length: Math.min(s.n, limit ?? s.n) }, (_, k) => k);
  for (const r of pick) if (!Number.isInteger(r) || r < 0 || r >= s.n) throw new Error(`training row ${r} is outside the split's ${s.n} samples`);
  const n = pick.length;
  const allParams = (await store.getTensor(s.params)).data as Float64Array;
  const rawObs = (await store.getTensor(s.obs)).data as Float32Array;
  const allFields = s.field ? ((await store.getTensor(s.field)).data as Float32Array) : null;
  const cells = allFields ? allFields.length / s.n : 0;
  const params = new Float64Array(n * d);
  const y = new Float32Array(n * m);
  const fields = allFields ? new Float32Array(n * cells) : null;
  pick.forEach((r, k) => {
    params.set(allParams.subarray(r * d, (r + 1) * d), k * d);
    y.set(normalize(rawObs.subarray(r * m, (r + 1) * m), bounds), k * m);
    if (fields && allFields) fields.set(allFields.subarray(r * cells, (r + 1) * cells), k * cells);
  });
  return { params, fields, y, n };
}

export async function run(input: TrainSurrogateTaskInput): Promise<TrainSurrogateTaskOutput> {
  const backend = (await threadBackend()).name;
  const store = new ArtifactStore(input.artifactRoot);
  const progress = progressPoster(input.progressChannel, 1000);
  try {
    const { caseName, inputKind, d, m } = input;
    const train = await loadSplit(store, input.stacked.train, d, m, input.obsBounds, input.trainSamples, input.trainIndices);
    const test = await loadSplit(store, input.stacked.test, d, m, input.obsBounds);
    const fieldNorm = inputKind === 'field' && inversionCase(caseName).normalisesField ? fitFieldNorm(train.fields!) : null;
    const xTrain = encodeInputs(caseName, inputKind, { ...train, d }, fieldNorm);
    const xTest = encodeInputs(caseName, inputKind, { ...test, d }, fieldNorm);
    const spec = surrogateInputSpec(caseName, inputKind);
    const layout = headsThenConcentrations(input.nHeads, m - input.nHeads);
    const t0 = performance.now();
    if (input.arch === 'msvr') {
      progress.post({ step: 'msvr grid search', n: train.n });
      const fit = await fitAndSaveMsvr(store, xTrain, train.y, train.n, spec, m, input.msvr, input.seed, (fit, fits) =>
        progress.post({ step: 'msvr grid search', n: train.n, fit, fits }),
      );
      const pred = fit.surrogate.predict(xTest, test.n);
      fit.surrogate.dispose();
      return {
        artifactId: fit.refs[0].id,
        refs: fit.refs,
        fieldNorm,
        test: evaluateOutputs(pred, test.y, m, layout),
        history: [],
        paramsCount: fit.supportVectors * (m + xTrain.length / train.n),
        trainSeconds: (performance.now() - t0) / 1000,
        backend,
        hyperparams: { ...fit.hyperparams, supportVectors: fit.supportVectors, grid: input.msvr },
        nTrain: train.n,
        resumedFromEpoch: null,
      };
    }
    const options = { seed: input.seed, ...input.options } as Record<string, unknown>;
    if (input.arch === 'fcdnn' && options.hiddenLayers === undefined) options.hiddenLayers = fcdnnDepthForSamples(train.n);
    if (input.arch === 'unet') Object.assign(options, unetObservationSampling(caseName, inputKind, m));
    const s = buildSurrogate(input.arch, spec, m, options);
    const checkpointKey = trainingCheckpointKey(input);
    // A checkpoint written by another version of the model code (other shapes) is not resumed.
    const saved = await savedState(store, checkpointKey);
    const resume = saved && stateFitsModel(s, saved) ? saved : null;
    if (resume) progress.post({ step: 'resume', epoch: resume.epoch });
    else if (input.arch === 'unet' && (s.options.maps ?? 'normalised') !== 'normalised') initialiseOutputNormalisation(s, input.obsBounds);
    try {
      const res = await trainSurrogate(
        s,
        { x: xTrain, y: train.y, n: train.n },
        {
          preset: caseName,
          seed: input.seed,
          ...Object.fromEntries(Object.entries(input.training).filter(([, v]) => v !== undefined)),
          onEpoch: (e) => progress.post({ step: 'train', epoch: e.epoch + 1, epochs: e.epochs, loss: e.trainLoss, etaSeconds: e.etaSeconds }),
          chooseBackend: { cacheFile: backendChoiceCache() },
          checkpoint: {
            everyMs: (input.checkpointSeconds ?? 300) * 1000,
            resume,
            save: (state) => store.putCheckpoint(checkpointKey, encodeSurrogateTrainingState(state)),
          },
        },
      );
      const pred = s.predict(xTest, test.n);
      const ref = await saveInversionSurrogate(store, s);
      await store.deleteCheckpoint(checkpointKey);
      return {
        artifactId: ref.id,
        refs: [ref],
        fieldNorm,
        test: evaluateOutputs(pred, test.y, m, layout),
        history: res.history.map((h) => h.trainLoss),
        paramsCount: s.model.countParams(),
        trainSeconds: res.wallMs / 1000,
        backend: res.backend.backend,
        backendReason: res.backend.reason,
        hyperparams: { arch: input.arch, input: inputKind, options: s.options, ...res.config },
        nTrain: train.n,
        resumedFromEpoch: res.resumedFromEpoch,
      };
    } finally {
      s.dispose();
    }
  } finally {
    progress.close();
  }
}
