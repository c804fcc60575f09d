/**
 * Latin hypercube sampling on the unit cube.
 *
 * Each of the `d` dimensions is cut into `n` equal strata; every stratum of every dimension holds
 * exactly one of the `n` points, at a uniformly random position inside the stratum. The strata
 * are matched across dimensions by independent random permutations (McKay, Beckman & Conover
 * 1979), as in pyDOE's `lhs(..., criterion=None)` and SciPy's `qmc.LatinHypercube`.
 */
import type { Rng } from './rng.js';

/**
 * `n` rows of `d` values in [0, 1). Row `i`, column `k` lies in stratum
 * `[p_k(i)/n, (p_k(i)+1)/n)` where `p_k` is a random permutation of 0..n-1.
 * Draw order (for reproducibility): per dimension, a permutation then `n` uniforms.
 */
export function latinHypercube(n: number, d: number, rng: Rng): Float64Array[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`latinHypercube: n (number of samples) must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`latinHypercube: d (dimension) must be a positive integer, got ${d}`);
  const rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) rows.push(new Float64Array(d));
  for (let k = 0; k < d; k++) {
    const perm = rng.permutation(n);
    for (let i = 0; i < n; i++) {
      let v = (perm[i] + rng.next()) / n;
      if (v >= 1) v = (n - 1 + 0.5) / n; // guard against rounding to exactly 1
      rows[i][k] = v;
    }
  }
  return rows;
}

/** Maps unit-cube rows to a box: `lower[k] + u[k] * (upper[k] - lower[k])` (new arrays). */
export function scaleToBounds(rows: Float64Array[], lower: ArrayLike<number>, upper: ArrayLike<number>): Float64Array[] {
  if (lower.length !== upper.length) throw new Error(`scaleToBounds: lower (${lower.length}) and upper (${upper.length}) must have the same length`);
  return rows.map((u, r) => {
    if (u.length !== lower.length) throw new Error(`scaleToBounds: row ${r} has ${u.length} values, bounds have ${lower.length}`);
    const x = new Float64Array(u.length);
    for (let k = 0; k < u.length; k++) x[k] = lower[k] + u[k] * (upper[k] - lower[k]);
    return x;
  });
}
