/**
 * `Conv2DBackpropFilter` for the wasm backend (the weight gradient of every Conv2D, Conv1D).
 *
 * dW[i, j, ci, co] = sum_{b, p, q} xpad[b, i + sh*p, j + sw*q, ci] * dy[b, p, q, co]
 *
 * which is itself a convolution: take the padded input with batch and channels swapped,
 * `xpad^T : [ci, Hp, Wp, b]`, and use `dy^T : [Ho, Wo, b, co]` as the filter of a stride-1
 * `valid` Conv2D dilated by the forward strides. The result `[ci, Hp - sh*(Ho-1), Wp - sw*(Wo-1), co]`
 * is at least `[ci, fh, fw, co]`; the surplus rows/columns (strides that do not tile the padded
 * input) are sliced off and the result is transposed to `[fh, fw, ci, co]`. Padding comes from
 * tfjs' own `computeConv2DInfo`, so 'same', 'valid' and explicit pads match the cpu backend.
 * Forward dilations > 1 never reach this kernel (tfjs' conv2d gradient rejects them).
 */
import { tf } from '../tf.js';
import { release, runWasmKernel, type TensorInfo } from './run-wasm-kernel.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilterWasm({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
  if (dataFormat === 'NCHW') throw new Error(`Conv2DBackpropFilter (wasm, Plume): dataFormat 'NCHW' is not supported; use NHWC (tfjs' default)`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { top, bottom, left, right } = info.padInfo;
  const [fh, fw, ci, co] = filterShape;
  const paddings = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const needsPad = top + bottom + left + right > 0;
  const xp = needsPad ? runWasmKernel('PadV2', { x }, { paddings, constantValue: 0 }, backend) : x;
  const xT = runWasmKernel('Transpose', { x: xp }, { perm: [3, 1, 2, 0] }, backend);
  if (needsPad) release(backend, xp);
  const dyT = runWasmKernel('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend);
  const conv = runWasmKernel(
    'Conv2D',
    { x: xT, filter: dyT },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined },
    backend,
  );
  release(backend, xT, dyT);
  let sliced = conv;
  if (conv.shape[1] !== fh || conv.shape[2] !== fw) {
    sliced = runWasmKernel('Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [ci, fh, fw, co] }, backend);
    release(backend, conv);
  }
  const out = runWasmKernel('Transpose', { x: sliced }, { perm: [1, 2, 0, 3] }, backend);
  release(backend, sliced);
  return out;
}

export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm,
};
