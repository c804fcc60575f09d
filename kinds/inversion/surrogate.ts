/**
 * Surrogates as the inversion campaign uses them (in worker threads): encoding a case's samples as
 * the surrogate's normalised input, MSVR as a TF.js-differentiable surrogate (so TNNA can train
 * through it), saving/loading either kind through the artifact store, and the parameterisation
 * `m = G(u)` that turns the optimisers' unit box into the surrogate's input.
 */
import type { ArtifactRef, ArtifactStore } from '../../artifacts/store.js';
import { gridSearchMSVR } from '../../inversion/msvr/msvr-grid-search.js';
import type { Parameterisation } from '../../models/inversion/parameterisation.js';
import { loadSurrogate, saveSurrogate } from '../../models/surrogates/layers-model-store.js';
import { inputShapeOf, inputSize, type SurrogateInputSpec } from '../../models/surrogates/surrogate-input.js';
import type { Surrogate } from '../../models/surrogates/surrogate.js';
import { tf } from '../../models/tf.js';
import { getCase } from '../../physics/groundwater/case-registry.js';
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';
import { inversionCase, type SurrogateInputKind } from './cases.js';
import { PROBIT_EPS } from './problem.js';

/** What the inversion needs from a surrogate (neural or MSVR). */
export type InversionSurrogate = Pick<Surrogate, 'input' | 'outputDim' | 'apply' | 'predict' | 'dispose'> & { arch: string };

export interface FieldNorm {
  min: number;
  max: number;
}

/** Per-sample input spec of a case's surrogate. */
export function surrogateInputSpec(caseName: CaseName, kind: SurrogateInputKind): SurrogateInputSpec {
  const c = getCase(caseName);
  if (kind === 'parameters') return c.paramCount;
  return [c.grid.ny, c.grid.nx, 1];
}

/**
 * Normalised surrogate inputs of `n` samples: parameters mapped to the unit cube by the case
 * (case 1 linear in the bounds, case 2 u = Phi(xi)); fields min-max normalised with `fieldNorm`
 * where the case normalises them (case 2's Y), else as stored (case 3's facies).
 */
export function encodeInputs(
  caseName: CaseName,
  kind: SurrogateInputKind,
  data: { params: Float64Array; fields: Float32Array | null; n: number; d: number },
  fieldNorm: FieldNorm | null,
): Float32Array {
  const ic = inversionCase(caseName);
  if (!ic.surrogateInputs.includes(kind)) throw new Error(ic.unsupportedInput);
  if (kind === 'parameters') {
    const { sampling } = getCase(caseName);
    const out = new Float32Array(data.n * data.d);
    for (let s = 0; s < data.n; s++) out.set(sampling.toUnit(data.params.subarray(s * data.d, (s + 1) * data.d), PROBIT_EPS), s * data.d);
    return out;
  }
  if (!data.fields) throw new Error(`${caseName}: the dataset stores no fields; regenerate it (cases 2-3 store fields) or use surrogate.input 'parameters'`);
  if (!ic.normalisesField) return Float32Array.from(data.fields);
  const { min, max } = fieldNorm ?? fitFieldNorm(data.fields);
  return Float32Array.from(data.fields, (v) => (v - min) / (max - min));
}

export function fitFieldNorm(fields: Float32Array): FieldNorm {
  let min = Infinity;
  let max = -Infinity;
  for (const v of fields) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) throw new Error('fitFieldNorm: the training fields are constant');
  return { min, max };
}

/** MSVR `f(x) = k(x, X_S) B_S` in TF.js ops (differentiable in x). */
function msvrSurrogate(gamma: number, supportX: Float32Array, beta: Float32Array, input: SurrogateInputSpec, outputDim: number): InversionSurrogate {
  const d = inputSize(input);
  const m = supportX.length / d;
  const S = tf.keep(tf.tensor2d(supportX, [m, d]));
  const B = tf.keep(tf.tensor2d(beta, [m, outputDim]));
  const s2 = tf.keep(tf.sum(tf.square(S), 1).reshape([1, m]));
  const apply = (x: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const X = x.reshape([x.shape[0], d]);
      const x2 = tf.sum(tf.square(X), 1, true);
      const d2 = tf.relu(x2.add(s2).sub(tf.matMul(X, S, false, true).mul(2)));
      return tf.matMul<tf.Tensor2D>(tf.exp(d2.mul(-gamma)), B);
    });
  return {
    arch: 'msvr',
    input,
    outputDim,
    apply,
    predict(x, n, batchSize = 256) {
      const out = new Float32Array(n * outputDim);
      for (let s = 0; s < n; s += batchSize) {
        const b = Math.min(batchSize, n - s);
        const y = tf.tidy(() => apply(tf.tensor2d(Float32Array.from(x.subarray(s * d, (s + b) * d)), [b, d])));
        out.set(y.dataSync(), s * outputDim);
        y.dispose();
      }
      return out;
    },
    dispose: () => tf.dispose([S, B, s2]),
  };
}

interface MsvrManifest {
  format: 'plume-msvr-v1';
  gamma: number;
  input: SurrogateInputSpec;
  outputDim: number;
  supportX: string;
  beta: string;
  hyperparams: { C: number; sigma: number; epsilon: number };
}

/** Fits MSVR over a grid (hold-out validation), returns the model and its artifacts. */
export async function fitAndSaveMsvr(
  store: ArtifactStore,
  x: Float32Array,
  y: Float32Array,
  n: number,
  input: SurrogateInputSpec,
  outputDim: number,
  grid: { C: number[]; sigmaScale: number[]; epsilon: number[] },
  seed: number,
  onFit?: (done: number, total: number) => void,
): Promise<{ surrogate: InversionSurrogate; refs: ArtifactRef[]; hyperparams: MsvrManifest['hyperparams']; supportVectors: number }> {
  const d = inputSize(input);
  const rms = Math.sqrt(d / 6);
  const X = { rows: n, cols: d, data: Float64Array.from(x) };
  const Y = { rows: n, cols: outputDim, data: Float64Array.from(y) };
  const res = gridSearchMSVR(X, Y, { C: grid.C, sigma: grid.sigmaScale.map((s) => s * rms), epsilon: grid.epsilon }, { seed, onFit });
  const model = res.model;
  const sx = await store.putTensor('surrogate-msvr.support', Float32Array.from(model.supportX.data), [model.supportX.rows, d]);
  const sb = await store.putTensor('surrogate-msvr.beta', Float32Array.from(model.supportBeta.data), [model.supportBeta.rows, outputDim]);
  const hyperparams = { C: res.best.C, sigma: res.best.sigma, epsilon: res.best.epsilon };
  const manifest: MsvrManifest = { format: 'plume-msvr-v1', gamma: model.gamma, input, outputDim, supportX: sx.id, beta: sb.id, hyperparams };
  const ref = await store.putJson('surrogate-msvr', manifest);
  const surrogate = msvrSurrogate(model.gamma, Float32Array.from(model.supportX.data), Float32Array.from(model.supportBeta.data), input, outputDim);
  return { surrogate, refs: [ref, sx, sb], hyperparams, supportVectors: model.supportX.rows };
}

export async function saveInversionSurrogate(store: ArtifactStore, s: Surrogate): Promise<ArtifactRef> {
  return saveSurrogate(store, s);
}

/** Loads a saved neural surrogate or MSVR (by its manifest artifact id). */
export async function loadInversionSurrogate(store: ArtifactStore, id: string): Promise<InversionSurrogate> {
  const manifest = await store.getJson<{ format: string }>(id);
  if (manifest.format === 'plume-msvr-v1') {
    const m = manifest as MsvrManifest;
    const sx = (await store.getTensor(m.supportX)).data as Float32Array;
    const b = (await store.getTensor(m.beta)).data as Float32Array;
    return msvrSurrogate(m.gamma, sx, b, m.input, m.outputDim);
  }
  return loadSurrogate(store, id);
}

/** Identity parameterisation of a vector-input surrogate (u is already its input). */
export function identityParameterisation(dim: number): Parameterisation {
  return {
    kind: 'bounded-identity',
    dim,
    outputShape: [dim],
    apply: (u) => u.clone(),
    physical: (u) => u.clone(),
    toPhysical: (u) => Float64Array.from(u),
    toSurrogateInput: (u) => Float32Array.from(u),
    dispose: () => undefined,
  };
}

/** Shape check between a parameterisation and a surrogate. */
export function checkParameterisation(p: Parameterisation, s: InversionSurrogate): void {
  const want = inputShapeOf(s.input).join(',');
  if (p.outputShape.join(',') !== want) throw new Error(`parameterisation produces [${p.outputShape.join(', ')}] but the surrogate reads [${want}]`);
}
