/**
 * Ogata & Banks (1961): 1-D advection-dispersion in a semi-infinite column x >= 0, initially clean,
 * with a constant concentration c0 imposed at x = 0 from t = 0 on:
 *
 *     dc/dt + v dc/dx = D d2c/dx2,
 *     c(x, t) / c0 = 1/2 [ erfc((x - v t) / (2 sqrt(D t))) + exp(v x / D) erfc((x + v t) / (2 sqrt(D t))) ]
 *
 * v: pore (seepage) velocity (m/s), D: dispersion coefficient (m^2/s), t in s, x in m. The second
 * term is evaluated as exp(-((x - v t)^2) / (4 D t)) * erfcx((x + v t) / (2 sqrt(D t))), which equals
 * it exactly and never overflows (exp(v x / D) alone does for Peclet numbers above ~700).
 */
import { erfc, erfcx } from '../../numerics/error-function.js';

export function ogataBanks(x: number, t: number, v: number, D: number, c0 = 1): number {
  if (!(D > 0)) throw new Error(`ogataBanks: dispersion coefficient D must be > 0 (m^2/s), got ${D}`);
  if (!(v >= 0)) throw new Error(`ogataBanks: velocity v must be >= 0 (flow into the column), got ${v}`);
  if (x < 0) throw new Error(`ogataBanks: x must be >= 0 (m), got ${x}`);
  if (t <= 0) return 0;
  const s = 2 * Math.sqrt(D * t);
  const z1 = (x - v * t) / s;
  const z2 = (x + v * t) / s;
  return 0.5 * c0 * (erfc(z1) + Math.exp(-z1 * z1) * erfcx(z2));
}
