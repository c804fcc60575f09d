/**
 * Genetic algorithm with scikit-opt's `sko.GA.GA` semantics (read from its source, v0.6.6):
 *
 * - chromosome: per variable a Gray-coded segment of L = ceil(log2((ub - lb)/precision + 1)) bits
 *   (here ub - lb = 1, precision 1e-7 -> 24 bits), initial bits uniform 0/1;
 * - each generation: decode, evaluate the whole population in ONE batch, fitness = -J,
 *   tournament selection (size 3, aspirants drawn with replacement, first best wins ties),
 *   two-point crossover always applied to the pair (row i, row i + pop/2) with cut points
 *   n1, n2 ~ U{0..len-1} sorted and bits [n1, n2) swapped, bit-flip mutation with probability
 *   `probMut` per bit; no elitism (the generation's best may be lost);
 * - the generation best is recorded before selection; at the end scikit-opt evaluates the best
 *   point once more (`best_y = func(best_x)`), so calls = pop * iters + 1 (`finalEvaluation`).
 *
 * Optimises in [0,1]^d (in physical units the binary precision collapses; see the science doc).
 */
import { Rng } from '../../numerics/rng.js';
import type { Objective } from '../objective/objective.js';
import { bitsPerVariable, grayDecode } from './gray-code.js';
import type { CommonOptimizerOptions, OptimizerResult } from './optimizer-result.js';
import { RunTracker, checkSeed, positiveInteger } from './run-tracker.js';

export interface GAOptions extends CommonOptimizerOptions {
  /** Population size (even); default 50. */
  popSize?: number;
  /** Generations; default 200. */
  maxIter?: number;
  /** Per-bit mutation probability; default 0.001. */
  probMut?: number;
  /** Binary precision in normalised units; default 1e-7. */
  precision?: number;
  /** Tournament size; default 3. */
  tournamentSize?: number;
  /** Re-evaluate the best point once at the end, as scikit-opt does (+1 call); default true. */
  finalEvaluation?: boolean;
}

export async function runGA(objective: Objective, options: GAOptions): Promise<OptimizerResult> {
  const seed = checkSeed(options.seed, 'GA');
  const pop = positiveInteger(options.popSize ?? 50, 'GA: popSize');
  if (pop % 2 !== 0) throw new Error(`GA: popSize must be even (rows i and i + pop/2 are paired), got ${pop}`);
  const maxIter = positiveInteger(options.maxIter ?? 200, 'GA: maxIter');
  const probMut = options.probMut ?? 0.001;
  if (!(probMut >= 0 && probMut <= 1)) throw new Error(`GA: probMut must lie in [0,1], got ${probMut}`);
  const tourn = positiveInteger(options.tournamentSize ?? 3, 'GA: tournamentSize');
  const d = objective.dim;
  const L = bitsPerVariable(1, options.precision ?? 1e-7);
  const len = L * d;
  const rng = new Rng(seed);
  const tracker = new RunTracker('GA', objective, maxIter, options);

  let chrom = new Uint8Array(pop * len);
  for (let i = 0; i < chrom.length; i++) chrom[i] = rng.int(2);
  let next = new Uint8Array(pop * len);
  const X: Float64Array[] = Array.from({ length: pop }, () => new Float64Array(d));
  const half = pop / 2;

  for (let it = 0; it < maxIter; it++) {
    for (let r = 0; r < pop; r++) {
      for (let j = 0; j < d; j++) X[r][j] = grayDecode(chrom, r * len + j * L, L);
    }
    const Y = await tracker.evaluate(X);

    // Tournament selection on fitness -J (argmax of -J = argmin of J, first one on ties).
    for (let r = 0; r < pop; r++) {
      let win = rng.int(pop);
      for (let t = 1; t < tourn; t++) {
        const c = rng.int(pop);
        if (Y[c] < Y[win]) win = c;
      }
      next.set(chrom.subarray(win * len, (win + 1) * len), r * len);
    }
    [chrom, next] = [next, chrom];

    // Two-point crossover, always applied: row i with row i + pop/2, bits [n1, n2) swapped.
    for (let i = 0; i < half; i++) {
      let n1 = rng.int(len);
      let n2 = rng.int(len);
      if (n1 > n2) [n1, n2] = [n2, n1];
      const a = i * len;
      const b = (i + half) * len;
      for (let k = n1; k < n2; k++) {
        const t = chrom[a + k];
        chrom[a + k] = chrom[b + k];
        chrom[b + k] = t;
      }
    }

    // Bit-flip mutation.
    for (let k = 0; k < chrom.length; k++) if (rng.next() < probMut) chrom[k] ^= 1;

    await tracker.endIteration();
  }

  if (options.finalEvaluation ?? true) await tracker.evaluate([Float64Array.from(tracker.best)]);
  return tracker.result();
}
