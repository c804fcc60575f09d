/**
 * Regression metrics over `[n, t, h, w]` tensors in physical units (float64 accumulation).
 *
 * - `mse`, `mae`, `rmse`, `r2_whole`: over every voxel of the whole tensor,
 *   r2_whole = 1 - SS_res / SS_tot with SS_tot about the global mean.
 * - `r2_mean_series_median` / `r2_mean_series_mean`: the STAMNet authors' definition: for each
 *   sample, average truth and prediction over (h, w) to get a length-t series, compute R^2 of that
 *   series, then take the median / mean over samples (samples with a constant true series, whose
 *   R^2 is undefined, are skipped).
 */
import { median } from '../../numerics/statistics.js';

export type Shape4 = [number, number, number, number];

export interface RegressionMetrics {
  n: number;
  mse: number;
  mae: number;
  rmse: number;
  r2_whole: number;
  r2_mean_series_median: number;
  r2_mean_series_mean: number;
}

function checkShape(name: string, data: ArrayLike<number>, shape: Shape4): void {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new Error(`${name}: shape must be [n, t, h, w] of non-negative integers, got [${shape.join(',')}]`);
  if (data.length !== expected) throw new Error(`${name}: length ${data.length} does not match shape [${shape.join(',')}] (${expected})`);
}

/** R^2 of a prediction against truth (1 - SS_res/SS_tot); NaN when truth is constant. */
export function r2Score(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < truth.length; i++) mean += truth[i];
  mean /= truth.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < truth.length; i++) {
    ssRes += (truth[i] - pred[i]) ** 2;
    ssTot += (truth[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : NaN;
}

/** Per-sample spatial mean series, `[n, t]` flattened. */
function meanSeriesPerSample(data: ArrayLike<number>, shape: Shape4): Float64Array {
  const [n, t, h, w] = shape;
  const hw = h * w;
  const out = new Float64Array(n * t);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < t; k++) {
      let acc = 0;
      const base = (s * t + k) * hw;
      for (let i = 0; i < hw; i++) acc += data[base + i];
      out[s * t + k] = acc / hw;
    }
  }
  return out;
}

/** Metrics over the samples listed in `samples` (all when omitted). */
export function regressionMetrics(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: Shape4, samples?: readonly number[]): RegressionMetrics {
  checkShape('truth', truth, shape);
  checkShape('prediction', pred, shape);
  const [n, t, h, w] = shape;
  const per = t * h * w;
  const idx = samples ?? Array.from({ length: n }, (_, i) => i);
  let sum = 0;
  for (const s of idx) for (let i = s * per; i < (s + 1) * per; i++) sum += truth[i];
  const count = idx.length * per;
  const mean = sum / count;
  let se = 0;
  let ae = 0;
  let ssTot = 0;
  for (const s of idx) {
    for (let i = s * per; i < (s + 1) * per; i++) {
      const d = pred[i] - truth[i];
      se += d * d;
      ae += Math.abs(d);
      ssTot += (truth[i] - mean) ** 2;
    }
  }
  const ts = meanSeriesPerSample(truth, shape);
  const ps = meanSeriesPerSample(pred, shape);
  const r2s: number[] = [];
  for (const s of idx) {
    const r = r2Score(ts.subarray(s * t, (s + 1) * t), ps.subarray(s * t, (s + 1) * t));
    if (Number.isFinite(r)) r2s.push(r);
  }
  const mse = count ? se / count : NaN;
  return {
    n: idx.length,
    mse,
    mae: count ? ae / count : NaN,
    rmse: Math.sqrt(mse),
    r2_whole: ssTot > 0 ? 1 - se / ssTot : NaN,
    r2_mean_series_median: median(r2s) ?? NaN,
    r2_mean_series_mean: r2s.length ? r2s.reduce((a, b) => a + b, 0) / r2s.length : NaN,
  };
}
