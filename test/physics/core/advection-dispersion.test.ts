import { describe, expect, it } from 'vitest';
import { AdvectionDispersion, SIDES, type TransportBoundaryConditions } from '../../../physics/core/advection-dispersion.js';
import { solveDarcy } from '../../../physics/core/darcy-flow.js';
import type { Grid } from '../../../physics/core/grid.js';
import { ogataBanks } from '../../../physics/core/ogata-banks.js';
import { Rng } from '../../../numerics/rng.js';

function column(nx: number, L: number, q: number, phi: number) {
  const g: Grid = { nx, ny: 1, dx: L / nx, dy: 0.01 };
  const fluxX = new Float64Array(nx + 1).fill(q * g.dy);
  const fluxY = new Float64Array(2 * nx);
  const porosity = new Float64Array(nx).fill(phi);
  return { g, fluxX, fluxY, porosity };
}

const colBc: TransportBoundaryConditions = {
  left: { type: 'concentration', value: 1 },
  right: { type: 'outflow' },
  top: { type: 'noflux' },
  bottom: { type: 'noflux' },
};

function ogataError(nx: number, scheme: 'upwind' | 'tvd'): number {
  const L = 1;
  const phi = 0.35;
  const q = 1e-6; // Darcy m/s
  const v = q / phi;
  const aL = 0.01;
  const Dm = 1e-9;
  const D = aL * v + Dm;
  const { g, fluxX, fluxY, porosity } = column(nx, L, q, phi);
  const t = new AdvectionDispersion(g, 1, { scheme });
  t.setFlow({ fluxX, fluxY, porosity, dispersion: { molecularDiffusion: Dm, longitudinal: aL, transverse: 0 } });
  t.setBoundaries(colBc);
  const c = new Float64Array(nx);
  const T = (0.45 * L) / v;
  t.advance([c], T);
  let err = 0;
  for (let j = 0; j < nx; j++) err = Math.max(err, Math.abs(c[j] - ogataBanks((j + 0.5) * g.dx, T, v, D)));
  return err;
}

describe('advection-dispersion vs Ogata-Banks (1-D column)', () => {
  it('TVD matches to < 1% and converges with refinement; upwind to < 4%', () => {
    const tvd200 = ogataError(200, 'tvd');
    const tvd400 = ogataError(400, 'tvd');
    const up400 = ogataError(400, 'upwind');
    expect(tvd400).toBeLessThan(0.01);
    expect(tvd400).toBeLessThan(tvd200);
    expect(up400).toBeLessThan(0.04);
    expect(tvd400).toBeLessThan(up400);
  });

  it('Ogata-Banks itself: c(0) = c0, far field 0, high Peclet without overflow', () => {
    expect(ogataBanks(0, 100, 1e-5, 1e-8)).toBeCloseTo(1, 12);
    expect(ogataBanks(10, 100, 1e-5, 1e-8)).toBe(0);
    const mid = ogataBanks(1, 1e5, 1e-5, 1e-9); // Peclet v x / D = 1e4
    expect(mid).toBeGreaterThan(0.49);
    expect(mid).toBeLessThan(0.51);
  });
});

describe('advection-dispersion conservation and positivity (2-D heterogeneous)', () => {
  const g: Grid = { nx: 60, ny: 24, dx: 0.01, dy: 0.01 };
  const rng = new Rng(11);
  const mob = new Float64Array(g.nx * g.ny);
  for (let c = 0; c < mob.length; c++) mob[c] = 1e-9 * Math.exp(1.5 * rng.normal());
  const flow = solveDarcy(
    g,
    mob,
    {
      left: { type: 'dirichlet', value: 0 },
      right: { type: 'dirichlet', value: 300 },
      top: { type: 'dirichlet', value: 150 },
      bottom: { type: 'dirichlet', value: 400 },
    },
    { tol: 1e-12 },
  );
  const porosity = new Float64Array(g.nx * g.ny);
  for (let c = 0; c < porosity.length; c++) porosity[c] = 0.2 + 0.2 * rng.next();
  const bc: TransportBoundaryConditions = {
    left: { type: 'outflow' },
    right: { type: 'concentration', value: [1, 0, 0.3] },
    top: { type: 'concentration', value: [0, 0.5, 0] },
    bottom: { type: 'noflux' },
  };

  for (const scheme of ['upwind', 'tvd'] as const) {
    it(`storage change equals boundary fluxes to round-off and stays in bounds (${scheme})`, () => {
      const t = new AdvectionDispersion(g, 3, { scheme });
      t.setFlow({ fluxX: flow.fluxX, fluxY: flow.fluxY, porosity, dispersion: { molecularDiffusion: 1e-9, longitudinal: 0.02, transverse: 0.002 } });
      t.setBoundaries(bc);
      const conc = [0, 1, 2].map(() => {
        const c = new Float64Array(g.nx * g.ny);
        for (let k = 0; k < c.length; k++) c[k] = rng.next();
        return c;
      });
      const m0 = Float64Array.from(t.mass(conc));
      const totalIn = new Float64Array(3);
      const dt = 20 * t.maxStableDt();
      for (let step = 0; step < 10; step++) {
        const r = t.advance(conc, dt);
        expect(r.substeps).toBe(20);
        for (let s = 0; s < 3; s++) for (let k = 0; k < SIDES.length; k++) totalIn[s] += r.boundaryIn[s * 4 + k];
      }
      const m1 = t.mass(conc);
      for (let s = 0; s < 3; s++) {
        const scale = Math.max(m0[s], Math.abs(totalIn[s]));
        expect(Math.abs(m1[s] - m0[s] - totalIn[s]) / scale).toBeLessThan(1e-12);
        for (const v of conc[s]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-8);
        }
      }
      // bottom is noflux: nothing crosses it
      for (let s = 0; s < 3; s++) expect(t.advance(conc, dt).boundaryIn[s * 4 + 2]).toBe(0);
    });
  }

  it('per-cell boundary profile: a partial source enters only where the profile is non-zero', () => {
    const gg: Grid = { nx: 10, ny: 6, dx: 0.1, dy: 0.1 };
    const fluxX = new Float64Array((gg.nx + 1) * gg.ny).fill(1e-6 * gg.dy);
    const fluxY = new Float64Array(gg.nx * (gg.ny + 1));
    const t = new AdvectionDispersion(gg, 1);
    t.setFlow({ fluxX, fluxY, porosity: new Float64Array(gg.nx * gg.ny).fill(0.3), dispersion: { molecularDiffusion: 0, longitudinal: 0, transverse: 0 } });
    const profile = [0, 0, 1, 1, 0, 0];
    t.setBoundaries({ left: { type: 'concentration', value: 2, profile }, right: { type: 'outflow' }, top: { type: 'noflux' }, bottom: { type: 'noflux' } });
    const c = [new Float64Array(gg.nx * gg.ny)];
    const r = t.advance(c, (0.3 * 0.1 * 0.3) / 1e-6); // 0.3 pore volumes of one column... fills a few cells
    for (let i = 0; i < gg.ny; i++) {
      if (profile[i]) expect(c[0][i * gg.nx]).toBeGreaterThan(0.5);
      else expect(c[0][i * gg.nx]).toBe(0);
    }
    const inflow = r.boundaryIn[0];
    expect(inflow).toBeCloseTo(2 * 2 * 1e-6 * gg.dy * ((0.3 * 0.1 * 0.3) / 1e-6), 12);
    expect(t.mass(c)[0]).toBeCloseTo(inflow + r.boundaryIn[1], 14);
    expect(() =>
      t.setBoundaries({
        left: { type: 'concentration', value: 1, profile: [1] },
        right: { type: 'outflow' },
        top: { type: 'noflux' },
        bottom: { type: 'noflux' },
      }),
    ).toThrow(/bc\.left\.profile/);
  });

  it('rejects bad input with messages naming the field', () => {
    const t = new AdvectionDispersion(g, 2);
    expect(() => t.advance([new Float64Array(g.nx * g.ny), new Float64Array(g.nx * g.ny)], 1)).toThrow(/setFlow/);
    expect(() =>
      t.setFlow({
        fluxX: flow.fluxX,
        fluxY: flow.fluxY,
        porosity: new Float64Array(g.nx * g.ny),
        dispersion: { molecularDiffusion: 0, longitudinal: 0, transverse: 0 },
      }),
    ).toThrow(/porosity\[0\]/);
    expect(() => t.setBoundaries({ ...bc, right: { type: 'concentration', value: [1, 2, 3] } })).toThrow(/bc\.right\.value/);
    expect(() => new AdvectionDispersion(g, 1, { cfl: 2 })).toThrow(/cfl/);
  });
});
