/**
 * Per-component min-max normalisation to [0, 1] with the training set's min and max (paper 2: "all
 * data are min-max normalised per output component"). Constant components map to 0.
 */
export interface MinMax {
  min: Float64Array;
  max: Float64Array;
}

/** Per-column min and max of an `n x dim` row-major array. */
export function fitMinMax(data: ArrayLike<number>, dim: number): MinMax {
  if (!Number.isInteger(dim) || dim < 1 || data.length % dim !== 0) throw new Error(`dim ${dim} does not divide the ${data.length} values`);
  const min = new Float64Array(dim).fill(Infinity);
  const max = new Float64Array(dim).fill(-Infinity);
  for (let i = 0; i < data.length; i++) {
    const c = i % dim;
    const v = data[i];
    if (v < min[c]) min[c] = v;
    if (v > max[c]) max[c] = v;
  }
  return { min, max };
}

export function normaliseMinMax(data: ArrayLike<number>, mm: MinMax): Float32Array {
  const dim = mm.min.length;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = i % dim;
    const span = mm.max[c] - mm.min[c];
    out[i] = span > 0 ? (data[i] - mm.min[c]) / span : 0;
  }
  return out;
}

export function denormaliseMinMax(data: ArrayLike<number>, mm: MinMax): Float64Array {
  const dim = mm.min.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = i % dim;
    out[i] = mm.min[c] + data[i] * (mm.max[c] - mm.min[c]);
  }
  return out;
}
