/**
 * An objective that is a sum of squares, J(x) = sum_i r_i(x)^2, and hands out the residual vector
 * r(x) itself: what a Gauss-Newton method (Levenberg-Marquardt) needs to build its Jacobian. Every
 * `residuals` row is one forward call, counted like `evaluate`.
 */
import type { Objective } from './objective.js';

export interface ResidualObjective extends Objective {
  /** Residual vectors r(x) for each row of `X` (rows in [0,1]^d); sum of squares = `evaluate`'s J. */
  residuals(X: Float64Array[]): Promise<Float64Array[]>;
}

/** |r|^2: J from a residual vector. */
export function sumOfSquares(r: Float64Array): number {
  let s = 0;
  for (const v of r) s += v * v;
  return s;
}
