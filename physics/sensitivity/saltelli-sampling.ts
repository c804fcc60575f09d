/**
 * Saltelli sampling for first-order and total Sobol indices (Saltelli 2002/2010, no second order).
 * From a 2d-dimensional (scrambled, seeded) Sobol' sequence take matrices A (first d columns) and
 * B (last d columns); for each base point j the design holds, in this order,
 *   A_j, AB_j^(1), ..., AB_j^(d), B_j
 * where AB^(i) is A with column i taken from B. That is N (d + 2) model evaluations; run index
 * r = j (d + 2) + k. The same layout is used by the estimators, so evaluations can arrive in any
 * order and be reassembled by run index.
 */
import { SobolSequence } from '../../numerics/sobol-sequence.js';

export interface SaltelliDesign {
  base: number;
  dims: number;
  /** Number of model evaluations: base * (dims + 2). */
  size: number;
}

export function saltelliDesign(base: number, dims: number): SaltelliDesign {
  if (!Number.isInteger(base) || base < 2) throw new Error(`samples must be an integer >= 2, got ${base}`);
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`the model needs at least one parameter, got ${dims}`);
  return { base, dims, size: base * (dims + 2) };
}

/** Design points (unit cube) one at a time in run-index order: planning in bounded memory. */
export function* saltelliPointStream(design: SaltelliDesign, seed: number): Generator<Float64Array> {
  const { base, dims } = design;
  // Skip the first point of the unscrambled sequence convention; scrambling makes it random anyway.
  const gen = new SobolSequence(2 * dims, { scramble: { seed }, skip: 0 });
  for (let j = 0; j < base; j++) {
    const p = gen.next();
    const A = p.subarray(0, dims);
    const B = p.subarray(dims, 2 * dims);
    yield Float64Array.from(A);
    for (let i = 0; i < dims; i++) {
      const ab = Float64Array.from(A);
      ab[i] = B[i];
      yield ab;
    }
    yield Float64Array.from(B);
  }
}

/** All design points (unit cube) in run-index order. */
export function saltelliPoints(design: SaltelliDesign, seed: number): Float64Array[] {
  return [...saltelliPointStream(design, seed)];
}
