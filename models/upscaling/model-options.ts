/**
 * Options of the upscaling models, their paper defaults, and validation. `resolveModelOptions`
 * fills every default so the resolved object fully describes the architecture (it is what
 * persistence stores).
 */
import type { ModelShape, UpscalingArch } from './model.js';

export type StamBranch = 'M1' | 'M2' | 'M3' | 'M4';

export interface StamOptions {
  /** Branches used (paper: all four; the authors' older code: M1, M2, M3). */
  branches?: StamBranch[];
  /** Hidden channels of each branch's 5x5 conv. Defaults follow the older code's ratios
   *  (time 114->20, width 2000->100, height 100->10): M1/M4 round(c*20/114), M2 round(W/20), M3 round(H/10). */
  hiddenChannels?: Partial<Record<StamBranch, number>>;
  kernelSize?: number;
  /** Conv activations: paper LeakyReLU, older code SiLU. */
  activation?: 'leaky_relu' | 'silu';
  leakySlope?: number;
  /** Paper: each branch gives x*map + x and the block gives x*sigmoid(avg) + x. false: no '+ x'. */
  residual?: boolean;
  /** Dropout inside branch M2 (paper). */
  branchDropout?: number;
}

export interface ModelOptions {
  /** Refinement factor along W (upscaling 10; upsampling 2). */
  scale?: number;
  /** Refinement factor along H (upscaling 1; stamnet_upsample defaults to `scale`). */
  scaleH?: number;
  /** Physical variables stacked along the channel axis (default 1: one model per variable). */
  variables?: number;
  /** MLP hidden widths as multiples of the input width W. Optimal MLP family: [10, 40, 10]
   *  (W->10W->40W->10W->scale*W); shrink for CPU runs, e.g. [2, 4, 2].
   *  stamnet_upsample: [along W, along H] multiples of the upsampled W and H, default [2, 2]. */
  hiddenMultipliers?: number[];
  /** Optimal-MLP family: first layer dense (paper) or a parameter-free repeat-interleave (ablation). */
  firstLayer?: 'dense' | 'repeat';
  /** Dropout after the first layer (after the attention in attention models). */
  dropout?: number;
  /** ECA: 1-D conv kernel across the time axis. */
  ecaKernelSize?: number;
  stam?: StamOptions | null;
  /** 'interpolation': the network predicts a correction added to the interpolation of its input
   *  (a skip connection; the output starts near the baseline). 'none' (default): the paper's form. */
  skip?: UpscalingSkip;
  /** Initialisation seed. */
  seed?: number;
}

type UpscalingSkip = 'none' | 'interpolation';

export interface ResolvedStamOptions {
  branches: StamBranch[];
  hiddenChannels: Record<StamBranch, number>;
  kernelSize: number;
  activation: 'leaky_relu' | 'silu';
  leakySlope: number;
  residual: boolean;
  branchDropout: number;
}

export interface ResolvedModelOptions {
  scale: number;
  scaleH: number;
  variables: number;
  hiddenMultipliers: number[];
  firstLayer: 'dense' | 'repeat';
  dropout: number;
  ecaKernelSize: number;
  stam: ResolvedStamOptions | null;
  skip: UpscalingSkip;
  seed: number;
}

function positiveInt(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`model option '${field}' must be a positive integer, got ${v}`);
  return v;
}

function rate(field: string, v: number): number {
  if (!(v >= 0 && v < 1)) throw new Error(`model option '${field}' must be in [0, 1), got ${v}`);
  return v;
}

function validateShape(shape: ModelShape): void {
  for (const k of ['t', 'h', 'w'] as const) {
    if (!Number.isInteger(shape?.[k]) || shape[k] < 1) throw new Error(`model shape.${k} must be a positive integer, got ${shape?.[k]}`);
  }
}

/** Resolves STAM defaults for a STAM input of `c` channels on an `h x w` grid. */
export function resolveStamOptions(o: StamOptions | null | undefined, c: number, h: number, w: number): ResolvedStamOptions {
  const branches = o?.branches ?? ['M1', 'M2', 'M3', 'M4'];
  if (branches.length === 0 || branches.some((b) => !['M1', 'M2', 'M3', 'M4'].includes(b))) {
    throw new Error(`model option 'stam.branches' must be a non-empty subset of M1..M4, got ${JSON.stringify(branches)}`);
  }
  const def: Record<StamBranch, number> = {
    M1: Math.max(1, Math.round((c * 20) / 114)),
    M2: Math.max(1, Math.round(w / 20)),
    M3: Math.max(1, Math.round(h / 10)),
    M4: Math.max(1, Math.round((c * 20) / 114)),
  };
  const hiddenChannels = { ...def, ...(o?.hiddenChannels ?? {}) };
  for (const b of ['M1', 'M2', 'M3', 'M4'] as const) positiveInt(`stam.hiddenChannels.${b}`, hiddenChannels[b]);
  const kernelSize = positiveInt('stam.kernelSize', o?.kernelSize ?? 5);
  const activation = o?.activation ?? 'leaky_relu';
  if (activation !== 'leaky_relu' && activation !== 'silu') throw new Error(`model option 'stam.activation' must be 'leaky_relu' or 'silu', got ${activation}`);
  return {
    branches: [...branches],
    hiddenChannels,
    kernelSize,
    activation,
    leakySlope: o?.leakySlope ?? 0.01,
    residual: o?.residual ?? true,
    branchDropout: rate('stam.branchDropout', o?.branchDropout ?? 0.2),
  };
}

export function resolveModelOptions(arch: UpscalingArch, shape: ModelShape, o: ModelOptions = {}): ResolvedModelOptions {
  validateShape(shape);
  const upsample = arch === 'stamnet_upsample';
  const scale = positiveInt('scale', o.scale ?? (upsample ? 2 : 10));
  const scaleH = positiveInt('scaleH', o.scaleH ?? (upsample ? scale : 1));
  const variables = positiveInt('variables', o.variables ?? 1);
  const hiddenMultipliers = o.hiddenMultipliers ?? (upsample ? [2, 2] : [scale, 4 * scale, scale]);
  const needed = upsample ? 2 : 3;
  if (hiddenMultipliers.length !== needed || hiddenMultipliers.some((m) => !(m > 0))) {
    throw new Error(`model option 'hiddenMultipliers' for ${arch} must be ${needed} positive numbers, got ${JSON.stringify(hiddenMultipliers)}`);
  }
  const firstLayer = o.firstLayer ?? 'dense';
  if (firstLayer !== 'dense' && firstLayer !== 'repeat') throw new Error(`model option 'firstLayer' must be 'dense' or 'repeat', got ${firstLayer}`);
  if (firstLayer === 'repeat' && !Number.isInteger(hiddenMultipliers[0])) {
    throw new Error(`model option 'firstLayer'='repeat' needs an integer hiddenMultipliers[0], got ${hiddenMultipliers[0]}`);
  }
  const skip = o.skip ?? 'none';
  if (skip !== 'none' && skip !== 'interpolation') throw new Error(`model option 'skip' must be 'none' or 'interpolation', got ${String(skip)}`);
  if (skip === 'interpolation' && arch === 'interpolation')
    throw new Error(`model option 'skip'='interpolation' needs a learned architecture; interpolation is the baseline itself`);
  const c = variables * shape.t;
  let stam: ResolvedStamOptions | null = null;
  if (arch === 'stamnet_upscale') stam = resolveStamOptions(o.stam, c, shape.h, Math.max(1, Math.round(shape.w * hiddenMultipliers[0])));
  if (upsample) stam = resolveStamOptions(o.stam, c, shape.h * scaleH, Math.max(1, Math.round(shape.w * scale * hiddenMultipliers[0])));
  return {
    scale,
    scaleH,
    variables,
    hiddenMultipliers: [...hiddenMultipliers],
    firstLayer,
    dropout: rate('dropout', o.dropout ?? 0.2),
    ecaKernelSize: positiveInt('ecaKernelSize', o.ecaKernelSize ?? 3),
    stam,
    skip,
    seed: o.seed ?? 0,
  };
}

/** Hidden width for a multiple of a base width (at least 1). */
export function widthOf(base: number, multiplier: number): number {
  return Math.max(1, Math.round(base * multiplier));
}
