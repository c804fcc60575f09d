import { describe, expect, it } from 'vitest';
import { cellVelocities, DarcySolver, fluxDivergence, solveDarcy, type FlowBoundaryConditions } from '../../../physics/core/darcy-flow.js';
import type { Grid } from '../../../physics/core/grid.js';
import { Rng } from '../../../numerics/rng.js';

function linearBc(g: Grid, a: number, b: number, c: number): FlowBoundaryConditions {
  const { nx, ny, dx, dy } = g;
  const W = nx * dx;
  const H = ny * dy;
  const left = new Float64Array(ny);
  const right = new Float64Array(ny);
  const top = new Float64Array(nx);
  const bottom = new Float64Array(nx);
  for (let i = 0; i < ny; i++) {
    const y = (i + 0.5) * dy;
    left[i] = a + c * y;
    right[i] = a + b * W + c * y;
  }
  for (let j = 0; j < nx; j++) {
    const x = (j + 0.5) * dx;
    bottom[j] = a + b * x;
    top[j] = a + b * x + c * H;
  }
  return {
    left: { type: 'dirichlet', value: left },
    right: { type: 'dirichlet', value: right },
    top: { type: 'dirichlet', value: top },
    bottom: { type: 'dirichlet', value: bottom },
  };
}

function randomMobility(n: number, seed: number, sigma: number): Float64Array {
  const rng = new Rng(seed);
  const m = new Float64Array(n);
  for (let c = 0; c < n; c++) m[c] = 1e-9 * Math.exp(sigma * rng.normal());
  return m;
}

describe('solveDarcy', () => {
  const g: Grid = { nx: 37, ny: 23, dx: 0.02, dy: 0.01 };
  const lam = 3e-9;

  for (const preconditioner of ['multigrid', 'mic'] as const) {
    it(`reproduces a linear pressure and uniform velocity in a homogeneous domain (${preconditioner})`, () => {
      const mob = new Float64Array(g.nx * g.ny).fill(lam);
      const b = -250; // Pa/m along x
      const c = 120; // Pa/m along y
      const sol = solveDarcy(g, mob, linearBc(g, 1000, b, c), { tol: 1e-13, preconditioner });
      expect(sol.residual).toBeLessThan(1e-13);
      let maxErr = 0;
      for (let i = 0; i < g.ny; i++) {
        for (let j = 0; j < g.nx; j++) {
          const exact = 1000 + b * (j + 0.5) * g.dx + c * (i + 0.5) * g.dy;
          maxErr = Math.max(maxErr, Math.abs(sol.pressure[i * g.nx + j] - exact));
        }
      }
      expect(maxErr).toBeLessThan(1e-9);
      // face fluxes: q = -lam grad p times face length
      for (const f of sol.fluxX) expect(Math.abs(f / (-lam * b * g.dy) - 1)).toBeLessThan(1e-8);
      for (const f of sol.fluxY) expect(Math.abs(f / (-lam * c * g.dx) - 1)).toBeLessThan(1e-8);
      const { vx, vy } = cellVelocities(g, sol.fluxX, sol.fluxY);
      for (let k = 0; k < vx.length; k++) {
        expect(Math.abs(vx[k] / (-lam * b) - 1)).toBeLessThan(1e-8);
        expect(Math.abs(vy[k] / (-lam * c) - 1)).toBeLessThan(1e-8);
      }
    });
  }

  it('conserves flux exactly in a heterogeneous domain (left/right Dirichlet, no-flow top/bottom)', () => {
    const gg: Grid = { nx: 120, ny: 40, dx: 0.01, dy: 0.01 };
    const mob = randomMobility(gg.nx * gg.ny, 7, 2);
    const sol = solveDarcy(
      gg,
      mob,
      { left: { type: 'dirichlet', value: 500 }, right: { type: 'dirichlet', value: 0 }, top: { type: 'noflow' }, bottom: { type: 'noflow' } },
      { tol: 1e-12 },
    );
    let inflow = 0;
    let outflow = 0;
    for (let i = 0; i < gg.ny; i++) {
      inflow += sol.fluxX[i * (gg.nx + 1)];
      outflow += sol.fluxX[i * (gg.nx + 1) + gg.nx];
    }
    expect(inflow).toBeGreaterThan(0);
    expect(Math.abs(inflow - outflow) / inflow).toBeLessThan(1e-10);
    const div = fluxDivergence(gg, sol.fluxX, sol.fluxY);
    const scale = inflow / gg.ny;
    for (const d of div) expect(Math.abs(d)).toBeLessThan(1e-8 * scale);
    for (let j = 0; j < gg.nx; j++) {
      expect(sol.fluxY[j]).toBe(0);
      expect(sol.fluxY[gg.ny * gg.nx + j]).toBe(0);
    }
    // pressure obeys the maximum principle
    for (const p of sol.pressure) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(500);
    }
  });

  it('gives the harmonic-mean flux through layers in series and the arithmetic one in parallel', () => {
    const gg: Grid = { nx: 8, ny: 5, dx: 0.1, dy: 0.2 };
    const colMob = [1, 4, 0.5, 2, 8, 1, 3, 0.25].map((v) => v * 1e-9);
    const rowMob = [1, 5, 2, 0.1, 3].map((v) => v * 1e-9);
    const bc: FlowBoundaryConditions = {
      left: { type: 'dirichlet', value: 100 },
      right: { type: 'dirichlet', value: 20 },
      top: { type: 'noflow' },
      bottom: { type: 'noflow' },
    };
    const series = new Float64Array(gg.nx * gg.ny);
    const parallel = new Float64Array(gg.nx * gg.ny);
    for (let i = 0; i < gg.ny; i++) {
      for (let j = 0; j < gg.nx; j++) {
        series[i * gg.nx + j] = colMob[j];
        parallel[i * gg.nx + j] = rowMob[i];
      }
    }
    const s = solveDarcy(gg, series, bc, { tol: 1e-14 });
    const resistance = colMob.reduce((acc, m) => acc + gg.dx / m, 0);
    const qSeries = (80 / resistance) * gg.dy;
    for (let i = 0; i < gg.ny; i++) for (let j = 0; j <= gg.nx; j++) expect(s.fluxX[i * (gg.nx + 1) + j] / qSeries).toBeCloseTo(1, 11);
    const p = solveDarcy(gg, parallel, bc, { tol: 1e-14 });
    for (let i = 0; i < gg.ny; i++) {
      const q = ((rowMob[i] * 80) / (gg.nx * gg.dx)) * gg.dy;
      for (let j = 0; j <= gg.nx; j++) expect(p.fluxX[i * (gg.nx + 1) + j] / q).toBeCloseTo(1, 11);
    }
  });

  it('multigrid and MIC preconditioners agree; warm start from the solution needs no iteration', () => {
    const gg: Grid = { nx: 90, ny: 30, dx: 0.01, dy: 0.01 };
    const mob = randomMobility(gg.nx * gg.ny, 3, 1.5);
    const bc = linearBc(gg, 10, 300, -80);
    const solver = new DarcySolver(gg, mob);
    const a = solver.solve(bc, { tol: 1e-12 });
    const b = solveDarcy(gg, mob, bc, { tol: 1e-12, preconditioner: 'mic' });
    expect(a.iterations).toBeLessThan(b.iterations);
    for (let k = 0; k < a.pressure.length; k++) expect(a.pressure[k]).toBeCloseTo(b.pressure[k], 7);
    const warm = solver.solve(bc, { tol: 1e-10, initial: a.pressure });
    expect(warm.iterations).toBe(0);
  });

  it('rejects bad input with messages naming the field', () => {
    const mob = new Float64Array(g.nx * g.ny).fill(1e-9);
    const nf = { type: 'noflow' } as const;
    expect(() => solveDarcy(g, mob, { left: nf, right: nf, top: nf, bottom: nf })).toThrow(/at least one side must be dirichlet/);
    const bad = Float64Array.from(mob);
    bad[5] = 0;
    expect(() => solveDarcy(g, bad, linearBc(g, 0, 1, 1))).toThrow(/mobility\[5\]/);
    expect(() => solveDarcy(g, mob, { ...linearBc(g, 0, 1, 1), left: { type: 'dirichlet', value: new Float64Array(3) } })).toThrow(/bc\.left\.value/);
    expect(() => solveDarcy(g, new Float64Array(4), linearBc(g, 0, 1, 1))).toThrow(/mobility must have one value per cell/);
    expect(() => solveDarcy({ ...g, dx: -1 }, mob, linearBc(g, 0, 1, 1))).toThrow(/grid\.dx/);
  });
});
