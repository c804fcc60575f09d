/**
 * The contract every upscaling model implements. Models are plain functions of named tf.Variables
 * (no tf.layers), so the same code runs on every backend, initialisation is drawn from Plume's
 * seeded `Rng` (identical weights on every backend for a seed), and save/load is a list of arrays.
 *
 * Tensor layout: `[b, c, h, w]` with `c = variables * t` (variable-major: channel `v*t + k` is
 * variable v at output time k). One variable per model by default (`variables: 1`, c = t).
 */
import type { Rng } from '../../numerics/rng.js';
import { tf } from '../tf.js';
import type { ResolvedModelOptions } from './model-options.js';

export type UpscalingArch = 'interpolation' | 'simple_mlp' | 'optimal_mlp' | 'mlp_eca' | 'stamnet_upscale' | 'stamnet_upsample';
export const UPSCALING_ARCHS: readonly UpscalingArch[] = ['interpolation', 'simple_mlp', 'optimal_mlp', 'mlp_eca', 'stamnet_upscale', 'stamnet_upsample'];

/** Per-variable input size: t output times on an h x w grid. */
export interface ModelShape {
  t: number;
  h: number;
  w: number;
}

export interface NamedVariable {
  /** Stable, model-local name (e.g. 'fc1.weight'); used as the key when saving. */
  name: string;
  variable: tf.Variable;
}

export interface ApplyContext {
  /** Dropout active (training) or not (inference). Default false. */
  training?: boolean;
  /** Source of dropout seeds while training; required when training with dropout > 0. */
  rng?: Rng;
}

export interface UpscalingModel {
  readonly arch: UpscalingArch;
  readonly shape: ModelShape;
  readonly options: ResolvedModelOptions;
  /** Per-sample input `[c, h, w]`, c = variables * t. */
  readonly inputShape: [number, number, number];
  /** Per-sample output `[c, H, W]`. */
  readonly outputShape: [number, number, number];
  readonly parameters: readonly NamedVariable[];
  readonly paramsCount: number;
  /** Forward pass on a normalised batch `[b, c, h, w]` -> `[b, c, H, W]`. Call inside tf.tidy. */
  apply(x: tf.Tensor4D, ctx?: ApplyContext): tf.Tensor4D;
  /** Frees the model's variables. */
  dispose(): void;
}

export type Forward = (x: tf.Tensor4D, ctx: ApplyContext) => tf.Tensor4D;

/** Shared implementation of `UpscalingModel` around a forward function and its parameters. */
export class FunctionalModel implements UpscalingModel {
  readonly paramsCount: number;
  constructor(
    readonly arch: UpscalingArch,
    readonly shape: ModelShape,
    readonly options: ResolvedModelOptions,
    readonly inputShape: [number, number, number],
    readonly outputShape: [number, number, number],
    readonly parameters: readonly NamedVariable[],
    private readonly forward: Forward,
  ) {
    this.paramsCount = parameters.reduce((s, p) => s + p.variable.size, 0);
  }

  apply(x: tf.Tensor4D, ctx: ApplyContext = {}): tf.Tensor4D {
    const [c, h, w] = this.inputShape;
    if (x.rank !== 4 || x.shape[1] !== c || x.shape[2] !== h || x.shape[3] !== w) {
      throw new Error(`${this.arch}: input must be [b, ${c}, ${h}, ${w}] (variables*t, h, w), got [${x.shape.join(',')}]`);
    }
    if (ctx.training && this.options.dropout > 0 && !ctx.rng) {
      throw new Error(`${this.arch}: training with dropout needs ctx.rng (a seeded Rng) for reproducible masks`);
    }
    return this.forward(x, ctx);
  }

  dispose(): void {
    for (const p of this.parameters) p.variable.dispose();
  }
}
