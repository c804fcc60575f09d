import { describe, expect, it } from 'vitest';
import { bitsPerVariable, grayDecode, grayEncode, grayEncodeInteger } from '../../../inversion/optimizers/gray-code.js';
import { Rng } from '../../../numerics/rng.js';

describe('Gray coding (scikit-opt GA layout)', () => {
  it('uses ceil(log2(width/precision + 1)) bits', () => {
    expect(bitsPerVariable(1, 1e-7)).toBe(24); // log2(1e7 + 1) = 23.25
    expect(bitsPerVariable(1, 1 / 7)).toBe(3); // log2(8) = 3 exactly
    expect(bitsPerVariable(9.9e-12 - 1e-12, 1e-7)).toBe(1); // physical units collapse to 1 bit
    expect(() => bitsPerVariable(1, 0)).toThrow(/precision/);
  });

  it('encodes 0..7 as the reflected Gray code and decodes to v / (2^L - 1)', () => {
    const codes = ['000', '001', '011', '010', '110', '111', '101', '100'];
    const bits = new Uint8Array(3);
    for (let v = 0; v < 8; v++) {
      grayEncodeInteger(v, bits, 0, 3);
      expect(Array.from(bits).join('')).toBe(codes[v]);
      expect(grayDecode(bits, 0, 3)).toBe(v / 7);
    }
  });

  it('round-trips random 24-bit integers and grid values at an offset', () => {
    const rng = new Rng(7);
    const L = 24;
    const bits = new Uint8Array(5 + L);
    for (let t = 0; t < 500; t++) {
      const v = rng.int(2 ** L);
      grayEncodeInteger(v, bits, 5, L);
      expect(grayDecode(bits, 5, L) * (2 ** L - 1)).toBeCloseTo(v, 6);
      const u = rng.next();
      grayEncode(u, bits, 5, L);
      expect(Math.abs(grayDecode(bits, 5, L) - u)).toBeLessThanOrEqual(0.5 / (2 ** L - 1) + 1e-15);
    }
    grayEncode(1, bits, 0, L);
    expect(grayDecode(bits, 0, L)).toBe(1);
    grayEncode(0, bits, 0, L);
    expect(grayDecode(bits, 0, L)).toBe(0);
  });

  it('neighbouring integers differ in exactly one bit', () => {
    const a = new Uint8Array(10);
    const b = new Uint8Array(10);
    for (let v = 0; v < 1023; v++) {
      grayEncodeInteger(v, a, 0, 10);
      grayEncodeInteger(v + 1, b, 0, 10);
      let diff = 0;
      for (let k = 0; k < 10; k++) diff += a[k] ^ b[k];
      expect(diff).toBe(1);
    }
  });
});
