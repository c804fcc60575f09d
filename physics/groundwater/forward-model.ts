/**
 * Groundwater forward model of the inversion cases: steady confined Darcy flow with constant heads
 * left/right and no-flow top/bottom, then transient conservative solute transport from the left
 * boundary, observed at the case's points and times.
 *
 * Built on physics/core: `DarcySolver` (cell-centred FV, harmonic transmissibilities, PCG) and
 * `AdvectionDispersion` (explicit FV, TVD van Leer advection by default, diagonal dispersion
 * tensor, mass-conserving fluxes). Heads h enter the flow solver as dynamic pressure
 * p = rho g h with mobility k / mu; Darcy fluxes are per unit depth (m^2/s).
 *
 * Transport boundaries: left = concentration C0 (inflow), right = outflow (zero gradient),
 * top/bottom = no flux. Initial concentration 0.
 *
 * Output (`forward`): heads [nPoints] (m) and concentrations [nTimes, nPoints] (mol/L), time-major,
 * both read in the cell containing each observation point. The observation vector is
 * `[heads, concentrations]` (see ./observation-layout.ts).
 */
import { DarcySolver } from '../core/darcy-flow.js';
import { AdvectionDispersion, type AdvectionScheme } from '../core/advection-dispersion.js';
import { getCase } from './case-registry.js';
import { headToPressure, pressureToHead, type CaseName, type GroundwaterCase } from './groundwater-case.js';

export interface ForwardOptions {
  /** advection scheme of the transport solver (default 'tvd') */
  scheme?: AdvectionScheme;
  /** also return the ln k field of the run (default false) */
  includeField?: boolean;
}

export interface ForwardResult {
  /** steady head (m) at each observation point */
  heads: Float64Array;
  /** concentration (mol/L) at observation time t, point p: index t * nPoints + p */
  concentrations: Float64Array;
  /** ln k (natural log of m^2) per cell, row-major [ny, nx], when includeField */
  field?: Float64Array;
}

export interface SimulationDetail {
  /** head (m) per cell */
  head: Float64Array;
  fluxX: Float64Array;
  fluxY: Float64Array;
  /** concentration field (mol/L) at each observation time */
  snapshots: Float64Array[];
  /** solute amount in the domain at each observation time (mol/L * m^2 per metre of depth, pore volume weighted) */
  mass: Float64Array;
  /** cumulative net amount that entered through each side [left, right, bottom, top] up to each observation time */
  boundaryIn: Float64Array[];
  /** explicit transport sub-steps in total */
  substeps: number;
  /** CG iterations of the flow solve */
  flowIterations: number;
  permeability: Float64Array;
}

/** Runs flow and transport and keeps the full fields (used by `forward`, tests and diagnostics). */
export function simulateCase(caseOrName: CaseName | GroundwaterCase, params: Float64Array, opts: ForwardOptions = {}): SimulationDetail {
  const c = getCase(caseOrName);
  if (!(params instanceof Float64Array)) throw new Error(`${c.name}: params must be a Float64Array of length ${c.paramCount}`);
  const k = c.permeability(params);
  const C0 = c.sourceConcentration(params);
  const { grid } = c;
  const n = grid.nx * grid.ny;
  const mobility = new Float64Array(n);
  for (let i = 0; i < n; i++) mobility[i] = k[i] / c.viscosity;
  const flow = new DarcySolver(grid, mobility).solve(
    {
      left: { type: 'dirichlet', value: headToPressure(c.headLeft) },
      right: { type: 'dirichlet', value: headToPressure(c.headRight) },
      top: { type: 'noflow' },
      bottom: { type: 'noflow' },
    },
    { tol: 1e-11 },
  );
  const head = new Float64Array(n);
  for (let i = 0; i < n; i++) head[i] = pressureToHead(flow.pressure[i]);

  const transport = new AdvectionDispersion(grid, 1, { scheme: opts.scheme ?? 'tvd' });
  transport.setFlow({
    fluxX: flow.fluxX,
    fluxY: flow.fluxY,
    porosity: new Float64Array(n).fill(c.transport.porosity),
    dispersion: { molecularDiffusion: c.transport.diffusion, longitudinal: c.transport.alphaL, transverse: c.transport.alphaT },
  });
  transport.setBoundaries({
    left: { type: 'concentration', value: C0 },
    right: { type: 'outflow' },
    top: { type: 'noflux' },
    bottom: { type: 'noflux' },
  });
  const conc = [new Float64Array(n)];
  const snapshots: Float64Array[] = [];
  const mass = new Float64Array(c.observationTimes.length);
  const boundaryIn: Float64Array[] = [];
  const cumulative = new Float64Array(4);
  let t = 0;
  let substeps = 0;
  c.observationTimes.forEach((tObs, m) => {
    const r = transport.advance(conc, tObs - t);
    substeps += r.substeps;
    for (let s = 0; s < 4; s++) cumulative[s] += r.boundaryIn[s];
    t = tObs;
    snapshots.push(Float64Array.from(conc[0]));
    mass[m] = transport.mass(conc)[0];
    boundaryIn.push(Float64Array.from(cumulative));
  });
  return { head, fluxX: flow.fluxX, fluxY: flow.fluxY, snapshots, mass, boundaryIn, substeps, flowIterations: flow.iterations, permeability: k };
}

/** Observation operator: the values of a cell field at the case's observation points. */
function samplePoints(c: GroundwaterCase, field: Float64Array, out?: Float64Array, offset = 0): Float64Array {
  const o = out ?? new Float64Array(c.points.length);
  for (let p = 0; p < c.points.length; p++) o[offset + p] = field[c.points[p].cell];
  return o;
}

/** One forward run: heads at the points and concentrations [time, point]. */
export function forward(caseOrName: CaseName | GroundwaterCase, params: Float64Array, opts: ForwardOptions = {}): ForwardResult {
  const c = getCase(caseOrName);
  const sim = simulateCase(c, params, opts);
  const np = c.points.length;
  const heads = samplePoints(c, sim.head);
  const concentrations = new Float64Array(c.observationTimes.length * np);
  sim.snapshots.forEach((snap, t) => samplePoints(c, snap, concentrations, t * np));
  const res: ForwardResult = { heads, concentrations };
  if (opts.includeField) res.field = Float64Array.from(sim.permeability, Math.log);
  return res;
}
