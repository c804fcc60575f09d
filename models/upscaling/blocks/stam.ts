/**
 * STAM, the spatiotemporal attention module (paper Fig. 6), on `[b, c, h, w]` (c = time).
 *
 * Each branch moves one axis into the conv's channel axis, applies Conv2D kxk ('same') ->
 * act -> Conv2D 1x1 (-> 1 channel) -> act, collapsing that axis, then a Linear along a second axis
 * maps it onto the collapsed axis, and a sigmoid gives the attention map:
 *
 *   M1  channels = time,   conv over (h, w), Linear over W: w -> c   map [b, c, h, 1]
 *   M2  channels = width,  conv over (c, h), Linear over T: c -> w   map [b, 1, h, w]  (dropout)
 *   M3  channels = height, conv over (c, w), Linear over W: w -> h   map [b, c, h, 1]
 *   M4  channels = time,   conv over (h, w), Linear over H: h -> c   map [b, c, 1, w]
 *
 * Branch output `x * map + x` (residual form; `x * map` without), the branch outputs are averaged,
 * passed through a sigmoid, and the block returns `x * sigmoid(avg) + x` (or `x * sigmoid(avg)`).
 */
import { tf } from '../../tf.js';
import type { ApplyContext } from '../model.js';
import type { ResolvedStamOptions, StamBranch } from '../model-options.js';
import type { Conv2dParams, DenseParams, ParameterSet } from '../parameter-set.js';
import { activate } from './activations.js';
import { denseLastAxis } from './dense.js';
import { dropout } from './dropout.js';

interface BranchParams {
  branch: StamBranch;
  conv1: Conv2dParams;
  conv2: Conv2dParams;
  linear: DenseParams;
}

export interface StamParams {
  options: ResolvedStamOptions;
  branches: BranchParams[];
}

/** Creates STAM parameters for an input `[b, c, h, w]`. */
export function createStam(params: ParameterSet, name: string, c: number, h: number, w: number, o: ResolvedStamOptions): StamParams {
  const k = o.kernelSize;
  const branches = o.branches.map((branch): BranchParams => {
    const [channels, linIn, linOut] = {
      M1: [c, w, c],
      M2: [w, c, w],
      M3: [h, w, h],
      M4: [c, h, c],
    }[branch];
    const hidden = o.hiddenChannels[branch];
    return {
      branch,
      conv1: params.conv2d(`${name}.${branch}.conv1`, k, k, channels, hidden),
      conv2: params.conv2d(`${name}.${branch}.conv2`, 1, 1, hidden, 1),
      linear: params.dense(`${name}.${branch}.linear`, linIn, linOut),
    };
  });
  return { options: o, branches };
}

function conv(x: tf.Tensor4D, p: Conv2dParams): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: p.w as tf.Tensor4D, strides: 1, pad: 'same', bias: p.b ?? undefined });
}

function branchMap(x: tf.Tensor4D, p: BranchParams, o: ResolvedStamOptions, ctx: ApplyContext): tf.Tensor4D {
  const [b, c, h, w] = x.shape;
  // Put the branch's channel axis last (NHWC).
  const nhwc = p.branch === 'M1' || p.branch === 'M4' ? x.transpose([0, 2, 3, 1]) : p.branch === 'M2' ? x : x.transpose([0, 1, 3, 2]);
  let z = activate(conv(nhwc as tf.Tensor4D, p.conv1), o.activation, o.leakySlope);
  if (p.branch === 'M2') z = dropout(z, o.branchDropout, ctx);
  z = activate(conv(z, p.conv2), o.activation, o.leakySlope); // [b, A, B, 1]
  let map: tf.Tensor;
  switch (p.branch) {
    case 'M1': // z [b, h, w, 1] -> linear over w -> [b, h, c] -> [b, c, h, 1]
      map = denseLastAxis(z.reshape([b, h, w]), p.linear)
        .transpose([0, 2, 1])
        .reshape([b, c, h, 1]);
      break;
    case 'M2': // z [b, c, h, 1] -> [b, h, c] -> linear over c -> [b, h, w] -> [b, 1, h, w]
      map = denseLastAxis(z.reshape([b, c, h]).transpose([0, 2, 1]), p.linear).reshape([b, 1, h, w]);
      break;
    case 'M3': // z [b, c, w, 1] -> linear over w -> [b, c, h] -> [b, c, h, 1]
      map = denseLastAxis(z.reshape([b, c, w]), p.linear).reshape([b, c, h, 1]);
      break;
    case 'M4': // z [b, h, w, 1] -> [b, w, h] -> linear over h -> [b, w, c] -> [b, c, 1, w]
      map = denseLastAxis(z.reshape([b, h, w]).transpose([0, 2, 1]), p.linear)
        .transpose([0, 2, 1])
        .reshape([b, c, 1, w]);
      break;
  }
  return tf.sigmoid(map) as tf.Tensor4D;
}

export function applyStam(x: tf.Tensor4D, p: StamParams, ctx: ApplyContext): tf.Tensor4D {
  const o = p.options;
  const outs = p.branches.map((bp) => {
    const gated = tf.mul(x, branchMap(x, bp, o, ctx));
    return o.residual ? tf.add(gated, x) : gated;
  });
  const avg = outs.length === 1 ? outs[0] : tf.div(tf.addN(outs), outs.length);
  const gated = tf.mul(x, tf.sigmoid(avg));
  return (o.residual ? tf.add(gated, x) : gated) as tf.Tensor4D;
}
