/**
 * First-order (Saltelli 2010) and total (Jansen 1999) Sobol index estimators on a Saltelli design,
 * with bootstrap confidence intervals (resampling base points with replacement, seeded), reported
 * as half-widths like SALib: conf = z_{(1+level)/2} * std(bootstrap estimates).
 */
import { Rng } from '../sampling/rng.js';
import type { SaltelliDesign } from './saltelli-sampling.js';

export interface SobolIndices {
  S1: number[];
  ST: number[];
  S1_conf: number[];
  ST_conf: number[];
}

interface Split {
  fA: Float64Array;
  fB: Float64Array;
  fAB: Float64Array[];
}

function split(design: SaltelliDesign, y: ArrayLike<number>): Split {
  const { base, dims } = design;
  if (y.length !== design.size) throw new Error(`expected ${design.size} model values, got ${y.length}`);
  const fA = new Float64Array(base);
  const fB = new Float64Array(base);
  const fAB = Array.from({ length: dims }, () => new Float64Array(base));
  const stride = dims + 2;
  for (let j = 0; j < base; j++) {
    fA[j] = y[j * stride];
    for (let i = 0; i < dims; i++) fAB[i][j] = y[j * stride + 1 + i];
    fB[j] = y[j * stride + dims + 1];
  }
  return { fA, fB, fAB };
}

function estimate(s: Split, idx: Int32Array | null, dims: number): { S1: number[]; ST: number[] } {
  const n = idx ? idx.length : s.fA.length;
  const at = (arr: Float64Array, k: number): number => arr[idx ? idx[k] : k];
  // Variance over A and B together.
  let mean = 0;
  for (let k = 0; k < n; k++) mean += at(s.fA, k) + at(s.fB, k);
  mean /= 2 * n;
  let v = 0;
  for (let k = 0; k < n; k++) v += (at(s.fA, k) - mean) ** 2 + (at(s.fB, k) - mean) ** 2;
  v /= 2 * n - 1;
  const S1: number[] = [];
  const ST: number[] = [];
  for (let i = 0; i < dims; i++) {
    let first = 0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const a = at(s.fA, k);
      const b = at(s.fB, k);
      const ab = at(s.fAB[i], k);
      first += b * (ab - a);
      total += (a - ab) ** 2;
    }
    S1.push(v > 0 ? first / n / v : 0);
    ST.push(v > 0 ? (0.5 * total) / n / v : 0);
  }
  return { S1, ST };
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

export function sobolIndices(
  design: SaltelliDesign,
  y: ArrayLike<number>,
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): SobolIndices {
  const s = split(design, y);
  const point = estimate(s, null, design.dims);
  const resamples = opts.resamples ?? 1000;
  const z = normalQuantile(0.5 + (opts.confidence ?? 0.95) / 2);
  const rng = new Rng(opts.seed ?? 0);
  const n = design.base;
  const s1 = Array.from({ length: design.dims }, () => new Float64Array(resamples));
  const st = Array.from({ length: design.dims }, () => new Float64Array(resamples));
  const idx = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) idx[k] = rng.int(n);
    const e = estimate(s, idx, design.dims);
    for (let i = 0; i < design.dims; i++) {
      s1[i][r] = e.S1[i];
      st[i][r] = e.ST[i];
    }
  }
  const std = (a: Float64Array): number => {
    let m = 0;
    for (const v of a) m += v;
    m /= a.length;
    let q = 0;
    for (const v of a) q += (v - m) ** 2;
    return Math.sqrt(q / Math.max(1, a.length - 1));
  };
  return { S1: point.S1, ST: point.ST, S1_conf: s1.map((a) => z * std(a)), ST_conf: st.map((a) => z * std(a)) };
}
