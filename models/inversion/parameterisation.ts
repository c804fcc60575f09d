/**
 * Parameterisations `m = G(u)` for inversion (paper 2, section 1): every optimiser and TNNA search
 * a normalised box `u in [0, 1]^dim`; `G` turns `u` into what the trained surrogate consumes, and
 * is written in TF.js ops so TNNA can back-propagate through it.
 *
 * - `boundedIdentity` (case 1): u -> the surrogate's input. The surrogate is normally trained on
 *   min-max normalised parameters, so `apply` is the identity; `physical` maps to physical units
 *   per component, linearly (`lo + u (hi - lo)`) or log-uniformly (`lo (hi/lo)^u`). With
 *   `surrogateInput: 'physical'` the surrogate gets the physical values instead.
 * - `kleParameterisation` (case 2): u -> KL coefficients `xi` -> `Y = mean + xi B` with the basis
 *   `B [M, ny*nx]` (rows scaled by sqrt eigenvalues, as `physics/fields/kle.ts` builds it) as one
 *   tf matmul -> optionally min-max normalised, as an `[ny, nx, 1]` image or a flat vector.
 *   `xi = Phi^{-1}(u)` by default ('probit', the map `physics/groundwater/case-dataset.ts` uses for
 *   its designs, so a uniform u is a draw from the prior), or `xi = a + u (b - a)` ('linear').
 *   Case 2's datasets store the perturbation `Y = ln k - ln 2e-13` as the field: use `mean: 0` for
 *   that, `mean: ln(2e-13)` for ln k.
 * - `decoderParameterisation` (case 3): u -> latent z (probit by default, as above, or linear in
 *   [a, b]) -> frozen generative decoder -> soft facies field `p in [0, 1]` (`[ny, nx, 1]`; case 3's
 *   parameters are exactly these facies indicators); `physical` is
 *   `ln k = ln kShale + p (ln kSand - ln kShale)`. The decoder's weights are never updated here
 *   (only `apply`d in inference mode).
 */
import { tf } from '../tf.js';
import { probitTensor } from './probit.js';

export interface Parameterisation {
  readonly kind: 'bounded-identity' | 'kle' | 'decoder';
  /** Length of the normalised unknown u in [0, 1]^dim. */
  readonly dim: number;
  /** Per-sample shape of `apply(u)` (the surrogate's input shape). */
  readonly outputShape: readonly number[];
  /** Differentiable `[B, dim] -> [B, ...outputShape]`: what the surrogate consumes. */
  apply(u: tf.Tensor2D): tf.Tensor;
  /** Differentiable `[B, dim] -> [B, P]`: physical parameters (case 1: k and C0; cases 2-3: ln k per cell). */
  physical(u: tf.Tensor2D): tf.Tensor2D;
  /** Host-side `physical` for one normalised vector. */
  toPhysical(u: ArrayLike<number>): Float64Array;
  /** Host-side `apply` for `n` stacked vectors (row-major `n x dim`); returns `n * prod(outputShape)` values. */
  toSurrogateInput(u: ArrayLike<number>, n?: number): Float32Array;
  /** Frees owned tensors (the basis); never disposes a decoder passed in. */
  dispose(): void;
}

function checkU(u: tf.Tensor, dim: number, who: string): void {
  if (u.rank !== 2 || u.shape[1] !== dim) throw new Error(`${who}: u must have shape [batch, ${dim}], got [${u.shape.join(', ')}]`);
}

function hostEval(p: Pick<Parameterisation, 'dim'>, f: (u: tf.Tensor2D) => tf.Tensor, u: ArrayLike<number>, n: number): Float32Array {
  if (u.length !== n * p.dim) throw new Error(`u has ${u.length} values, expected n * dim = ${n} * ${p.dim}`);
  const t = tf.tidy(() => f(tf.tensor2d(Float32Array.from(u), [n, p.dim])));
  const out = t.dataSync() as Float32Array;
  t.dispose();
  return out;
}

function withHostHelpers(p: Omit<Parameterisation, 'toPhysical' | 'toSurrogateInput'>): Parameterisation {
  return {
    ...p,
    toPhysical: (u) => Float64Array.from(hostEval(p, (t) => p.physical(t), u, 1)),
    toSurrogateInput: (u, n = 1) => hostEval(p, (t) => p.apply(t), u, n),
  };
}

function checkInterval(name: string, r: readonly [number, number]): void {
  if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[0] < r[1])) {
    throw new Error(`${name} must be [low, high] with finite low < high, got ${JSON.stringify(r)}`);
  }
}

/** u in [0, 1] -> N(0, 1) coordinates: probit, or linear over [a, b]. */
function unitToNormal(map: 'probit' | 'linear', bounds: readonly [number, number] | undefined, name: string): (u: tf.Tensor) => tf.Tensor {
  if (map === 'probit') return (u) => probitTensor(u);
  if (map !== 'linear') throw new Error(`${name.split(':')[0]}: map must be 'probit' or 'linear', got '${String(map)}'`);
  const [lo, hi] = bounds ?? [-3, 3];
  checkInterval(name, [lo, hi]);
  return (u) => u.mul(hi - lo).add(lo);
}

type BoundScale = 'linear' | 'log';

export interface BoundedIdentityOptions {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Per component or one for all (default 'linear'); 'log' needs 0 < lower < upper. */
  scale?: BoundScale | readonly BoundScale[];
  /** What the surrogate was trained on (default 'normalised'). */
  surrogateInput?: 'normalised' | 'physical';
}

export function boundedIdentity(options: BoundedIdentityOptions): Parameterisation {
  const d = options.lower.length;
  if (d === 0 || options.upper.length !== d)
    throw new Error(`boundedIdentity: lower and upper must be non-empty and of equal length, got ${d} and ${options.upper.length}`);
  const scales =
    typeof options.scale === 'string' || options.scale === undefined ? new Array<BoundScale>(d).fill(options.scale ?? 'linear') : [...options.scale];
  if (scales.length !== d) throw new Error(`boundedIdentity: scale must have ${d} entries (one per component), got ${scales.length}`);
  // physical = exp(a + u * b) for log components, a + u * b for linear ones.
  const a = new Float32Array(d);
  const b = new Float32Array(d);
  const isLog = new Float32Array(d);
  for (let i = 0; i < d; i++) {
    const lo = options.lower[i];
    const hi = options.upper[i];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi))
      throw new Error(`boundedIdentity: bounds[${i}] must satisfy lower < upper, got [${lo}, ${hi}]`);
    if (scales[i] === 'log') {
      if (!(lo > 0)) throw new Error(`boundedIdentity: component ${i} has scale 'log' but lower bound ${lo} <= 0: use 'linear' or a positive bound`);
      a[i] = Math.log(lo);
      b[i] = Math.log(hi) - Math.log(lo);
      isLog[i] = 1;
    } else if (scales[i] === 'linear') {
      a[i] = lo;
      b[i] = hi - lo;
    } else throw new Error(`boundedIdentity: scale[${i}] must be 'linear' or 'log', got '${String(scales[i])}'`);
  }
  const aT = tf.keep(tf.tensor1d(a));
  const bT = tf.keep(tf.tensor1d(b));
  const logMask = tf.keep(tf.tensor1d(isLog));
  const physical = (u: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      checkU(u, d, 'boundedIdentity');
      const lin = u.mul(bT).add(aT);
      return tf.where(logMask.cast('bool').expandDims(0).tile([u.shape[0], 1]), lin.exp(), lin) as tf.Tensor2D;
    });
  const toSurrogate = options.surrogateInput ?? 'normalised';
  return withHostHelpers({
    kind: 'bounded-identity',
    dim: d,
    outputShape: [d],
    apply: (u) => {
      checkU(u, d, 'boundedIdentity');
      return toSurrogate === 'physical' ? physical(u) : u.clone();
    },
    physical,
    dispose: () => tf.dispose([aT, bT, logMask]),
  });
}

/** Case 1 bounds (paper 2): k1..k8 in [1e-12, 9.9e-12] m^2, C0 in [1e-3, 1] mol/L, both linear. */
export const CASE1_BOUNDS = {
  lower: [...new Array<number>(8).fill(1e-12), 1e-3],
  upper: [...new Array<number>(8).fill(9.9e-12), 1],
} as const;

export interface KleParameterisationOptions {
  /** `[M, ny*nx]` row-major, rows `sqrt(lambda_k) phi_k` (`KleBasis.basis`). */
  basis: ArrayLike<number>;
  terms: number;
  ny: number;
  nx: number;
  /** Mean of ln k (case 2: ln(2e-13)). */
  mean: number;
  /** u -> xi: 'probit' (default, xi = Phi^{-1}(u)) or 'linear' (xi = a + u (b - a) over `coefficientBounds`). */
  coefficientMap?: 'probit' | 'linear';
  /** Range for the 'linear' map (default [-3, 3]). */
  coefficientBounds?: readonly [number, number];
  /** Min-max normalise ln k before the surrogate: `(ln k - min) / (max - min)`. */
  normalise?: { min: number; max: number };
  /** Surrogate input layout (default 'image' = `[ny, nx, 1]`). */
  layout?: 'image' | 'vector';
}

export function kleParameterisation(o: KleParameterisationOptions): Parameterisation {
  const N = o.ny * o.nx;
  if (!Number.isInteger(o.terms) || o.terms < 1) throw new Error(`kleParameterisation: terms must be a positive integer, got ${o.terms}`);
  if (o.basis.length !== o.terms * N) throw new Error(`kleParameterisation: basis has ${o.basis.length} values, expected terms * ny * nx = ${o.terms} * ${N}`);
  const toXi = unitToNormal(o.coefficientMap ?? 'probit', o.coefficientBounds, 'kleParameterisation: coefficientBounds');
  if (o.normalise) checkInterval('kleParameterisation: normalise [min, max]', [o.normalise.min, o.normalise.max]);
  const B = tf.keep(tf.tensor2d(Float32Array.from(o.basis), [o.terms, N]));
  const layout = o.layout ?? 'image';
  const physical = (u: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      checkU(u, o.terms, 'kleParameterisation');
      return tf.matMul(toXi(u), B).add<tf.Tensor2D>(o.mean);
    });
  return withHostHelpers({
    kind: 'kle',
    dim: o.terms,
    outputShape: layout === 'image' ? [o.ny, o.nx, 1] : [N],
    apply: (u) =>
      tf.tidy(() => {
        let f: tf.Tensor = physical(u);
        if (o.normalise) f = f.sub(o.normalise.min).div(o.normalise.max - o.normalise.min);
        return layout === 'image' ? f.reshape([u.shape[0], o.ny, o.nx, 1]) : f;
      }),
    physical,
    dispose: () => B.dispose(),
  });
}

export interface DecoderParameterisationOptions {
  /** Frozen decoder: `[B, latentDim] -> [B, ny, nx, 1]` in [0, 1]. */
  decoder: tf.LayersModel;
  /** u -> z: 'probit' (default, z = Phi^{-1}(u), uniform u = prior draw) or 'linear' over `latentBounds`. */
  latentMap?: 'probit' | 'linear';
  /** Range for the 'linear' map (default [-3, 3]). */
  latentBounds?: readonly [number, number];
  /** Facies permeabilities for `physical` (default 1e-13 shale, 5.46e-12 sand, m^2). */
  kBackground?: number;
  kChannel?: number;
}

export function decoderParameterisation(o: DecoderParameterisationOptions): Parameterisation {
  const inShape = o.decoder.inputs[0].shape;
  const outShape = o.decoder.outputs[0].shape;
  const dim = inShape[1];
  if (inShape.length !== 2 || typeof dim !== 'number')
    throw new Error(`decoderParameterisation: decoder input must be [batch, latentDim], got [${inShape.join(', ')}]`);
  if (outShape.length !== 4 || outShape[3] !== 1)
    throw new Error(`decoderParameterisation: decoder output must be [batch, ny, nx, 1], got [${outShape.join(', ')}]`);
  const ny = outShape[1] as number;
  const nx = outShape[2] as number;
  const toZ = unitToNormal(o.latentMap ?? 'probit', o.latentBounds, 'decoderParameterisation: latentBounds');
  const lnKb = Math.log(o.kBackground ?? 1e-13);
  const lnKc = Math.log(o.kChannel ?? 5.46e-12);
  const apply = (u: tf.Tensor2D): tf.Tensor =>
    tf.tidy(() => {
      checkU(u, dim, 'decoderParameterisation');
      return o.decoder.apply(toZ(u), { training: false }) as tf.Tensor;
    });
  return withHostHelpers({
    kind: 'decoder',
    dim,
    outputShape: [ny, nx, 1],
    apply,
    physical: (u) =>
      tf.tidy(() =>
        apply(u)
          .reshape([u.shape[0], ny * nx])
          .mul(lnKc - lnKb)
          .add<tf.Tensor2D>(lnKb),
      ),
    dispose: () => undefined,
  });
}
