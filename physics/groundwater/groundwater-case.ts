/**
 * Definition of one groundwater inversion case (Chen et al. 2025, HESS 29, cases 1-3): grid,
 * physical constants, boundary conditions, solute source, observation points and times, and the
 * mapping from the case's parameter vector to a permeability field.
 *
 * Units: SI throughout (m, s, Pa, m^2); heads in metres of water; concentrations in mol/L.
 *
 * Forward output layout (all cases, see ./forward-model.ts):
 *   heads:          [nPoints]                 steady head (m) at each observation point
 *   concentrations: [nTimes, nPoints]         time-major, conc (mol/L) at point p, time t at t*nPoints + p
 *   observation vector = [heads..., concentrations...], length nPoints * (1 + nTimes)
 * Which entries are used for calibration, validation (other points) or prediction (later times)
 * is given by `observationGroups` in ./observation-layout.ts.
 */
import type { Grid } from '../core/grid.js';

/** Water at about 20 C. */
export const WATER_DENSITY = 1000; // kg/m^3
export const WATER_VISCOSITY = 1e-3; // Pa s
export const GRAVITY = 9.81; // m/s^2
export const DAY = 86400; // s
export const YEAR = 365.25 * DAY; // s

export type CaseName = 'case1' | 'case2' | 'case3';

export interface ObservationPoint {
  /** x (m) from the left boundary */
  x: number;
  /** y (m) from the bottom boundary */
  y: number;
  /** cell containing the point (row-major index) */
  cell: number;
}

interface TransportConstants {
  /** effective porosity (-) */
  porosity: number;
  /** longitudinal dispersivity (m) */
  alphaL: number;
  /** transverse dispersivity (m) */
  alphaT: number;
  /** effective molecular diffusion coefficient (m^2/s) */
  diffusion: number;
}

export interface GroundwaterCase {
  name: CaseName;
  title: string;
  grid: Grid;
  transport: TransportConstants;
  viscosity: number;
  /** constant heads (m) on the left and right sides; top and bottom are no-flow */
  headLeft: number;
  headRight: number;
  /** seconds; the simulation runs to the last observation time */
  observationTimes: Float64Array;
  /** time labels for reports, e.g. 'day 2', 'year 24' */
  timeLabels: string[];
  points: ObservationPoint[];
  /** indices into `points` used for calibration (the others are validation points) */
  calibrationPoints: Int32Array;
  /** number of leading observation times used for calibration (the rest are prediction times) */
  calibrationTimeCount: number;
  /** length of the parameter vector given to `forward` */
  paramCount: number;
  paramNames: string[];
  /** physical bounds of each parameter (for uniform parameters) or null for standard-normal / field parameters */
  paramLower: Float64Array | null;
  paramUpper: Float64Array | null;
  /** permeability (m^2) per cell for a parameter vector */
  permeability(params: Float64Array): Float64Array;
  /** solute concentration (mol/L) imposed on the whole left boundary for a parameter vector */
  sourceConcentration(params: Float64Array): number;
  /** How the case's parameters are sampled and mapped to and from the unit cube (./case-dataset.ts). */
  sampling: CaseSampling;
}

/**
 * A case's parameter space as datasets and inversions see it: either a unit-cube design row mapped
 * to the parameters (cases 1-2: `designDimension` > 0) or a whole field drawn per sample (case 3).
 */
interface CaseSampling {
  /** length of a unit-cube design row (0: the parameters are a field drawn by `drawField`) */
  designDimension: number;
  /**
   * The parameters of a design row u in [0, 1]^designDimension; where the map is unbounded (a
   * probit) u is first clamped to [eps, 1 - eps]. Throws for a case without design rows.
   */
  fromUnit(u: ArrayLike<number>, eps: number): Float64Array;
  /**
   * u in [0, 1]^designDimension of a parameter vector (the inverse of `fromUnit`), clamped to
   * [eps, 1 - eps] where the map is unbounded; empty for a case without design rows.
   */
  toUnit(params: ArrayLike<number>, eps: number): Float64Array;
  /** The parameters of sample `index` drawn from `fieldSeed` (cases without design rows), else null. */
  drawField: ((fieldSeed: number, index: number) => Float64Array) | null;
  /** Whether a dataset stores each sample's field unless told otherwise. */
  storesField: boolean;
  /** The field stored with a sample of parameters `params`; null: the forward model's ln k field. */
  sampleField: ((params: Float64Array) => Float64Array) | null;
  /** Known min-max bounds of the parameters (normalisation), or null: fit them on the training rows. */
  parameterBounds: { min: Float64Array; max: Float64Array } | null;
}

/** Locates the cell containing (x, y); points exactly on a face go to the cell on the +x/+y side (clamped). */
function pointCell(grid: Grid, x: number, y: number): number {
  const W = grid.nx * grid.dx;
  const H = grid.ny * grid.dy;
  if (!(x >= 0 && x <= W && y >= 0 && y <= H)) throw new Error(`observation point (${x}, ${y}) must lie in the domain [0, ${W}] x [0, ${H}] m`);
  const j = Math.min(grid.nx - 1, Math.floor(x / grid.dx));
  const i = Math.min(grid.ny - 1, Math.floor(y / grid.dy));
  return i * grid.nx + j;
}

export function makePoints(grid: Grid, xy: [number, number][]): ObservationPoint[] {
  return xy.map(([x, y]) => ({ x, y, cell: pointCell(grid, x, y) }));
}

/** Pressure (Pa, dynamic) corresponding to a head (m of water). */
export function headToPressure(h: number): number {
  return h * WATER_DENSITY * GRAVITY;
}

/** Head (m of water) corresponding to a dynamic pressure (Pa). */
export function pressureToHead(p: number): number {
  return p / (WATER_DENSITY * GRAVITY);
}
