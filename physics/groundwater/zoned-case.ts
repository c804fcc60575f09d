/**
 * Case 1 of the inversion study: zoned permeability, 9 parameters.
 *
 * Domain 20 m (x, flow direction) by 10 m (y), 80 x 40 cells of 0.25 m; heads 1 m on the left and
 * 0 m on the right (1 m difference), no-flow top and bottom. Eight permeability zones k1..k8
 * (uniform in [1e-12, 9.9e-12] m^2) and the source concentration C0 (uniform in [1e-3, 1] mol/L),
 * which enters through the whole left boundary from t = 0 (physics/core's concentration boundary
 * is uniform along a side). 20 days simulated.
 *
 * Zone map: four 5 m wide bands along x, split into a lower and an upper layer by an interface
 * dipping from y = 4 m at x = 0 to y = 6 m at x = 20 m (y_int = 4 + 0.1 x). Zone of the cell
 * centre (x, y): band = floor(x / 5) (0..3), zone = band + 1 below the interface, band + 5 above:
 *
 *     y=10 +---------+---------+---------+---------+
 *          |   k5    |   k6    |   k7    |   k8    |
 *          |         |         |       __|____-----|  y_int = 6 m at x = 20
 *          |     ____|____-----|-----    |         |
 *     y=4  |-----    |         |         |         |
 *          |   k1    |   k2    |   k3    |   k4    |
 *     y=0  +---------+---------+---------+---------+
 *          x=0       5         10        15        20
 *
 * Observation points: 25 calibration points on the 5 x 5 lattice x in {2, 6, 10, 14, 18} m,
 * y in {1, 3, 5, 7, 9} m, and 24 validation points on the 4 x 6 lattice x in {4, 8, 12, 16} m,
 * y in {1.5, 3, 4.5, 5.5, 7, 8.5} m (each read in the cell containing it). Observation times: days
 * 4, 8, 12, 16, 20 (all calibration times; case 1 validates on the other points, not later times).
 *
 * Transport constants: porosity 0.3, alpha_L = 0.2 m, alpha_T = 0.02 m, D = 1e-9 m^2/s. With
 * k = 1e-12 .. 9.9e-12 m^2 (K = 1e-5 .. 9.7e-5 m/s) and a head gradient of 0.05, the mean pore
 * velocity is 0.14 .. 1.4 m/day, so by day 20 the front has travelled 3 .. 28 m: it reaches the
 * first column of points (x = 2 m) in every case and the whole domain for permeable fields.
 * Checked on 12 LHS samples (seed 1): the fraction of the 49 points with C > 1% of C0 is 0.20,
 * 0.41, 0.60, 0.76, 0.87 at days 4..20 (0.63 .. 1.00 per sample at day 20).
 */
import { DAY, WATER_VISCOSITY, makePoints, type GroundwaterCase } from './groundwater-case.js';

const CASE1_K_MIN = 1e-12;
const CASE1_K_MAX = 9.9e-12;
const CASE1_C0_MIN = 1e-3;
const CASE1_C0_MAX = 1;

const grid = { nx: 80, ny: 40, dx: 0.25, dy: 0.25 };

/** Zone (0..7 for k1..k8) of every cell, row-major [40, 80]. */
export function case1ZoneMap(): Int32Array {
  const zones = new Int32Array(grid.nx * grid.ny);
  for (let i = 0; i < grid.ny; i++) {
    const y = (i + 0.5) * grid.dy;
    for (let j = 0; j < grid.nx; j++) {
      const x = (j + 0.5) * grid.dx;
      const band = Math.min(3, Math.floor(x / 5));
      zones[i * grid.nx + j] = band + (y > 4 + 0.1 * x ? 4 : 0);
    }
  }
  return zones;
}

function lattice(xs: number[], ys: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const y of ys) for (const x of xs) out.push([x, y]);
  return out;
}

export function createCase1(): GroundwaterCase {
  const zones = case1ZoneMap();
  const calib = lattice([2, 6, 10, 14, 18], [1, 3, 5, 7, 9]);
  const valid = lattice([4, 8, 12, 16], [1.5, 3, 4.5, 5.5, 7, 8.5]);
  const points = makePoints(grid, [...calib, ...valid]);
  const times = [4, 8, 12, 16, 20];
  const lower = new Float64Array(9).fill(CASE1_K_MIN);
  const upper = new Float64Array(9).fill(CASE1_K_MAX);
  lower[8] = CASE1_C0_MIN;
  upper[8] = CASE1_C0_MAX;
  return {
    name: 'case1',
    title: 'Case 1: 8 permeability zones + source concentration (9 parameters)',
    grid,
    transport: { porosity: 0.3, alphaL: 0.2, alphaT: 0.02, diffusion: 1e-9 },
    viscosity: WATER_VISCOSITY,
    headLeft: 1,
    headRight: 0,
    observationTimes: Float64Array.from(times, (d) => d * DAY),
    timeLabels: times.map((d) => `day ${d}`),
    points,
    calibrationPoints: Int32Array.from({ length: 25 }, (_, i) => i),
    calibrationTimeCount: times.length,
    paramCount: 9,
    paramNames: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'C0'],
    paramLower: lower,
    paramUpper: upper,
    permeability(params: Float64Array): Float64Array {
      checkParams(params);
      const k = new Float64Array(zones.length);
      for (let c = 0; c < zones.length; c++) k[c] = params[zones[c]];
      return k;
    },
    sourceConcentration(params: Float64Array): number {
      checkParams(params);
      return params[8];
    },
    sampling: {
      designDimension: 9,
      // Uniform parameters: linear in the bounds (bounded, so eps does not apply).
      fromUnit(u: ArrayLike<number>): Float64Array {
        if (u.length !== 9) throw new Error(`case1: unit row must have 9 values, got ${u.length}`);
        return Float64Array.from({ length: 9 }, (_, k) => lower[k] + u[k] * (upper[k] - lower[k]));
      },
      toUnit(params: ArrayLike<number>): Float64Array {
        return Float64Array.from({ length: 9 }, (_, k) => (params[k] - lower[k]) / (upper[k] - lower[k]));
      },
      drawField: null,
      storesField: false,
      sampleField: null,
      parameterBounds: { min: lower, max: upper },
    },
  };
}

function checkParams(params: Float64Array): void {
  if (!params || params.length !== 9)
    throw new Error(`case1: params must have 9 values [k1..k8 (m^2), C0 (mol/L)], got length ${params ? params.length : params}`);
  for (let z = 0; z < 8; z++) {
    if (!(params[z] > 0) || !Number.isFinite(params[z]))
      throw new Error(`case1: params[${z}] (k${z + 1}) must be a positive permeability in m^2 (range ${CASE1_K_MIN}..${CASE1_K_MAX}), got ${params[z]}`);
  }
  if (!(params[8] >= 0) || !Number.isFinite(params[8]))
    throw new Error(`case1: params[8] (C0) must be a concentration >= 0 in mol/L (range ${CASE1_C0_MIN}..${CASE1_C0_MAX}), got ${params[8]}`);
}
