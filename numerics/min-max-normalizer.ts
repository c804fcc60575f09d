/**
 * Per-component min-max normalisation fitted on a training set (the inversion study normalises
 * every input and output component to [0, 1] with the training set's min and max).
 *
 * A component that is constant on the training set (e.g. a concentration that is 0 in every
 * training run) has range 0: it normalises to 0 and denormalises to its constant. Test-set values
 * outside the training range map outside [0, 1] (no clipping).
 */
export interface MinMaxBounds {
  min: Float64Array;
  max: Float64Array;
}

export function fitMinMax(rows: ArrayLike<number>[]): MinMaxBounds {
  if (rows.length === 0) throw new Error('fitMinMax: rows must hold at least one training row');
  const d = rows[0].length;
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`fitMinMax: row ${i} has ${r.length} values, row 0 has ${d}`);
    for (let k = 0; k < d; k++) {
      const v = r[k];
      if (!Number.isFinite(v)) throw new Error(`fitMinMax: row ${i}, component ${k} is not finite (${v})`);
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  });
  return { min, max };
}

export function normalize(y: ArrayLike<number>, b: { min: ArrayLike<number>; max: ArrayLike<number> }): Float64Array {
  if (y.length !== b.min.length) throw new Error(`normalize: vector has ${y.length} values, bounds have ${b.min.length}`);
  const out = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) {
    const r = b.max[k] - b.min[k];
    out[k] = r > 0 ? (y[k] - b.min[k]) / r : 0;
  }
  return out;
}

export function denormalize(z: ArrayLike<number>, b: MinMaxBounds): Float64Array {
  if (z.length !== b.min.length) throw new Error(`denormalize: vector has ${z.length} values, bounds have ${b.min.length}`);
  const out = new Float64Array(z.length);
  for (let k = 0; k < z.length; k++) out[k] = b.min[k] + z[k] * (b.max[k] - b.min[k]);
  return out;
}

/** JSON-friendly form for storing bounds next to a dataset. */
export function boundsToJSON(b: MinMaxBounds): { min: number[]; max: number[] } {
  return { min: Array.from(b.min), max: Array.from(b.max) };
}

export function boundsFromJSON(j: { min: number[]; max: number[] }): MinMaxBounds {
  if (!j || !Array.isArray(j.min) || !Array.isArray(j.max) || j.min.length !== j.max.length) {
    throw new Error('boundsFromJSON: expected { min: number[], max: number[] } of equal length');
  }
  return { min: Float64Array.from(j.min), max: Float64Array.from(j.max) };
}
