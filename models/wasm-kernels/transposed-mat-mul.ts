/**
 * Fast path for `BatchMatMul` / `_FusedMatMul` with `transposeA` / `transposeB` on wasm.
 *
 * tfjs-backend-wasm 4.22 multiplies transposed operands through a slow strided path: measured
 * here, `dy @ W^T` for [720,800]x[200,800]^T took 167 ms against 15 ms for the untransposed
 * product of the same size, and every dense layer's backward pass needs exactly these products
 * (dX = dY W^T, dW = X^T dY). The wrapper materialises the transposes with the wasm `Transpose`
 * kernel (a memory-bound copy) and calls the original kernel untransposed. Results are identical
 * up to float summation order. The original kernel's `setupFunc` is kept.
 *
 * It also works around a wasm `_FusedMatMul` bug: with a batch dimension > 1 and a bias, 4.22
 * adds the bias at wrong offsets (e.g. [2,5,7]x[2,7,3] + bias[3] is off by up to 0.8 here).
 * That case runs the product unfused and adds bias and activation with the wasm Add/activation
 * kernels. Plume's dense layers multiply 2-D (batch 1) and never hit it.
 */
import { tf } from '../tf.js';
import { release, runWasmKernel, type TensorInfo } from './run-wasm-kernel.js';

const WRAPPED = Symbol.for('plume.transposedMatMul');

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

function applyActivation(x: TensorInfo, attrs: tf.NamedAttrMap, prelu: TensorInfo | undefined, backend: unknown): TensorInfo {
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  let out: TensorInfo;
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      out = runWasmKernel('Relu', { x }, {}, backend);
      break;
    case 'relu6':
      out = runWasmKernel('Relu6', { x }, {}, backend);
      break;
    case 'elu':
      out = runWasmKernel('Elu', { x }, {}, backend);
      break;
    case 'sigmoid':
      out = runWasmKernel('Sigmoid', { x }, {}, backend);
      break;
    case 'leakyrelu':
      out = runWasmKernel('LeakyRelu', { x }, { alpha: attrs.leakyreluAlpha ?? 0.2 }, backend);
      break;
    case 'prelu':
      if (!prelu) throw new Error(`_FusedMatMul (wasm, Plume): activation 'prelu' needs preluActivationWeights`);
      out = runWasmKernel('Prelu', { x, alpha: prelu }, {}, backend);
      break;
    default:
      throw new Error(`_FusedMatMul (wasm, Plume): unsupported activation '${activation}'`);
  }
  release(backend, x);
  return out;
}

function wrap(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo => {
    const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const call = (ins: tf.NamedTensorInfoMap, at: tf.NamedAttrMap | undefined) =>
      original.kernelFunc({ inputs: ins, backend: backend as tf.KernelBackend, attrs: at }) as TensorInfo;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const batched = a.shape.length > 2 && (a.shape.slice(0, -2).reduce((p, d) => p * d, 1) > 1 || b.shape.slice(0, -2).reduce((p, d) => p * d, 1) > 1);
    if (!transposeA && !transposeB && !(original.kernelName === '_FusedMatMul' && inputs.bias != null && batched)) return call(inputs, attrs);
    const temps: TensorInfo[] = [];
    let a2 = a;
    let b2 = b;
    if (transposeA) temps.push((a2 = runWasmKernel('Transpose', { x: a }, { perm: swapLastTwo(a.shape.length) }, backend)));
    if (transposeB) temps.push((b2 = runWasmKernel('Transpose', { x: b }, { perm: swapLastTwo(b.shape.length) }, backend)));
    const fusedBatch = original.kernelName === '_FusedMatMul' && inputs.bias != null && batched;
    if (!fusedBatch) {
      const out = call({ ...inputs, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
      release(backend, ...temps);
      return out;
    }
    const product = runWasmKernel('BatchMatMul', { a: a2, b: b2 }, { transposeA: false, transposeB: false }, backend);
    release(backend, ...temps);
    const biased = runWasmKernel('Add', { a: product, b: inputs.bias as TensorInfo }, {}, backend);
    release(backend, product);
    return applyActivation(biased, attrs ?? {}, inputs.preluActivationWeights, backend);
  };
  return { ...original, kernelFunc: kernelFunc, [WRAPPED]: true } as tf.KernelConfig;
}

/** Replaces the wasm BatchMatMul and _FusedMatMul kernels by the transposing wrappers (idempotent). */
export function registerTransposedMatMulWasm(): string[] {
  const done: string[] = [];
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(name, 'wasm');
    if (!original || (original as unknown as Record<symbol, unknown>)[WRAPPED]) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(wrap(original));
    done.push(name);
  }
  return done;
}
