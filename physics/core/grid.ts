/**
 * The 2-D structured grid shared by every Plume solver (Darcy flow, advection-dispersion,
 * bioremediation, groundwater).
 *
 * Layout (fixed; other modules rely on it):
 * - `nx` columns along x (longitudinal, the tensor width W), `ny` rows along y (vertical, the
 *   tensor height H); cell sizes `dx`, `dy` in metres; unit depth (1 m) in z.
 * - Cell (row i, col j) has index `i * nx + j`; cell arrays are row-major `[ny, nx]`, i.e. exactly
 *   a tensor `[h, w]` with `h = i`, `w = j`.
 * - Row 0 is the BOTTOM of the slice (y = 0 .. dy), row ny-1 the TOP (y = H). Column 0 is the LEFT
 *   side (x = 0), column nx-1 the RIGHT side (x = W). This matches PFLOTRAN's y-up axis after its
 *   `nx x ny` datasets are transposed to `[ny, nx]` (see physics/import/pflotran-hdf5.ts). Plotting
 *   `[h, w]` as an image with row 0 at the top therefore shows the slice upside down.
 * - x-faces: `(nx + 1) * ny` values, face (i, j) at x = j * dx between cells (i, j-1) and (i, j),
 *   index `i * (nx + 1) + j`; j = 0 is the left boundary face, j = nx the right one.
 * - y-faces: `nx * (ny + 1)` values, face (i, j) at y = i * dy between cells (i-1, j) and (i, j),
 *   index `i * nx + j`; i = 0 is the bottom boundary face, i = ny the top one.
 */
export interface Grid {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
}

/** Throws a message naming the bad field unless the grid is usable. */
export function assertGrid(g: Grid, where = 'grid'): void {
  if (!g || typeof g !== 'object') throw new Error(`${where} must be an object { nx, ny, dx, dy }`);
  for (const k of ['nx', 'ny'] as const) {
    if (!Number.isInteger(g[k]) || g[k] < 1) throw new Error(`${where}.${k} must be a positive integer, got ${g[k]}`);
  }
  for (const k of ['dx', 'dy'] as const) {
    if (!(Number.isFinite(g[k]) && g[k] > 0)) throw new Error(`${where}.${k} must be a positive cell size in metres, got ${g[k]}`);
  }
}

/** Throws unless `a` is a cell array of this grid (length nx*ny). */
export function assertCellArray(g: Grid, a: ArrayLike<number>, name: string): void {
  if (!a || a.length !== g.nx * g.ny) {
    throw new Error(`${name} must have one value per cell (nx*ny = ${g.nx}*${g.ny} = ${g.nx * g.ny}), got length ${a ? a.length : a}`);
  }
}
