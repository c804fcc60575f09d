/**
 * Observation noise model of the inversion study (Chen et al. 2025, HESS 29):
 * multiplicative Gaussian noise `y_obs = y * eps`, `eps ~ N(1, sigma^2)`, drawn independently per
 * component from a seeded `Rng`. The paper applies it to min-max normalised outputs with
 * sigma = 0.01 (0.1 in a case-3 robustness variant).
 */
import { Rng } from '../../numerics/rng.js';

/** Returns a new array `y[i] * (1 + sigma * z_i)`, `z_i ~ N(0, 1)` drawn in index order from `rng`. */
export function multiplicativeNoise(y: ArrayLike<number>, sigma: number, rng: Rng): Float64Array {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`multiplicativeNoise: sigma must be a finite number >= 0, got ${sigma}`);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] * (1 + sigma * rng.normal());
  return out;
}

/** Same as `multiplicativeNoise` with a generator built from an explicit seed (and optional stream ids). */
export function multiplicativeNoiseSeeded(y: ArrayLike<number>, sigma: number, seed: number, ...stream: number[]): Float64Array {
  return multiplicativeNoise(y, sigma, Rng.derive(seed, ...stream));
}
