/**
 * Case 3 of the inversion study: binary channelized permeability field.
 *
 * Domain 800 m x 800 m, 80 x 80 cells of 10 m; two facies, shale 1e-13 m^2 and channel sand
 * 5.46e-12 m^2. Realizations come from the procedural channel generator
 * (../fields/channelized-field.ts; a documented stand-in for the paper's multi-point statistics).
 * Parameters: the facies indicator of every cell (6400 values in [0, 1]; 1 = channel). Values in
 * between (e.g. a generative decoder's sigmoid output) interpolate ln k linearly:
 * ln k = (1 - v) ln 1e-13 + v ln 5.46e-12.
 *
 * Heads 5 m left, 0 m right, no-flow top/bottom; 1 mol/L enters through the whole left boundary
 * from t = 0. Observation times: every 2 years, years 2..30; years 2..24 (12 times) calibrate,
 * years 26, 28, 30 are predictions. Observation wells: the 6 x 6 lattice x, y in
 * {66.7, 200, 333.3, 466.7, 600, 733.3} m (cell centres of a 6 x 6 partition), 36 wells.
 *
 * Transport constants: porosity 0.3, alpha_L = 10 m, alpha_T = 1 m, D = 1e-9 m^2/s. Channel sand
 * has K = 5.4e-5 m/s; with the mean gradient 5/800 its pore velocity is about 35 m/year, so a front
 * running along a connected channel crosses the 800 m domain in about 23 years, within the
 * observation window; the shale (K = 1e-6 m/s) moves solute only about 0.6 m/year.
 * Checked on 12 generated fields (seed 1): the fraction of the 36 wells with C > 1% of C0 is 0.04
 * at year 2, 0.50 at year 24 (0.25 .. 0.61 per field; wells in shale stay nearly clean) and 0.58
 * at year 30.
 */
import { channelizedFieldSeeded, SAND_PERMEABILITY, SHALE_PERMEABILITY } from '../fields/channelized-field.js';
import { WATER_VISCOSITY, YEAR, makePoints, type GroundwaterCase } from './groundwater-case.js';

const grid = { nx: 80, ny: 80, dx: 10, dy: 10 };

export function createCase3(): GroundwaterCase {
  const coords = [0, 1, 2, 3, 4, 5].map((k) => ((k + 0.5) * 800) / 6);
  const xy: [number, number][] = [];
  for (const y of coords) for (const x of coords) xy.push([x, y]);
  const years: number[] = [];
  for (let t = 2; t <= 30; t += 2) years.push(t);
  const lnKs = Math.log(SHALE_PERMEABILITY);
  const lnKc = Math.log(SAND_PERMEABILITY);
  const n = grid.nx * grid.ny;
  return {
    name: 'case3',
    title: 'Case 3: binary channelized field (6400 facies indicators)',
    grid,
    transport: { porosity: 0.3, alphaL: 10, alphaT: 1, diffusion: 1e-9 },
    viscosity: WATER_VISCOSITY,
    headLeft: 5,
    headRight: 0,
    observationTimes: Float64Array.from(years, (t) => t * YEAR),
    timeLabels: years.map((t) => `year ${t}`),
    points: makePoints(grid, xy),
    calibrationPoints: Int32Array.from({ length: xy.length }, (_, i) => i),
    calibrationTimeCount: 12,
    paramCount: n,
    paramNames: Array.from({ length: n }, (_, c) => `facies${c}`),
    paramLower: null,
    paramUpper: null,
    permeability(params: Float64Array): Float64Array {
      if (!params || params.length !== n)
        throw new Error(
          `case3: params must be the ${n} facies indicators (row-major [80, 80], 0 = shale, 1 = channel), got length ${params ? params.length : params}`,
        );
      const k = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        const v = params[c];
        if (!(v >= 0 && v <= 1)) throw new Error(`case3: params[${c}] (facies indicator) must be in [0, 1], got ${v}`);
        k[c] = Math.exp((1 - v) * lnKs + v * lnKc);
      }
      return k;
    },
    sourceConcentration(): number {
      return 1;
    },
    sampling: {
      designDimension: 0,
      fromUnit(): Float64Array {
        throw new Error('unitToParameters: case3 has no unit-cube parameters (its parameters are fields)');
      },
      toUnit: () => new Float64Array(0),
      drawField: (fieldSeed: number, index: number) => Float64Array.from(channelizedFieldSeeded(fieldSeed, index).facies),
      storesField: true,
      sampleField: (params: Float64Array) => params,
      parameterBounds: { min: new Float64Array(n), max: new Float64Array(n).fill(1) },
    },
  };
}
