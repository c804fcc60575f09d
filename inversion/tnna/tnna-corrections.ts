/**
 * TNNA with the surrogate corrected by the forward model (Plume's, not in the paper). TNNA fits the
 * surrogate F, so its estimate u* carries F's error there; after each run the forward model S is
 * evaluated around u* and the next run fits a corrected surrogate:
 *
 *   order 0 (output bias):  F0(u) = F(G(u)) + a,                    a = S(u*) - F(G(u*))
 *   order 1 (first order):  F1(u) = F(G(u)) + a + (u - u*) B^T,     B = d(S - F o G)/du at u*
 *
 * a costs one simulation; B is taken by forward differences in u (d more simulations, one per
 * unknown, and one batch of d + 1 surrogate calls), each unknown stepped by `step` into the box.
 * a is applied as a shift of the observations (y - a), B inside the forward model.
 *
 * Order 1 makes the corrected surrogate agree with the forward model in value AND slope at u*
 * (first-order consistency, as in trust-region model management, Alexandrov et al. 1998): a fixed
 * point of the rounds, u* = argmin J(F1), is then a stationary point of J on the forward model
 * itself. Order 0 matches the value only, so its fixed point is set by the surrogate's slopes.
 */
import { tf } from '../../models/tf.js';
import { runTnna, type TnnaOptions, type TnnaProblem, type TnnaResult } from './tnna.js';

export type CorrectionOrder = 0 | 1;

export interface TnnaCorrections {
  /** Correction rounds (each one more TNNA run); 0 = plain TNNA. */
  count: number;
  order: CorrectionOrder;
  /** Forward-difference step in u for order 1 (into the box: backwards where u* + step > 1). */
  step: number;
  /** The forward model at points u, on the observations' entries and scale (one simulation per point). */
  simulate: (points: Float64Array[]) => Float64Array[] | Promise<Float64Array[]>;
  /** The surrogate at points u (F o G), on the same entries and scale (one call per point). */
  surrogate: (points: Float64Array[]) => Float64Array[];
}

export interface TnnaCorrectionRecord {
  order: CorrectionOrder;
  /** Forward-model simulations spent: count x (1 + d for order 1). */
  simulations: number;
  /** Surrogate calls spent on the corrections themselves (1, or 1 + d for order 1, per round; the runs' own are in forwardCalls). */
  surrogateCalls: number;
  /** RMS of a (the surrogate's error at the estimate) per round. */
  shiftRms: number[];
  /** Order 1: Frobenius norm of B / sqrt(entries) per round (how wrong the surrogate's slopes are there). */
  slopeRms?: number[];
}

/** TNNA, then `count` rounds of correction and re-run; forwardCalls sums every run's surrogate calls. */
export async function runCorrectedTnna(
  problem: TnnaProblem,
  options: TnnaOptions,
  corrections: TnnaCorrections,
): Promise<{ result: TnnaResult; record: TnnaCorrectionRecord | null }> {
  const { count, order, step } = corrections;
  if (!Number.isInteger(count) || count < 0) throw new Error(`TNNA corrections: count must be a non-negative integer, got ${count}`);
  if (order !== 0 && order !== 1) throw new Error(`TNNA corrections: order must be 0 or 1, got ${String(order)}`);
  if (!(step > 0 && step < 0.5)) throw new Error(`TNNA corrections: step must lie in (0, 0.5), got ${step}`);
  const yObs = problem.observations;
  let result = await runTnna(problem, options);
  if (count === 0) return { result, record: null };

  let surrogateCalls = result.forwardCalls;
  let correctionCalls = 0;
  let simulations = 0;
  const shiftRms: number[] = [];
  const slopeRms: number[] = [];
  for (let k = 0; k < count; k++) {
    const u0 = result.best;
    const d = u0.length;
    const points = [u0];
    const du: number[] = [];
    if (order === 1) {
      for (let j = 0; j < d; j++) {
        const p = Float64Array.from(u0);
        p[j] = u0[j] + step <= 1 ? u0[j] + step : u0[j] - step;
        du.push(p[j] - u0[j]);
        points.push(p);
      }
    }
    const sim = await corrections.simulate(points);
    const sur = corrections.surrogate(points);
    simulations += points.length;
    correctionCalls += points.length;
    const n = yObs.length;
    const residual = (i: number) => Float64Array.from(sim[i], (v, e) => v - sur[i][e]);
    const a = residual(0);
    if (a.length !== n) throw new Error(`TNNA corrections: simulate/surrogate returned ${a.length} entries, expected ${n}`);
    shiftRms.push(Math.sqrt(a.reduce((s, v) => s + v * v, 0) / n));
    const shifted = Float64Array.from(yObs, (v, e) => v - a[e]);

    if (order === 0) {
      result = await runTnna({ ...problem, observations: shifted }, options);
    } else {
      // B^T [d, n]: row j = (r(u* + du_j e_j) - r(u*)) / du_j.
      const bt = new Float32Array(d * n);
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const rj = residual(j + 1);
        for (let e = 0; e < n; e++) {
          const v = (rj[e] - a[e]) / du[j];
          bt[j * n + e] = v;
          sq += v * v;
        }
      }
      slopeRms.push(Math.sqrt(sq / (d * n)));
      const Bt = tf.tensor2d(bt, [d, n]);
      const uStar = tf.tensor2d(Float32Array.from(u0), [1, d]);
      try {
        const forward: TnnaProblem['forward'] = (m, u) => tf.add(problem.forward(m, u), tf.matMul(tf.sub(u, uStar), Bt));
        result = await runTnna({ ...problem, observations: shifted, forward }, options);
      } finally {
        tf.dispose([Bt, uStar]);
      }
    }
    surrogateCalls += result.forwardCalls;
  }
  return {
    result: { ...result, forwardCalls: surrogateCalls },
    record: { order, simulations, surrogateCalls: correctionCalls, shiftRms, ...(order === 1 ? { slopeRms } : {}) },
  };
}
