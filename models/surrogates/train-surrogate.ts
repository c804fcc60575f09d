/**
 * Surrogate training (paper 2, section 3): L1 loss on min-max normalised data, Adam with decoupled
 * weight decay, mini-batches shuffled by a seeded `Rng`. Per-case defaults follow the paper:
 * case 1 batch 50, lr 1e-4, 500 epochs; case 2 batch 100, lr 1e-4, wd 1e-6; case 3 batch 50,
 * lr 1e-3, wd 1e-8. The paper does not state case 1's weight decay nor the epochs of cases 2-3:
 * we use wd 0 and 500 epochs there (override as needed). The learning rate is constant unless a
 * `schedule` is given (evaluated per mini-batch at the fractional epoch, as the upscaling trainer).
 */
import { tf } from '../tf.js';
import { Rng } from '../../numerics/rng.js';
import { evaluateOutputs, type OutputLayout, type OutputMetrics } from './output-metrics.js';
import { inputShapeOf, inputSize } from './surrogate-input.js';
import type { Surrogate } from './surrogate.js';
import { createWeightDecayOptimizer, type WeightDecayOptimizerState } from './weight-decay-optimizer.js';
import { chooseWorkloadBackend, type BackendChoice } from '../workload-backend.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint } from '../training/training-checkpoint.js';
import { learningRateAt, validateSchedule, type LrSchedule } from '../training/lr-schedule.js';

/** `n` samples, inputs `n x inputSize` and outputs `n x outputDim`, row-major, already normalised. */
export interface SurrogateDataset {
  x: Float32Array | Float64Array;
  y: Float32Array | Float64Array;
  n: number;
}

interface SurrogateTrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  /** Learning-rate schedule over the epochs (default constant, the paper's). */
  schedule?: LrSchedule;
}

type GroundwaterCase = 'case1' | 'case2' | 'case3';

const SURROGATE_TRAINING_DEFAULTS: Readonly<Record<GroundwaterCase, Readonly<SurrogateTrainingConfig>>> = {
  case1: { epochs: 500, batchSize: 50, learningRate: 1e-4, weightDecay: 0 },
  case2: { epochs: 500, batchSize: 100, learningRate: 1e-4, weightDecay: 1e-6 },
  case3: { epochs: 500, batchSize: 50, learningRate: 1e-3, weightDecay: 1e-8 },
};

interface SurrogateEpochInfo {
  /** 0-based epoch number. */
  epoch: number;
  /** Epochs of the whole training. */
  epochs: number;
  /** Seconds left at this session's pace (epochs resumed from a checkpoint do not count). */
  etaSeconds: number;
  /** Mean L1 loss over the epoch's mini-batches. */
  trainLoss: number;
  /** Learning rate of the epoch's first mini-batch (the schedule's value at the epoch's start). */
  learningRate: number;
  /** L1 loss on `validation` (if given and evaluated this epoch). */
  validationLoss?: number;
}

/** Everything a training needs to continue where it stopped (epochs done, weights, optimizer, history). */
export interface SurrogateTrainingState {
  /** Epochs completed. */
  epoch: number;
  history: SurrogateEpochInfo[];
  /** Training wall time spent before this state was saved. */
  elapsedMs: number;
  /** `model.getWeights()` values, in order. */
  weights: Float32Array[];
  optimizer: WeightDecayOptimizerState;
}

interface SurrogateCheckpointing {
  /** Save at the end of an epoch once this long has passed since the last save (0: every epoch). */
  everyMs: number;
  save(state: SurrogateTrainingState): Promise<void>;
  /** Continue from this state (saved by a training with the same model, data and options). */
  resume?: SurrogateTrainingState | null;
}

export interface TrainSurrogateOptions extends Partial<SurrogateTrainingConfig> {
  /** Start from a case's paper defaults; explicit fields override. */
  preset?: GroundwaterCase;
  seed?: number;
  validation?: SurrogateDataset;
  /** Evaluate the validation loss every this many epochs (default 1; always on the last). */
  validateEvery?: number;
  onEpoch?: (info: SurrogateEpochInfo) => void;
  signal?: AbortSignal;
  /**
   * Periodic checkpoints, and resuming from one: mini-batch order, weights and optimizer moments
   * continue exactly, so a resumed training ends with the weights an uninterrupted one would have.
   */
  checkpoint?: SurrogateCheckpointing;
  /** Train on the faster backend started in this thread, by a timed probe of forward + backward
   *  on one batch (`workload-backend.ts`); `cacheFile` remembers the choice on this machine. */
  chooseBackend?: { cacheFile?: string };
}

export interface TrainSurrogateResult {
  history: SurrogateEpochInfo[];
  epochs: number;
  aborted: boolean;
  /** Training wall time, including the time before a resumed checkpoint. */
  wallMs: number;
  /** Epochs the training resumed after (null: it started from scratch). */
  resumedFromEpoch: number | null;
  config: SurrogateTrainingConfig;
  /** Backend the surrogate trained on, and why. */
  backend: BackendChoice;
}

function checkDataset(s: Surrogate, d: SurrogateDataset, name: string): void {
  const size = inputSize(s.input);
  if (!Number.isInteger(d.n) || d.n < 1) throw new Error(`${name}.n must be a positive integer, got ${d.n}`);
  if (d.x.length !== d.n * size) throw new Error(`${name}.x has ${d.x.length} values, expected n * inputSize = ${d.n} * ${size}`);
  if (d.y.length !== d.n * s.outputDim) throw new Error(`${name}.y has ${d.y.length} values, expected n * outputDim = ${d.n} * ${s.outputDim}`);
}

/** Mean L1 loss of the surrogate on a dataset (inference mode). */
function surrogateL1(s: Surrogate, d: SurrogateDataset): number {
  checkDataset(s, d, 'dataset');
  const pred = s.predict(d.x, d.n);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += Math.abs(pred[i] - d.y[i]);
  return sum / pred.length;
}

export async function trainSurrogate(s: Surrogate, train: SurrogateDataset, options: TrainSurrogateOptions = {}): Promise<TrainSurrogateResult> {
  const base = SURROGATE_TRAINING_DEFAULTS[options.preset ?? 'case1'];
  const config: SurrogateTrainingConfig = {
    epochs: options.epochs ?? base.epochs,
    batchSize: options.batchSize ?? base.batchSize,
    learningRate: options.learningRate ?? base.learningRate,
    weightDecay: options.weightDecay ?? base.weightDecay,
    schedule: options.schedule ?? { kind: 'constant' },
  };
  validateSchedule(config.schedule!);
  if (!Number.isInteger(config.epochs) || config.epochs < 1) throw new Error(`epochs must be a positive integer, got ${config.epochs}`);
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${config.batchSize}`);
  checkDataset(s, train, 'train');
  if (options.validation) checkDataset(s, options.validation, 'validation');
  const validateEvery = options.validateEvery ?? 1;
  const t0 = performance.now();
  const rng = Rng.derive(options.seed ?? 0, 0x7a1);
  const shape = inputShapeOf(s.input);
  const size = inputSize(s.input);
  const outDim = s.outputDim;
  const vars = s.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = createWeightDecayOptimizer({ learningRate: config.learningRate, weightDecay: config.weightDecay });
  const history: SurrogateEpochInfo[] = [];
  const xb = new Float32Array(config.batchSize * size);
  const yb = new Float32Array(config.batchSize * outDim);
  let backend: BackendChoice = { backend: tf.getBackend(), reason: 'active backend' };
  if (options.chooseBackend) {
    // Gradients of one batch, not applied: the probe leaves weights and optimizer state untouched.
    const b = Math.min(config.batchSize, train.n);
    const xp = Float32Array.from(train.x.subarray(0, b * size));
    const yp = Float32Array.from(train.y.subarray(0, b * outDim));
    backend = await chooseWorkloadBackend(
      {
        signature: `surrogate|${s.arch}|${JSON.stringify({ ...s.options, seed: undefined })}|in=${shape.join(',')}|out=${outDim}|batch=${b}`,
        step: () => {
          const xs = tf.tensor(xp, [b, ...shape]);
          const ys = tf.tensor2d(yp, [b, outDim]);
          const { value, grads } = tf.variableGrads(
            () => tf.losses.absoluteDifference<tf.Tensor, tf.Scalar>(ys, s.model.apply(xs, { training: true }) as tf.Tensor),
            vars,
          );
          value.dataSync();
          tf.dispose([value, xs, ys, ...Object.values(grads)]);
        },
      },
      options.chooseBackend.cacheFile,
    );
  }
  const ckpt = options.checkpoint;
  const resume = ckpt?.resume ?? null;
  let elapsedBefore = 0;
  let firstEpoch = 0;
  if (resume) {
    if (resume.epoch > config.epochs) throw new Error(`checkpoint is at epoch ${resume.epoch}, past the training's ${config.epochs} epochs`);
    restoreWeights(s, resume.weights);
    await opt.importState(vars, resume.optimizer);
    // Replay the shuffles of the epochs already done, so the next epoch draws what it would have.
    for (let e = 0; e < resume.epoch; e++) rng.permutation(train.n);
    history.push(...resume.history);
    elapsedBefore = resume.elapsedMs;
    firstEpoch = resume.epoch;
  }
  let lastSave = performance.now();
  const sessionStart = lastSave;
  let aborted = false;
  try {
    for (let epoch = firstEpoch; epoch < config.epochs; epoch++) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const order = rng.permutation(train.n);
      let lossSum = 0;
      let batches = 0;
      const batchesPerEpoch = Math.ceil(train.n / config.batchSize);
      const epochLr = learningRateAt(config.schedule!, config.learningRate, epoch);
      for (let start = 0; start < train.n; start += config.batchSize) {
        const b = Math.min(config.batchSize, train.n - start);
        opt.setLearningRate(learningRateAt(config.schedule!, config.learningRate, epoch + batches / batchesPerEpoch));
        for (let i = 0; i < b; i++) {
          const r = order[start + i];
          xb.set(train.x.subarray(r * size, (r + 1) * size), i * size);
          yb.set(train.y.subarray(r * outDim, (r + 1) * outDim), i * outDim);
        }
        const xs = tf.tensor(xb.subarray(0, b * size), [b, ...shape]);
        const ys = tf.tensor2d(yb.subarray(0, b * outDim), [b, outDim]);
        lossSum += opt.step(() => tf.losses.absoluteDifference<tf.Tensor, tf.Scalar>(ys, s.model.apply(xs, { training: true }) as tf.Tensor), vars);
        batches++;
        xs.dispose();
        ys.dispose();
      }
      const perEpoch = (performance.now() - sessionStart) / 1000 / (epoch + 1 - firstEpoch);
      const info: SurrogateEpochInfo = {
        epoch,
        epochs: config.epochs,
        etaSeconds: perEpoch * (config.epochs - epoch - 1),
        trainLoss: lossSum / batches,
        learningRate: epochLr,
      };
      if (options.validation && ((epoch + 1) % validateEvery === 0 || epoch === config.epochs - 1)) {
        info.validationLoss = surrogateL1(s, options.validation);
      }
      history.push(info);
      options.onEpoch?.(info);
      if (ckpt && epoch + 1 < config.epochs && performance.now() - lastSave >= ckpt.everyMs) {
        await ckpt.save({
          epoch: epoch + 1,
          history: history.map((h) => ({ ...h })),
          elapsedMs: elapsedBefore + performance.now() - t0,
          weights: s.model.getWeights().map((w) => (w.dataSync() as Float32Array).slice()),
          optimizer: await opt.exportState(vars),
        });
        lastSave = performance.now();
      }
      // Let abort signals and other tasks through between epochs.
      await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    opt.dispose();
  }
  return {
    history,
    epochs: history.length,
    aborted,
    wallMs: elapsedBefore + performance.now() - t0,
    resumedFromEpoch: resume ? resume.epoch : null,
    config,
    backend,
  };
}

/** Whether a saved state has this model's weights (count and sizes) and one moment pair per trainable weight. */
export function stateFitsModel(s: Surrogate, state: SurrogateTrainingState): boolean {
  const weights = s.model.getWeights();
  const trainable = s.model.trainableWeights.map((w) => w.read());
  return (
    state.weights.length === weights.length &&
    weights.every((w, i) => state.weights[i].length === w.size) &&
    state.optimizer.moments.length === 2 * trainable.length &&
    trainable.every((w, i) => state.optimizer.moments[2 * i].length === w.size)
  );
}

/** Sets every weight of the model (trainable or not) from a checkpoint's arrays. */
function restoreWeights(s: Surrogate, weights: Float32Array[]): void {
  const current = s.model.getWeights();
  if (weights.length !== current.length) throw new Error(`checkpoint has ${weights.length} weight arrays, the model ${current.length}`);
  const tensors = current.map((w, i) => {
    if (weights[i].length !== w.size) throw new Error(`checkpoint weight ${i} has ${weights[i].length} values, the model's ${w.size}`);
    return tf.tensor(weights[i], w.shape);
  });
  s.model.setWeights(tensors);
  tf.dispose(tensors);
}

/** RMSE and R^2 of the surrogate on a (normalised) test set, per output group and overall. */
export function evaluateSurrogate(s: Surrogate, test: SurrogateDataset, layout?: OutputLayout): OutputMetrics {
  checkDataset(s, test, 'test');
  return evaluateOutputs(s.predict(test.x, test.n), test.y, s.outputDim, layout);
}

interface SurrogateStateMeta {
  epoch: number;
  history: SurrogateEpochInfo[];
  elapsedMs: number;
  optimizerStep: number;
  weightArrays: number;
}

/** A training state as checkpoint bytes (models/training/training-checkpoint.ts). */
export function encodeSurrogateTrainingState(state: SurrogateTrainingState): Uint8Array {
  const meta: SurrogateStateMeta = {
    epoch: state.epoch,
    history: state.history,
    elapsedMs: state.elapsedMs,
    optimizerStep: state.optimizer.step,
    weightArrays: state.weights.length,
  };
  return encodeTrainingCheckpoint({ meta, arrays: [...state.weights, ...state.optimizer.moments] });
}

export function decodeSurrogateTrainingState(bytes: Uint8Array): SurrogateTrainingState {
  const { meta, arrays } = decodeTrainingCheckpoint<SurrogateStateMeta>(bytes);
  return {
    epoch: meta.epoch,
    history: meta.history,
    elapsedMs: meta.elapsedMs,
    weights: arrays.slice(0, meta.weightArrays),
    optimizer: { step: meta.optimizerStep, moments: arrays.slice(meta.weightArrays) },
  };
}
