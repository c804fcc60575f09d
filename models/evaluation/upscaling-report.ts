/**
 * Full evaluation of an upscaling prediction against the 10x truth, in physical units:
 * whole-tensor and per-sample mean-series metrics (see `regression-metrics.ts`), the same on the
 * low- and high-concentration subsets (samples whose mean true value is below / above the
 * thresholds: biomass 15 and 50 mol/m^3 by default), the mean time series of truth and prediction
 * over all samples, and mean spatial error maps (mean absolute and mean signed error over samples
 * and times, `[h, w]`), ready for the artifact store.
 */
import { regressionMetrics, type RegressionMetrics, type Shape4 } from './regression-metrics.js';

export interface UpscalingReportOptions {
  /** Samples with mean truth below this are the low-concentration subset (biomass: 15 mol/m^3). */
  lowThreshold?: number;
  /** Samples with mean truth above this are the high-concentration subset (biomass: 50 mol/m^3). */
  highThreshold?: number;
}

export interface UpscalingReport {
  all: RegressionMetrics;
  low: RegressionMetrics & { samples: number[] };
  high: RegressionMetrics & { samples: number[] };
  /** Mean over samples and voxels per time, length t. */
  meanSeries: { truth: Float32Array; prediction: Float32Array };
  /** Mean over samples and times of |pred - truth|, `[h, w]` row-major. */
  meanAbsErrorMap: Float32Array;
  /** Mean over samples and times of (pred - truth), `[h, w]` row-major. */
  meanErrorMap: Float32Array;
  mapShape: [number, number];
}

export function evaluateUpscaling(truth: Float32Array, pred: Float32Array, shape: Shape4, options: UpscalingReportOptions = {}): UpscalingReport {
  const all = regressionMetrics(truth, pred, shape);
  const [n, t, h, w] = shape;
  const hw = h * w;
  const per = t * hw;
  const lowT = options.lowThreshold ?? 15;
  const highT = options.highThreshold ?? 50;
  const low: number[] = [];
  const high: number[] = [];
  const seriesT = new Float64Array(t);
  const seriesP = new Float64Array(t);
  const absMap = new Float64Array(hw);
  const errMap = new Float64Array(hw);
  for (let s = 0; s < n; s++) {
    let sum = 0;
    for (let k = 0; k < t; k++) {
      const base = s * per + k * hw;
      let st = 0;
      let sp = 0;
      for (let i = 0; i < hw; i++) {
        const tv = truth[base + i];
        const pv = pred[base + i];
        st += tv;
        sp += pv;
        absMap[i] += Math.abs(pv - tv);
        errMap[i] += pv - tv;
      }
      seriesT[k] += st / hw;
      seriesP[k] += sp / hw;
      sum += st;
    }
    const mean = sum / per;
    if (mean < lowT) low.push(s);
    if (mean > highT) high.push(s);
  }
  const f32 = (a: Float64Array, d: number) => Float32Array.from(a, (v) => v / d);
  return {
    all,
    low: { ...regressionMetrics(truth, pred, shape, low), samples: low },
    high: { ...regressionMetrics(truth, pred, shape, high), samples: high },
    meanSeries: { truth: f32(seriesT, n), prediction: f32(seriesP, n) },
    meanAbsErrorMap: f32(absMap, n * t),
    meanErrorMap: f32(errMap, n * t),
    mapShape: [h, w],
  };
}
