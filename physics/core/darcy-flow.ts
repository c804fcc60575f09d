/**
 * Steady single-phase Darcy flow on a 2-D slice of unit depth:
 *
 *     -div( lambda grad p ) = 0,   lambda = k / mu  (m^2 / (Pa s)),   q = -lambda grad p  (m/s)
 *
 * Cell-centred finite volumes on the grid of ./grid.ts; the transmissibility of an interior face is
 * the harmonic mean of the two cell mobilities times (face length / centre distance), e.g.
 * `T = dy/dx * 2 l1 l2 / (l1 + l2)` for an x-face; a Dirichlet boundary face uses the half cell,
 * `T = 2 l dy/dx`. The 5-point system is symmetric positive definite (at least one Dirichlet side)
 * and is solved by conjugate gradients preconditioned with an aggregation multigrid V-cycle
 * (./aggregation-multigrid.ts, default) or a relaxed modified incomplete Cholesky factorisation,
 * MIC(0) (Gustafsson 1978; relaxation `omega`, 0 = plain IC(0)).
 *
 * Gravity is not included: `p` is the dynamic (piezometric) pressure, p - rho g z.
 *
 * Face fluxes are volumetric per unit depth, m^2/s (= Darcy velocity times face length), positive
 * along +x / +y, laid out as documented in ./grid.ts. Interior fluxes are computed from the final
 * pressure with the same transmissibilities, so every interior face flux is shared exactly by its
 * two cells and the flux divergence per cell equals the linear-solver residual (tol-small).
 */
import { type Grid, assertGrid, assertCellArray } from './grid.js';
import { AggregationMultigrid, residual5 } from './aggregation-multigrid.js';

type SideCondition = { type: 'dirichlet'; value: number | Float64Array } | { type: 'noflow' };

/** Boundary conditions on the four sides. left/right values: one per row (ny); top/bottom: one per column (nx). */
export interface FlowBoundaryConditions {
  left: SideCondition;
  right: SideCondition;
  top: SideCondition;
  bottom: SideCondition;
}

export interface DarcyOptions {
  /** Relative residual ||b - A p|| / ||b|| to stop at (default 1e-10). */
  tol?: number;
  /** Maximum CG iterations (default 20 * sqrt(nx*ny) + 200). */
  maxIter?: number;
  /** Initial pressure guess (warm start), one value per cell. */
  initial?: Float64Array;
  /** MIC relaxation in [0, 1) for the 'mic' preconditioner: 0 = IC(0); default 0.95. */
  omega?: number;
  /** CG preconditioner: aggregation multigrid V-cycle (default) or relaxed MIC(0). */
  preconditioner?: 'multigrid' | 'mic';
}

export interface DarcySolution {
  /** Cell pressures (Pa), [ny, nx]. */
  pressure: Float64Array;
  /** x-face fluxes, (nx+1)*ny, m^2/s per unit depth, positive +x. */
  fluxX: Float64Array;
  /** y-face fluxes, nx*(ny+1), m^2/s per unit depth, positive +y. */
  fluxY: Float64Array;
  /** CG iterations used. */
  iterations: number;
  /** Final relative residual ||b - A p|| / ||b|| (0 if b = 0). */
  residual: number;
}

type SideName = 'left' | 'right' | 'top' | 'bottom';

function sideValues(c: SideCondition, n: number, name: SideName): Float64Array | null {
  if (!c || typeof c !== 'object') throw new Error(`bc.${name} must be { type: 'dirichlet', value } or { type: 'noflow' }`);
  if (c.type === 'noflow') return null;
  if (c.type !== 'dirichlet') throw new Error(`bc.${name}.type must be 'dirichlet' or 'noflow', got ${JSON.stringify((c as { type: unknown }).type)}`);
  const out = new Float64Array(n);
  if (typeof c.value === 'number') {
    if (!Number.isFinite(c.value)) throw new Error(`bc.${name}.value must be a finite pressure (Pa), got ${c.value}`);
    out.fill(c.value);
  } else {
    if (!c.value || c.value.length !== n) {
      throw new Error(
        `bc.${name}.value must be a number or a Float64Array with one value per boundary cell (${n}), got length ${c.value ? c.value.length : c.value}`,
      );
    }
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(c.value[k])) throw new Error(`bc.${name}.value[${k}] must be finite, got ${c.value[k]}`);
      out[k] = c.value[k];
    }
  }
  return out;
}

/**
 * The assembled operator and its MIC(0) factor for one mobility field; solve it for any number of
 * boundary conditions (the bioremediation simulator superposes two basis solutions per
 * permeability state).
 */
export class DarcySolver {
  readonly grid: Grid;
  readonly n: number;
  /** Face transmissibilities (m^2/(Pa s) per unit depth): interior x-faces tx[i*(nx+1)+j], y-faces ty[i*nx+j]. */
  readonly tx: Float64Array;
  readonly ty: Float64Array;
  /** Half-cell transmissibilities of boundary faces (used when a side is Dirichlet). */
  readonly tLeft: Float64Array;
  readonly tRight: Float64Array;
  readonly tBottom: Float64Array;
  readonly tTop: Float64Array;
  private readonly aw: Float64Array; // coupling to west neighbour (n-1)
  private readonly as: Float64Array; // coupling to south neighbour (n-nx)
  private readonly diagInterior: Float64Array; // sum of interior couplings
  private diag = new Float64Array(0);
  private invd = new Float64Array(0);
  private factorKey = '';
  private readonly omega: number;
  private readonly kind: 'multigrid' | 'mic';
  private mg: AggregationMultigrid | null = null;
  // CG work vectors
  private readonly r: Float64Array;
  private readonly z: Float64Array;
  private readonly pdir: Float64Array;
  private readonly q: Float64Array;
  private readonly zero: Float64Array;

  constructor(grid: Grid, mobility: Float64Array, opts: { omega?: number; preconditioner?: 'multigrid' | 'mic' } = {}) {
    const omega = opts.omega ?? 0.95;
    this.kind = opts.preconditioner ?? 'multigrid';
    if (this.kind !== 'multigrid' && this.kind !== 'mic') throw new Error(`preconditioner must be 'multigrid' or 'mic', got ${this.kind}`);
    assertGrid(grid);
    assertCellArray(grid, mobility, 'mobility');
    if (!(omega >= 0 && omega < 1)) throw new Error(`omega (MIC relaxation) must be in [0, 1), got ${omega}`);
    const { nx, ny, dx, dy } = grid;
    for (let c = 0; c < nx * ny; c++) {
      const m = mobility[c];
      if (!(m > 0 && Number.isFinite(m))) {
        throw new Error(`mobility[${c}] (row ${Math.floor(c / nx)}, col ${c % nx}) must be a positive finite k/mu, got ${m}`);
      }
    }
    this.grid = { nx, ny, dx, dy };
    this.omega = omega;
    const n = nx * ny;
    this.n = n;
    this.tx = new Float64Array((nx + 1) * ny);
    this.ty = new Float64Array(nx * (ny + 1));
    this.tLeft = new Float64Array(ny);
    this.tRight = new Float64Array(ny);
    this.tBottom = new Float64Array(nx);
    this.tTop = new Float64Array(nx);
    this.aw = new Float64Array(n);
    this.as = new Float64Array(n);
    this.diagInterior = new Float64Array(n);
    const gx = dy / dx;
    const gy = dx / dy;
    for (let i = 0; i < ny; i++) {
      for (let j = 1; j < nx; j++) {
        const a = mobility[i * nx + j - 1];
        const b = mobility[i * nx + j];
        const t = (gx * 2 * a * b) / (a + b);
        this.tx[i * (nx + 1) + j] = t;
        this.aw[i * nx + j] = t;
        this.diagInterior[i * nx + j] += t;
        this.diagInterior[i * nx + j - 1] += t;
      }
      this.tLeft[i] = 2 * gx * mobility[i * nx];
      this.tRight[i] = 2 * gx * mobility[i * nx + nx - 1];
    }
    for (let i = 1; i < ny; i++) {
      for (let j = 0; j < nx; j++) {
        const a = mobility[(i - 1) * nx + j];
        const b = mobility[i * nx + j];
        const t = (gy * 2 * a * b) / (a + b);
        this.ty[i * nx + j] = t;
        this.as[i * nx + j] = t;
        this.diagInterior[i * nx + j] += t;
        this.diagInterior[(i - 1) * nx + j] += t;
      }
    }
    for (let j = 0; j < nx; j++) {
      this.tBottom[j] = 2 * gy * mobility[j];
      this.tTop[j] = 2 * gy * mobility[(ny - 1) * nx + j];
    }
    this.r = new Float64Array(n);
    this.z = new Float64Array(n);
    this.pdir = new Float64Array(n);
    this.q = new Float64Array(n);
    this.zero = new Float64Array(n);
  }

  /** Assembles the diagonal for this set of Dirichlet sides and factors it (cached by side set). */
  private factor(dir: Record<SideName, boolean>): void {
    const key = `${+dir.left}${+dir.right}${+dir.top}${+dir.bottom}`;
    if (key === this.factorKey) return;
    const { nx, ny } = this.grid;
    const n = this.n;
    const diag = new Float64Array(n);
    diag.set(this.diagInterior);
    for (let i = 0; i < ny; i++) {
      if (dir.left) diag[i * nx] += this.tLeft[i];
      if (dir.right) diag[i * nx + nx - 1] += this.tRight[i];
    }
    for (let j = 0; j < nx; j++) {
      if (dir.bottom) diag[j] += this.tBottom[j];
      if (dir.top) diag[(ny - 1) * nx + j] += this.tTop[j];
    }
    const aw = this.aw;
    const as = this.as;
    const invd = new Float64Array(this.kind === 'mic' ? n : 0);
    if (this.kind === 'mic') {
      const d = new Float64Array(n);
      const w = this.omega;
      for (let c = 0; c < n; c++) {
        let v = diag[c];
        const awc = aw[c];
        if (awc !== 0) {
          // fill-in from eliminating the west cell lands at (c, c-1+nx)
          const fill = c - 1 + nx < n ? as[c - 1 + nx] : 0;
          v -= (awc * (awc + w * fill)) / d[c - 1];
        }
        const asc = as[c];
        if (asc !== 0) {
          // fill-in from eliminating the south cell lands at (c, c-nx+1); aw of a column-0 cell is 0
          const fill = c % nx !== nx - 1 ? aw[c - nx + 1] : 0;
          v -= (asc * (asc + w * fill)) / d[c - nx];
        }
        if (!(v > 1e-12 * diag[c])) v = diag[c]; // breakdown guard (does not happen for M-matrices with omega < 1)
        d[c] = v;
      }
      for (let c = 0; c < n; c++) invd[c] = 1 / d[c];
    }
    this.diag = diag;
    this.invd = invd;
    this.factorKey = key;
    this.mg = this.kind === 'multigrid' ? new AggregationMultigrid({ nx, ny, diag, aw, as }) : null;
  }

  /** y = A x */
  private apply(x: Float64Array, y: Float64Array): void {
    const { nx, ny } = this.grid;
    // y = 0 - (-A x): reuse the residual kernel with b = 0 and negate
    residual5(nx, ny, this.diag, this.aw, this.as, x, this.zero, y);
    for (let c = 0; c < this.n; c++) y[c] = -y[c];
  }

  /** z = M^-1 r with M = (D - L) D^-1 (D - L^T). */
  private precondition(r: Float64Array, z: Float64Array): void {
    if (this.mg) {
      this.mg.apply(r, z);
      return;
    }
    const nx = this.grid.nx;
    const n = this.n;
    const aw = this.aw;
    const as = this.as;
    const invd = this.invd;
    for (let c = 0; c < n; c++) {
      let v = r[c];
      if (c >= 1) v += aw[c] * z[c - 1]; // aw[c] = 0 on column 0
      if (c >= nx) v += as[c] * z[c - nx];
      z[c] = v * invd[c];
    }
    for (let c = n - 1; c >= 0; c--) {
      let v = 0;
      if (c + 1 < n) v += aw[c + 1] * z[c + 1];
      if (c + nx < n) v += as[c + nx] * z[c + nx];
      z[c] += v * invd[c];
    }
  }

  /** Solves for pressure and face fluxes with the given boundary conditions. */
  solve(bc: FlowBoundaryConditions, opts: DarcyOptions = {}): DarcySolution {
    const { nx, ny } = this.grid;
    const n = this.n;
    if (!bc || typeof bc !== 'object') throw new Error('bc must be { left, right, top, bottom } side conditions');
    const vl = sideValues(bc.left, ny, 'left');
    const vr = sideValues(bc.right, ny, 'right');
    const vt = sideValues(bc.top, nx, 'top');
    const vb = sideValues(bc.bottom, nx, 'bottom');
    if (!vl && !vr && !vt && !vb) {
      throw new Error('bc: at least one side must be dirichlet (all-noflow leaves the pressure undetermined)');
    }
    const tol = opts.tol ?? 1e-10;
    const maxIter = opts.maxIter ?? Math.ceil(20 * Math.sqrt(n)) + 200;
    if (!(tol > 0)) throw new Error(`opts.tol must be positive, got ${tol}`);
    this.factor({ left: !!vl, right: !!vr, top: !!vt, bottom: !!vb });

    // right-hand side from Dirichlet faces
    const b = new Float64Array(n);
    for (let i = 0; i < ny; i++) {
      if (vl) b[i * nx] += this.tLeft[i] * vl[i];
      if (vr) b[i * nx + nx - 1] += this.tRight[i] * vr[i];
    }
    for (let j = 0; j < nx; j++) {
      if (vb) b[j] += this.tBottom[j] * vb[j];
      if (vt) b[(ny - 1) * nx + j] += this.tTop[j] * vt[j];
    }
    const p = new Float64Array(n);
    if (opts.initial) {
      assertCellArray(this.grid, opts.initial, 'opts.initial');
      p.set(opts.initial);
    }
    const r = this.r;
    const z = this.z;
    const d = this.pdir;
    const q = this.q;
    let bnorm = 0;
    for (let c = 0; c < n; c++) bnorm += b[c] * b[c];
    bnorm = Math.sqrt(bnorm);
    // A zero rhs still has a meaningful scale: use the diagonal times the largest boundary value.
    if (bnorm === 0) {
      p.fill(0);
      return this.finish(p, vl, vr, vt, vb, 0, 0);
    }
    this.apply(p, q);
    let rr = 0;
    for (let c = 0; c < n; c++) {
      r[c] = b[c] - q[c];
      rr += r[c] * r[c];
    }
    let iter = 0;
    let res = Math.sqrt(rr) / bnorm;
    if (res > tol) {
      this.precondition(r, z);
      let rz = 0;
      for (let c = 0; c < n; c++) {
        d[c] = z[c];
        rz += r[c] * z[c];
      }
      while (iter < maxIter) {
        this.apply(d, q);
        let dq = 0;
        for (let c = 0; c < n; c++) dq += d[c] * q[c];
        const alpha = rz / dq;
        rr = 0;
        for (let c = 0; c < n; c++) {
          p[c] += alpha * d[c];
          const rc = r[c] - alpha * q[c];
          r[c] = rc;
          rr += rc * rc;
        }
        iter++;
        res = Math.sqrt(rr) / bnorm;
        if (res <= tol) break;
        this.precondition(r, z);
        let rzNew = 0;
        for (let c = 0; c < n; c++) rzNew += r[c] * z[c];
        const beta = rzNew / rz;
        rz = rzNew;
        for (let c = 0; c < n; c++) d[c] = z[c] + beta * d[c];
      }
      // true residual (the recursive one drifts slightly)
      this.apply(p, q);
      rr = 0;
      for (let c = 0; c < n; c++) {
        const rc = b[c] - q[c];
        rr += rc * rc;
      }
      res = Math.sqrt(rr) / bnorm;
      if (!(res <= tol * 100) && iter >= maxIter) {
        throw new Error(
          `solveDarcy: CG did not converge in ${maxIter} iterations (relative residual ${res.toExponential(3)} > tol ${tol}); raise opts.maxIter or check the mobility contrast`,
        );
      }
    }
    return this.finish(p, vl, vr, vt, vb, iter, res);
  }

  private finish(
    p: Float64Array,
    vl: Float64Array | null,
    vr: Float64Array | null,
    vt: Float64Array | null,
    vb: Float64Array | null,
    iterations: number,
    residual: number,
  ): DarcySolution {
    const { nx, ny } = this.grid;
    const fluxX = new Float64Array((nx + 1) * ny);
    const fluxY = new Float64Array(nx * (ny + 1));
    const tx = this.tx;
    const ty = this.ty;
    for (let i = 0; i < ny; i++) {
      const row = i * nx;
      const frow = i * (nx + 1);
      for (let j = 1; j < nx; j++) fluxX[frow + j] = tx[frow + j] * (p[row + j - 1] - p[row + j]);
      fluxX[frow] = vl ? this.tLeft[i] * (vl[i] - p[row]) : 0;
      fluxX[frow + nx] = vr ? this.tRight[i] * (p[row + nx - 1] - vr[i]) : 0;
    }
    for (let i = 1; i < ny; i++) {
      for (let j = 0; j < nx; j++) fluxY[i * nx + j] = ty[i * nx + j] * (p[(i - 1) * nx + j] - p[i * nx + j]);
    }
    for (let j = 0; j < nx; j++) {
      fluxY[j] = vb ? this.tBottom[j] * (vb[j] - p[j]) : 0;
      fluxY[ny * nx + j] = vt ? this.tTop[j] * (p[(ny - 1) * nx + j] - vt[j]) : 0;
    }
    return { pressure: p, fluxX, fluxY, iterations, residual };
  }
}

/** Solves steady Darcy flow once (assembles, factors, runs PCG). See DarcySolver for repeated solves. */
export function solveDarcy(grid: Grid, mobility: Float64Array, bc: FlowBoundaryConditions, opts: DarcyOptions = {}): DarcySolution {
  return new DarcySolver(grid, mobility, { omega: opts.omega, preconditioner: opts.preconditioner }).solve(bc, opts);
}

/**
 * Darcy velocities at cell centres (m/s): the mean of the two opposite face fluxes divided by the
 * face length. Writes into `out` when given (no allocation).
 */
export function cellVelocities(
  grid: Grid,
  fluxX: Float64Array,
  fluxY: Float64Array,
  out?: { vx: Float64Array; vy: Float64Array },
): { vx: Float64Array; vy: Float64Array } {
  const { nx, ny, dx, dy } = grid;
  if (fluxX.length !== (nx + 1) * ny) throw new Error(`fluxX must have (nx+1)*ny = ${(nx + 1) * ny} values, got ${fluxX.length}`);
  if (fluxY.length !== nx * (ny + 1)) throw new Error(`fluxY must have nx*(ny+1) = ${nx * (ny + 1)} values, got ${fluxY.length}`);
  const vx = out?.vx ?? new Float64Array(nx * ny);
  const vy = out?.vy ?? new Float64Array(nx * ny);
  const hx = 0.5 / dy;
  const hy = 0.5 / dx;
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const c = i * nx + j;
      vx[c] = (fluxX[i * (nx + 1) + j] + fluxX[i * (nx + 1) + j + 1]) * hx;
      vy[c] = (fluxY[i * nx + j] + fluxY[(i + 1) * nx + j]) * hy;
    }
  }
  return { vx, vy };
}

/** Net outflow (m^2/s per unit depth) of every cell: sum of outgoing minus incoming face fluxes. */
export function fluxDivergence(grid: Grid, fluxX: Float64Array, fluxY: Float64Array, out?: Float64Array): Float64Array {
  const { nx, ny } = grid;
  const div = out ?? new Float64Array(nx * ny);
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      div[i * nx + j] = fluxX[i * (nx + 1) + j + 1] - fluxX[i * (nx + 1) + j] + fluxY[(i + 1) * nx + j] - fluxY[i * nx + j];
    }
  }
  return div;
}
