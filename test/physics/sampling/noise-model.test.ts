import { describe, expect, it } from 'vitest';
import { multiplicativeNoise, multiplicativeNoiseSeeded } from '../../../physics/sampling/noise-model.js';
import { Rng } from '../../../numerics/rng.js';

describe('multiplicativeNoise', () => {
  it('has eps = y_obs / y with mean 1 and standard deviation sigma', () => {
    const n = 20000;
    const y = Float64Array.from({ length: n }, (_, i) => 0.1 + (i % 10) / 10);
    const sigma = 0.01;
    const obs = multiplicativeNoise(y, sigma, new Rng(1));
    let m = 0,
      v = 0;
    for (let i = 0; i < n; i++) m += obs[i] / y[i];
    m /= n;
    for (let i = 0; i < n; i++) v += (obs[i] / y[i] - m) ** 2;
    const sd = Math.sqrt(v / (n - 1));
    expect(Math.abs(m - 1)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(Math.abs(sd - sigma) / sigma).toBeLessThan(0.03);
  });

  it('keeps zeros at zero, is deterministic by seed and does not touch the input', () => {
    const y = Float64Array.of(0, 1, 2);
    const a = multiplicativeNoiseSeeded(y, 0.1, 7, 3);
    const b = multiplicativeNoiseSeeded(y, 0.1, 7, 3);
    const c = multiplicativeNoiseSeeded(y, 0.1, 7, 4);
    expect(a[0]).toBe(0);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(y)).toEqual([0, 1, 2]);
    expect(Array.from(multiplicativeNoise(y, 0, new Rng(1)))).toEqual([0, 1, 2]);
    expect(() => multiplicativeNoise(y, -1, new Rng(1))).toThrow(/sigma/);
  });
});
