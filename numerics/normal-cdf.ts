/** Standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2 (the inverse of ./normal-quantile.ts). */
import { erfc } from './error-function.js';

export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
