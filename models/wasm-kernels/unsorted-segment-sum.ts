/**
 * `UnsortedSegmentSum` for the wasm backend (the gradient of `gather`, used e.g. by embeddings).
 * Composed as a one-hot matrix product:
 *
 *   out[s, ...] = sum_n [ids[n] == s] * x[n, ...]  =  OneHot(ids, S)^T @ reshape(x, [n, rest])
 *
 * Ids outside [0, S) contribute nothing (their one-hot row is zero), as in TensorFlow.
 * Plume's own models build repeat-interleave from reshape + tile and do not need it.
 */
import { tf } from '../tf.js';
import { release, runWasmKernel, type TensorInfo } from './run-wasm-kernel.js';

function unsortedSegmentSumWasm({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const n = x.shape[0] ?? 1;
  const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== n) {
    throw new Error(`UnsortedSegmentSum (wasm, Plume): segmentIds must be 1-D of length x.shape[0]=${n}, got shape [${segmentIds.shape.join(',')}]`);
  }
  const xf = x.dtype === 'float32' ? x : runWasmKernel('Cast', { x }, { dtype: 'float32' }, backend);
  const ids = segmentIds.dtype === 'int32' ? segmentIds : runWasmKernel('Cast', { x: segmentIds }, { dtype: 'int32' }, backend);
  // wasm's OneHot writes int32 whatever the dtype attr says: make int32, then cast.
  const hotI = runWasmKernel('OneHot', { indices: ids }, { depth: numSegments, onValue: 1, offValue: 0, dtype: 'int32' }, backend);
  const hot = runWasmKernel('Cast', { x: hotI }, { dtype: 'float32' }, backend);
  release(backend, hotI);
  const hot3 = runWasmKernel('Reshape', { x: hot }, { shape: [1, n, numSegments] }, backend);
  const x3 = runWasmKernel('Reshape', { x: xf }, { shape: [1, n, rest] }, backend);
  const prod = runWasmKernel('BatchMatMul', { a: hot3, b: x3 }, { transposeA: true, transposeB: false }, backend);
  release(backend, hot3, x3, hot);
  if (xf !== x) release(backend, xf);
  if (ids !== segmentIds) release(backend, ids);
  const shaped = runWasmKernel('Reshape', { x: prod }, { shape: [numSegments, ...x.shape.slice(1)] }, backend);
  release(backend, prod);
  if (x.dtype === 'float32') return shaped;
  const cast = runWasmKernel('Cast', { x: shaped }, { dtype: x.dtype }, backend);
  release(backend, shaped);
  return cast;
}

export const unsortedSegmentSumWasmConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm,
};
