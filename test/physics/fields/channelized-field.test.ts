import { describe, expect, it } from 'vitest';
import {
  channelizedField,
  channelizedFieldSeeded,
  channelProportion,
  connectsLeftToRight,
  SAND_PERMEABILITY,
  SHALE_PERMEABILITY,
} from '../../../physics/fields/channelized-field.js';
import { Rng } from '../../../numerics/rng.js';

describe('channelizedField (procedural stand-in for MPS channels)', () => {
  const n = 120;
  const fields = Array.from({ length: n }, (_, s) => channelizedFieldSeeded(77, s));

  it('is binary with the two facies permeabilities on an 80 x 80 grid', () => {
    for (const f of fields) {
      expect(f.nx).toBe(80);
      expect(f.ny).toBe(80);
      expect(f.permeability.length).toBe(6400);
      let bad = 0;
      for (let c = 0; c < 6400; c++) {
        if (f.facies[c] !== 0 && f.facies[c] !== 1) bad++;
        if (f.permeability[c] !== (f.facies[c] ? SAND_PERMEABILITY : SHALE_PERMEABILITY)) bad++;
      }
      expect(bad).toBe(0);
      expect(f.channels.length).toBeGreaterThanOrEqual(3);
      expect(f.channels.length).toBeLessThanOrEqual(5);
    }
  });

  it('keeps the channel proportion within the documented band', () => {
    const p = fields.map((f) => channelProportion(f.facies));
    const mean = p.reduce((a, b) => a + b, 0) / n;
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.37);
    for (const v of p) {
      expect(v).toBeGreaterThan(0.1);
      expect(v).toBeLessThan(0.55);
    }
  });

  it('connects the left and right boundaries through channel cells in most realizations', () => {
    const connected = fields.filter((f) => connectsLeftToRight(f.facies, f.nx, f.ny)).length;
    expect(connected / n).toBeGreaterThanOrEqual(0.9);
  });

  it('connectivity check itself: a straight channel connects, a broken one does not', () => {
    const nx = 10,
      ny = 5;
    const f = new Uint8Array(nx * ny);
    for (let j = 0; j < nx; j++) f[2 * nx + j] = 1;
    expect(connectsLeftToRight(f, nx, ny)).toBe(true);
    f[2 * nx + 5] = 0;
    expect(connectsLeftToRight(f, nx, ny)).toBe(false);
    f[1 * nx + 5] = 1; // diagonal-only link is not 4-connected
    expect(connectsLeftToRight(f, nx, ny)).toBe(false);
    f[1 * nx + 4] = 1;
    f[1 * nx + 6] = 1;
    expect(connectsLeftToRight(f, nx, ny)).toBe(true);
  });

  it('is deterministic by seed and index, and respects options', () => {
    const a = channelizedFieldSeeded(77, 5);
    expect(Array.from(a.facies)).toEqual(Array.from(fields[5].facies));
    expect(Array.from(channelizedFieldSeeded(78, 5).facies)).not.toEqual(Array.from(a.facies));
    const none = channelizedField(new Rng(1), { count: [0, 0], nx: 20, ny: 10 });
    expect(channelProportion(none.facies)).toBe(0);
    expect(none.permeability.length).toBe(200);
    expect(() => channelizedField(new Rng(1), { width: [5, 2] })).toThrow(/width/);
  });
});
