/**
 * Surrogate-training datasets of the groundwater cases as library functions.
 *
 * A dataset row is (parameters, observations[, field]) for one sample index:
 * - case 1: a unit-cube design row u (LHS, Sobol' or plain Monte Carlo, 9-d) mapped linearly to
 *   k1..k8 in [1e-12, 9.9e-12] m^2 and C0 in [1e-3, 1] mol/L;
 * - case 2: a 100-d unit design row mapped to standard-normal KL coefficients xi = Phi^-1(u)
 *   (u clamped to [2^-33, 1 - 2^-33]); `field` = Y = ln k - ln 2e-13 per cell;
 * - case 3: the facies field of `channelizedFieldSeeded(seed, index)` (6400 indicators; the
 *   sampler option does not apply); `field` = the facies (same as the parameters).
 * Observations are the raw observation vector (./observation-layout.ts), in physical units; fit
 * min-max bounds on the training rows with ./min-max-normalizer.ts.
 *
 * Reproducibility and fan-out: row `index` of `generateCaseDataset(case, n, seed, opts)` equals
 * `runCaseSample(case, index, seed, { ...opts, n })`, so another engineer can run any slice of
 * indices on any worker. The LHS design depends on n (all rows are drawn together, cheaply); Sobol'
 * rows do not (scrambled with a seed derived from `seed`); 'mc' rows are drawn per index.
 * `stream: 'test'` draws an independent design for a test set with the same seed.
 *
 * Paper sizes (PAPER_DATASET_SIZES): case 1 LHS with 200/500/1000/2000 training + 100 test samples;
 * cases 2 and 3: 2000 training + 500 test.
 */
import { Rng } from '../../numerics/rng.js';
import { latinHypercube } from '../../numerics/latin-hypercube.js';
import { sobolSequence } from '../../numerics/sobol-sequence.js';
import { getCase } from './case-registry.js';
import { forward, type ForwardOptions } from './forward-model.js';
import { observationVector } from './observation-layout.js';
import { fitMinMax, normalize, type MinMaxBounds } from '../../numerics/min-max-normalizer.js';
import type { CaseName } from './groundwater-case.js';

export type SamplerName = 'lhs' | 'sobol' | 'mc';

export const PAPER_DATASET_SIZES: Record<CaseName, { train: number[]; test: number }> = {
  case1: { train: [200, 500, 1000, 2000], test: 100 },
  case2: { train: [2000], test: 500 },
  case3: { train: [2000], test: 500 },
};

export interface CaseDatasetOptions {
  /** unit-cube design (default 'lhs'); ignored by case 3 */
  sampler?: SamplerName;
  /** independent design streams for training and test sets (default 'train') */
  stream?: 'train' | 'test';
  /** return the field of each row (default: true for cases 2 and 3, false for case 1) */
  includeField?: boolean;
  /** transport scheme passed to the forward model */
  scheme?: ForwardOptions['scheme'];
}

export interface CaseSample {
  index: number;
  /** the unit-cube design row (null for case 3) */
  unit: Float64Array | null;
  /** physical parameter vector given to `forward` */
  params: Float64Array;
  /** raw observation vector (heads m, concentrations mol/L) */
  observations: Float64Array;
  /** case 1: ln k per cell; case 2: Y = ln k - ln 2e-13; case 3: facies indicators */
  field?: Float64Array;
}

const CASE_ID: Record<CaseName, number> = { case1: 1, case2: 2, case3: 3 };
const STREAM_ID = { train: 0, test: 1 } as const;

function checkIndex(index: number, n?: number): void {
  if (!Number.isInteger(index) || index < 0) throw new Error(`sample index must be an integer >= 0, got ${index}`);
  if (n !== undefined && index >= n) throw new Error(`sample index ${index} must be < n (${n})`);
}

const designCache = new Map<string, Float64Array[]>();

/**
 * The unit-cube design rows [0, n) of a case (empty for case 3). LHS designs are memoised per
 * (case, n, seed, stream) so per-sample calls do not redraw them.
 */
export function caseDesign(name: CaseName, n: number, seed: number, opts: CaseDatasetOptions = {}): Float64Array[] {
  const sampler = opts.sampler ?? 'lhs';
  const stream = opts.stream ?? 'train';
  if (!['lhs', 'sobol', 'mc'].includes(sampler)) throw new Error(`sampler must be 'lhs', 'sobol' or 'mc', got ${String(sampler)}`);
  if (!(stream in STREAM_ID)) throw new Error(`stream must be 'train' or 'test', got ${String(stream)}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`n (number of samples) must be a positive integer, got ${n}`);
  const d = getCase(name).sampling.designDimension;
  if (d === 0) return [];
  const key = JSON.stringify([name, n, seed, sampler, stream]);
  const hit = designCache.get(key);
  if (hit) return hit;
  let rows: Float64Array[];
  if (sampler === 'lhs') rows = latinHypercube(n, d, Rng.derive(seed, CASE_ID[name], STREAM_ID[stream], 0x1a5));
  else if (sampler === 'sobol') rows = sobolSequence(n, d, { scramble: { seed: sobolScrambleSeed(name, seed, stream) } });
  else rows = Array.from({ length: n }, (_, i) => mcRow(name, i, seed, stream));
  if (designCache.size > 16) designCache.clear();
  designCache.set(key, rows);
  return rows;
}

function sobolScrambleSeed(name: CaseName, seed: number, stream: 'train' | 'test'): number {
  return Rng.derive(seed, CASE_ID[name], STREAM_ID[stream], 0x50b).uint32() | 0;
}

function mcRow(name: CaseName, index: number, seed: number, stream: 'train' | 'test'): Float64Array {
  const rng = Rng.derive(seed, CASE_ID[name], STREAM_ID[stream], 0x3c, index);
  return Float64Array.from({ length: getCase(name).sampling.designDimension }, () => rng.next());
}

/** Datasets keep a design row this far from 0 and 1 where the case maps it through a probit. */
const UNIT_EPS = 2 ** -33;

/** Maps a unit-cube design row to the physical parameters of case 1 or 2. */
export function unitToParameters(name: CaseName, u: Float64Array): Float64Array {
  return getCase(name).sampling.fromUnit(u, UNIT_EPS);
}

/** The parameters (and design row) of sample `index`. */
export function caseSampleParameters(
  name: CaseName,
  index: number,
  seed: number,
  opts: CaseDatasetOptions & { n?: number } = {},
): { unit: Float64Array | null; params: Float64Array } {
  const { sampling } = getCase(name);
  checkIndex(index, opts.n);
  if (sampling.drawField) {
    const stream = opts.stream ?? 'train';
    return { unit: null, params: sampling.drawField(Rng.derive(seed, CASE_ID[name], STREAM_ID[stream]).uint32() | 0, index) };
  }
  const sampler = opts.sampler ?? 'lhs';
  let u: Float64Array;
  if (sampler === 'mc') u = mcRow(name, index, seed, opts.stream ?? 'train');
  else if (sampler === 'sobol' && opts.n === undefined) {
    u = sobolSequence(1, sampling.designDimension, { skip: index, scramble: { seed: sobolScrambleSeed(name, seed, opts.stream ?? 'train') } })[0];
  } else {
    if (opts.n === undefined) throw new Error(`runCaseSample: opts.n (the design size) is required for the LHS sampler, whose rows depend on n`);
    u = caseDesign(name, opts.n, seed, opts)[index];
  }
  return { unit: u, params: unitToParameters(name, u) };
}

/** Runs sample `index` of the dataset (name, n, seed, opts). */
export function runCaseSample(name: CaseName, index: number, seed: number, opts: CaseDatasetOptions & { n?: number } = {}): CaseSample {
  const c = getCase(name);
  const { unit, params } = caseSampleParameters(name, index, seed, opts);
  const { sampleField, storesField } = c.sampling;
  const includeField = opts.includeField ?? storesField;
  const r = forward(c, params, { scheme: opts.scheme, includeField: includeField && !sampleField });
  const s: CaseSample = { index, unit, params, observations: observationVector(c, r) };
  if (includeField) s.field = sampleField ? sampleField(params) : r.field;
  return s;
}

/** Yields the n rows of a case dataset in index order. */
export function* generateCaseDataset(name: CaseName, n: number, seed: number, opts: CaseDatasetOptions = {}): Generator<CaseSample> {
  if (getCase(name).sampling.designDimension > 0)
    caseDesign(name, n, seed, opts); // validates and memoises the design
  else if (!Number.isInteger(n) || n < 1) throw new Error(`n (number of samples) must be a positive integer, got ${n}`);
  for (let i = 0; i < n; i++) yield runCaseSample(name, i, seed, { ...opts, n });
}

/**
 * Splits rows into a training and a test part: a seeded random permutation, the first `nTest`
 * rows of which form the test set. For the paper's protocol prefer independent designs
 * (`stream: 'train'` and `stream: 'test'`).
 */
export function splitTrainTest<T>(rows: T[], nTest: number, seed: number): { train: T[]; test: T[] } {
  if (!Number.isInteger(nTest) || nTest < 0 || nTest > rows.length)
    throw new Error(`splitTrainTest: nTest must be an integer in [0, ${rows.length}], got ${nTest}`);
  const perm = Rng.derive(seed, 0x5e1).permutation(rows.length);
  const test: T[] = [];
  const train: T[] = [];
  perm.forEach((p, k) => (k < nTest ? test : train).push(rows[p]));
  return { train, test };
}

export interface CaseBounds {
  params: MinMaxBounds;
  observations: MinMaxBounds;
}

/**
 * Min-max bounds of a training set: observations per component from the rows; parameters from the
 * known ranges for case 1 (k in [1e-12, 9.9e-12], C0 in [1e-3, 1]), [0, 1] for case 3's facies, and
 * the training rows for case 2's KL coefficients. Store them with the dataset (boundsToJSON) and
 * apply the same bounds to test rows and observed data.
 */
export function fitCaseBounds(name: CaseName, train: CaseSample[]): CaseBounds {
  if (train.length === 0) throw new Error('fitCaseBounds: train must hold at least one sample');
  const c = getCase(name);
  const observations = fitMinMax(train.map((s) => s.observations));
  const known = c.sampling.parameterBounds;
  const params: MinMaxBounds = known ? { min: Float64Array.from(known.min), max: Float64Array.from(known.max) } : fitMinMax(train.map((s) => s.params));
  return { params, observations };
}

/** A sample's parameters and observations normalised with `bounds`. */
export function normalizeSample(s: CaseSample, bounds: CaseBounds): { params: Float64Array; observations: Float64Array } {
  return { params: normalize(s.params, bounds.params), observations: normalize(s.observations, bounds.observations) };
}
