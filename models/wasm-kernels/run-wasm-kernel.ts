/**
 * Calls a kernel that the wasm backend already has, at the TensorInfo level, so that the training
 * kernels Plume registers for `wasm` compose from XNNPACK-backed kernels without going through the
 * engine (no taping, no tensor tracking). Intermediates are released with `release`.
 */
import { tf } from '../tf.js';

export type TensorInfo = tf.TensorInfo;
type WasmBackend = { disposeData(dataId: object, force?: boolean): boolean };

export function runWasmKernel(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>, backend: unknown): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm backend has no '${name}' kernel, needed to compose Plume's training kernels`);
  const out = kernel.kernelFunc({ inputs: inputs, attrs: attrs as tf.NamedAttrMap, backend: backend as tf.KernelBackend });
  if (Array.isArray(out)) throw new Error(`wasm kernel '${name}' returned several outputs; expected one`);
  return out;
}

/** Frees intermediates produced by `runWasmKernel` (reshape shares data and is ref-counted). */
export function release(backend: unknown, ...infos: TensorInfo[]): void {
  for (const t of infos) (backend as WasmBackend).disposeData(t.dataId);
}
