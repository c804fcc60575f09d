/**
 * Differential evolution with scikit-opt's `sko.DE.DE` semantics (v0.6.6 source):
 *
 * - initial population uniform in the box;
 * - each generation: DE/rand/1 mutant v_i = x_r1 + F (x_r2 - x_r3) with r1, r2, r3 ~ U{0..pop-1}
 *   drawn independently (scikit-opt does not force them distinct or different from i); mutant
 *   components outside the box are replaced by fresh uniform draws; binomial crossover
 *   u_ij = v_ij if U(0,1) < CR else x_ij, with NO forced mutant component; greedy selection keeps
 *   the parent only if strictly better (f(x) < f(u));
 * - scikit-opt re-evaluates the parents every generation (`f_X = self.x2y()` inside selection),
 *   so calls = 2 * pop * iters, plus one final `func(best_x)` (`finalEvaluation`). Here parents and
 *   trials are evaluated together in ONE batch of 2 * pop per generation (same calls, half the
 *   batches).
 *
 * Reported best: the lowest value among all evaluations. scikit-opt's own `best_x` is picked by
 * the trial values only and pairs them with the selected population's row (a bookkeeping quirk),
 * so its returned best can be marginally worse than the best point it evaluated; the search
 * itself is the same.
 */
import { Rng } from '../../numerics/rng.js';
import type { Objective } from '../objective/objective.js';
import type { CommonOptimizerOptions, OptimizerResult } from './optimizer-result.js';
import { RunTracker, checkSeed, positiveInteger } from './run-tracker.js';

export interface DEOptions extends CommonOptimizerOptions {
  /** Population size; default 50. */
  popSize?: number;
  /** Generations; default 200. */
  maxIter?: number;
  /** Differential weight F; default 0.5. */
  F?: number;
  /** Binomial crossover rate (scikit-opt's `prob_mut`); default 0.3. */
  crossoverRate?: number;
  /** Re-evaluate the best point once at the end, as scikit-opt does (+1 call); default true. */
  finalEvaluation?: boolean;
}

export async function runDE(objective: Objective, options: DEOptions): Promise<OptimizerResult> {
  const seed = checkSeed(options.seed, 'DE');
  const pop = positiveInteger(options.popSize ?? 50, 'DE: popSize');
  const maxIter = positiveInteger(options.maxIter ?? 200, 'DE: maxIter');
  const F = options.F ?? 0.5;
  if (!Number.isFinite(F)) throw new Error(`DE: F must be a finite number, got ${F}`);
  const CR = options.crossoverRate ?? 0.3;
  if (!(CR >= 0 && CR <= 1)) throw new Error(`DE: crossoverRate must lie in [0,1], got ${CR}`);
  const d = objective.dim;
  const rng = new Rng(seed);
  const tracker = new RunTracker('DE', objective, maxIter, options);

  const X = Array.from({ length: pop }, () => new Float64Array(d));
  for (const x of X) for (let j = 0; j < d; j++) x[j] = rng.next();
  const Vm = Array.from({ length: pop }, () => new Float64Array(d));
  const U = Array.from({ length: pop }, () => new Float64Array(d));
  const ridx = new Int32Array(pop * 3);
  const batch: Float64Array[] = [...X, ...U]; // same row objects: parents then trials

  for (let it = 0; it < maxIter; it++) {
    // Mutation: scikit-opt draws the (pop x 3) index matrix, then a (pop x d) matrix of redraws.
    for (let k = 0; k < ridx.length; k++) ridx[k] = rng.int(pop);
    for (let i = 0; i < pop; i++) {
      const a = X[ridx[3 * i]];
      const b = X[ridx[3 * i + 1]];
      const c = X[ridx[3 * i + 2]];
      const v = Vm[i];
      for (let j = 0; j < d; j++) v[j] = a[j] + F * (b[j] - c[j]);
    }
    for (let i = 0; i < pop; i++) {
      const v = Vm[i];
      for (let j = 0; j < d; j++) {
        const redraw = rng.next();
        if (v[j] < 0 || v[j] > 1) v[j] = redraw;
      }
    }
    // Binomial crossover, no forced component.
    for (let i = 0; i < pop; i++) {
      for (let j = 0; j < d; j++) U[i][j] = rng.next() < CR ? Vm[i][j] : X[i][j];
    }
    // Parents re-evaluated together with the trials: one batch of 2 * pop.
    const Y = await tracker.evaluate(batch);
    for (let i = 0; i < pop; i++) {
      if (!(Y[i] < Y[pop + i])) X[i].set(U[i]);
    }
    await tracker.endIteration();
  }

  if (options.finalEvaluation ?? true) await tracker.evaluate([Float64Array.from(tracker.best)]);
  return tracker.result();
}
