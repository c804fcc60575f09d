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
 * Order 0 matches the value only, so its rounds settle where the surrogate's slopes say; each
 * round's run is kept.
 *
 * Order 1 makes the corrected surrogate agree with the forward model in value AND slope at u*
 * (first-order consistency), and is run as trust-region model management (Alexandrov et al. 1998):
 * each round's TNNA starts at u* and searches the box |u - u*| <= radius (per unknown) only, its
 * estimate is simulated once and J on the forward model decides: lower than at u*, the estimate
 * becomes u* (a new a and B there). The radius follows the ratio of the actual to the predicted fall
 * of J (`nextRadius`): quartered when the corrected surrogate over-promised (or J did not fall),
 * doubled (at most 0.5) when it was right. The slope term is linear in u and right only near u*, so
 * an unbounded search would follow B into directions the data do not constrain. Starting each round
 * at u*, where the corrected surrogate equals the forward model, makes the predicted fall
 * non-negative and spends the round's epochs on going further rather than on finding u* again.
 * Adam's first steps move every weight of the fresh reverse network by about the learning rate,
 * which throws the run far from u*; `warmup` epochs of learning-rate warm-up keep them small.
 * J on the forward model never rises from round to round, and a point where no step lowers it is a
 * stationary point of J on the forward model itself. The returned run is the last accepted one (or the first run).
 */
import { tf } from '../../models/tf.js';
import { runTnna, tnnaObjectiveAt, type TnnaOptions, type TnnaProblem, type TnnaResult } from './tnna.js';

export type CorrectionOrder = 0 | 1;

export interface TnnaCorrections {
  /** Correction rounds (each one more TNNA run); 0 = plain TNNA. */
  count: number;
  order: CorrectionOrder;
  /** Forward-difference step in u for order 1 (into the box: backwards where u* + step > 1). */
  step: number;
  /** Order 1: the first trust region's half-width in u (in (0, 0.5]). */
  radius: number;
  /** Order 1: epochs of learning-rate warm-up of each round's run (TnnaOptions.warmup; default 0). */
  warmup?: number;
  /** The forward model at points u, on the observations' entries and scale (one simulation per point). */
  simulate: (points: Float64Array[]) => Float64Array[] | Promise<Float64Array[]>;
  /** The surrogate at points u (F o G), on the same entries and scale (one call per point). */
  surrogate: (points: Float64Array[]) => Float64Array[];
}

export interface TnnaCorrectionRecord {
  order: CorrectionOrder;
  /** Forward-model simulations spent: order 0 one per round; order 1 one per estimate and d per linearisation. */
  simulations: number;
  /** Surrogate calls spent on the corrections themselves (1 per round, or d + 1 per linearisation; the runs' own are in forwardCalls). */
  surrogateCalls: number;
  /** RMS of a (the surrogate's error at the point corrected) per correction. */
  shiftRms: number[];
  /** Order 1: RMS of B's entries per linearisation (how wrong the surrogate's slopes are there). */
  slopeRms?: number[];
  /** Order 1: J on the forward model at the first run's estimate. */
  startObjective?: number;
  /** Order 1: each round's trust region, J on the forward model at its estimate and whether it was taken. */
  rounds?: TnnaCorrectionRound[];
}

interface TnnaCorrectionRound {
  /** J on the forward model at the round's estimate (the same J as TNNA's, with the simulator's prediction). */
  objective: number;
  /** J on the corrected surrogate at the round's estimate (what the round expected). */
  modelObjective: number;
  /** Actual over predicted fall of J (1 = the corrected surrogate was exact; <= 0 = J did not fall). */
  ratio: number;
  accepted: boolean;
  radius: number;
}

/** The trust-region radius rule (Nocedal & Wright, alg. 4.1): quarter below ratio 1/4, double (to 0.5) above 3/4, else keep. */
export function nextRadius(radius: number, ratio: number): number {
  if (ratio < 0.25) return radius / 4;
  if (ratio > 0.75) return Math.min(0.5, 2 * radius);
  return radius;
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
  const radius0 = corrections.radius;
  if (!(radius0 > 0 && radius0 <= 0.5)) throw new Error(`TNNA corrections: radius must lie in (0, 0.5], got ${radius0}`);
  const result = await runTnna(problem, options);
  if (count === 0) return { result, record: null };
  return order === 0 ? outputBias(problem, options, corrections, result) : firstOrder(problem, options, corrections, result, radius0);
}

const rms = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0) / v.length);

async function outputBias(
  problem: TnnaProblem,
  options: TnnaOptions,
  corrections: TnnaCorrections,
  first: TnnaResult,
): Promise<{ result: TnnaResult; record: TnnaCorrectionRecord }> {
  const yObs = problem.observations;
  let result = first;
  let surrogateCalls = result.forwardCalls;
  const shiftRms: number[] = [];
  for (let k = 0; k < corrections.count; k++) {
    const u = result.best;
    const [sim] = await corrections.simulate([u]);
    const [sur] = corrections.surrogate([u]);
    const a = Float64Array.from(sim, (v, e) => v - sur[e]);
    if (a.length !== yObs.length) throw new Error(`TNNA corrections: simulate/surrogate returned ${a.length} entries, expected ${yObs.length}`);
    shiftRms.push(rms(a));
    result = await runTnna({ ...problem, observations: Float64Array.from(yObs, (v, e) => v - a[e]) }, options);
    surrogateCalls += result.forwardCalls;
  }
  const n = corrections.count;
  return { result: { ...result, forwardCalls: surrogateCalls }, record: { order: 0, simulations: n, surrogateCalls: n, shiftRms } };
}

async function firstOrder(
  problem: TnnaProblem,
  options: TnnaOptions,
  corrections: TnnaCorrections,
  first: TnnaResult,
  radius0: number,
): Promise<{ result: TnnaResult; record: TnnaCorrectionRecord }> {
  const { count, step } = corrections;
  const yObs = problem.observations;
  const n = yObs.length;
  const d = first.best.length;
  let simulations = 0;
  let correctionCalls = 0;
  const simulate = async (points: Float64Array[]) => {
    simulations += points.length;
    const out = await corrections.simulate(points);
    for (const y of out) if (y.length !== n) throw new Error(`TNNA corrections: simulate returned ${y.length} entries, expected ${n}`);
    return out;
  };
  const shiftRms: number[] = [];
  const slopeRms: number[] = [];
  /** a and B^T [d, n] at u, given the simulation there: d more simulations, d + 1 surrogate calls. */
  const linearise = async (u: Float64Array, simAt: Float64Array) => {
    const du: number[] = [];
    const points: Float64Array[] = [];
    for (let j = 0; j < d; j++) {
      const p = Float64Array.from(u);
      p[j] = u[j] + step <= 1 ? u[j] + step : u[j] - step;
      du.push(p[j] - u[j]);
      points.push(p);
    }
    const sims = await simulate(points);
    const sur = corrections.surrogate([u, ...points]);
    correctionCalls += d + 1;
    const a = Float64Array.from(simAt, (v, e) => v - sur[0][e]);
    const bt = new Float32Array(d * n);
    for (let j = 0; j < d; j++) for (let e = 0; e < n; e++) bt[j * n + e] = (sims[j][e] - sur[j + 1][e] - a[e]) / du[j];
    shiftRms.push(rms(a));
    slopeRms.push(rms(bt));
    return { a, bt };
  };

  let best = first;
  let uStar = first.best;
  let [simStar] = await simulate([uStar]);
  let jStar = tnnaObjectiveAt(problem, uStar, simStar);
  const start = jStar;
  let lin = await linearise(uStar, simStar);
  let radius = radius0;
  let surrogateCalls = first.forwardCalls;
  const rounds: TnnaCorrectionRound[] = [];
  for (let k = 0; k < count; k++) {
    const lo = Float64Array.from(uStar, (v) => Math.max(0, v - radius));
    const hi = Float64Array.from(uStar, (v) => Math.min(1, v + radius));
    const Bt = tf.tensor2d(lin.bt, [d, n]);
    const u0 = tf.tensor2d(Float32Array.from(uStar), [1, d]);
    const a = lin.a;
    let run: TnnaResult;
    try {
      const forward: TnnaProblem['forward'] = (m, u) => tf.add(problem.forward(m, u), tf.matMul(tf.sub(u, u0), Bt));
      run = await runTnna(
        { ...problem, observations: Float64Array.from(yObs, (v, e) => v - a[e]), forward },
        { ...options, box: { lo, hi }, start: uStar, warmup: corrections.warmup ?? 0 },
      );
    } finally {
      tf.dispose([Bt, u0]);
    }
    surrogateCalls += run.forwardCalls;
    const [sim] = await simulate([run.best]);
    const J = tnnaObjectiveAt(problem, run.best, sim);
    const accepted = J < jStar;
    // The fall of J on the forward model over the fall the corrected surrogate predicted (which is
    // >= 0: the run starts at u*, where the two agree, and keeps its best point).
    const predicted = jStar - run.bestObjective;
    const ratio = predicted > 0 ? (jStar - J) / predicted : 0;
    rounds.push({ objective: J, modelObjective: run.bestObjective, ratio, accepted, radius });
    if (accepted) {
      best = run;
      uStar = run.best;
      simStar = sim;
      jStar = J;
      if (k < count - 1) lin = await linearise(uStar, simStar);
    }
    radius = nextRadius(radius, accepted ? ratio : 0);
  }
  return {
    result: { ...best, forwardCalls: surrogateCalls },
    record: { order: 1, simulations, surrogateCalls: correctionCalls, shiftRms, slopeRms, startObjective: start, rounds },
  };
}
