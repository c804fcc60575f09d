/**
 * First-order (Saltelli 2010) and total (Jansen 1999) Sobol index estimators on a Saltelli design,
 * with bootstrap confidence intervals (resampling base points with replacement, seeded), reported
 * as half-widths like SALib: conf = z_{(1+level)/2} * std(bootstrap estimates).
 */
import { Rng } from '../../numerics/rng.js';
import type { SaltelliDesign } from './saltelli-sampling.js';
import { normalQuantile } from '../../numerics/normal-quantile.js';
import { deviation } from '../../numerics/statistics.js';

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
  const std = (a: Float64Array): number => deviation(a) ?? 0;
  return { S1: point.S1, ST: point.ST, S1_conf: s1.map((a) => z * std(a)), ST_conf: st.map((a) => z * std(a)) };
}
