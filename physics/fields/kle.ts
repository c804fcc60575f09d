/**
 * Karhunen-Loeve expansion (KLE) of a stationary Gaussian log-permeability field on a regular
 * cell-centred grid, with the separable exponential covariance
 *
 *   C(dx, dy) = s^2 exp(-|dx|/lx - |dy|/ly) = s^2 * cx(dx) * cy(dy).
 *
 * The covariance matrix of the grid cells (row-major, index i*nx + j, i = row along y) is then the
 * Kronecker product `s^2 (Cy (x) Cx)` of the 1-D matrices `Cx[a,b] = exp(-|x_a - x_b|/lx)` and
 * `Cy`, so its eigenpairs are products of 1-D eigenpairs: `lambda = s^2 mu_x[a] mu_y[b]`,
 * `phi[i*nx + j] = uy_b[i] * ux_a[j]`. The 1-D eigenproblems are solved numerically (cyclic Jacobi
 * on the dense symmetric matrix), the products are sorted by eigenvalue and truncated to M terms.
 *
 * Because all cells have the same area, the discrete eigenvectors are the Nystrom approximation of
 * the continuous KL eigenfunctions, and the kept variance fraction
 * `sum_{k<M} lambda_k / trace(C) = sum_{k<M} lambda_k / (N s^2)` is the same in both pictures.
 *
 * Field: `Y = sum_k xi_k sqrt(lambda_k) phi_k`, `xi_k ~ N(0, 1)`, so `Var Y[c] = sum_k lambda_k phi_k[c]^2`
 * (on average over cells, `s^2 * varianceFraction`).
 *
 * Degenerate eigenvalues (lx = ly on a square grid gives pairs) are ordered deterministically by
 * (eigenvalue descending, then x-mode index a, then y-mode index b); M may cut through a pair.
 * Eigenvector signs are fixed so that the first entry with |u| > 1e-12 is positive.
 */
import type { Rng } from '../../numerics/rng.js';

export interface KleGridSpec {
  nx: number;
  ny: number;
  /** cell size along x (m) */
  dx: number;
  /** cell size along y (m) */
  dy: number;
}

export interface KleOptions {
  /** variance s^2 of Y */
  variance: number;
  /** correlation length along x (m) */
  lx: number;
  /** correlation length along y (m) */
  ly: number;
  /** number of KL terms kept */
  terms: number;
}

export interface KleBasis {
  nx: number;
  ny: number;
  /** number of kept terms M */
  terms: number;
  /** `[M, ny*nx]` row-major: row k is `sqrt(lambda_k) * phi_k` */
  basis: Float64Array;
  /** kept eigenvalues lambda_k of the grid covariance matrix, descending */
  eigenvalues: Float64Array;
  /** sum of kept eigenvalues / trace of the covariance matrix */
  varianceFraction: number;
  /** 1-D mode indices (x mode a, y mode b) of each kept term */
  modes: { a: number; b: number }[];
  options: KleOptions;
}

/**
 * Eigen-decomposition of a dense symmetric matrix (row-major n x n) by the cyclic Jacobi method.
 * Returns eigenvalues (descending) and eigenvectors as rows `vectors[k*n + i]`, unit norm,
 * sign-normalised so that the first entry with |u| > 1e-12 is positive.
 */
export function symmetricEigen(matrix: Float64Array, n: number, tol = 1e-14): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: matrix has ${matrix.length} entries, expected n*n = ${n * n}`);
  const A = Float64Array.from(matrix);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += A[i] * A[i];
  scale = Math.sqrt(scale) || 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (Math.sqrt(off) <= tol * scale) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = A[p * n + p];
        const aqq = A[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j] - A[i * n + i] || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, k) => {
    values[k] = A[col * n + col];
    let sign = 1;
    for (let i = 0; i < n; i++) {
      const v = V[i * n + col];
      if (Math.abs(v) > 1e-12) {
        sign = v > 0 ? 1 : -1;
        break;
      }
    }
    for (let i = 0; i < n; i++) vectors[k * n + i] = sign * V[i * n + col];
  });
  return { values, vectors };
}

/** 1-D exponential correlation matrix `exp(-|x_a - x_b| / l)` of `n` cells of size `h`. */
export function exponentialCorrelation1d(n: number, h: number, l: number): Float64Array {
  const C = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) C[a * n + b] = Math.exp(-(Math.abs(a - b) * h) / l);
  return C;
}

function checkPositive(name: string, v: number, integer = false): void {
  if (!(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new Error(`kle: ${name} must be a positive ${integer ? 'integer' : 'finite number'}, got ${v}`);
  }
}

const cache = new Map<string, KleBasis>();

/** Builds (and memoises per grid + options) the truncated KLE basis. */
export function buildKle(grid: KleGridSpec, opts: KleOptions): KleBasis {
  checkPositive('grid.nx', grid.nx, true);
  checkPositive('grid.ny', grid.ny, true);
  checkPositive('grid.dx', grid.dx);
  checkPositive('grid.dy', grid.dy);
  checkPositive('variance', opts.variance);
  checkPositive('lx (correlation length along x)', opts.lx);
  checkPositive('ly (correlation length along y)', opts.ly);
  checkPositive('terms', opts.terms, true);
  const { nx, ny } = grid;
  const N = nx * ny;
  if (opts.terms > N) throw new Error(`kle: terms (${opts.terms}) must be <= number of cells nx*ny = ${N}`);
  const key = JSON.stringify([nx, ny, grid.dx, grid.dy, opts.variance, opts.lx, opts.ly, opts.terms]);
  const hit = cache.get(key);
  if (hit) return hit;

  const ex = symmetricEigen(exponentialCorrelation1d(nx, grid.dx, opts.lx), nx);
  const ey = symmetricEigen(exponentialCorrelation1d(ny, grid.dy, opts.ly), ny);
  const pairs: { a: number; b: number; lambda: number }[] = [];
  for (let a = 0; a < nx; a++) for (let b = 0; b < ny; b++) pairs.push({ a, b, lambda: opts.variance * Math.max(ex.values[a], 0) * Math.max(ey.values[b], 0) });
  pairs.sort((p, q) => q.lambda - p.lambda || p.a - q.a || p.b - q.b);
  const M = opts.terms;
  const basis = new Float64Array(M * N);
  const eigenvalues = new Float64Array(M);
  let kept = 0;
  for (let k = 0; k < M; k++) {
    const { a, b, lambda } = pairs[k];
    eigenvalues[k] = lambda;
    kept += lambda;
    const s = Math.sqrt(lambda);
    for (let i = 0; i < ny; i++) {
      const uy = ey.vectors[b * ny + i] * s;
      for (let j = 0; j < nx; j++) basis[k * N + i * nx + j] = uy * ex.vectors[a * nx + j];
    }
  }
  const result: KleBasis = {
    nx,
    ny,
    terms: M,
    basis,
    eigenvalues,
    varianceFraction: kept / (N * opts.variance),
    modes: pairs.slice(0, M).map(({ a, b }) => ({ a, b })),
    options: { ...opts },
  };
  cache.set(key, result);
  return result;
}

/** `Y = mean + sum_k xi[k] * basis[k]` (length ny*nx, row-major). */
export function kleField(kle: KleBasis, xi: ArrayLike<number>, mean = 0): Float64Array {
  if (xi.length !== kle.terms) throw new Error(`kleField: xi has ${xi.length} coefficients, the basis has ${kle.terms} terms`);
  const N = kle.nx * kle.ny;
  const Y = new Float64Array(N).fill(mean);
  for (let k = 0; k < kle.terms; k++) {
    const c = xi[k];
    if (c === 0) continue;
    const off = k * N;
    for (let c2 = 0; c2 < N; c2++) Y[c2] += c * kle.basis[off + c2];
  }
  return Y;
}

/** Standard-normal KL coefficients drawn from `rng` (M normals, in order). */
export function kleCoefficients(kle: KleBasis, rng: Rng): Float64Array {
  const xi = new Float64Array(kle.terms);
  for (let k = 0; k < kle.terms; k++) xi[k] = rng.normal();
  return xi;
}
