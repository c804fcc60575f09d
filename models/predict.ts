/**
 * Batched inference in physical units: normalises raw inputs with the model's training
 * normalisation, runs the model (no dropout), de-normalises the outputs.
 */
import { tf } from './tf.js';
import { chooseWorkloadBackend, type BackendChoice } from './workload-backend.js';
import { transformSamples, type MinMaxNormalisation } from './training/normalisation.js';
import type { UpscalingModel } from './upscaling/model.js';

/** A model together with the normalisation it was trained with (`trainModel` and `loadModel` return one). */
export interface TrainedModel {
  model: UpscalingModel;
  normalisation: MinMaxNormalisation;
}

export interface PredictOptions {
  /** Samples per forward pass (default 8): bounds peak memory. */
  batchSize?: number;
  /**
   * Clamp the physical outputs from below (e.g. 0 for concentrations, which a linear output layer
   * can push slightly negative). Default: no clamp.
   */
  lowerBound?: number;
}

export interface Prediction {
  y: Float32Array;
  /** `[n, c, H, W]`. */
  shape: [number, number, number, number];
}

/** `x` holds n samples of the model's input `[c, h, w]`, raw physical units. */
export function predict(trained: TrainedModel, x: Float32Array, options: PredictOptions = {}): Prediction {
  const { model, normalisation } = trained;
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`predict: batchSize must be a positive integer, got ${batchSize}`);
  const [c, h, w] = model.inputShape;
  const per = c * h * w;
  if (!(x instanceof Float32Array) || x.length === 0 || x.length % per !== 0) {
    throw new Error(
      `predict: x must be a non-empty Float32Array of n samples of [${model.inputShape.join(',')}] (${per} values each), got length ${x?.length}`,
    );
  }
  const n = x.length / per;
  const [oc, oh, ow] = model.outputShape;
  const outPer = oc * oh * ow;
  const out = new Float32Array(n * outPer);
  const buf = new Float32Array(batchSize * per);
  for (let from = 0; from < n; from += batchSize) {
    const count = Math.min(batchSize, n - from);
    transformSamples(x, [c, h, w], from, count, normalisation, buf);
    // Read back outside tidy: a typed array returned from tf.tidy is walked key by key looking for
    // tensors (~0.5 us per element: 70 ms for a 6 x 12 x 10 x 200 batch, more than the forward pass).
    const yT = tf.tidy(() => model.apply(tf.tensor4d(buf.subarray(0, count * per), [count, c, h, w])));
    const vals = yT.dataSync() as Float32Array;
    yT.dispose();
    transformSamples(vals, [oc, oh, ow], 0, count, normalisation, out.subarray(from * outPer), true);
  }
  const lo = options.lowerBound;
  if (lo !== undefined) for (let i = 0; i < out.length; i++) if (out[i] < lo) out[i] = lo;
  return { y: out, shape: [n, oc, oh, ow] };
}

/**
 * Places batched inference of this model on the faster backend started in this thread (timed probe
 * of one forward pass at `batchSize` on each; see `workload-backend.ts`), and activates it.
 */
export async function choosePredictBackend(trained: TrainedModel, batchSize: number, cacheFile?: string): Promise<BackendChoice> {
  const { model } = trained;
  const [c, h, w] = model.inputShape;
  const x = new Float32Array(batchSize * c * h * w).fill(0.5);
  const signature = `predict|${model.arch}|${JSON.stringify({ ...model.options, seed: undefined })}|x=${model.inputShape.join(',')}|batch=${batchSize}`;
  return chooseWorkloadBackend(
    {
      signature,
      step: () => {
        const y = tf.tidy(() => model.apply(tf.tensor4d(x, [batchSize, c, h, w])));
        y.dataSync();
        y.dispose();
      },
    },
    cacheFile,
  );
}
