/**
 * The pieces of an inversion campaign shared by the handler (main thread) and its compute tasks
 * (worker threads): variants, run seeds, which observation entries calibrate and which validate,
 * and how a case's parameters / fields become the surrogate's normalised input. No TF.js here.
 *
 * Calibration = the case's calibration group restricted to the observed points (case 2: the
 * monitoring layout): heads and calibration-time concentrations at the calibration points.
 * Validation = every other entry of the observation vector (case 1: the 24 validation points;
 * cases 2-3: the prediction times, plus, for a sparse case-2 layout, the unobserved wells).
 */
import { getCase } from '../../physics/groundwater/case-registry.js';
import { case2Layout, type Case2LayoutName } from '../../physics/groundwater/gaussian-case.js';
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';
import { observationGroups } from '../../physics/groundwater/observation-layout.js';
import { Rng } from '../../numerics/rng.js';
import { inversionCase } from './cases.js';
import type { ConcentrationScaling, InversionMethod } from './spec.js';

export interface Variant {
  /** '' for a campaign without variants, else e.g. 'S-3' or 'S-5/sigma=0.1' or 'sigma=0.1'. */
  label: string;
  layout: Case2LayoutName | null;
  noise: number;
}

export function inversionVariants(spec: { case: CaseName; noise?: number[]; layouts?: string[] }): Variant[] {
  const noises = spec.noise ?? [0.01];
  const ic = inversionCase(spec.case);
  const layouts: (Case2LayoutName | null)[] = ic.layouts ? ((spec.layouts ?? ['S-5']) as Case2LayoutName[]) : [null];
  const showNoise = noises.length > 1 || ic.labelsNoise;
  const out: Variant[] = [];
  for (const layout of layouts) {
    for (const noise of noises) {
      const parts = [layout ?? '', showNoise ? `sigma=${noise}` : ''].filter(Boolean);
      out.push({ label: parts.join('/'), layout, noise });
    }
  }
  return out;
}

const METHOD_ID: Record<InversionMethod, number> = { TNNA: 0, GA: 1, PSO: 2, DE: 3, SA: 4, LM: 5 };

/** Seed of one optimiser run, from (campaign seed, scenario, method, npc, repeat, variant). */
export function inversionRunSeed(seed: number, scenario: number, method: InversionMethod, npc: number, repeat: number, variant: number): number {
  return Rng.derive(seed, 0x1a7, scenario, METHOD_ID[method], npc, repeat, variant).uint32() | 0;
}

/** Seed of a scenario's observation noise (shared by every method, NPC and repeat of that scenario). */
export function scenarioNoiseSeed(seed: number, scenario: number, variant: number): number {
  return Rng.derive(seed, 0x0b5, scenario, variant).uint32() | 0;
}

/** Test-set rows of the scenarios: a seeded draw without replacement. */
export function drawScenarios(seed: number, count: number, testSize: number): number[] {
  if (count > testSize)
    throw new Error(`scenarios (${count}) exceeds the dataset's test set (${testSize} samples): lower scenarios or generate a larger test set`);
  return Array.from(Rng.derive(seed, 0x5ce).permutation(testSize).subarray(0, count));
}

export interface ObservationSplit {
  calibration: Int32Array;
  validation: Int32Array;
  /** Positions (into the full observation vector) of heads / concentrations within each group. */
  calibHeads: Int32Array;
  calibConc: Int32Array;
  validHeads: Int32Array;
  validConc: Int32Array;
  /** Observation-vector indices of heads and concentrations (for surrogate test metrics). */
  heads: Int32Array;
  concentrations: Int32Array;
}

export function observationSplit(caseName: CaseName, layout: Case2LayoutName | null): ObservationSplit {
  const c = getCase(caseName);
  const g = observationGroups(c, layout ? case2Layout(layout) : undefined);
  const all = observationGroups(c);
  const m = c.points.length * (1 + c.observationTimes.length);
  const inCal = new Uint8Array(m);
  for (const i of g.calibration) inCal[i] = 1;
  const validation: number[] = [];
  for (let i = 0; i < m; i++) if (!inCal[i]) validation.push(i);
  const isHead = new Uint8Array(m);
  for (const i of all.heads) isHead[i] = 1;
  const calibration = Int32Array.from(g.calibration);
  const val = Int32Array.from(validation);
  return {
    calibration,
    validation: val,
    calibHeads: calibration.filter((i) => isHead[i] === 1),
    calibConc: calibration.filter((i) => isHead[i] === 0),
    validHeads: val.filter((i) => isHead[i] === 1),
    validConc: val.filter((i) => isHead[i] === 0),
    heads: Int32Array.from(all.heads),
    concentrations: Int32Array.from(all.concentrations),
  };
}

/** The probit parameterisation clips u to [1e-6, 1 - 1e-6] (models/inversion/probit.ts); so do we. */
export const PROBIT_EPS = 1e-6;

export function clampUnit(u: number): number {
  return Math.min(1 - PROBIT_EPS, Math.max(PROBIT_EPS, u));
}

/**
 * Min-max bounds of the observation vector as the surrogate, the objective and the scores use
 * them, from the training set's per-component bounds:
 * - heads: per component (the paper's normalisation), each range floored at `floor` x the heads'
 *   overall range;
 * - concentrations `'component'`: the same, per component (paper; fine for case 1, where the plume
 *   reaches every well);
 * - concentrations `'group'`: one min/max over all concentration components. Where the plume
 *   rarely reaches a well (cases 2-3: median 0, 90th percentile ~1e-20), a per-component range is a
 *   few rare arrivals, so a test arrival normalises to hundreds and swamps the surrogate's loss and
 *   J (case 2: surrogate concentration R^2 0.03 per component vs 0.71 per group, same network).
 * Returns new arrays; the input is not modified.
 */
export function observationBounds(
  bounds: { min: ArrayLike<number>; max: ArrayLike<number> },
  groups: { heads: ArrayLike<number>; concentrations: ArrayLike<number> },
  concentrations: ConcentrationScaling,
  floor = 1e-3,
): { min: number[]; max: number[] } {
  const min = Array.from(bounds.min);
  const max = Array.from(bounds.max);
  for (const [g, scaling] of [
    [groups.heads, 'component'],
    [groups.concentrations, concentrations],
  ] as const) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < g.length; k++) {
      lo = Math.min(lo, min[g[k]]);
      hi = Math.max(hi, max[g[k]]);
    }
    if (!(hi >= lo)) continue;
    if (scaling === 'group') {
      const top = hi > lo ? hi : lo + 1;
      for (let k = 0; k < g.length; k++) {
        min[g[k]] = lo;
        max[g[k]] = top;
      }
      continue;
    }
    const minRange = floor * (hi - lo);
    for (let k = 0; k < g.length; k++) if (max[g[k]] - min[g[k]] < minRange) max[g[k]] = min[g[k]] + minRange;
  }
  return { min, max };
}

/**
 * Per-component bounds of `n` stacked training observation vectors (`n x m`, the stored float32
 * values), ranges floored as `observationBounds(..., 'component')`: what a case dataset stores.
 */
export function trainingObservationBounds(
  obs: ArrayLike<number>,
  n: number,
  m: number,
  groups: { heads: ArrayLike<number>; concentrations: ArrayLike<number> },
): { min: number[]; max: number[] } {
  const min = new Array<number>(m).fill(Infinity);
  const max = new Array<number>(m).fill(-Infinity);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < m; j++) {
      const v = obs[k * m + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  return observationBounds({ min, max }, groups, 'component');
}

/** RMSE and pooled R^2 of `pred` against `truth` on the entries `idx` (null when idx is empty). */
export function fitOn(pred: ArrayLike<number>, truth: ArrayLike<number>, idx: ArrayLike<number>): { rmse: number; r2: number | null } | null {
  if (idx.length === 0) return null;
  let mean = 0;
  for (let k = 0; k < idx.length; k++) mean += truth[idx[k]];
  mean /= idx.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let k = 0; k < idx.length; k++) {
    const t = truth[idx[k]];
    const e = t - pred[idx[k]];
    ssRes += e * e;
    ssTot += (t - mean) * (t - mean);
  }
  return { rmse: Math.sqrt(ssRes / idx.length), r2: ssTot > 0 ? 1 - ssRes / ssTot : null };
}
