/**
 * Fast simulated annealing with scikit-opt's `sko.SA.SAFast` semantics (v0.6.6 source):
 *
 * - start at x0 (default: uniform in the box), evaluated once;
 * - a Markov chain of L steps per temperature: r ~ U(-1,1)^d,
 *   x_new = clip(x + sign(r) T ((1 + 1/T)^|r| - 1) * hop), hop = ub - lb = 1;
 *   Metropolis: accept if df < 0 or exp(-df/T) > U(0,1); the best is updated on acceptance;
 * - after chain k (k = 1, 2, ...): T_k = T_max exp(-c k^quench), c = m exp(-n quench)
 *   (m = n = quench = 1 -> c = e^-1);
 * - calls = 1 + L * chains. scikit-opt stops when T < T_min (default 1e-7, i.e. after 57 chains
 *   with T_max = 100) or when the best stayed unchanged more than `max_stay_counter` (150) chains.
 *   The paper runs L = NPC and 200 chains, so here the default budget is `maxIter` = 200 chains with
 *   `tMin` = 0 and `maxStayCounter` = Infinity (set them to scikit-opt's values to get its stopping).
 *
 * Batching. The chain is inherently sequential: candidate j+1 is drawn around the state after the
 * accept/reject decision on candidate j, so no evaluation of the L candidates as one batch keeps
 * both the chain's distribution and the call count 1 + L * chains. Two modes:
 * - `sequential` (default): exactly scikit-opt's chain, one candidate per objective call
 *   (batches = calls).
 * - `speculative`: the proposal noise does not depend on the state (T is fixed within a chain), so
 *   candidates for the next w steps are built assuming they are all rejected and evaluated as one
 *   batch; walking through them with the same Metropolis draws, the first acceptance invalidates
 *   the rest of the window, which is discarded and re-proposed from the new state. The trajectory
 *   (and result) is identical to `sequential` for the same seed; the price is extra, counted
 *   forward calls (`wastedCalls`). The window doubles after a fully rejected window and halves
 *   after an acceptance, so it grows in the cold, mostly-rejecting phase where batching pays.
 * The random stream draws d + 1 uniforms per step in both modes (scikit-opt draws the Metropolis
 * uniform only when df >= 0; drawing it always changes which numbers are used, not their law).
 */
import { Rng } from '../../numerics/rng.js';
import type { Objective } from '../objective/objective.js';
import type { CommonOptimizerOptions, OptimizerResult } from './optimizer-result.js';
import { RunTracker, checkSeed, positiveInteger } from './run-tracker.js';

export interface SAOptions extends CommonOptimizerOptions {
  /** Number of Markov chains (temperatures); default 200 (paper). */
  maxIter?: number;
  /** Chain length L (paper: L = NPC); default 50. */
  chainLength?: number;
  /** Initial temperature; default 100. */
  tMax?: number;
  /** Stop once T < tMin after a chain; default 0 (off; scikit-opt: 1e-7). */
  tMin?: number;
  /** Stop once the best stayed unchanged for more than this many chains; default Infinity (scikit-opt: 150). */
  maxStayCounter?: number;
  /** Cooling constants: c = m exp(-n quench), T_k = tMax exp(-c k^quench); defaults 1, 1, 1. */
  m?: number;
  n?: number;
  quench?: number;
  /** Start point in [0,1]^d; default uniform random from the seed. */
  x0?: Float64Array;
  /** Step scale in normalised units (scikit-opt's `hop` = ub - lb); default 1. */
  hop?: number;
  /** See the module comment; default 'sequential'. */
  batchMode?: 'sequential' | 'speculative';
}

function isClose(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 1e-30);
}

export async function runSA(objective: Objective, options: SAOptions): Promise<OptimizerResult> {
  const seed = checkSeed(options.seed, 'SA');
  const maxIter = positiveInteger(options.maxIter ?? 200, 'SA: maxIter');
  const L = positiveInteger(options.chainLength ?? 50, 'SA: chainLength');
  const tMax = options.tMax ?? 100;
  const tMin = options.tMin ?? 0;
  if (!(tMax > 0) || !(tMin >= 0) || !(tMax > tMin)) {
    throw new Error(`SA: need tMax > tMin >= 0 (defaults 100 and 0), got tMax=${tMax}, tMin=${tMin}`);
  }
  const maxStay = options.maxStayCounter ?? Infinity;
  const quench = options.quench ?? 1;
  const c = (options.m ?? 1) * Math.exp(-(options.n ?? 1) * quench);
  const hop = options.hop ?? 1;
  if (!(hop > 0)) throw new Error(`SA: hop must be positive, got ${hop}`);
  const mode = options.batchMode ?? 'sequential';
  if (mode !== 'sequential' && mode !== 'speculative') {
    throw new Error(`SA: batchMode must be 'sequential' or 'speculative', got ${String(mode)}`);
  }
  const d = objective.dim;
  const rng = new Rng(seed);
  const tracker = new RunTracker('SA', objective, maxIter, options);

  let x: Float64Array = new Float64Array(d);
  if (options.x0) {
    if (options.x0.length !== d) throw new Error(`SA: x0 must have length dim=${d}, got ${options.x0.length}`);
    x.set(options.x0);
  } else {
    for (let j = 0; j < d; j++) x[j] = rng.next();
  }
  let y = (await tracker.evaluate([x]))[0];

  const R = new Float64Array(L * d); // proposal uniforms in (-1, 1), per step
  const U = new Float64Array(L); // Metropolis uniforms, per step
  const propose = (base: Float64Array, step: number, T: number, out: Float64Array): Float64Array => {
    const g = 1 + 1 / T;
    for (let j = 0; j < d; j++) {
      const r = R[step * d + j];
      const xc = r === 0 ? 0 : Math.sign(r) * T * (Math.pow(g, Math.abs(r)) - 1);
      const v = base[j] + xc * hop;
      out[j] = v < 0 ? 0 : v > 1 ? 1 : v; // clip; also maps +-Infinity into the box
    }
    return out;
  };
  const accepts = (df: number, step: number, T: number) => df < 0 || Math.exp(-df / T) > U[step];

  let T = tMax;
  let stay = 0;
  let window = 1;
  for (let k = 1; k <= maxIter; k++) {
    for (let s = 0; s < L; s++) {
      for (let j = 0; j < d; j++) R[s * d + j] = rng.uniform(-1, 1);
      U[s] = rng.next();
    }
    const bestBefore = tracker.bestObjective;
    if (mode === 'sequential') {
      for (let s = 0; s < L; s++) {
        const cand = propose(x, s, T, new Float64Array(d));
        const yc = (await tracker.evaluate([cand]))[0];
        if (accepts(yc - y, s, T)) {
          x = cand;
          y = yc;
        }
      }
    } else {
      let s = 0;
      while (s < L) {
        const w = Math.min(window, L - s);
        const cands = Array.from({ length: w }, (_, i) => propose(x, s + i, T, new Float64Array(d)));
        const ys = await tracker.evaluate(cands, false);
        let acceptedAt = -1;
        for (let i = 0; i < w; i++) {
          tracker.consider(cands[i], ys[i]);
          if (accepts(ys[i] - y, s + i, T)) {
            acceptedAt = i;
            break;
          }
        }
        if (acceptedAt < 0) {
          s += w;
          window = Math.min(2 * window, L);
        } else {
          x = cands[acceptedAt];
          y = ys[acceptedAt];
          tracker.wastedCalls += w - acceptedAt - 1;
          s += acceptedAt + 1;
          window = Math.max(1, Math.floor(window / 2));
        }
      }
    }
    // The run's best only changes on accepted improvements (a lower value is always accepted).
    T = tMax * Math.exp(-c * Math.pow(k, quench));
    await tracker.endIteration();
    stay = isClose(tracker.bestObjective, bestBefore) ? stay + 1 : 0;
    if (T < tMin || stay > maxStay) break;
  }
  return tracker.result();
}
