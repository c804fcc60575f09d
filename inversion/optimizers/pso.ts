/**
 * Particle swarm optimisation with scikit-opt's `sko.PSO.PSO` semantics (v0.6.6 source):
 *
 * - positions uniform in the box, velocities uniform in +-(ub - lb) (here +-1);
 * - the initial swarm is evaluated once (pop calls) but, as in scikit-opt, that evaluation does not
 *   seed the bests: personal bests start at +Infinity with pbest_x = X0, and the global best starts
 *   at the swarm mean with gbest_y = +Infinity (the first velocity update pulls towards the mean);
 * - each iteration: r1, r2 ~ U(0,1)^(pop x d), v = w v + c1 r1 (pbest - x) + c2 r2 (gbest - x),
 *   x = clip(x + v, lb, ub) (no velocity limit), evaluate the swarm in ONE batch, personal bests
 *   replaced on strict improvement, global best = best personal best if strictly better;
 * - calls = pop + pop * iters (no final re-evaluation).
 *
 * The run's reported best is the lowest value among all evaluations, the initial swarm included
 * (scikit-opt's `gbest_y` ignores the initial swarm; the two differ only if an initial particle
 * beats everything found later).
 */
import { Rng } from '../../numerics/rng.js';
import type { Objective } from '../objective/objective.js';
import type { CommonOptimizerOptions, OptimizerResult } from './optimizer-result.js';
import { RunTracker, checkSeed, positiveInteger } from './run-tracker.js';

export interface PSOOptions extends CommonOptimizerOptions {
  /** Number of particles; default 50 (scikit-opt's own default is 40; the paper sets NPC). */
  popSize?: number;
  /** Iterations; default 200. */
  maxIter?: number;
  /** Inertia; default 0.8. */
  w?: number;
  /** Cognitive (personal-best) coefficient; default 0.5. */
  c1?: number;
  /** Social (global-best) coefficient; default 0.5. */
  c2?: number;
}

export async function runPSO(objective: Objective, options: PSOOptions): Promise<OptimizerResult> {
  const seed = checkSeed(options.seed, 'PSO');
  const pop = positiveInteger(options.popSize ?? 50, 'PSO: popSize');
  const maxIter = positiveInteger(options.maxIter ?? 200, 'PSO: maxIter');
  const w = options.w ?? 0.8;
  const c1 = options.c1 ?? 0.5;
  const c2 = options.c2 ?? 0.5;
  for (const [k, v] of [
    ['w', w],
    ['c1', c1],
    ['c2', c2],
  ] as const) {
    if (!Number.isFinite(v)) throw new Error(`PSO: ${k} must be a finite number, got ${v}`);
  }
  const d = objective.dim;
  const rng = new Rng(seed);
  const tracker = new RunTracker('PSO', objective, maxIter, options);

  const X = Array.from({ length: pop }, () => new Float64Array(d));
  const V = Array.from({ length: pop }, () => new Float64Array(d));
  for (const x of X) for (let j = 0; j < d; j++) x[j] = rng.next();
  for (const v of V) for (let j = 0; j < d; j++) v[j] = rng.uniform(-1, 1);
  await tracker.evaluate(X); // counted, not used for the bests (scikit-opt semantics)

  const pbestX = X.map((x) => Float64Array.from(x));
  const pbestY = new Float64Array(pop).fill(Infinity);
  const gbestX = new Float64Array(d);
  for (const x of X) for (let j = 0; j < d; j++) gbestX[j] += x[j] / pop;
  let gbestY = Infinity;
  const r1 = new Float64Array(pop * d);
  const r2 = new Float64Array(pop * d);

  for (let it = 0; it < maxIter; it++) {
    for (let k = 0; k < r1.length; k++) r1[k] = rng.next();
    for (let k = 0; k < r2.length; k++) r2[k] = rng.next();
    for (let i = 0; i < pop; i++) {
      const x = X[i];
      const v = V[i];
      const p = pbestX[i];
      for (let j = 0; j < d; j++) {
        v[j] = w * v[j] + c1 * r1[i * d + j] * (p[j] - x[j]) + c2 * r2[i * d + j] * (gbestX[j] - x[j]);
        const xn = x[j] + v[j];
        x[j] = xn < 0 ? 0 : xn > 1 ? 1 : xn;
      }
    }
    const Y = await tracker.evaluate(X);
    let iMin = -1;
    let yMin = Infinity;
    for (let i = 0; i < pop; i++) {
      if (pbestY[i] > Y[i]) {
        pbestY[i] = Y[i];
        pbestX[i].set(X[i]);
      }
      if (iMin < 0 || pbestY[i] < yMin) {
        iMin = i;
        yMin = pbestY[i];
      }
    }
    if (gbestY > yMin) {
      gbestY = yMin;
      gbestX.set(pbestX[iMin]);
    }
    await tracker.endIteration();
  }
  return tracker.result();
}
