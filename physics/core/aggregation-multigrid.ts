/**
 * Aggregation multigrid V-cycle for the 5-point cell-centred systems of ./darcy-flow.ts, used as a
 * symmetric preconditioner for conjugate gradients.
 *
 * Each level aggregates 2 x 2 cells (2 x 1 or 1 x 2 once a direction is down to one cell; an odd
 * trailing cell forms its own aggregate). With piecewise-constant prolongation P the Galerkin
 * operator P^T A P is again a 5-point operator whose couplings are the sums of the fine
 * transmissibilities crossing each coarse face, so heterogeneity is carried to every level
 * exactly. Piecewise-constant Galerkin coarse operators are about twice too stiff for a
 * cell-centred Laplacian, so the coarse correction is over-relaxed by `coarseScale` (Braess 1995;
 * Notay's aggregation AMG). Smoothing: one forward Gauss-Seidel sweep before and one backward sweep
 * after the coarse correction, so the V-cycle is a symmetric operator (required by CG).
 */

export interface FivePointOperator {
  nx: number;
  ny: number;
  /** Diagonal (including Dirichlet boundary terms). */
  diag: Float64Array;
  /** aw[c] couples c and c-1 (0 on column 0); matrix entry is -aw[c]. */
  aw: Float64Array;
  /** as[c] couples c and c-nx (0 on row 0); matrix entry is -as[c]. */
  as: Float64Array;
}

interface Level extends FivePointOperator {
  /** 1 / diag (multiplication keeps the Gauss-Seidel recurrence short) */
  inv: Float64Array;
  x: Float64Array;
  b: Float64Array;
  r: Float64Array;
  /** Coarse cell of each fine cell (into the next level). */
  agg: Int32Array | null;
}

function coarsen(A: FivePointOperator): { coarse: FivePointOperator; agg: Int32Array } {
  const { nx, ny, diag, aw, as } = A;
  const cx = nx > 1 ? Math.ceil(nx / 2) : 1;
  const cy = ny > 1 ? Math.ceil(ny / 2) : 1;
  const fx = nx > 1 ? 2 : 1;
  const fy = ny > 1 ? 2 : 1;
  const nc = cx * cy;
  const agg = new Int32Array(nx * ny);
  const cd = new Float64Array(nc);
  const caw = new Float64Array(nc);
  const cas = new Float64Array(nc);
  for (let i = 0; i < ny; i++) {
    const ci = Math.floor(i / fy);
    for (let j = 0; j < nx; j++) {
      const cj = Math.floor(j / fx);
      const c = i * nx + j;
      const C = ci * cx + cj;
      agg[c] = C;
      // diagonal: sum of fine diagonals minus twice the internal couplings (P^T A P)
      cd[C] += diag[c];
      if (j > 0) {
        if (Math.floor((j - 1) / fx) === cj) cd[C] -= 2 * aw[c];
        else caw[C] += aw[c];
      }
      if (i > 0) {
        if (Math.floor((i - 1) / fy) === ci) cd[C] -= 2 * as[c];
        else cas[C] += as[c];
      }
    }
  }
  return { coarse: { nx: cx, ny: cy, diag: cd, aw: caw, as: cas }, agg };
}

export class AggregationMultigrid {
  private readonly levels: Level[] = [];
  private readonly coarseScale: number;

  constructor(A: FivePointOperator, opts: { coarseScale?: number; coarsestSize?: number } = {}) {
    this.coarseScale = opts.coarseScale ?? 1.8;
    const coarsest = opts.coarsestSize ?? 1;
    let cur: FivePointOperator = A;
    for (;;) {
      const n = cur.nx * cur.ny;
      const inv = new Float64Array(n);
      for (let c = 0; c < n; c++) inv[c] = 1 / cur.diag[c];
      const lvl: Level = {
        nx: cur.nx,
        ny: cur.ny,
        diag: cur.diag,
        aw: cur.aw,
        as: cur.as,
        inv,
        x: new Float64Array(n),
        b: new Float64Array(n),
        r: new Float64Array(n),
        agg: null,
      };
      this.levels.push(lvl);
      if (n <= coarsest || (cur.nx === 1 && cur.ny === 1)) break;
      const { coarse, agg } = coarsen(cur);
      lvl.agg = agg;
      cur = coarse;
    }
  }

  get depth(): number {
    return this.levels.length;
  }

  /** z = B r, B the symmetric V-cycle operator (z starts from zero). */
  apply(r: Float64Array, z: Float64Array): void {
    const L0 = this.levels[0];
    L0.b.set(r);
    this.cycle(0);
    z.set(L0.x);
  }

  private cycle(l: number): void {
    const L = this.levels[l];
    const { nx, ny, diag, aw, as, inv, x, b, r } = L;
    const n = nx * ny;
    if (!L.agg) {
      // coarsest level: a few symmetric Gauss-Seidel sweeps (a handful of unknowns)
      x.fill(0);
      for (let s = 0; s < 4; s++) {
        gsForward(nx, ny, inv, aw, as, x, b);
        gsBackward(nx, ny, inv, aw, as, x, b);
      }
      return;
    }
    x.fill(0);
    gsForward(nx, ny, inv, aw, as, x, b);
    // residual
    residual5(nx, ny, diag, aw, as, x, b, r);
    const C = this.levels[l + 1];
    const agg = L.agg;
    C.b.fill(0);
    for (let c = 0; c < n; c++) C.b[agg[c]] += r[c];
    this.cycle(l + 1);
    const s = this.coarseScale;
    const xc = C.x;
    for (let c = 0; c < n; c++) x[c] += s * xc[agg[c]];
    gsBackward(nx, ny, inv, aw, as, x, b);
  }
}

/** One Gauss-Seidel sweep in natural (forward) or reverse order; interior cells without guards. */
function gsForward(nx: number, ny: number, inv: Float64Array, aw: Float64Array, as: Float64Array, x: Float64Array, b: Float64Array): void {
  for (let i = 0; i < ny; i++) {
    const row = i * nx;
    if (i === 0 || i === ny - 1 || nx < 3) {
      for (let j = 0; j < nx; j++) gsCell(nx, ny, i, j, inv, aw, as, x, b);
      continue;
    }
    gsCell(nx, ny, i, 0, inv, aw, as, x, b);
    for (let c = row + 1, end = row + nx - 1; c < end; c++) {
      x[c] = (b[c] + aw[c] * x[c - 1] + aw[c + 1] * x[c + 1] + as[c] * x[c - nx] + as[c + nx] * x[c + nx]) * inv[c];
    }
    gsCell(nx, ny, i, nx - 1, inv, aw, as, x, b);
  }
}

function gsBackward(nx: number, ny: number, inv: Float64Array, aw: Float64Array, as: Float64Array, x: Float64Array, b: Float64Array): void {
  for (let i = ny - 1; i >= 0; i--) {
    const row = i * nx;
    if (i === 0 || i === ny - 1 || nx < 3) {
      for (let j = nx - 1; j >= 0; j--) gsCell(nx, ny, i, j, inv, aw, as, x, b);
      continue;
    }
    gsCell(nx, ny, i, nx - 1, inv, aw, as, x, b);
    for (let c = row + nx - 2; c > row; c--) {
      x[c] = (b[c] + aw[c] * x[c - 1] + aw[c + 1] * x[c + 1] + as[c] * x[c - nx] + as[c + nx] * x[c + nx]) * inv[c];
    }
    gsCell(nx, ny, i, 0, inv, aw, as, x, b);
  }
}

function gsCell(nx: number, ny: number, i: number, j: number, inv: Float64Array, aw: Float64Array, as: Float64Array, x: Float64Array, b: Float64Array): void {
  const c = i * nx + j;
  let v = b[c];
  if (j > 0) v += aw[c] * x[c - 1];
  if (j < nx - 1) v += aw[c + 1] * x[c + 1];
  if (i > 0) v += as[c] * x[c - nx];
  if (i < ny - 1) v += as[c + nx] * x[c + nx];
  x[c] = v * inv[c];
}

/** r = b - A x for a 5-point operator; interior cells without guards. */
export function residual5(
  nx: number,
  ny: number,
  diag: Float64Array,
  aw: Float64Array,
  as: Float64Array,
  x: Float64Array,
  b: Float64Array,
  r: Float64Array,
): void {
  for (let i = 0; i < ny; i++) {
    const row = i * nx;
    const interiorRow = i > 0 && i < ny - 1 && nx >= 3;
    for (let j = 0; j < nx; j += interiorRow && j === 0 ? nx - 1 : 1) {
      const c = row + j;
      let v = b[c] - diag[c] * x[c];
      if (j > 0) v += aw[c] * x[c - 1];
      if (j < nx - 1) v += aw[c + 1] * x[c + 1];
      if (i > 0) v += as[c] * x[c - nx];
      if (i < ny - 1) v += as[c + nx] * x[c + nx];
      r[c] = v;
    }
    if (!interiorRow) continue;
    for (let c = row + 1, end = row + nx - 1; c < end; c++) {
      r[c] = b[c] - diag[c] * x[c] + aw[c] * x[c - 1] + aw[c + 1] * x[c + 1] + as[c] * x[c - nx] + as[c + nx] * x[c + nx];
    }
  }
}
