/**
 * Registers the training kernels that `@tensorflow/tfjs-backend-wasm` 4.22 lacks. Audit (wasm vs
 * cpu kernel lists, and training every Plume model on wasm): only `Conv2DBackpropFilter` blocks
 * training here (Conv2D/Conv1D weight gradients in STAM and ECA). `UnsortedSegmentSum` (gather's
 * gradient) is registered too so `tf.gather` stays trainable. All other gradients Plume's models
 * use (Conv2DBackpropInput, LeakyRelu, Sigmoid, Tile, Mean, BatchMatMul, MaxPoolGrad, ...) exist.
 * Performance: wasm's BatchMatMul/_FusedMatMul are 10-20x slower with transposed operands, which
 * every dense layer's backward pass uses; they are wrapped to transpose explicitly first
 * (`transposed-mat-mul.ts`); wasm's Conv2DBackpropInput is a slow direct loop and is replaced by
 * a forward XNNPACK convolution for stride 1 (`conv2d-backprop-input.ts`). Idempotent.
 */
import { tf } from '../tf.js';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { registerConv2dBackpropInputWasm } from './conv2d-backprop-input.js';
import { registerTransposedMatMulWasm } from './transposed-mat-mul.js';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';

const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [conv2dBackpropFilterWasmConfig, unsortedSegmentSumWasmConfig];

export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  for (const k of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm')) continue;
    tf.registerKernel(k);
    added.push(k.kernelName);
  }
  added.push(...registerTransposedMatMulWasm(), ...registerConv2dBackpropInputWasm());
  return added;
}
