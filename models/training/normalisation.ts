/**
 * Global min-max normalisation per physical variable, fitted on the coarse training inputs and
 * applied to inputs and targets alike (paper §4). Data are `[n, c, h, w]` with c = variables * t,
 * variable-major channels. A constant variable (max == min) maps to 0 with unit range.
 */
export interface MinMaxNormalisation {
  kind: 'minmax';
  variables: number;
  min: number[];
  max: number[];
}

export type Shape4 = [number, number, number, number];

function variableOfChannel(channel: number, channels: number, variables: number): number {
  return Math.floor(channel / (channels / variables));
}

export function fitMinMax(x: Float32Array, shape: Shape4, variables = 1): MinMaxNormalisation {
  const [n, c, h, w] = shape;
  if (c % variables !== 0) throw new Error(`normalisation: channels ${c} are not a multiple of variables ${variables}`);
  const min = new Array<number>(variables).fill(Infinity);
  const max = new Array<number>(variables).fill(-Infinity);
  const hw = h * w;
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < c; k++) {
      const v = variableOfChannel(k, c, variables);
      const base = (s * c + k) * hw;
      let lo = min[v];
      let hi = max[v];
      for (let i = 0; i < hw; i++) {
        const val = x[base + i];
        if (val < lo) lo = val;
        if (val > hi) hi = val;
      }
      min[v] = lo;
      max[v] = hi;
    }
  }
  for (let v = 0; v < variables; v++) {
    if (!Number.isFinite(min[v]) || !Number.isFinite(max[v])) throw new Error(`normalisation: variable ${v} has no finite values in the training inputs`);
  }
  return { kind: 'minmax', variables, min, max };
}

function scaleOf(norm: MinMaxNormalisation, v: number): number {
  const r = norm.max[v] - norm.min[v];
  return r > 0 ? r : 1;
}

/**
 * Normalises (or with `invert`, de-normalises) `count` samples of `src` starting at sample
 * `from` into `dst` (starting at its beginning). Per-sample shape `[c, h, w]`.
 */
export function transformSamples(
  src: Float32Array,
  sampleShape: [number, number, number],
  from: number,
  count: number,
  norm: MinMaxNormalisation,
  dst: Float32Array,
  invert = false,
  indices?: ArrayLike<number>,
): Float32Array {
  const [c, h, w] = sampleShape;
  const hw = h * w;
  const per = c * hw;
  for (let j = 0; j < count; j++) {
    const s = indices ? indices[from + j] : from + j;
    for (let k = 0; k < c; k++) {
      const v = variableOfChannel(k, c, norm.variables);
      const lo = norm.min[v];
      const sc = scaleOf(norm, v);
      const so = s * per + k * hw;
      const dO = j * per + k * hw;
      if (invert) for (let i = 0; i < hw; i++) dst[dO + i] = src[so + i] * sc + lo;
      else {
        const inv = 1 / sc;
        for (let i = 0; i < hw; i++) dst[dO + i] = (src[so + i] - lo) * inv;
      }
    }
  }
  return dst;
}

export function normalise(x: Float32Array, shape: Shape4, norm: MinMaxNormalisation): Float32Array {
  return transformSamples(x, [shape[1], shape[2], shape[3]], 0, shape[0], norm, new Float32Array(x.length));
}

export function denormalise(x: Float32Array, shape: Shape4, norm: MinMaxNormalisation): Float32Array {
  return transformSamples(x, [shape[1], shape[2], shape[3]], 0, shape[0], norm, new Float32Array(x.length), true);
}
