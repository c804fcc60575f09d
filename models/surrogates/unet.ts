/**
 * U-Net surrogate (not in paper 2; Plume's addition for field inputs): a convolutional
 * encoder-decoder that reads the field image and predicts one map per output channel (case 2: the
 * head and the concentration at each observation time) on a grid half the input's resolution,
 * then samples every map at the observation points by bilinear interpolation. The sampling is a
 * fixed, non-trainable dense layer; the optional per-output affine is a registered custom layer
 * (./per-output-affine.ts), so the model saves and loads through the same store as the others.
 *
 * Why: a network whose output is a map is translation-equivariant, so each training field teaches
 * it the response at every observation point, not one output vector; the paper's ResNet ends in a
 * dense layer on pooled features and has to learn each point's response separately.
 *
 * Layout (input H x W, both divisible by 16; f = baseFilters):
 *   encoder  conv3x3/2 (f) + residual unit        H/2
 *            residual down-sampling unit (2f)     H/4
 *            residual down-sampling unit (4f)     H/8
 *            residual down-sampling unit (4f) + residual unit   H/16 (the receptive field spans the input)
 *   decoder  up x2, concatenate the H/8 features, conv3x3 (4f); the same to H/4 (2f) and H/2 (f, two convs)
 *   maps     conv1x1 to `mapChannels`, linear (`maps: 'normalised'` or `'physical'`), or to 1 + 3K
 *            curve-parameter maps (`maps: 'breakthrough'`, see below). A sigmoid here saturated for good on case 2: the
 *            early concentration maps are 0 at most wells, L1 pulls their one shared bias down
 *            until the sigmoid's gradient vanishes, and days 2-14 stayed at 0 for every field
 *            (measured: test RMSE 0.12-0.46 on those days, worse than their mean, against 0.08 on
 *            the later days). Outputs are therefore not clipped to [0, 1].
 *   sampling permute to [channels, cells], dense cells -> points with bilinear weights, flatten
 *   curves   `maps: 'breakthrough'` only: the head passes through, and K logistic components in
 *            log-time per point give the concentration at every observation time, a monotone
 *            breakthrough curve (./breakthrough-curves.ts)
 *   affine   a trainable scale and shift per output (optional, default on)
 *
 * Units of the maps. `'normalised'` (default): the maps are in the units of the targets, min-max
 * normalised per output, so per well; the affine starts as the identity. `'physical'` and
 * `'breakthrough'`: the maps are heads and concentrations in the simulator's units, one smooth field
 * each, and the affine starts as the per-output normalisation: whoever builds the model sets it from
 * the training bounds with `initialiseOutputNormalisation` before training.
 * The output vector is channel-major: `[channel 0 at every point, channel 1 at every point, ...]`,
 * which for the groundwater cases is the observation vector (heads, then concentrations per time).
 */
import { tf } from '../tf.js';
import { LayerSeeds } from './layer-seeds.js';
import { BreakthroughCurves, breakthroughBiasInit } from './breakthrough-curves.js';
import { PerOutputAffine } from './per-output-affine.js';
import { conv, residualUnit } from './resnet.js';
import { inputShapeOf, isImageInput, type SurrogateInputSpec } from './surrogate-input.js';
import { wrapSurrogate, type Surrogate } from './surrogate.js';

export interface UnetOptions {
  /** Filters at half resolution (default 16); the coarser levels use 2x and 4x. */
  baseFilters?: number;
  /**
   * Where the outputs are observed: `[row, column]` in input-cell units (cell `i` spans [i, i + 1),
   * so a cell centre is `i + 0.5`). Required.
   */
  sampleAt?: [number, number][];
  /** Maps predicted (case 2: 1 head + 30 concentration times). Required; outputDim = mapChannels x points. */
  mapChannels?: number;
  /** Activation of the maps (default 'linear'; see the note on sigmoid above). */
  mapActivation?: 'linear' | 'sigmoid';
  /**
   * The first n maps take a sigmoid whatever `mapActivation` says (default 0). Case 2: 1 = the head
   * map, which learns well with all maps sigmoid and hardly when all are linear; measured, a sigmoid
   * on the head map alone beside linear concentration maps did not bring the heads back (R² 0.575).
   */
  leadingSigmoidMaps?: number;
  /**
   * A trainable scale and shift per output after the sampling (default true): outputs normalised per
   * component (per well) are not one smooth field, the maps are.
   */
  outputAffine?: boolean;
  /**
   * What the maps hold (default 'normalised'; see the note on units above). Measured on case 2 (2,000
   * runs, 100 epochs): 'breakthrough' test R² 0.963 (heads 0.962), 'normalised' 0.953 (heads 0.590).
   */
  maps?: UnetMaps;
  /** `maps: 'breakthrough'`: logistic components per curve (default 3). */
  breakthroughComponents?: number;
  /** `maps: 'breakthrough'`: the observation times, positive, one per concentration map (any unit). */
  breakthroughTimes?: number[];
  seed?: number;
}

const UNET_MAPS = ['normalised', 'physical', 'breakthrough'] as const;
type UnetMaps = (typeof UNET_MAPS)[number];

/**
 * Bilinear sampling matrix `[mapH * mapW, points]` (row-major map cells) for points given in
 * input-cell units on a map `stride` times coarser than the input; points beyond the outermost map
 * cell centres take the edge value.
 */
export function bilinearSamplingMatrix(sampleAt: readonly (readonly [number, number])[], mapH: number, mapW: number, stride: number): Float32Array {
  const w = new Float32Array(mapH * mapW * sampleAt.length);
  const axis = (u: number, size: number): [number, number, number] => {
    const v = Math.min(size - 1, Math.max(0, u / stride - 0.5));
    const i0 = Math.min(size - 2, Math.floor(v));
    return size === 1 ? [0, 0, 0] : [i0, i0 + 1, v - i0];
  };
  sampleAt.forEach(([row, col], p) => {
    const [r0, r1, fr] = axis(row, mapH);
    const [c0, c1, fc] = axis(col, mapW);
    const add = (r: number, c: number, weight: number) => {
      w[(r * mapW + c) * sampleAt.length + p] += weight;
    };
    add(r0, c0, (1 - fr) * (1 - fc));
    add(r0, c1, (1 - fr) * fc);
    add(r1, c0, fr * (1 - fc));
    add(r1, c1, fr * fc);
  });
  return w;
}

export function buildUnet(input: SurrogateInputSpec, outputDim: number, options: UnetOptions = {}): Surrogate {
  const baseFilters = options.baseFilters ?? 16;
  const seed = options.seed ?? 0;
  const { sampleAt, mapChannels } = options;
  const mapActivation = options.mapActivation ?? 'linear';
  const outputAffine = options.outputAffine ?? true;
  const leadingSigmoidMaps = options.leadingSigmoidMaps ?? 0;
  const maps = options.maps ?? 'normalised';
  const breakthroughComponents = options.breakthroughComponents ?? 3;
  const { breakthroughTimes } = options;
  if (!UNET_MAPS.includes(maps)) throw new Error(`unet maps must be one of ${UNET_MAPS.join(', ')}, got '${String(maps)}'`);
  if (maps !== 'normalised' && !outputAffine) throw new Error(`unet maps '${maps}' needs outputAffine: the affine holds the per-output normalisation`);
  if (mapActivation !== 'linear' && mapActivation !== 'sigmoid')
    throw new Error(`unet mapActivation must be 'linear' or 'sigmoid', got '${String(mapActivation)}'`);
  if (!Number.isInteger(leadingSigmoidMaps) || leadingSigmoidMaps < 0 || (mapChannels !== undefined && leadingSigmoidMaps > mapChannels))
    throw new Error(`unet leadingSigmoidMaps must be an integer in [0, mapChannels], got ${leadingSigmoidMaps}`);
  if (!isImageInput(input)) throw new Error('unet reads a field image [height, width, channels]: set the surrogate input to field');
  const [h, w] = inputShapeOf(input);
  if (h % 16 !== 0 || w % 16 !== 0) throw new Error(`unet needs an input height and width divisible by 16, got ${h} x ${w}`);
  if (!Number.isInteger(baseFilters) || baseFilters < 1) throw new Error(`unet baseFilters must be a positive integer, got ${baseFilters}`);
  if (!sampleAt || sampleAt.length === 0) throw new Error('unet needs sampleAt: the observation points as [row, column] in input cells');
  for (const [r, c] of sampleAt)
    if (!(r >= 0 && r <= h && c >= 0 && c <= w)) throw new Error(`unet sampleAt point [${r}, ${c}] lies outside the ${h} x ${w} input`);
  if (!mapChannels || !Number.isInteger(mapChannels) || mapChannels < 1) throw new Error(`unet mapChannels must be a positive integer, got ${mapChannels}`);
  if (outputDim !== mapChannels * sampleAt.length)
    throw new Error(`unet outputDim ${outputDim} must equal mapChannels x points = ${mapChannels} x ${sampleAt.length}`);
  if (maps === 'breakthrough') {
    if (mapActivation !== 'linear' || leadingSigmoidMaps !== 0)
      throw new Error("unet maps 'breakthrough' computes the concentrations itself: leave mapActivation 'linear' and leadingSigmoidMaps 0");
    if (!Number.isInteger(breakthroughComponents) || breakthroughComponents < 1)
      throw new Error(`unet breakthroughComponents must be a positive integer, got ${breakthroughComponents}`);
    if (!breakthroughTimes || breakthroughTimes.length !== mapChannels - 1)
      throw new Error(
        `unet maps 'breakthrough' needs breakthroughTimes, one per concentration map (${mapChannels - 1}), got ${breakthroughTimes?.length ?? 'none'}`,
      );
  }

  const seeds = new LayerSeeds(seed);
  const f = baseFilters;
  const inp = tf.input({ shape: [h, w, input[2]], name: 'params' });
  let e1 = conv(inp, f, 3, 2, 'relu', seeds, 'enc1_conv');
  e1 = residualUnit(e1, f, false, seeds, 'enc1_unit');
  const e2 = residualUnit(e1, 2 * f, true, seeds, 'enc2_down');
  const e3 = residualUnit(e2, 4 * f, true, seeds, 'enc3_down');
  let x = residualUnit(e3, 4 * f, true, seeds, 'bottom_down');
  x = residualUnit(x, 4 * f, false, seeds, 'bottom_unit');
  const up = (y: tf.SymbolicTensor, skip: tf.SymbolicTensor, filters: number, name: string): tf.SymbolicTensor => {
    const u = tf.layers.upSampling2d({ size: [2, 2], name: `${name}_up` }).apply(y) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: `${name}_cat` }).apply([u, skip]) as tf.SymbolicTensor;
    return conv(cat, filters, 3, 1, 'relu', seeds, `${name}_conv`);
  };
  x = up(x, e3, 4 * f, 'dec3');
  x = up(x, e2, 2 * f, 'dec2');
  x = up(x, e1, f, 'dec1');
  x = conv(x, f, 3, 1, 'relu', seeds, 'dec1_conv2');
  const mapConv = (filters: number, activation: 'linear' | 'sigmoid', name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 1, activation, kernelInitializer: seeds.glorot(), name }).apply(x) as tf.SymbolicTensor;
  const split = mapActivation === 'linear' && leadingSigmoidMaps > 0 && leadingSigmoidMaps < mapChannels;
  const curveChannels = 1 + 3 * breakthroughComponents;
  const mapLayer =
    maps === 'breakthrough'
      ? mapConv(curveChannels, 'linear', 'maps')
      : split
        ? (tf.layers
            .concatenate({ name: 'maps' })
            .apply([
              mapConv(leadingSigmoidMaps, 'sigmoid', 'maps_sigmoid'),
              mapConv(mapChannels - leadingSigmoidMaps, 'linear', 'maps_linear'),
            ]) as tf.SymbolicTensor)
        : mapConv(mapChannels, leadingSigmoidMaps === mapChannels ? 'sigmoid' : mapActivation, 'maps');
  const mapH = h / 2;
  const mapW = w / 2;
  const sampledChannels = maps === 'breakthrough' ? curveChannels : mapChannels;
  const channelsFirst = tf.layers.permute({ dims: [3, 1, 2], name: 'maps_channels_first' }).apply(mapLayer) as tf.SymbolicTensor;
  const flatMaps = tf.layers.reshape({ targetShape: [sampledChannels, mapH * mapW], name: 'maps_flat' }).apply(channelsFirst) as tf.SymbolicTensor;
  const sampling = tf.layers.dense({ units: sampleAt.length, useBias: false, trainable: false, name: 'sample_at_points' });
  let atPoints = sampling.apply(flatMaps) as tf.SymbolicTensor;
  if (maps === 'breakthrough')
    atPoints = new BreakthroughCurves({ times: breakthroughTimes!, components: breakthroughComponents, name: 'breakthrough_curves' }).apply(
      atPoints,
    ) as tf.SymbolicTensor;
  let out = tf.layers.flatten({ name: outputAffine ? 'at_points_flat' : 'output' }).apply(atPoints) as tf.SymbolicTensor;
  if (outputAffine) out = new PerOutputAffine({ name: 'output' }).apply(out) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out, name: 'unet' });
  const kernel = tf.tensor2d(bilinearSamplingMatrix(sampleAt, mapH, mapW, 2), [mapH * mapW, sampleAt.length]);
  sampling.setWeights([kernel]);
  kernel.dispose();
  if (maps === 'breakthrough') setCurveBiases(model.getLayer('maps'), breakthroughTimes!, breakthroughComponents);
  const curveOptions = maps === 'breakthrough' ? { breakthroughComponents, breakthroughTimes } : {};
  return wrapSurrogate(
    'unet',
    input,
    outputDim,
    { baseFilters, sampleAt, mapChannels, mapActivation, leadingSigmoidMaps, outputAffine, maps, ...curveOptions, seed },
    model,
  );
}

/** Start the curve-parameter maps inside the observation window (`breakthroughBiasInit`); the head map's bias at 0. */
function setCurveBiases(layer: tf.layers.Layer, times: number[], components: number): void {
  const [kernel] = layer.getWeights(); // the variables' own tensors: not disposed here
  const init = breakthroughBiasInit(times, components);
  const b = tf.tensor1d([0, ...init.weights, ...init.mu, ...init.spread]);
  layer.setWeights([kernel, b]);
  b.dispose();
}

/**
 * Set a `'physical'` or `'breakthrough'` U-Net's output affine to the per-output min-max
 * normalisation `(y - min) / (max - min)` of the training targets, so its maps start in the
 * simulator's units. Call once on a freshly built model, before training.
 */
export function initialiseOutputNormalisation(s: Surrogate, bounds: { min: ArrayLike<number>; max: ArrayLike<number> }): void {
  const layer = s.model.getLayer('output');
  if (!(layer instanceof PerOutputAffine)) throw new Error('initialiseOutputNormalisation needs a U-Net with outputAffine');
  const n = s.outputDim;
  if (bounds.min.length !== n || bounds.max.length !== n)
    throw new Error(`initialiseOutputNormalisation: bounds have ${bounds.min.length} values, the model outputs ${n}`);
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const range = bounds.max[j] - bounds.min[j];
    if (!(range > 0)) throw new Error(`initialiseOutputNormalisation: output ${j} has an empty range [${bounds.min[j]}, ${bounds.max[j]}]`);
    scale[j] = 1 / range;
    shift[j] = -bounds.min[j] / range;
  }
  const weights = [tf.tensor1d(scale), tf.tensor1d(shift)];
  layer.setWeights(weights);
  for (const w of weights) w.dispose();
}
