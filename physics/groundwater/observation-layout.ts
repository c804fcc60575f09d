/**
 * Layout of a case's observation vector and its groups.
 *
 *   y = [ heads[0..nPoints), conc[t=0][0..nPoints), conc[t=1][...], ..., conc[t=nTimes-1][...] ]
 *   length = nPoints * (1 + nTimes)
 *
 * Index of the head of point p: p. Index of the concentration of point p at time t:
 * nPoints + t * nPoints + p.
 *
 * Groups:
 *   calibration: heads and calibration-time concentrations at calibration points
 *   validation:  the same entries at the other points (case 1: 24 validation points)
 *   prediction:  concentrations at prediction times (after the calibration window) at calibration points
 * For case 2 a monitoring layout S-1..S-5 restricts the points to a subset.
 *
 * Lengths: case 1: 49 points x (1 + 5 times) = 294 (calibration 25 x 6 = 150, validation 24 x 6
 * = 144); case 2: 81 x (1 + 30) = 2511 (S-5 calibration 81 x 21 = 1701, prediction 81 x 10 = 810);
 * case 3: 36 x (1 + 15) = 576 (calibration 36 x 13 = 468, prediction 36 x 3 = 108).
 */
import type { GroundwaterCase } from './groundwater-case.js';
import type { ForwardResult } from './forward-model.js';

export function observationLength(c: GroundwaterCase): number {
  return c.points.length * (1 + c.observationTimes.length);
}

/** Concatenates a forward result into the observation vector. */
export function observationVector(c: GroundwaterCase, r: ForwardResult): Float64Array {
  const np = c.points.length;
  if (r.heads.length !== np || r.concentrations.length !== np * c.observationTimes.length) {
    throw new Error(
      `observationVector: result does not match ${c.name} (heads ${r.heads.length}/${np}, concentrations ${r.concentrations.length}/${np * c.observationTimes.length})`,
    );
  }
  const y = new Float64Array(observationLength(c));
  y.set(r.heads, 0);
  y.set(r.concentrations, np);
  return y;
}

export interface ObservationGroups {
  heads: Int32Array;
  concentrations: Int32Array;
  calibration: Int32Array;
  validation: Int32Array;
  prediction: Int32Array;
}

/** Index sets into the observation vector; `points` restricts to a subset of point indices (e.g. a case-2 layout). */
export function observationGroups(c: GroundwaterCase, points?: Int32Array): ObservationGroups {
  const np = c.points.length;
  const nt = c.observationTimes.length;
  const use = new Uint8Array(np);
  if (points)
    for (const p of points) {
      if (!(p >= 0 && p < np)) throw new Error(`observationGroups: point index ${p} out of range [0, ${np}) for ${c.name}`);
      use[p] = 1;
    }
  else use.fill(1);
  const isCal = new Uint8Array(np);
  for (const p of c.calibrationPoints) isCal[p] = 1;
  const heads: number[] = [],
    conc: number[] = [],
    cal: number[] = [],
    val: number[] = [],
    pred: number[] = [];
  for (let p = 0; p < np; p++) {
    if (!use[p]) continue;
    heads.push(p);
    (isCal[p] ? cal : val).push(p);
  }
  for (let t = 0; t < nt; t++) {
    for (let p = 0; p < np; p++) {
      if (!use[p]) continue;
      const idx = np + t * np + p;
      conc.push(idx);
      if (t < c.calibrationTimeCount) (isCal[p] ? cal : val).push(idx);
      else if (isCal[p]) pred.push(idx);
    }
  }
  const i32 = (a: number[]): Int32Array => Int32Array.from(a);
  return { heads: i32(heads), concentrations: i32(conc), calibration: i32(cal), validation: i32(val), prediction: i32(pred) };
}
