/**
 * TNNA (paper 2, section 4): inversion by training a reverse network through the frozen surrogate.
 *
 *   u = R_theta(y_obs) in [0, 1]^d        (reverse network, sigmoid output)
 *   m = G(u)                               (parameterisation: identity / KLE / frozen decoder)
 *   J(theta) = sum_i (y_obs[i] - F(m)[i])^2 / sigma_i  [+ lambda sum_j (K(u)_j - k_j)^2 / s_j]
 *
 * minimised over theta only, with Adam + decoupled weight decay; F's and G's weights never change.
 * J is the same objective as `inversion/objective/batch-objective.ts` (optional well term for
 * case 2), so `bestObjective` is comparable with GA/PSO/DE/SA.
 *
 * What the network's input is: TNNA inverts ONE scenario per run, so the input is that scenario's
 * observation vector `y_obs` (normalised, noisy), a constant `[1, nObs]` tensor for the whole run.
 * The network is then an over-parameterised reparameterisation `u = R_theta(y_obs)` of the unknowns
 * (trained per scenario, not an amortised inverse map over scenarios); feeding the observations
 * rather than a constant only fixes where the network starts. The sigmoid output keeps u inside the
 * box with no clipping.
 *
 * Cost accounting: each epoch is one forward + backward pass of the surrogate on a batch of one
 * parameter vector: forwardCalls += 1, batches += 1, counted as they happen (so forwardCalls =
 * epochs run). Epoch e's objective is that of the parameters before its gradient step; `best` is
 * the u with the lowest J seen, `curve[e]` the best-so-far J after epoch e. No extra evaluation is
 * made after the last step.
 *
 * Per-case defaults (paper): case 1 lr 6e-5, wd 1e-6, 1000 epochs; case 2 lr 1e-3, wd 1e-4, 1000
 * epochs (the paper also reports 200); case 3 1000 epochs, lr/wd not stated: we use case 2's.
 */
import type { Parameterisation } from '../../models/inversion/parameterisation.js';
import { createWeightDecayOptimizer } from '../../models/surrogates/weight-decay-optimizer.js';
import { tf } from '../../models/tf.js';
import type { OptimizerResult } from '../optimizers/optimizer-result.js';
import { buildReverseNetwork, type ReverseNetworkOptions } from './reverse-network.js';

export interface TnnaRegularisation {
  /** Differentiable model values at the wells from u `[1, d]` and m = G(u): `[1, nWells]`. */
  predict: (u: tf.Tensor2D, m: tf.Tensor) => tf.Tensor;
  /** Known values at the wells. */
  known: Float64Array;
  /** lambda (default 1). */
  weight?: number;
  /** Divisor s_j (scalar or per well, default 1). */
  sigma?: number | Float64Array;
}

export interface TnnaProblem {
  /** y_obs, on the surrogate's (normalised) output scale. */
  observations: Float64Array;
  /**
   * Frozen differentiable forward model `m [B, ...] -> [B, nObs]` (e.g. `surrogate.apply`); it is
   * also given the normalised unknowns u `[B, d]` that m = G(u) came from (a correction in u uses them).
   */
  forward: (m: tf.Tensor, u: tf.Tensor2D) => tf.Tensor;
  /** m = G(u); default identity (then give `dim`). */
  parameterisation?: Parameterisation;
  /** Number of normalised unknowns (needed without a parameterisation). */
  dim?: number;
  /** sigma_i of J (scalar or per observation, default 1). */
  sigma?: number | Float64Array;
  regularisation?: TnnaRegularisation;
}

export type TnnaCase = 'case1' | 'case2' | 'case3';

export interface TnnaConfig {
  maxIter: number;
  learningRate: number;
  weightDecay: number;
}

export const TNNA_DEFAULTS: Readonly<Record<TnnaCase, Readonly<TnnaConfig>>> = {
  case1: { maxIter: 1000, learningRate: 6e-5, weightDecay: 1e-6 },
  case2: { maxIter: 1000, learningRate: 1e-3, weightDecay: 1e-4 },
  case3: { maxIter: 1000, learningRate: 1e-3, weightDecay: 1e-4 },
};

/** Same fields as the other optimisers' `IterationInfo`, with method 'TNNA' (iteration = epoch). */
export interface TnnaIterationInfo {
  method: 'TNNA';
  /** 1-based epoch just finished. */
  iteration: number;
  maxIter: number;
  /** J of this epoch's parameters (before its step). */
  objective: number;
  bestObjective: number;
  forwardCalls: number;
  batches: number;
  elapsedMs: number;
}

export interface TnnaOptions extends Partial<TnnaConfig> {
  seed: number;
  /** Start from a case's paper defaults; explicit fields override (default 'case1'). */
  preset?: TnnaCase;
  network?: Omit<ReverseNetworkOptions, 'seed' | 'output'>;
  onIteration?: (info: TnnaIterationInfo) => void | Promise<void>;
  /**
   * Epochs after which to keep the best-so-far estimate (`TnnaResult.snapshots`): what a run of
   * that many epochs returns, since no epoch depends on the total (e.g. the paper's 200 of 1,000).
   */
  snapshotAt?: readonly number[];
  /** Checked before every epoch; an aborted signal rejects the run with the signal's reason. */
  signal?: AbortSignal;
  /**
   * A sub-box [lo, hi] of [0, 1]^d to search in (a trust region): u = lo + (hi - lo) * s, s the
   * network's sigmoid output. Default the whole box.
   */
  box?: { lo: Float64Array; hi: Float64Array };
  /**
   * Where the run starts: the network's first output is shifted in logit space so that epoch 1
   * evaluates u = start (inside the box; clamped 1e-4 from its faces). Default: wherever the
   * freshly initialised network points (the paper's TNNA).
   */
  start?: Float64Array;
  /**
   * Epochs of linear learning-rate warm-up: epoch e (1-based) steps with learningRate * min(1, e / warmup).
   * Adam's first steps move every weight by about the learning rate, which throws a run that
   * starts at a good point (`start`) far from it; a warm-up keeps the first steps small. Default 0.
   */
  warmup?: number;
}

/** The best-so-far estimate after `epoch` epochs. */
interface TnnaSnapshot {
  epoch: number;
  best: Float64Array;
  bestObjective: number;
}

/** The other optimisers' result record with method 'TNNA'; `iterations` = epochs run. */
export type TnnaResult = Omit<OptimizerResult, 'method'> & { method: 'TNNA'; snapshots: TnnaSnapshot[] };

function perEntry(v: number | Float64Array | undefined, n: number, field: string): Float32Array {
  const out = new Float32Array(n);
  if (v === undefined) return out.fill(1);
  if (typeof v === 'number') {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${field} must be a positive finite number, got ${v}`);
    return out.fill(1 / v);
  }
  if (v.length !== n) throw new Error(`${field} must have length ${n} (one per entry), got ${v.length}`);
  for (let i = 0; i < n; i++) {
    if (!(v[i] > 0) || !Number.isFinite(v[i])) throw new Error(`${field}[${i}] must be a positive finite number, got ${v[i]}`);
    out[i] = 1 / v[i];
  }
  return out;
}

/** `predict` for a `TnnaRegularisation`: the parameterisation's physical values at given indices (e.g. ln k at well cells). */
export function physicalAt(p: Parameterisation, indices: readonly number[]): TnnaRegularisation['predict'] {
  const idx = Int32Array.from(indices);
  return (u) => tf.gather(p.physical(u), tf.tensor1d(idx, 'int32'), 1);
}

export async function runTnna(problem: TnnaProblem, options: TnnaOptions): Promise<TnnaResult> {
  const t0 = performance.now();
  const base = TNNA_DEFAULTS[options.preset ?? 'case1'];
  const cfg: TnnaConfig = {
    maxIter: options.maxIter ?? base.maxIter,
    learningRate: options.learningRate ?? base.learningRate,
    weightDecay: options.weightDecay ?? base.weightDecay,
  };
  if (!Number.isInteger(cfg.maxIter) || cfg.maxIter < 1) throw new Error(`TNNA: maxIter (epochs) must be a positive integer, got ${cfg.maxIter}`);
  const yObs = problem.observations;
  if (!(yObs instanceof Float64Array) || yObs.length === 0) throw new Error('TNNA: observations must be a non-empty Float64Array');
  const G = problem.parameterisation;
  const dim = G?.dim ?? problem.dim;
  if (dim === undefined || !Number.isInteger(dim) || dim < 1)
    throw new Error('TNNA: give problem.parameterisation or problem.dim (number of normalised unknowns)');
  if (G && problem.dim !== undefined && problem.dim !== G.dim) throw new Error(`TNNA: problem.dim ${problem.dim} disagrees with parameterisation.dim ${G.dim}`);
  const nObs = yObs.length;
  const reg = problem.regularisation;

  const box = options.box;
  if (box) {
    if (box.lo.length !== dim || box.hi.length !== dim) throw new Error(`TNNA: box.lo and box.hi must have length ${dim}`);
    for (let j = 0; j < dim; j++)
      if (!(box.lo[j] >= 0 && box.hi[j] <= 1 && box.lo[j] < box.hi[j]))
        throw new Error(`TNNA: box[${j}] must satisfy 0 <= lo < hi <= 1, got [${box.lo[j]}, ${box.hi[j]}]`);
  }
  const warmup = options.warmup ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`TNNA: warmup must be a non-negative integer (epochs), got ${warmup}`);
  const start = options.start;
  if (start) {
    if (start.length !== dim) throw new Error(`TNNA: start must have length ${dim}, got ${start.length}`);
    for (let j = 0; j < dim; j++) {
      const [lo, hi] = box ? [box.lo[j], box.hi[j]] : [0, 1];
      if (!(start[j] >= lo && start[j] <= hi)) throw new Error(`TNNA: start[${j}] = ${start[j]} lies outside the box [${lo}, ${hi}]`);
    }
  }
  const boxT = box
    ? {
        lo: tf.tensor2d(Float32Array.from(box.lo), [1, dim]),
        width: tf.tensor2d(
          Float32Array.from(box.hi, (h, j) => h - box.lo[j]),
          [1, dim],
        ),
      }
    : null;
  const net = buildReverseNetwork(nObs, dim, { ...options.network, seed: options.seed, output: start ? 'logits' : 'sigmoid' });
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = createWeightDecayOptimizer({ learningRate: cfg.learningRate, weightDecay: cfg.weightDecay });
  const y = tf.tensor2d(Float32Array.from(yObs), [1, nObs]);
  /** With a start: logit(s_start) - z0, z0 the fresh network's logits, added to the logits before the sigmoid. */
  const logitShift = start ? startShift(net, y, start, box) : null;
  const invSigma = tf.tensor2d(perEntry(problem.sigma, nObs, 'TNNA: sigma'), [1, nObs]);
  const regT = reg
    ? {
        known: tf.tensor2d(Float32Array.from(reg.known), [1, reg.known.length]),
        inv: tf.tensor2d(perEntry(reg.sigma, reg.known.length, 'TNNA: regularisation.sigma'), [1, reg.known.length]),
        weight: reg.weight ?? 1,
      }
    : null;

  const curve = new Float64Array(cfg.maxIter);
  let best = new Float64Array(dim);
  let bestObjective = Infinity;
  let forwardCalls = 0;
  let batches = 0;
  let epochs = 0;
  const snapshotAt = new Set(options.snapshotAt ?? []);
  const snapshots: TnnaSnapshot[] = [];
  try {
    for (let e = 0; e < cfg.maxIter; e++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('TNNA aborted');
      let uNow: Float32Array | null = null;
      if (warmup > 0 && e < warmup) opt.setLearningRate((cfg.learningRate * (e + 1)) / warmup);
      else if (warmup > 0 && e === warmup) opt.setLearningRate(cfg.learningRate);
      const J = opt.step(() => {
        const out = net.apply(y, { training: true }) as tf.Tensor2D;
        const s = logitShift ? tf.sigmoid(tf.add<tf.Tensor2D>(out, logitShift)) : out;
        const u = boxT ? tf.add<tf.Tensor2D>(boxT.lo, tf.mul(s, boxT.width)) : s;
        const m = G ? G.apply(u) : u;
        const F = problem.forward(m, u) as tf.Tensor2D;
        forwardCalls += u.shape[0];
        batches += 1;
        if (F.shape.length !== 2 || F.shape[1] !== nObs)
          throw new Error(`TNNA: forward returned shape [${F.shape.join(', ')}], expected [1, ${nObs}] (one value per observation)`);
        let loss = tf.sum<tf.Scalar>(tf.mul(tf.square(tf.sub(y, F)), invSigma));
        if (regT && reg) {
          const k = reg.predict(u, m);
          loss = loss.add<tf.Scalar>(tf.sum(tf.mul(tf.square(tf.sub(k, regT.known)), regT.inv)).mul(regT.weight));
        }
        uNow = u.dataSync() as Float32Array;
        return loss;
      }, vars);
      epochs = e + 1;
      const obj = Number.isFinite(J) ? J : Infinity;
      if (obj < bestObjective && uNow) {
        bestObjective = obj;
        best = Float64Array.from(uNow);
      }
      curve[e] = bestObjective;
      if (snapshotAt.has(e + 1)) snapshots.push({ epoch: e + 1, best: Float64Array.from(best), bestObjective });
      if (options.onIteration) {
        await options.onIteration({
          method: 'TNNA',
          iteration: e + 1,
          maxIter: cfg.maxIter,
          objective: obj,
          bestObjective,
          forwardCalls,
          batches,
          elapsedMs: performance.now() - t0,
        });
      } else if ((e & 31) === 31) {
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  } finally {
    opt.dispose();
    net.dispose();
    tf.dispose([y, invSigma]);
    if (regT) tf.dispose([regT.known, regT.inv]);
    if (boxT) tf.dispose([boxT.lo, boxT.width]);
    if (logitShift) logitShift.dispose();
  }
  return {
    method: 'TNNA',
    best,
    bestObjective,
    curve: curve.slice(0, epochs),
    forwardCalls,
    batches,
    iterations: epochs,
    wallMs: performance.now() - t0,
    wastedCalls: 0,
    snapshots,
  };
}

function startShift(net: tf.LayersModel, y: tf.Tensor2D, start: Float64Array, box: TnnaOptions['box']): tf.Tensor2D {
  const z0 = tf.tidy(() => (net.apply(y) as tf.Tensor2D).dataSync());
  const eps = 1e-4;
  const shift = Float32Array.from(start, (u, j) => {
    const [lo, hi] = box ? [box.lo[j], box.hi[j]] : [0, 1];
    const s = Math.min(1 - eps, Math.max(eps, (u - lo) / (hi - lo)));
    return Math.log(s / (1 - s)) - z0[j];
  });
  return tf.tensor2d(shift, [1, start.length]);
}

/**
 * J of `problem` at u given the forward model's prediction there (on the observations' entries),
 * the loss TNNA minimises: sum_i (y_obs[i] - prediction[i])^2 / sigma_i [+ the regularisation term].
 * For a prediction from another model than `problem.forward` (e.g. the simulator).
 */
export function tnnaObjectiveAt(problem: TnnaProblem, u: Float64Array, prediction: Float64Array): number {
  const y = problem.observations;
  if (prediction.length !== y.length) throw new Error(`TNNA: prediction has ${prediction.length} entries, expected ${y.length}`);
  const inv = perEntry(problem.sigma, y.length, 'TNNA: sigma');
  let J = 0;
  for (let i = 0; i < y.length; i++) J += (y[i] - prediction[i]) ** 2 * inv[i];
  const reg = problem.regularisation;
  if (reg) {
    const k = tf.tidy(() => {
      const uT = tf.tensor2d(Float32Array.from(u), [1, u.length]);
      return reg.predict(uT, problem.parameterisation ? problem.parameterisation.apply(uT) : uT);
    });
    const v = k.dataSync();
    k.dispose();
    const invK = perEntry(reg.sigma, reg.known.length, 'TNNA: regularisation.sigma');
    let R = 0;
    for (let j = 0; j < reg.known.length; j++) R += (v[j] - reg.known[j]) ** 2 * invK[j];
    J += (reg.weight ?? 1) * R;
  }
  return J;
}
