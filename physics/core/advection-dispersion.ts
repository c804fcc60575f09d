/**
 * Conservative advection-dispersion of mobile species on the grid of ./grid.ts:
 *
 *     d(phi c)/dt + div(q c) - div(phi D grad c) = 0
 *
 * q: Darcy face fluxes from ./darcy-flow.ts (m^2/s per unit depth, i.e. Darcy velocity x face
 * length); phi: porosity per cell; D: dispersion tensor, diagonal part only,
 *
 *     phi Dxx = phi Dm + (aL qx^2 + aT qy^2) / |q|,   phi Dyy = phi Dm + (aL qy^2 + aT qx^2) / |q|
 *
 * (Dm molecular diffusion m^2/s, aL / aT longitudinal / transverse dispersivity m, q the cell-centre
 * Darcy velocity). The off-diagonal Dxy is dropped so the scheme stays monotone (a standard
 * simplification on Cartesian grids; exact for flow along a grid axis).
 *
 * Finite volumes: each face carries one total flux F (advective + dispersive, units c*m^2/s per unit
 * depth); a cell changes by dt/(phi dx dy) * (sum of incoming F), so every interior flux leaves one
 * cell and enters the other and the total mass changes only by boundary fluxes (to round-off).
 * Advection is first-order upwind or TVD (van Leer limiter); dispersion uses harmonic-mean face
 * coefficients. Time integration is explicit Euler with adaptive sub-steps chosen per call so that
 * every cell satisfies  dt_sub * (theta * outflow + sum of dispersive conductances) <= cfl * phi dx dy,
 * theta = 1 (upwind) or 2 (TVD): each update is then a convex combination of non-negative values,
 * so concentrations stay non-negative and bounded for any flux field and any dt.
 *
 * Boundary conditions per side:
 * - `concentration`: inflow Dirichlet. On faces where fluid enters (or q = 0) the advective flux
 *   carries the boundary value and dispersion acts across the half cell to it; on faces where fluid
 *   leaves, the concentration is advected out with zero dispersive flux.
 * - `outflow`: zero gradient (the boundary value equals the cell's): advective flux q * c_cell in
 *   either direction, no dispersive flux.
 * - `noflux`: no advective or dispersive flux (use on no-flow sides).
 */
import { type Grid, assertGrid, assertCellArray } from './grid.js';

type TransportSideCondition =
  | {
      type: 'concentration';
      /** one value for all species, or one per species */
      value: number | ArrayLike<number>;
      /** optional per-boundary-cell factor (ny values on left/right, nx on bottom/top), e.g. 1 on a source segment and 0 elsewhere */
      profile?: ArrayLike<number>;
    }
  | { type: 'outflow' }
  | { type: 'noflux' };

export interface TransportBoundaryConditions {
  left: TransportSideCondition;
  right: TransportSideCondition;
  top: TransportSideCondition;
  bottom: TransportSideCondition;
}

interface DispersionParameters {
  /** Effective molecular diffusion coefficient Dm (m^2/s). */
  molecularDiffusion: number;
  /** Longitudinal dispersivity aL (m). */
  longitudinal: number;
  /** Transverse dispersivity aT (m). */
  transverse: number;
}

export interface TransportFlow {
  /** x-face fluxes, (nx+1)*ny, m^2/s per unit depth, positive +x. */
  fluxX: Float64Array;
  /** y-face fluxes, nx*(ny+1), m^2/s per unit depth, positive +y. */
  fluxY: Float64Array;
  /** Porosity per cell (0, 1]. */
  porosity: Float64Array;
  dispersion: DispersionParameters;
}

export type AdvectionScheme = 'upwind' | 'tvd';

/** Side order used in boundary-flux arrays. */
export const SIDES = ['left', 'right', 'bottom', 'top'] as const;

export interface TransportStepResult {
  /** Number of explicit sub-steps taken. */
  substeps: number;
  /** Sub-step length (s). */
  dtSub: number;
  /**
   * Net amount that entered the domain during the step, per species and side:
   * `boundaryIn[s * 4 + k]` with k the index in SIDES (units: c * m^2 per unit depth, e.g.
   * mol/m^3 * m^2 = mol per metre of depth). Negative = left the domain.
   */
  boundaryIn: Float64Array;
}

const SIDE_CODE = { left: 0, right: 1, bottom: 2, top: 3 } as const;
const BC_CONC = 0;
const BC_OUT = 1;
const BC_NOFLUX = 2;

export class AdvectionDispersion {
  readonly grid: Grid;
  readonly nSpecies: number;
  readonly scheme: AdvectionScheme;
  readonly cfl: number;
  private readonly n: number;
  private fluxX: Float64Array;
  private fluxY: Float64Array;
  private readonly invPV: Float64Array; // 1 / (phi dx dy)
  private readonly gx: Float64Array; // dispersive conductance of x-faces (incl. boundary half cells)
  private readonly gy: Float64Array;
  private readonly outRate: Float64Array; // per cell: theta*outflow + sum conductances
  // upwind fast path: per-cell coefficients (already divided by phi dx dy) of the interior faces
  private readonly aW: Float64Array;
  private readonly aE: Float64Array;
  private readonly aS: Float64Array;
  private readonly aN: Float64Array;
  private readonly aD: Float64Array;
  private readonly bnets: Float64Array[]; // per species: boundary net inflow per cell (/ phi dx dy), boundary cells only
  private readonly work: Float64Array[]; // ping-pong buffers, one per species
  private readonly fx: Float64Array; // work: total x-face flux of one species
  private readonly fy: Float64Array;
  private readonly bcType = new Int32Array(4);
  private bcValue: Float64Array; // [side*nSpecies + s]
  private readonly bcProfile: (Float64Array | null)[] = [null, null, null, null]; // per side, per boundary cell
  private readonly result: TransportStepResult;
  private flowSet = false;
  private bcSet = false;
  private maxDt = Infinity;
  private porosity: Float64Array;

  constructor(grid: Grid, nSpecies: number, opts: { scheme?: AdvectionScheme; cfl?: number } = {}) {
    assertGrid(grid);
    if (!Number.isInteger(nSpecies) || nSpecies < 1) throw new Error(`nSpecies must be a positive integer, got ${nSpecies}`);
    const scheme = opts.scheme ?? 'upwind';
    if (scheme !== 'upwind' && scheme !== 'tvd') throw new Error(`scheme must be 'upwind' or 'tvd', got ${scheme}`);
    const cfl = opts.cfl ?? 0.9;
    if (!(cfl > 0 && cfl <= 1)) throw new Error(`cfl must be in (0, 1], got ${cfl}`);
    this.grid = { ...grid };
    this.nSpecies = nSpecies;
    this.scheme = scheme;
    this.cfl = cfl;
    const { nx, ny } = grid;
    this.n = nx * ny;
    this.fluxX = new Float64Array((nx + 1) * ny);
    this.fluxY = new Float64Array(nx * (ny + 1));
    this.invPV = new Float64Array(this.n);
    this.porosity = new Float64Array(this.n);
    this.gx = new Float64Array((nx + 1) * ny);
    this.gy = new Float64Array(nx * (ny + 1));
    this.outRate = new Float64Array(this.n);
    this.fx = new Float64Array((nx + 1) * ny);
    this.fy = new Float64Array(nx * (ny + 1));
    this.aW = new Float64Array(this.n);
    this.aE = new Float64Array(this.n);
    this.aS = new Float64Array(this.n);
    this.aN = new Float64Array(this.n);
    this.aD = new Float64Array(this.n);
    this.bnets = [];
    this.work = [];
    for (let s = 0; s < nSpecies; s++) {
      this.work.push(new Float64Array(this.n));
      this.bnets.push(new Float64Array(this.n));
    }
    this.bcValue = new Float64Array(4 * nSpecies);
    this.result = { substeps: 0, dtSub: 0, boundaryIn: new Float64Array(4 * nSpecies) };
  }

  /** Sets the flow field, porosity and dispersion (copies the arrays; call again when they change). */
  setFlow(flow: TransportFlow): void {
    const { nx, ny, dx, dy } = this.grid;
    const n = this.n;
    if (flow.fluxX?.length !== (nx + 1) * ny) throw new Error(`flow.fluxX must have (nx+1)*ny = ${(nx + 1) * ny} values, got ${flow.fluxX?.length}`);
    if (flow.fluxY?.length !== nx * (ny + 1)) throw new Error(`flow.fluxY must have nx*(ny+1) = ${nx * (ny + 1)} values, got ${flow.fluxY?.length}`);
    assertCellArray(this.grid, flow.porosity, 'flow.porosity');
    const d = flow.dispersion;
    for (const k of ['molecularDiffusion', 'longitudinal', 'transverse'] as const) {
      if (!(d && d[k] >= 0 && Number.isFinite(d[k]))) throw new Error(`flow.dispersion.${k} must be a finite value >= 0, got ${d?.[k]}`);
    }
    this.fluxX.set(flow.fluxX);
    this.fluxY.set(flow.fluxY);
    const vol = dx * dy;
    const phiDxx = this.fx; // reuse work arrays for per-cell coefficients (first n entries)
    const phiDyy = this.fy;
    for (let c = 0; c < n; c++) {
      const phi = flow.porosity[c];
      if (!(phi > 0 && phi <= 1)) throw new Error(`flow.porosity[${c}] must be in (0, 1], got ${phi}`);
      this.porosity[c] = phi;
      this.invPV[c] = 1 / (phi * vol);
    }
    for (let i = 0; i < ny; i++) {
      for (let j = 0; j < nx; j++) {
        const c = i * nx + j;
        const qx = (flow.fluxX[i * (nx + 1) + j] + flow.fluxX[i * (nx + 1) + j + 1]) * (0.5 / dy);
        const qy = (flow.fluxY[i * nx + j] + flow.fluxY[(i + 1) * nx + j]) * (0.5 / dx);
        const q = Math.sqrt(qx * qx + qy * qy);
        const pd = this.porosity[c] * d.molecularDiffusion;
        if (q > 0) {
          phiDxx[c] = pd + (d.longitudinal * qx * qx + d.transverse * qy * qy) / q;
          phiDyy[c] = pd + (d.longitudinal * qy * qy + d.transverse * qx * qx) / q;
        } else {
          phiDxx[c] = pd;
          phiDyy[c] = pd;
        }
      }
    }
    const rx = dy / dx;
    const ry = dx / dy;
    const gx = this.gx;
    const gy = this.gy;
    for (let i = 0; i < ny; i++) {
      for (let j = 1; j < nx; j++) {
        const a = phiDxx[i * nx + j - 1];
        const b = phiDxx[i * nx + j];
        gx[i * (nx + 1) + j] = a + b > 0 ? (rx * 2 * a * b) / (a + b) : 0;
      }
      gx[i * (nx + 1)] = 2 * rx * phiDxx[i * nx];
      gx[i * (nx + 1) + nx] = 2 * rx * phiDxx[i * nx + nx - 1];
    }
    for (let j = 0; j < nx; j++) {
      for (let i = 1; i < ny; i++) {
        const a = phiDyy[(i - 1) * nx + j];
        const b = phiDyy[i * nx + j];
        gy[i * nx + j] = a + b > 0 ? (ry * 2 * a * b) / (a + b) : 0;
      }
      gy[j] = 2 * ry * phiDyy[j];
      gy[ny * nx + j] = 2 * ry * phiDyy[(ny - 1) * nx + j];
    }
    this.flowSet = true;
    if (this.bcSet) this.computeStability();
  }

  /** Sets the boundary conditions (values are copied). */
  setBoundaries(bc: TransportBoundaryConditions): void {
    if (!bc || typeof bc !== 'object') throw new Error('bc must be { left, right, top, bottom } transport side conditions');
    for (const side of SIDES) {
      const k = SIDE_CODE[side];
      const c = bc[side];
      if (!c || typeof c !== 'object') throw new Error(`bc.${side} must be { type: 'concentration', value } | { type: 'outflow' } | { type: 'noflux' }`);
      if (c.type === 'concentration') {
        this.bcType[k] = BC_CONC;
        for (let s = 0; s < this.nSpecies; s++) {
          let v: number;
          if (typeof c.value === 'number') v = c.value;
          else {
            if (!c.value || c.value.length !== this.nSpecies) {
              throw new Error(`bc.${side}.value must be a number or have one value per species (${this.nSpecies}), got length ${c.value?.length}`);
            }
            v = c.value[s];
          }
          if (!(v >= 0 && Number.isFinite(v))) throw new Error(`bc.${side}.value (species ${s}) must be a finite concentration >= 0, got ${v}`);
          this.bcValue[k * this.nSpecies + s] = v;
        }
        const len = side === 'left' || side === 'right' ? this.grid.ny : this.grid.nx;
        if (c.profile !== undefined) {
          if (!c.profile || c.profile.length !== len)
            throw new Error(`bc.${side}.profile must have one factor per boundary cell (${len}), got length ${c.profile?.length}`);
          const pr = new Float64Array(len);
          for (let q = 0; q < len; q++) {
            const f = c.profile[q];
            if (!(f >= 0 && Number.isFinite(f))) throw new Error(`bc.${side}.profile[${q}] must be a finite factor >= 0, got ${f}`);
            pr[q] = f;
          }
          this.bcProfile[k] = pr;
        } else this.bcProfile[k] = null;
      } else if (c.type === 'outflow') {
        this.bcType[k] = BC_OUT;
        this.bcProfile[k] = null;
      } else if (c.type === 'noflux') {
        this.bcType[k] = BC_NOFLUX;
        this.bcProfile[k] = null;
      } else throw new Error(`bc.${side}.type must be 'concentration', 'outflow' or 'noflux', got ${JSON.stringify((c as { type: unknown }).type)}`);
    }
    this.bcSet = true;
    if (this.flowSet) this.computeStability();
  }

  private computeStability(): void {
    const { nx, ny } = this.grid;
    const theta = this.scheme === 'tvd' ? 2 : 1;
    const fX = this.fluxX;
    const fY = this.fluxY;
    const gx = this.gx;
    const gy = this.gy;
    const tL = this.bcType[0];
    const tR = this.bcType[1];
    const tB = this.bcType[2];
    const tT = this.bcType[3];
    let minDt = Infinity;
    for (let i = 0; i < ny; i++) {
      for (let j = 0; j < nx; j++) {
        const c = i * nx + j;
        const fw = fX[i * (nx + 1) + j];
        const fe = fX[i * (nx + 1) + j + 1];
        const fs = fY[i * nx + j];
        const fn = fY[(i + 1) * nx + j];
        let out = 0;
        let g = 0;
        const ip = this.invPV[c];
        // interior-face coefficients for the upwind fast path
        let dI = 0;
        this.aW[c] = j > 0 ? ((fw > 0 ? fw : 0) + gx[i * (nx + 1) + j]) * ip : 0;
        this.aE[c] = j < nx - 1 ? ((fe < 0 ? -fe : 0) + gx[i * (nx + 1) + j + 1]) * ip : 0;
        this.aS[c] = i > 0 ? ((fs > 0 ? fs : 0) + gy[i * nx + j]) * ip : 0;
        this.aN[c] = i < ny - 1 ? ((fn < 0 ? -fn : 0) + gy[(i + 1) * nx + j]) * ip : 0;
        if (j > 0) dI += (fw < 0 ? -fw : 0) + gx[i * (nx + 1) + j];
        if (j < nx - 1) dI += (fe > 0 ? fe : 0) + gx[i * (nx + 1) + j + 1];
        if (i > 0) dI += (fs < 0 ? -fs : 0) + gy[i * nx + j];
        if (i < ny - 1) dI += (fn > 0 ? fn : 0) + gy[(i + 1) * nx + j];
        this.aD[c] = dI * ip;
        // west face
        if (j > 0) {
          out += fw < 0 ? -fw : 0;
          g += gx[i * (nx + 1) + j];
        } else if (tL !== BC_NOFLUX) {
          out += fw < 0 ? -fw : 0;
          if (tL === BC_CONC && fw >= 0) g += gx[i * (nx + 1)];
        }
        if (j < nx - 1) {
          out += fe > 0 ? fe : 0;
          g += gx[i * (nx + 1) + j + 1];
        } else if (tR !== BC_NOFLUX) {
          out += fe > 0 ? fe : 0;
          if (tR === BC_CONC && fe <= 0) g += gx[i * (nx + 1) + nx];
        }
        if (i > 0) {
          out += fs < 0 ? -fs : 0;
          g += gy[i * nx + j];
        } else if (tB !== BC_NOFLUX) {
          out += fs < 0 ? -fs : 0;
          if (tB === BC_CONC && fs >= 0) g += gy[j];
        }
        if (i < ny - 1) {
          out += fn > 0 ? fn : 0;
          g += gy[(i + 1) * nx + j];
        } else if (tT !== BC_NOFLUX) {
          out += fn > 0 ? fn : 0;
          if (tT === BC_CONC && fn <= 0) g += gy[ny * nx + j];
        }
        const rate = (theta * out + g) * this.invPV[c];
        this.outRate[c] = rate;
        if (rate > 0) {
          const dt = this.cfl / rate;
          if (dt < minDt) minDt = dt;
        }
      }
    }
    this.maxDt = minDt;
  }

  /** Largest stable explicit sub-step (s) for the current flow and boundaries. */
  maxStableDt(): number {
    if (!this.flowSet || !this.bcSet) throw new Error('call setFlow() and setBoundaries() before maxStableDt()');
    return this.maxDt;
  }

  /** Current porosity (read-only view). */
  get porosityView(): Float64Array {
    return this.porosity;
  }

  /**
   * Advances all species by dt seconds in place. The returned object is reused by the next call
   * (copy boundaryIn if you keep it).
   */
  advance(conc: Float64Array[], dt: number): TransportStepResult {
    if (!this.flowSet || !this.bcSet) throw new Error('call setFlow() and setBoundaries() before advance()');
    if (conc.length !== this.nSpecies) throw new Error(`conc must hold ${this.nSpecies} species arrays, got ${conc.length}`);
    for (let s = 0; s < this.nSpecies; s++) assertCellArray(this.grid, conc[s], `conc[${s}]`);
    if (!(dt >= 0 && Number.isFinite(dt))) throw new Error(`dt must be a finite time step >= 0 (s), got ${dt}`);
    const res = this.result;
    res.boundaryIn.fill(0);
    if (dt === 0) {
      res.substeps = 0;
      res.dtSub = 0;
      return res;
    }
    const nsub = Math.max(1, Math.ceil(dt / this.maxDt - 1e-12));
    const h = dt / nsub;
    res.substeps = nsub;
    res.dtSub = h;
    if (this.scheme === 'upwind' && this.nSpecies === 2) {
      // two species share the coefficient loads
      let a0 = conc[0];
      let a1 = conc[1];
      let b0 = this.work[0];
      let b1 = this.work[1];
      for (let k = 0; k < nsub; k++) {
        this.substepUpwind2(a0, a1, b0, b1, h);
        let tmp = a0;
        a0 = b0;
        b0 = tmp;
        tmp = a1;
        a1 = b1;
        b1 = tmp;
      }
      if (a0 !== conc[0]) conc[0].set(a0);
      if (a1 !== conc[1]) conc[1].set(a1);
    } else if (this.scheme === 'upwind') {
      for (let s = 0; s < this.nSpecies; s++) {
        let cur = conc[s];
        let nxt = this.work[s];
        for (let k = 0; k < nsub; k++) {
          this.substepUpwind(cur, nxt, s, h);
          const tmp = cur;
          cur = nxt;
          nxt = tmp;
        }
        if (cur !== conc[s]) conc[s].set(cur);
      }
    } else {
      for (let k = 0; k < nsub; k++) {
        for (let s = 0; s < this.nSpecies; s++) this.substep(conc[s], s, h);
      }
    }
    return res;
  }

  /**
   * Boundary-face fluxes of species s (positive along +x/+y, as for interior faces) into fx/fy,
   * their net inflow per unit pore volume into bnet (boundary cells only), and the side totals
   * over the sub-step h into the step result.
   */
  private boundaryFluxes(c: Float64Array, s: number, h: number): void {
    const { nx, ny } = this.grid;
    const fX = this.fluxX;
    const fY = this.fluxY;
    const gx = this.gx;
    const gy = this.gy;
    const Fx = this.fx;
    const Fy = this.fy;
    const ns = this.nSpecies;
    const bnet = this.bnets[s];
    const invPV = this.invPV;
    const tL = this.bcType[0];
    const tR = this.bcType[1];
    const tB = this.bcType[2];
    const tT = this.bcType[3];
    const vL0 = this.bcValue[0 * ns + s];
    const vR0 = this.bcValue[1 * ns + s];
    const vB0 = this.bcValue[2 * ns + s];
    const vT0 = this.bcValue[3 * ns + s];
    const [pL, pR, pB, pT] = this.bcProfile;
    for (let i = 0; i < ny; i++) {
      bnet[i * nx] = 0;
      bnet[i * nx + nx - 1] = 0;
    }
    for (let j = 0; j < nx; j++) {
      bnet[j] = 0;
      bnet[(ny - 1) * nx + j] = 0;
    }
    let inL = 0;
    let inR = 0;
    let inB = 0;
    let inT = 0;
    for (let i = 0; i < ny; i++) {
      const cl = i * nx;
      const fw = i * (nx + 1);
      const q = fX[fw];
      const ci = c[cl];
      const vL = pL ? vL0 * pL[i] : vL0;
      const vR = pR ? vR0 * pR[i] : vR0;
      let F = 0;
      if (tL === BC_CONC) F = q >= 0 ? q * vL + gx[fw] * (vL - ci) : q * ci;
      else if (tL === BC_OUT) F = q * ci;
      Fx[fw] = F;
      inL += F;
      bnet[cl] += F * invPV[cl];
      const cr = cl + nx - 1;
      const fe = fw + nx;
      const qe = fX[fe];
      const ce = c[cr];
      let G = 0;
      if (tR === BC_CONC) G = qe <= 0 ? qe * vR - gx[fe] * (vR - ce) : qe * ce;
      else if (tR === BC_OUT) G = qe * ce;
      Fx[fe] = G;
      inR -= G;
      bnet[cr] -= G * invPV[cr];
    }
    for (let j = 0; j < nx; j++) {
      const q = fY[j];
      const cb = c[j];
      const vB = pB ? vB0 * pB[j] : vB0;
      const vT = pT ? vT0 * pT[j] : vT0;
      let F = 0;
      if (tB === BC_CONC) F = q >= 0 ? q * vB + gy[j] * (vB - cb) : q * cb;
      else if (tB === BC_OUT) F = q * cb;
      Fy[j] = F;
      inB += F;
      bnet[j] += F * invPV[j];
      const ct = (ny - 1) * nx + j;
      const ft = ny * nx + j;
      const qt = fY[ft];
      const cv = c[ct];
      let G = 0;
      if (tT === BC_CONC) G = qt <= 0 ? qt * vT - gy[ft] * (vT - cv) : qt * cv;
      else if (tT === BC_OUT) G = qt * cv;
      Fy[ft] = G;
      inT -= G;
      bnet[ct] -= G * invPV[ct];
    }
    const bIn = this.result.boundaryIn;
    bIn[s * 4 + 0] += inL * h;
    bIn[s * 4 + 1] += inR * h;
    bIn[s * 4 + 2] += inB * h;
    bIn[s * 4 + 3] += inT * h;
  }

  /** Upwind sub-step from c into out with the precomputed 5-point coefficients. */
  private substepUpwind(c: Float64Array, out: Float64Array, s: number, h: number): void {
    const { nx, ny } = this.grid;
    this.boundaryFluxes(c, s, h);
    const aW = this.aW;
    const aE = this.aE;
    const aS = this.aS;
    const aN = this.aN;
    const aD = this.aD;
    const bnet = this.bnets[s];
    for (let i = 0; i < ny; i++) {
      const row = i * nx;
      const hasS = i > 0;
      const hasN = i < ny - 1;
      // first and last columns (and edge rows) with guarded neighbours
      for (let j = 0; j < nx; j += j === 0 && nx > 2 && hasS && hasN ? nx - 1 : 1) {
        const k = row + j;
        let r = bnet[k] - aD[k] * c[k];
        if (j > 0) r += aW[k] * c[k - 1];
        if (j < nx - 1) r += aE[k] * c[k + 1];
        if (hasS) r += aS[k] * c[k - nx];
        if (hasN) r += aN[k] * c[k + nx];
        const v = c[k] + h * r;
        out[k] = v > 0 ? v : 0;
      }
      if (!(hasS && hasN) || nx <= 2) continue;
      // interior of the row: no guards (bnet is 0 there)
      for (let k = row + 1, end = row + nx - 1; k < end; k++) {
        const v = c[k] + h * (aW[k] * c[k - 1] + aE[k] * c[k + 1] + aS[k] * c[k - nx] + aN[k] * c[k + nx] - aD[k] * c[k]);
        out[k] = v > 0 ? v : 0;
      }
    }
  }

  /** substepUpwind for species 0 and 1 in one pass. */
  private substepUpwind2(c: Float64Array, d: Float64Array, oc: Float64Array, od: Float64Array, h: number): void {
    const { nx, ny } = this.grid;
    this.boundaryFluxes(c, 0, h);
    this.boundaryFluxes(d, 1, h);
    const aW = this.aW;
    const aE = this.aE;
    const aS = this.aS;
    const aN = this.aN;
    const aD = this.aD;
    const bc = this.bnets[0];
    const bd = this.bnets[1];
    for (let i = 0; i < ny; i++) {
      const row = i * nx;
      const hasS = i > 0;
      const hasN = i < ny - 1;
      for (let j = 0; j < nx; j += j === 0 && nx > 2 && hasS && hasN ? nx - 1 : 1) {
        const k = row + j;
        let r = bc[k] - aD[k] * c[k];
        let q = bd[k] - aD[k] * d[k];
        if (j > 0) {
          r += aW[k] * c[k - 1];
          q += aW[k] * d[k - 1];
        }
        if (j < nx - 1) {
          r += aE[k] * c[k + 1];
          q += aE[k] * d[k + 1];
        }
        if (hasS) {
          r += aS[k] * c[k - nx];
          q += aS[k] * d[k - nx];
        }
        if (hasN) {
          r += aN[k] * c[k + nx];
          q += aN[k] * d[k + nx];
        }
        const v = c[k] + h * r;
        oc[k] = v > 0 ? v : 0;
        const w = d[k] + h * q;
        od[k] = w > 0 ? w : 0;
      }
      if (!(hasS && hasN) || nx <= 2) continue;
      for (let k = row + 1, end = row + nx - 1; k < end; k++) {
        const w_ = aW[k];
        const e_ = aE[k];
        const s_ = aS[k];
        const n_ = aN[k];
        const d_ = aD[k];
        const v = c[k] + h * (w_ * c[k - 1] + e_ * c[k + 1] + s_ * c[k - nx] + n_ * c[k + nx] - d_ * c[k]);
        oc[k] = v > 0 ? v : 0;
        const w = d[k] + h * (w_ * d[k - 1] + e_ * d[k + 1] + s_ * d[k - nx] + n_ * d[k + nx] - d_ * d[k]);
        od[k] = w > 0 ? w : 0;
      }
    }
  }

  private substep(c: Float64Array, s: number, h: number): void {
    const { nx, ny } = this.grid;
    const fX = this.fluxX;
    const fY = this.fluxY;
    const gx = this.gx;
    const gy = this.gy;
    const Fx = this.fx;
    const Fy = this.fy;
    const tvd = this.scheme === 'tvd';
    // interior x-faces
    for (let i = 0; i < ny; i++) {
      const row = i * nx;
      const frow = i * (nx + 1);
      for (let j = 1; j < nx; j++) {
        const q = fX[frow + j];
        const cl = c[row + j - 1];
        const cr = c[row + j];
        let cf: number;
        if (q >= 0) {
          cf = cl;
          if (tvd && j >= 2) {
            const a = cl - c[row + j - 2];
            const b = cr - cl;
            if (a * b > 0) cf += (a * b) / (a + b);
          }
        } else {
          cf = cr;
          if (tvd && j + 1 < nx) {
            const a = cr - c[row + j + 1];
            const b = cl - cr;
            if (a * b > 0) cf += (a * b) / (a + b);
          }
        }
        Fx[frow + j] = q * cf - gx[frow + j] * (cr - cl);
      }
    }
    // interior y-faces
    for (let i = 1; i < ny; i++) {
      const row = i * nx;
      for (let j = 0; j < nx; j++) {
        const q = fY[row + j];
        const cb = c[row - nx + j];
        const ct = c[row + j];
        let cf: number;
        if (q >= 0) {
          cf = cb;
          if (tvd && i >= 2) {
            const a = cb - c[row - 2 * nx + j];
            const b = ct - cb;
            if (a * b > 0) cf += (a * b) / (a + b);
          }
        } else {
          cf = ct;
          if (tvd && i + 1 < ny) {
            const a = ct - c[row + nx + j];
            const b = cb - ct;
            if (a * b > 0) cf += (a * b) / (a + b);
          }
        }
        Fy[row + j] = q * cf - gy[row + j] * (ct - cb);
      }
    }
    this.boundaryFluxes(c, s, h);
    // update
    const invPV = this.invPV;
    for (let i = 0; i < ny; i++) {
      const row = i * nx;
      const frow = i * (nx + 1);
      for (let j = 0; j < nx; j++) {
        const cc = row + j;
        const net = Fx[frow + j] - Fx[frow + j + 1] + Fy[cc] - Fy[cc + nx];
        const v = c[cc] + h * invPV[cc] * net;
        c[cc] = v > 0 ? v : 0 * v; // exact zero stays zero; tiny negative round-off (<= 1e-16 c) kept as -0
      }
    }
  }

  /** Amount of each species in the domain: sum of phi * c * dx * dy (c * m^2 per unit depth). */
  mass(conc: Float64Array[], out?: Float64Array): Float64Array {
    const m = out ?? new Float64Array(conc.length);
    const vol = this.grid.dx * this.grid.dy;
    for (let s = 0; s < conc.length; s++) {
      let sum = 0;
      const c = conc[s];
      for (let k = 0; k < this.n; k++) sum += this.porosity[k] * c[k];
      m[s] = sum * vol;
    }
    return m;
  }
}
