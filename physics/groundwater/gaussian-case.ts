/**
 * Case 2 of the inversion study: Gaussian log-permeability field, 100 KL coefficients.
 *
 * Domain 10 m x 10 m, 64 x 64 cells (0.15625 m); ln k = ln(2e-13) + Y, Y a zero-mean Gaussian
 * field with variance 2 and separable exponential covariance, correlation length 2.5 m in x and
 * y, represented by its first 100 KL terms (../fields/kle.ts; they keep 87.97% of the variance on
 * this grid — the paper quotes >= 92.67%, which this covariance does not reach with 100 terms).
 * Parameters: the 100 standard-normal KL coefficients xi.
 *
 * Heads 1 m left, 0 m right, no-flow top/bottom; solute 1 mol/L enters through the whole left
 * boundary from t = 0. Observation times: every 2 days, days 2..60; days 2..40 (20 times) are for
 * calibration, days 42..60 (10 times) for prediction.
 *
 * Monitoring layouts (nested, sparse to dense) on the 9 x 9 lattice x, y in {1, 2, ..., 9} m:
 *   S-1:  9 wells, x, y in {1, 5, 9}
 *   S-2: 13 wells, S-1 + {3, 7} x {3, 7}
 *   S-3: 25 wells, x, y in {1, 3, 5, 7, 9}
 *   S-4: 41 wells, S-3 + {2, 4, 6, 8} x {2, 4, 6, 8}
 *   S-5: 81 wells, the full lattice
 * The forward model always observes all 81 wells (S-5); a layout is a subset of point indices
 * (`case2Layout`). The true ln k at the wells of a layout (`wellLogPermeability`) is the
 * regularisation data the paper uses.
 *
 * Transport constants: porosity 0.1, alpha_L = 0.1 m, alpha_T = 0.01 m, D = 1e-9 m^2/s. The
 * geometric-mean conductivity is K_g = 2e-13 * rho g / mu = 1.96e-6 m/s; with the gradient 0.1
 * the mean pore velocity is about 0.17 m/day, so the front crosses about 7 m by day 40 and the
 * whole domain by day 60 (porosity 0.3 would leave most wells dry during calibration).
 * Checked on 12 LHS samples (seed 1): the fraction of the 81 wells with C > 1% of C0 is 0.06 at
 * day 2, 0.34 at day 10, 0.82 at day 40 (0.40 .. 1.00 per sample) and 0.91 at day 60.
 */
import { normalCdf } from '../../numerics/normal-cdf.js';
import { normalQuantile } from '../../numerics/normal-quantile.js';
import { buildKle, kleField, type KleBasis } from '../fields/kle.js';
import { DAY, WATER_VISCOSITY, makePoints, type GroundwaterCase } from './groundwater-case.js';

const CASE2_MEAN_PERMEABILITY = 2e-13;
const CASE2_TERMS = 100;
export type Case2LayoutName = 'S-1' | 'S-2' | 'S-3' | 'S-4' | 'S-5';
export const CASE2_LAYOUTS: Case2LayoutName[] = ['S-1', 'S-2', 'S-3', 'S-4', 'S-5'];

const grid = { nx: 64, ny: 64, dx: 10 / 64, dy: 10 / 64 };

/** The case-2 KL basis (memoised). */
export function case2Kle(): KleBasis {
  return buildKle(grid, { variance: 2, lx: 2.5, ly: 2.5, terms: CASE2_TERMS });
}

/** Y field (ln k - ln 2e-13) for KL coefficients xi. */
export function case2LogPermeabilityPerturbation(xi: Float64Array): Float64Array {
  return kleField(case2Kle(), xi);
}

const lattice: [number, number][] = [];
for (let b = 1; b <= 9; b++) for (let a = 1; a <= 9; a++) lattice.push([a, b]);

/** Indices into the case-2 points (the 9 x 9 lattice, x fastest) of a monitoring layout. */
export function case2Layout(name: Case2LayoutName): Int32Array {
  const inLayout = (x: number, y: number): boolean => {
    const s1 = [1, 5, 9].includes(x) && [1, 5, 9].includes(y);
    const odd = x % 2 === 1 && y % 2 === 1;
    const even = x % 2 === 0 && y % 2 === 0;
    switch (name) {
      case 'S-1':
        return s1;
      case 'S-2':
        return s1 || ([3, 7].includes(x) && [3, 7].includes(y));
      case 'S-3':
        return odd;
      case 'S-4':
        return odd || even;
      case 'S-5':
        return true;
      default:
        throw new Error(`case2Layout: layout must be one of ${CASE2_LAYOUTS.join(', ')}, got ${String(name)}`);
    }
  };
  const idx: number[] = [];
  lattice.forEach(([x, y], k) => {
    if (inLayout(x, y)) idx.push(k);
  });
  return Int32Array.from(idx);
}

export function createCase2(): GroundwaterCase {
  const points = makePoints(grid, lattice);
  const days: number[] = [];
  for (let d = 2; d <= 60; d += 2) days.push(d);
  return {
    name: 'case2',
    title: 'Case 2: Gaussian ln k field, 100 KL coefficients',
    grid,
    transport: { porosity: 0.1, alphaL: 0.1, alphaT: 0.01, diffusion: 1e-9 },
    viscosity: WATER_VISCOSITY,
    headLeft: 1,
    headRight: 0,
    observationTimes: Float64Array.from(days, (d) => d * DAY),
    timeLabels: days.map((d) => `day ${d}`),
    points,
    calibrationPoints: Int32Array.from({ length: points.length }, (_, i) => i),
    calibrationTimeCount: 20,
    paramCount: CASE2_TERMS,
    paramNames: Array.from({ length: CASE2_TERMS }, (_, k) => `xi${k + 1}`),
    paramLower: null,
    paramUpper: null,
    permeability(params: Float64Array): Float64Array {
      if (!params || params.length !== CASE2_TERMS)
        throw new Error(`case2: params must be the ${CASE2_TERMS} standard-normal KL coefficients, got length ${params ? params.length : params}`);
      const Y = case2LogPermeabilityPerturbation(params);
      const k = new Float64Array(Y.length);
      for (let c = 0; c < Y.length; c++) k[c] = CASE2_MEAN_PERMEABILITY * Math.exp(Y[c]);
      return k;
    },
    sourceConcentration(): number {
      return 1;
    },
    sampling: {
      designDimension: CASE2_TERMS,
      // Standard-normal KL coefficients: xi = Phi^-1(u), u kept in [eps, 1 - eps].
      fromUnit(u: ArrayLike<number>, eps: number): Float64Array {
        if (u.length !== CASE2_TERMS) throw new Error(`case2: unit row must have ${CASE2_TERMS} values, got ${u.length}`);
        return Float64Array.from({ length: CASE2_TERMS }, (_, k) => normalQuantile(Math.min(1 - eps, Math.max(eps, u[k]))));
      },
      toUnit(params: ArrayLike<number>, eps: number): Float64Array {
        return Float64Array.from({ length: CASE2_TERMS }, (_, k) => Math.min(1 - eps, Math.max(eps, normalCdf(params[k]))));
      },
      drawField: null,
      storesField: true,
      sampleField: case2LogPermeabilityPerturbation,
      parameterBounds: null,
    },
  };
}

/** True ln k (natural log of m^2) at the wells of a layout, from the KL coefficients. */
export function wellLogPermeability(c: GroundwaterCase, xi: Float64Array, layout: Case2LayoutName): Float64Array {
  const Y = case2LogPermeabilityPerturbation(xi);
  const idx = case2Layout(layout);
  return Float64Array.from(idx, (p) => Math.log(CASE2_MEAN_PERMEABILITY) + Y[c.points[p].cell]);
}
