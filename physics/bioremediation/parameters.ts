/**
 * The variable parameters of a bioremediation scenario: ONE table, the single source of truth for
 * sampling (dataset campaigns), sensitivity analysis and validation. Fixed constants of the model
 * (yield, stoichiometry, dispersivities, ...) are in `FIXED_PARAMETERS`; both are documented in
 * physics/README.md.
 *
 * Units follow the table (days for rates given per day would be friendlier, but lambda_b is the
 * paper's parameter in 1/s, so all rates are per second).
 */
import { latinHypercube } from '../../numerics/latin-hypercube.js';
import { Rng } from '../../numerics/rng.js';
import { sobolSequence } from '../../numerics/sobol-sequence.js';

type ParameterDistribution = 'uniform' | 'loguniform' | 'categorical';

export interface ParameterSpec {
  readonly name: string;
  readonly units: string;
  readonly min: number;
  readonly max: number;
  /** uniform / loguniform on [min, max]; categorical: integer index min..max into `choices`. */
  readonly distribution: ParameterDistribution;
  readonly choices?: readonly string[];
  readonly description: string;
}

export const FLOW_REGIMES = ['gaining', 'losing', 'high-speed'] as const;

export const PARAMETERS = [
  // --- flow and medium
  {
    name: 'kGeoMean',
    units: 'm^2',
    min: 1e-12,
    max: 5e-10,
    distribution: 'loguniform',
    description: 'geometric mean permeability of the log-normal field (homogeneous value for upsampling pairs)',
  },
  { name: 'sigmaLnK', units: '-', min: 0.3, max: 1.5, distribution: 'uniform', description: 'standard deviation of ln k' },
  {
    name: 'corrLengthX',
    units: 'm',
    min: 0.05,
    max: 0.5,
    distribution: 'loguniform',
    description: 'correlation length of ln k along x (longitudinal), Gaussian covariance',
  },
  { name: 'corrLengthY', units: 'm', min: 0.02, max: 0.2, distribution: 'loguniform', description: 'correlation length of ln k along y (vertical)' },
  { name: 'porosity0', units: '-', min: 0.2, max: 0.45, distribution: 'uniform', description: 'initial (unclogged) porosity, uniform in space' },
  {
    name: 'flowRegime',
    units: '-',
    min: 0,
    max: 2,
    distribution: 'categorical',
    choices: FLOW_REGIMES,
    description: 'vertical pressure time series: 0 gaining (upward), 1 losing (downward), 2 high-speed (upward, 3x)',
  },
  {
    name: 'verticalFlux',
    units: 'm/d',
    min: 0.002,
    max: 0.02,
    distribution: 'loguniform',
    description: 'nominal vertical Darcy flux; sets the bottom-top pressure difference dp_v = q mu H / kGeoMean',
  },
  {
    name: 'longitudinalFlux',
    units: 'm/d',
    min: 0.002,
    max: 0.02,
    distribution: 'loguniform',
    description: 'nominal right-to-left Darcy flux of the 1x domain; sets dp_lr = q mu W_1x / kGeoMean, the SAME for 10x (gradient 10x smaller)',
  },
  {
    name: 'pressureNoise',
    units: '-',
    min: 0,
    max: 0.5,
    distribution: 'uniform',
    description: 'relative standard deviation of the seeded daily random variation of the vertical pressure difference',
  },
  { name: 'temperatureMean', units: 'degC', min: 8, max: 20, distribution: 'uniform', description: 'mean temperature' },
  { name: 'temperatureAmplitude', units: 'degC', min: 0, max: 5, distribution: 'uniform', description: 'seasonal (365 d) temperature amplitude' },
  // --- amendment and contaminant
  {
    name: 'edInjection',
    units: 'mol/L',
    min: 1e-3,
    max: 5.5e-3,
    distribution: 'uniform',
    description: 'electron donor (molasses) concentration entering through the right boundary',
  },
  {
    name: 'crBackground',
    units: 'mol/L',
    min: 1e-6,
    max: 7.6e-3,
    distribution: 'loguniform',
    description: 'Cr(VI) initial concentration and in groundwater entering through the left, bottom and right sides',
  },
  // --- kinetics
  {
    name: 'lambdaB',
    units: '1/s',
    min: 1e-5,
    max: 1e-4,
    distribution: 'loguniform',
    description: 'maximum specific biomass growth rate lambda_b (at 20 degC)',
  },
  { name: 'alpha', units: '-', min: 0.5, max: 3, distribution: 'uniform', description: 'crowding exponent: growth x (1 - (B/Bmax)^alpha)' },
  { name: 'bMax', units: 'mol/m^3', min: 100, max: 800, distribution: 'uniform', description: 'biomass carrying capacity of the crowding term' },
  { name: 'decayRate', units: '1/s', min: 1e-7, max: 1e-6, distribution: 'loguniform', description: 'biomass decay rate (at 20 degC)' },
  {
    name: 'Sd1',
    units: 'mol/L',
    min: 1e-6,
    max: 1e-4,
    distribution: 'loguniform',
    description: 'electron-donor half-saturation constant of growth and biotic reduction',
  },
  { name: 'Sc', units: 'mol/L', min: 1e-5, max: 1e-3, distribution: 'loguniform', description: 'Cr(VI) toxicity constant: growth x Sc / (Sc + Cr)' },
  {
    name: 'lambdaC',
    units: 'mol Cr/(mol B s)',
    min: 1e-9,
    max: 1e-7,
    distribution: 'loguniform',
    description: 'biotic Cr(VI) reduction rate per mole of biomass (at 20 degC)',
  },
  {
    name: 'abioticRate',
    units: 'L/(mol s)',
    min: 1e-4,
    max: 1e-2,
    distribution: 'loguniform',
    description: 'second-order abiotic Cr(VI) reduction by electron donor (at 20 degC)',
  },
  { name: 'biomass0', units: 'mol/m^3', min: 1e-3, max: 1, distribution: 'loguniform', description: 'initial biomass, uniform in space' },
] as const satisfies readonly ParameterSpec[];

export type ParameterName = (typeof PARAMETERS)[number]['name'];
/** A scenario: one value per parameter of the table (categorical ones as integer index). */
export type Scenario = Record<ParameterName, number>;

export const PARAMETER_NAMES: readonly ParameterName[] = PARAMETERS.map((p) => p.name);

/** Constants of the model that are not sampled (documented in physics/README.md). */
export const FIXED_PARAMETERS = {
  /** water viscosity (Pa s) */
  viscosity: 1e-3,
  /** biomass yield (mol B per mol ED consumed by growth) */
  yieldB: 2,
  /** mol ED consumed per mol Cr(VI) reduced (biotic and abiotic) */
  edPerCr: 1,
  /** Cr(VI) half-saturation of biotic reduction (mol/L) */
  kCr: 1e-5,
  /** biomass floor that decay tends to (mol/m^3) */
  bMin: 1e-8,
  /** Q10 of all rates (rates x Q10^((T - 20)/10)) */
  q10: 2,
  /** volume of biofilm per mole of biomass (m^3/mol): phi = phi0 - B * v */
  biofilmVolume: 5e-4,
  /** porosity never falls below this fraction of phi0 */
  minPorosityFraction: 0.05,
  /** molecular diffusion (m^2/s) */
  molecularDiffusion: 1e-9,
  /** longitudinal / transverse dispersivity (m) */
  dispersivityL: 0.01,
  dispersivityT: 0.001,
  /** stream-water surface (top) pressure: mean and relative seasonal variation (Pa) */
  surfacePressure: 1000,
  surfacePressureVariation: 0.2,
  /** after this time the boundary series are held constant (the in-situ data cover 170 days) */
  seriesEnd: 170 * 86400,
  /** relative amplitude of the seasonal term of the vertical pressure difference */
  seasonalAmplitude: 0.3,
} as const;

export function parameterSpec(name: ParameterName): ParameterSpec {
  const p = PARAMETERS.find((q) => q.name === name);
  if (!p) throw new Error(`unknown bioremediation parameter '${name}'; known: ${PARAMETER_NAMES.join(', ')}`);
  return p;
}

/** Maps u in [0,1) to the parameter's range by its distribution. */
export function fromUnit(spec: ParameterSpec, u: number): number {
  if (!(u >= 0 && u <= 1)) throw new Error(`unit value for ${spec.name} must be in [0, 1], got ${u}`);
  switch (spec.distribution) {
    case 'uniform':
      return spec.min + u * (spec.max - spec.min);
    case 'loguniform':
      return Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min)));
    case 'categorical': {
      const k = spec.max - spec.min + 1;
      return spec.min + Math.min(k - 1, Math.floor(u * k));
    }
  }
}

/** Inverse of fromUnit (the stratum centre for categorical values). */
export function toUnit(spec: ParameterSpec, v: number): number {
  switch (spec.distribution) {
    case 'uniform':
      return (v - spec.min) / (spec.max - spec.min);
    case 'loguniform':
      return (Math.log(v) - Math.log(spec.min)) / (Math.log(spec.max) - Math.log(spec.min));
    case 'categorical':
      return (v - spec.min + 0.5) / (spec.max - spec.min + 1);
  }
}

/** A scenario from one point of the unit cube (dimension = PARAMETERS.length, table order). */
export function scenarioFromUnit(u: ArrayLike<number>): Scenario {
  if (u.length !== PARAMETERS.length) throw new Error(`unit point must have ${PARAMETERS.length} coordinates (one per parameter), got ${u.length}`);
  const s = {} as Scenario;
  PARAMETERS.forEach((p, k) => {
    s[p.name] = fromUnit(p, u[k]);
  });
  return s;
}

/** The centre of every range (geometric centre for loguniform): a reference scenario. */
export function defaultScenario(): Scenario {
  return scenarioFromUnit(new Float64Array(PARAMETERS.length).fill(0.5));
}

/** Throws, naming the parameter and its range, unless every value is present and in range. */
export function validateScenario(s: Partial<Record<string, number>>): Scenario {
  for (const p of PARAMETERS) {
    const v = s[p.name];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`scenario.${p.name} (${p.units}) is missing or not a finite number; expected ${p.min}..${p.max}`);
    const tol = 1e-9 * Math.abs(p.max);
    if (v < p.min - tol || v > p.max + tol) throw new Error(`scenario.${p.name} = ${v} ${p.units} is outside ${p.min}..${p.max}; pick a value in range`);
    if (p.distribution === 'categorical' && !Number.isInteger(v))
      throw new Error(`scenario.${p.name} must be an integer index into [${p.choices?.join(', ')}], got ${v}`);
  }
  const unknown = Object.keys(s).filter((k) => !PARAMETER_NAMES.includes(k as ParameterName));
  if (unknown.length) throw new Error(`scenario has unknown parameters ${unknown.join(', ')}; known: ${PARAMETER_NAMES.join(', ')}`);
  return s as Scenario;
}

export type SamplingMethod = 'lhs' | 'sobol' | 'mc';

/**
 * `n` scenarios from unit-cube samples: Latin hypercube (default, physics/sampling/latin-hypercube.ts),
 * scrambled Sobol' or plain Monte Carlo, all seeded.
 */
export function sampleScenarios(n: number, seed: number, method: SamplingMethod = 'lhs'): Scenario[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`sampleScenarios: n must be a positive integer, got ${n}`);
  const d = PARAMETERS.length;
  let rows: Float64Array[];
  if (method === 'lhs') rows = latinHypercube(n, d, new Rng(seed));
  else if (method === 'sobol') rows = sobolSequence(n, d, { scramble: { seed } });
  else if (method === 'mc') {
    const rng = new Rng(seed);
    rows = [];
    for (let i = 0; i < n; i++) {
      const r = new Float64Array(d);
      for (let k = 0; k < d; k++) r[k] = rng.next();
      rows.push(r);
    }
  } else throw new Error(`sampleScenarios: method must be 'lhs', 'sobol' or 'mc', got ${method as string}`);
  return rows.map(scenarioFromUnit);
}
