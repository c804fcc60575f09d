// Tests physics/fields/gaussian-field.ts (owned with the bioremediation simulator, which is its user).
import { describe, expect, it } from 'vitest';
import { firstColumns, gaussianField, logNormalPermeability, nestedLogNormalPermeability } from '../../../physics/fields/gaussian-field.js';

describe('Gaussian / log-normal permeability fields', () => {
  const grid = { nx: 20, ny: 10, dx: 0.1, dy: 0.1 };
  const opts = { geometricMean: 1e-11, sigmaLnK: 1.2, correlationLengthX: 0.3, correlationLengthY: 0.15, seed: 9 };

  it('the 10x field extends the 1x field: its first W columns are the 1x field exactly', () => {
    const { narrow, wide, wideGrid } = nestedLogNormalPermeability(grid, 10, opts);
    expect(wideGrid.nx).toBe(200);
    expect(wide).toHaveLength(200 * 10);
    for (let i = 0; i < grid.ny; i++) for (let j = 0; j < grid.nx; j++) expect(narrow[i * grid.nx + j]).toBe(wide[i * 200 + j]);
    // and the simulator's 1x member draws the same wide field
    const again = nestedLogNormalPermeability(grid, 10, opts);
    expect(Buffer.from(again.narrow.buffer).equals(Buffer.from(narrow.buffer))).toBe(true);
    expect(firstColumns(wide, 200, 10, 20)).toEqual(narrow);
  });

  it('is seeded: same seed same bytes, other seed different', () => {
    const a = logNormalPermeability(grid, opts);
    const b = logNormalPermeability(grid, opts);
    const c = logNormalPermeability(grid, { ...opts, seed: 10 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(a).not.toEqual(c);
  });

  it('has unit variance, zero mean and the Gaussian correlation exp(-(h/l)^2) (ensemble over seeds)', () => {
    const g = { nx: 40, ny: 40, dx: 0.05, dy: 0.05 };
    const lx = 0.2;
    const ly = 0.1;
    let m = 0;
    let v = 0;
    let cx = 0;
    let cy = 0;
    let cnt = 0;
    let cntx = 0;
    let cnty = 0;
    for (let seed = 0; seed < 60; seed++) {
      const y = gaussianField(g, { correlationLengthX: lx, correlationLengthY: ly, seed });
      for (let i = 0; i < g.ny; i++) {
        for (let j = 0; j < g.nx; j++) {
          const a = y[i * g.nx + j];
          m += a;
          v += a * a;
          cnt++;
          if (j + 4 < g.nx) {
            cx += a * y[i * g.nx + j + 4]; // lag 0.2 m = lx
            cntx++;
          }
          if (i + 2 < g.ny) {
            cy += a * y[(i + 2) * g.nx + j]; // lag 0.1 m = ly
            cnty++;
          }
        }
      }
    }
    expect(Math.abs(m / cnt)).toBeLessThan(0.05);
    expect(v / cnt).toBeGreaterThan(0.9);
    expect(v / cnt).toBeLessThan(1.1);
    expect(cx / cntx).toBeGreaterThan(Math.exp(-1) - 0.06);
    expect(cx / cntx).toBeLessThan(Math.exp(-1) + 0.06);
    expect(cy / cnty).toBeGreaterThan(Math.exp(-1) - 0.06);
    expect(cy / cnty).toBeLessThan(Math.exp(-1) + 0.06);
  });

  it('log-normal: geometric mean and sigma of ln k', () => {
    const g = { nx: 100, ny: 60, dx: 0.01, dy: 0.01 };
    const k = logNormalPermeability(g, { ...opts, correlationLengthX: 0.02, correlationLengthY: 0.02 });
    let s = 0;
    let s2 = 0;
    for (const v of k) {
      const l = Math.log(v / 1e-11);
      s += l;
      s2 += l * l;
    }
    const mean = s / k.length;
    const sd = Math.sqrt(s2 / k.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(sd).toBeGreaterThan(1.0);
    expect(sd).toBeLessThan(1.4);
  });

  it('rejects bad options naming the field', () => {
    expect(() => gaussianField(grid, { correlationLengthX: 0, correlationLengthY: 1, seed: 1 })).toThrow(/correlationLengthX/);
    expect(() => logNormalPermeability(grid, { ...opts, geometricMean: -1 })).toThrow(/geometricMean/);
    expect(() => nestedLogNormalPermeability(grid, 0, opts)).toThrow(/widthFactor/);
  });
});
