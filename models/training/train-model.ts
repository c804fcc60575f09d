/**
 * Training loop for the upscaling models: MSE + w*MAE on min-max-normalised data, AdamW, a
 * learning-rate schedule stepped per batch at fractional epochs, dropout with seeded masks,
 * validation each epoch (loss in normalised units, metrics in physical units), early stopping with
 * best-weight restore, and an `onEpoch` callback for heartbeats and progress bars.
 *
 * Determinism: `seed` fixes initial weights, shuffling and dropout masks (same seed, same backend,
 * same result). Memory: every step runs in tf.tidy; `numTensors` in each epoch record lets callers
 * (and the tests) check it stays constant.
 */
import { Rng } from '../../numerics/rng.js';
import { regressionMetrics } from '../evaluation/regression-metrics.js';
import { tf } from '../tf.js';
import type { UpscalingArch, UpscalingModel } from '../upscaling/model.js';
import type { ModelOptions } from '../upscaling/model-options.js';
import { buildModel } from '../upscaling/registry.js';
import { AdamW } from './adamw.js';
import { mseMaeLoss } from './loss.js';
import { learningRateAt, validateSchedule, type LrSchedule } from './lr-schedule.js';
import { fitMinMax, transformSamples, type MinMaxNormalisation } from './normalisation.js';
import { makeBatch, validateTensorData, type TensorData } from './tensor-dataset.js';
import { chooseWorkloadBackend, type BackendChoice } from '../workload-backend.js';

interface ValMetrics {
  mse: number;
  mae: number;
  r2_whole: number;
  r2_mean_series_median: number;
}

export interface EpochInfo {
  /** 1-based epoch number. */
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch's batches (normalised units). */
  loss: number;
  /** Validation loss (normalised units), null without `val`. */
  valLoss: number | null;
  /** Validation metrics in physical units, null without `val`. */
  valMetrics: ValMetrics | null;
  /** Learning rate at the end of the epoch. */
  lr: number;
  epochSeconds: number;
  elapsedSeconds: number;
  /** Estimated seconds to finish all epochs (early stopping may end sooner). */
  etaSeconds: number;
  /** tf.memory().numTensors after the epoch (constant from epoch 2 on). */
  numTensors: number;
}

interface EarlyStopping {
  /** Epochs without improvement of the monitored loss (valLoss, else loss) before stopping. */
  patience: number;
  minDelta?: number;
  /** Restore the weights of the best epoch at the end (default true). */
  restoreBest?: boolean;
}

export interface TrainOptions {
  arch: UpscalingArch;
  options?: ModelOptions;
  train: TensorData;
  val?: TensorData;
  epochs: number;
  /** Default 6 (paper). */
  batchSize?: number;
  /** Base learning rate, default 3e-4 (paper: 1.6e-4 biomass, 3.0e-4 ED/Cr(VI)). */
  lr?: number;
  /** AdamW decoupled weight decay, default 0.01 (PyTorch's default). */
  weightDecay?: number;
  /** Default cosine warm restarts with t0 = 10 epochs, tMult = 1. */
  schedule?: LrSchedule;
  /** w in MSE + w*MAE, default 0.6. */
  maeWeight?: number;
  /** Seeds weights, shuffling and dropout. Overrides options.seed. Default 0. */
  seed?: number;
  earlyStopping?: EarlyStopping;
  /** Use this normalisation instead of fitting one on train.x (e.g. when fine-tuning). */
  normalisation?: MinMaxNormalisation;
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
  /** Called after every batch (e.g. to heartbeat during long epochs). */
  onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void | Promise<void>;
  /** Aborts between batches with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Place the training on the faster backend started in this thread (tensorflow or wasm), by a
   * timed probe of a few steps on a twin of the model (`workload-backend.ts`); `cacheFile`
   * remembers the choice on this machine. Default: train on the active backend.
   */
  chooseBackend?: { cacheFile?: string };
}

export interface TrainResult {
  model: UpscalingModel;
  history: EpochInfo[];
  normalisation: MinMaxNormalisation;
  trainSeconds: number;
  paramsCount: number;
  /** tf backend the model was trained on. */
  backend: string;
  /** Why that backend (probe timings, PLUME_BACKEND, or the only one available). */
  backendReason: string;
  /** Epoch whose weights the model holds (1-based; 0 for a parameter-free model). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** Physical-unit predictions for all samples of `d` (used for validation). */
function predictAll(model: UpscalingModel, d: TensorData, norm: MinMaxNormalisation, batchSize: number): Float32Array {
  const n = d.shapeX[0];
  const [c, H, W] = model.outputShape;
  const per = c * H * W;
  const out = new Float32Array(n * per);
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  for (let from = 0; from < n; from += batchSize) {
    const count = Math.min(batchSize, n - from);
    const { x } = makeBatch(d, ids, from, count, norm, false);
    const y = tf.tidy(() => model.apply(x));
    const vals = y.dataSync() as Float32Array;
    x.dispose();
    y.dispose();
    transformSamples(vals, [c, H, W], 0, count, norm, out.subarray(from * per), true);
  }
  return out;
}

function validate(
  model: UpscalingModel,
  d: TensorData,
  norm: MinMaxNormalisation,
  batchSize: number,
  maeWeight: number,
): { valLoss: number; valMetrics: ValMetrics } {
  const pred = predictAll(model, d, norm, batchSize);
  // Loss in normalised units, computed from the physical predictions (same value as on tensors).
  const n = d.shapeY[0];
  const [c, H, W] = model.outputShape;
  const per = c * H * W;
  const predN = transformSamples(pred, [c, H, W], 0, n, norm, new Float32Array(pred.length));
  const trueN = transformSamples(d.y, [c, H, W], 0, n, norm, new Float32Array(pred.length));
  let se = 0;
  let ae = 0;
  for (let i = 0; i < n * per; i++) {
    const e = predN[i] - trueN[i];
    se += e * e;
    ae += Math.abs(e);
  }
  const m = regressionMetrics(d.y, pred, d.shapeY);
  return {
    valLoss: se / (n * per) + maeWeight * (ae / (n * per)),
    valMetrics: { mse: m.mse, mae: m.mae, r2_whole: m.r2_whole, r2_mean_series_median: m.r2_mean_series_median },
  };
}

function snapshot(model: UpscalingModel): Float32Array[] {
  return model.parameters.map((p) => p.variable.dataSync() as Float32Array).map((a) => a.slice());
}

function restore(model: UpscalingModel, weights: Float32Array[]): void {
  model.parameters.forEach((p, i) => tf.tidy(() => p.variable.assign(tf.tensor(weights[i], p.variable.shape))));
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Probes real training steps (forward with dropout, loss, backward, AdamW update) on a twin of the
 * model built from the same options, so the model itself, its optimizer state and its dropout
 * stream are untouched by the probe.
 */
async function chooseTrainingBackend(
  opts: TrainOptions,
  model: UpscalingModel,
  norm: MinMaxNormalisation,
  batchSize: number,
  maeWeight: number,
): Promise<BackendChoice> {
  const twin = buildModel(opts.arch, { t: opts.train.shapeX[1] / model.options.variables, h: opts.train.shapeX[2], w: opts.train.shapeX[3] }, model.options);
  const vars = twin.parameters.map((p) => p.variable);
  const optimizer = new AdamW({ learningRate: 1e-6, weightDecay: 0 });
  const rng = new Rng(0x5eed);
  const n = opts.train.shapeX[0];
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const count = Math.min(batchSize, n);
  try {
    const signature = `train|${opts.arch}|${JSON.stringify({ ...model.options, seed: undefined })}|x=${model.inputShape.join(',')}|batch=${count}`;
    return await chooseWorkloadBackend(
      {
        signature,
        step: () => {
          const { x, y } = makeBatch(opts.train, order, 0, count, norm);
          const loss = optimizer.minimize(() => mseMaeLoss(twin.apply(x, { training: true, rng }), y!, maeWeight), true, vars);
          loss!.dataSync();
          loss!.dispose();
          x.dispose();
          y!.dispose();
        },
      },
      opts.chooseBackend?.cacheFile,
    );
  } finally {
    optimizer.dispose();
    twin.dispose();
  }
}

export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const seed = opts.seed ?? opts.options?.seed ?? 0;
  const batchSize = opts.batchSize ?? 6;
  const baseLr = opts.lr ?? 3e-4;
  const maeWeight = opts.maeWeight ?? 0.6;
  const schedule: LrSchedule = opts.schedule ?? { kind: 'cosine_warm_restarts', t0: 10, tMult: 1 };
  if (!Number.isInteger(opts.epochs) || opts.epochs < 0) throw new Error(`trainModel: epochs must be a non-negative integer, got ${opts.epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`trainModel: batchSize must be a positive integer, got ${batchSize}`);
  if (!(maeWeight >= 0)) throw new Error(`trainModel: maeWeight must be >= 0, got ${maeWeight}`);
  validateSchedule(schedule);

  const model = buildModel(
    opts.arch,
    { t: opts.train.shapeX[1] / (opts.options?.variables ?? 1), h: opts.train.shapeX[2], w: opts.train.shapeX[3] },
    { ...opts.options, seed },
  );
  try {
    validateTensorData('train', opts.train, model.inputShape, model.outputShape);
    if (opts.val) validateTensorData('val', opts.val, model.inputShape, model.outputShape);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const norm = opts.normalisation ?? fitMinMax(opts.train.x, opts.train.shapeX, model.options.variables);
  let placement: BackendChoice = { backend: tf.getBackend(), reason: 'active backend' };
  if (opts.chooseBackend && model.parameters.length > 0) {
    try {
      placement = await chooseTrainingBackend(opts, model, norm, batchSize, maeWeight);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  const shuffleRng = Rng.derive(seed, 2);
  const dropoutRng = Rng.derive(seed, 3);
  const n = opts.train.shapeX[0];
  const batches = Math.ceil(n / batchSize);
  const vars = model.parameters.map((p) => p.variable);
  const optimizer = new AdamW({ learningRate: learningRateAt(schedule, baseLr, 0), weightDecay: opts.weightDecay ?? 0.01 });
  const history: EpochInfo[] = [];
  const t0 = performance.now();
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const restoreBest = opts.earlyStopping?.restoreBest ?? true;

  try {
    if (vars.length === 0) {
      // Parameter-free baseline (interpolation): nothing to fit, report validation once.
      if (opts.val) {
        const v = validate(model, opts.val, norm, batchSize, maeWeight);
        history.push({ epoch: 0, epochs: 0, loss: NaN, ...v, lr: 0, epochSeconds: 0, elapsedSeconds: 0, etaSeconds: 0, numTensors: tf.memory().numTensors });
      }
    }
    for (let epoch = 0; epoch < opts.epochs && vars.length > 0; epoch++) {
      const te = performance.now();
      const order = shuffleRng.permutation(n);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('training aborted');
        optimizer.learningRate = learningRateAt(schedule, baseLr, epoch + b / batches);
        const from = b * batchSize;
        const count = Math.min(batchSize, n - from);
        const { x, y } = makeBatch(opts.train, order, from, count, norm);
        const lossT = optimizer.minimize(() => mseMaeLoss(model.apply(x, { training: true, rng: dropoutRng }), y!, maeWeight), true, vars);
        const lossV = lossT!.dataSync()[0];
        lossT!.dispose();
        x.dispose();
        y!.dispose();
        if (!Number.isFinite(lossV))
          throw new Error(`trainModel: loss became ${lossV} at epoch ${epoch + 1}, batch ${b + 1}; lower lr (now ${optimizer.learningRate})`);
        lossSum += lossV * count;
        if (opts.onBatch) await opts.onBatch({ epoch: epoch + 1, batch: b + 1, batches, loss: lossV });
        await yieldToEventLoop();
      }
      const loss = lossSum / n;
      const v = opts.val ? validate(model, opts.val, norm, batchSize, maeWeight) : { valLoss: null, valMetrics: null };
      const now = performance.now();
      const elapsedSeconds = (now - t0) / 1000;
      const info: EpochInfo = {
        epoch: epoch + 1,
        epochs: opts.epochs,
        loss,
        valLoss: v.valLoss,
        valMetrics: v.valMetrics,
        lr: optimizer.learningRate,
        epochSeconds: (now - te) / 1000,
        elapsedSeconds,
        etaSeconds: (elapsedSeconds / (epoch + 1)) * (opts.epochs - epoch - 1),
        numTensors: tf.memory().numTensors,
      };
      history.push(info);
      const monitored = v.valLoss ?? loss;
      if (monitored < best - (opts.earlyStopping?.minDelta ?? 0)) {
        best = monitored;
        bestEpoch = epoch + 1;
        sinceBest = 0;
        if (opts.earlyStopping && restoreBest) bestWeights = snapshot(model);
      } else {
        sinceBest++;
      }
      if (opts.onEpoch) await opts.onEpoch(info);
      if (opts.earlyStopping && sinceBest >= opts.earlyStopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights && bestEpoch !== history[history.length - 1]?.epoch) restore(model, bestWeights);
    else if (!opts.earlyStopping || !restoreBest) bestEpoch = history.length ? history[history.length - 1].epoch : 0;
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
  return {
    model,
    history,
    normalisation: norm,
    trainSeconds: (performance.now() - t0) / 1000,
    paramsCount: model.paramsCount,
    backend: tf.getBackend(),
    backendReason: placement.reason,
    bestEpoch,
    stoppedEarly,
  };
}
