/**
 * Stationary Gaussian random fields and log-normal permeability by separable moving average.
 *
 * A standard-normal field Y with Gaussian covariance
 *
 *     Cov(Y(x, y), Y(x + hx, y + hy)) = exp(-(hx / lx)^2 - (hy / ly)^2)
 *
 * is white noise convolved with the separable kernel w(hx) w(hy), w(h) proportional to
 * exp(-2 h^2 / l^2) (the self-convolution of exp(-2 h^2 / l^2) is proportional to exp(-h^2 / l^2)).
 * The kernel is truncated at 2.5 l (weights below 4e-6 of the centre) and normalised so that the
 * sum of squared weights is 1 in each direction: every cell then has variance exactly 1, and the
 * field is exactly stationary (the same filter everywhere, noise drawn on a padded grid).
 * Cost O(N (Rx + Ry)) with R = 2.5 l / cell size.
 *
 * Nesting (upscaling pairs): the 1x and 10x domains share their first W columns. We always draw
 * the WIDE field (nx * widthFactor columns) and take the 1x field as its first nx columns
 * (`nestedLogNormalPermeability`), so the 10x field extends the 1x one instead of being a different
 * draw of the first 2 m, and a 1x simulation run alone sees exactly those columns too.
 * Noise is drawn row by row (bottom to top) on the padded wide grid from `Rng(seed)`.
 */
import { Rng } from '../../numerics/rng.js';

export interface FieldGrid {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
}

export interface GaussianFieldOptions {
  /** Correlation length along x (m), > 0. */
  correlationLengthX: number;
  /** Correlation length along y (m), > 0. */
  correlationLengthY: number;
  /** Seed of the Rng that draws the white noise. */
  seed: number;
}

export interface LogNormalPermeabilityOptions extends GaussianFieldOptions {
  /** Geometric mean permeability exp(E[ln k]) (m^2). */
  geometricMean: number;
  /** Standard deviation of ln k (-). */
  sigmaLnK: number;
}

function kernel(l: number, h: number): Float64Array {
  const R = Math.max(0, Math.ceil((2.5 * l) / h));
  const w = new Float64Array(2 * R + 1);
  let s2 = 0;
  for (let m = -R; m <= R; m++) {
    const v = Math.exp((-2 * (m * h) * (m * h)) / (l * l));
    w[m + R] = v;
    s2 += v * v;
  }
  const norm = 1 / Math.sqrt(s2);
  for (let k = 0; k < w.length; k++) w[k] *= norm;
  return w;
}

function checkGrid(g: FieldGrid): void {
  for (const k of ['nx', 'ny'] as const) if (!Number.isInteger(g[k]) || g[k] < 1) throw new Error(`grid.${k} must be a positive integer, got ${g[k]}`);
  for (const k of ['dx', 'dy'] as const) if (!(g[k] > 0 && Number.isFinite(g[k]))) throw new Error(`grid.${k} must be a positive cell size (m), got ${g[k]}`);
}

/** Standard-normal stationary field with Gaussian covariance, row-major [ny, nx]. */
export function gaussianField(grid: FieldGrid, opts: GaussianFieldOptions): Float64Array {
  checkGrid(grid);
  const { correlationLengthX: lx, correlationLengthY: ly, seed } = opts;
  if (!(lx > 0 && Number.isFinite(lx))) throw new Error(`correlationLengthX must be a positive length (m), got ${lx}`);
  if (!(ly > 0 && Number.isFinite(ly))) throw new Error(`correlationLengthY must be a positive length (m), got ${ly}`);
  const { nx, ny, dx, dy } = grid;
  const wx = kernel(lx, dx);
  const wy = kernel(ly, dy);
  const Rx = (wx.length - 1) / 2;
  const Ry = (wy.length - 1) / 2;
  const px = nx + 2 * Rx;
  const py = ny + 2 * Ry;
  const rng = new Rng(seed);
  // x-filtered rows of the padded noise: tmp[py][nx]
  const tmp = new Float64Array(py * nx);
  const row = new Float64Array(px);
  for (let i = 0; i < py; i++) {
    for (let j = 0; j < px; j++) row[j] = rng.normal();
    const o = i * nx;
    for (let j = 0; j < nx; j++) {
      let s = 0;
      for (let m = 0; m < wx.length; m++) s += wx[m] * row[j + m];
      tmp[o + j] = s;
    }
  }
  const out = new Float64Array(nx * ny);
  for (let i = 0; i < ny; i++) {
    const o = i * nx;
    for (let m = 0; m < wy.length; m++) {
      const w = wy[m];
      const src = (i + m) * nx;
      for (let j = 0; j < nx; j++) out[o + j] += w * tmp[src + j];
    }
  }
  return out;
}

/** k = geometricMean * exp(sigmaLnK * Y), Y from gaussianField. */
export function logNormalPermeability(grid: FieldGrid, opts: LogNormalPermeabilityOptions): Float64Array {
  const { geometricMean, sigmaLnK } = opts;
  if (!(geometricMean > 0 && Number.isFinite(geometricMean))) throw new Error(`geometricMean must be a positive permeability (m^2), got ${geometricMean}`);
  if (!(sigmaLnK >= 0 && Number.isFinite(sigmaLnK))) throw new Error(`sigmaLnK must be >= 0, got ${sigmaLnK}`);
  const y = gaussianField(grid, opts);
  for (let c = 0; c < y.length; c++) y[c] = geometricMean * Math.exp(sigmaLnK * y[c]);
  return y;
}

/** First `nx` columns of a row-major [ny, nxWide] array (new array). */
export function firstColumns(a: Float64Array, nxWide: number, ny: number, nx: number): Float64Array {
  if (a.length !== nxWide * ny) throw new Error(`firstColumns: array has ${a.length} values, expected ${nxWide}*${ny}`);
  if (nx > nxWide) throw new Error(`firstColumns: nx (${nx}) exceeds the wide width (${nxWide})`);
  const out = new Float64Array(nx * ny);
  for (let i = 0; i < ny; i++) out.set(a.subarray(i * nxWide, i * nxWide + nx), i * nx);
  return out;
}

/**
 * Permeability for a 1x grid and its `widthFactor`-wide extension (same dx, dy, ny): the wide field
 * is drawn once and `narrow` is exactly its first `grid.nx` columns.
 */
export function nestedLogNormalPermeability(
  grid: FieldGrid,
  widthFactor: number,
  opts: LogNormalPermeabilityOptions,
): { narrow: Float64Array; wide: Float64Array; wideGrid: FieldGrid } {
  if (!Number.isInteger(widthFactor) || widthFactor < 1) throw new Error(`widthFactor must be a positive integer, got ${widthFactor}`);
  const wideGrid = { ...grid, nx: grid.nx * widthFactor };
  const wide = logNormalPermeability(wideGrid, opts);
  return { narrow: firstColumns(wide, wideGrid.nx, grid.ny, grid.nx), wide, wideGrid };
}
