import { describe, expect, it } from 'vitest';
import { latinHypercube, scaleToBounds } from '../../numerics/latin-hypercube.js';
import { Rng } from '../../numerics/rng.js';

describe('latinHypercube', () => {
  it('hits each of the n strata of every dimension exactly once', () => {
    for (const [n, d] of [
      [1, 3],
      [7, 2],
      [100, 9],
      [257, 5],
    ] as const) {
      const rows = latinHypercube(n, d, new Rng(42 + n));
      expect(rows.length).toBe(n);
      for (let k = 0; k < d; k++) {
        const hits = new Int32Array(n);
        for (const r of rows) {
          expect(r.length).toBe(d);
          expect(r[k]).toBeGreaterThanOrEqual(0);
          expect(r[k]).toBeLessThan(1);
          hits[Math.floor(r[k] * n)]++;
        }
        expect(Array.from(hits).every((h) => h === 1)).toBe(true);
      }
    }
  });

  it('places points randomly inside strata (not at centres) and decorrelates dimensions', () => {
    const n = 2000;
    const rows = latinHypercube(n, 2, new Rng(3));
    // offsets within strata ~ U(0,1): mean 0.5, variance 1/12
    let m = 0,
      v = 0;
    for (const r of rows) m += r[0] * n - Math.floor(r[0] * n);
    m /= n;
    for (const r of rows) v += (r[0] * n - Math.floor(r[0] * n) - m) ** 2;
    v /= n;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(v - 1 / 12)).toBeLessThan(0.01);
    let c = 0;
    for (const r of rows) c += (r[0] - 0.5) * (r[1] - 0.5);
    expect(Math.abs(c / n) * 12).toBeLessThan(0.08); // correlation ~ N(0, 1/sqrt(n))
  });

  it('is deterministic by seed', () => {
    const a = latinHypercube(50, 4, new Rng(9));
    const b = latinHypercube(50, 4, new Rng(9));
    const c = latinHypercube(50, 4, new Rng(10));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects bad sizes and scales to bounds', () => {
    expect(() => latinHypercube(0, 2, new Rng(1))).toThrow(/n \(number of samples\)/);
    expect(() => latinHypercube(3, 1.5, new Rng(1))).toThrow(/d \(dimension\)/);
    const x = scaleToBounds([Float64Array.of(0, 0.5, 1)], [1, 2, 3], [3, 4, 5]);
    expect(Array.from(x[0])).toEqual([1, 3, 5]);
  });
});
