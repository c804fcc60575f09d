import { describe, expect, it } from 'vitest';
import { sobolDirectionNumbers, sobolSequence, SobolSequence, SOBOL_MAX_DIMENSION } from '../../numerics/sobol-sequence.js';
import { latinHypercube } from '../../numerics/latin-hypercube.js';
import { Rng } from '../../numerics/rng.js';

/** Squared L2-star discrepancy (Warnock's formula), O(n^2 d). */
function l2StarDiscrepancySq(rows: Float64Array[]): number {
  const n = rows.length;
  const d = rows[0].length;
  let s1 = 0;
  for (const x of rows) {
    let p = 1;
    for (let k = 0; k < d; k++) p *= (1 - x[k] * x[k]) / 2;
    s1 += p;
  }
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let p = 1;
      for (let k = 0; k < d; k++) p *= 1 - Math.max(rows[i][k], rows[j][k]);
      s2 += p;
    }
  }
  return 3 ** -d - (2 / n) * s1 + s2 / (n * n);
}

describe('sobolSequence (Joe & Kuo new-joe-kuo-6.21201)', () => {
  it('matches the reference points for d = 1..3', () => {
    // Joe & Kuo / SciPy qmc.Sobol(scramble=False): index 0 is the origin.
    const ref = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ];
    for (let d = 1; d <= 3; d++) {
      const pts = sobolSequence(8, d);
      expect(pts.map((p) => Array.from(p))).toEqual(ref.map((r) => r.slice(0, d)));
    }
    const skipped = sobolSequence(2, 2, { skip: 1 });
    expect(skipped.map((p) => Array.from(p))).toEqual([
      [0.5, 0.5],
      [0.75, 0.25],
    ]);
  });

  it('matches SciPy 1.17 values in high dimensions (spot checks)', () => {
    // qmc.Sobol(d=1024, scramble=False).random(2048): rows 1000 and 2047, selected columns.
    const gen = new SobolSequence(1024, { skip: 1000 });
    const p = gen.next();
    expect([p[0], p[1], p[63], p[511], p[1023]]).toEqual([0.2197265625, 0.0966796875, 0.4462890625, 0.3955078125, 0.7138671875]);
    gen.seek(2047);
    const q = gen.next();
    expect([q[2], q[100], q[1023]]).toEqual([0.93115234375, 0.56298828125, 0.32080078125]);
    expect(sobolDirectionNumbers(1)[0]).toBe(2 ** 31);
    // Dimension 4 (s=3, a=1, m = 1 3 1): V_4 follows the recurrence m_4 = 2a1 m3 ^ 4a2 m2 ^ 8 m1 ^ m1.
    const V = sobolDirectionNumbers(3);
    expect(V[0] >>> 28).toBe(1 * 8); // m1 = 1 left-aligned in 32 bits
    expect(V[3] >>> 28).toBe(m4(3, 1, [1, 3, 1]));
  });

  it('skip / seek agree with sequential generation', () => {
    const all = sobolSequence(300, 7);
    const tail = sobolSequence(45, 7, { skip: 255 });
    for (let i = 0; i < 45; i++) expect(Array.from(tail[i])).toEqual(Array.from(all[255 + i]));
  });

  it('is a (t,m,s)-net in each 1-D projection: the first 2^m points hit every interval once, also when scrambled', () => {
    for (const scramble of [undefined, { seed: 5 }, { seed: 6, method: 'shift' as const }]) {
      const pts = sobolSequence(256, 40, { scramble });
      for (let k = 0; k < 40; k++) {
        const hits = new Int32Array(256);
        for (const p of pts) hits[Math.floor(p[k] * 256)]++;
        expect(Array.from(hits).every((h) => h === 1)).toBe(true);
      }
      // 2-D elementary intervals 16 x 16 of the first two dims (t = 0 for dims 1,2): one point each
      const cells = new Int32Array(256);
      for (const p of pts) cells[Math.floor(p[0] * 16) * 16 + Math.floor(p[1] * 16)]++;
      expect(Array.from(cells).every((h) => h === 1)).toBe(true);
    }
  });

  it('has lower L2-star discrepancy than random and LHS points', () => {
    const n = 256;
    const d = 4;
    const sob = l2StarDiscrepancySq(sobolSequence(n, d, { scramble: { seed: 1 } }));
    let rnd = 0;
    let lhs = 0;
    for (let r = 0; r < 5; r++) {
      const rng = new Rng(100 + r);
      const pts: Float64Array[] = [];
      for (let i = 0; i < n; i++) pts.push(Float64Array.from({ length: d }, () => rng.next()));
      rnd += l2StarDiscrepancySq(pts) / 5;
      lhs += l2StarDiscrepancySq(latinHypercube(n, d, new Rng(200 + r))) / 5;
    }
    expect(sob).toBeLessThan(rnd / 5);
    expect(sob).toBeLessThan(lhs / 2);
  });

  it('scrambling is seeded, changes the points and keeps the mean near 1/2', () => {
    const a = sobolSequence(64, 10, { scramble: { seed: 11 } });
    const b = sobolSequence(64, 10, { scramble: { seed: 11 } });
    const c = sobolSequence(64, 10, { scramble: { seed: 12 } });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0].some((v) => v !== 0)).toBe(true);
    for (let k = 0; k < 10; k++) {
      let m = 0;
      for (const p of a) m += p[k];
      expect(Math.abs(m / 64 - 0.5)).toBeLessThan(1 / 64);
    }
  });

  it('rejects bad dimensions and options', () => {
    expect(() => sobolSequence(4, 0)).toThrow(/d \(dimension\)/);
    expect(() => sobolSequence(4, SOBOL_MAX_DIMENSION + 1)).toThrow(/d \(dimension\)/);
    expect(() => sobolSequence(4, 2, { skip: -1 })).toThrow(/skip/);
  });
});

/** Direction-number recurrence by hand for degree-3 polynomials (4-bit m_{s+1}). */
function m4(s: number, a: number, m: number[]): number {
  // m_k = 2 a_1 m_{k-1} ^ 4 a_2 m_{k-2} ^ ... ^ 2^s m_{k-s} ^ m_{k-s}
  const k = s; // 0-based index of m_{s+1}
  let v = (2 ** s * m[k - s]) ^ m[k - s];
  for (let i = 1; i < s; i++) if ((a >> (s - 1 - i)) & 1) v ^= 2 ** i * m[k - i];
  return v;
}
