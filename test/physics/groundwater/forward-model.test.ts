import { describe, expect, it } from 'vitest';
import { forward, simulateCase } from '../../../physics/groundwater/forward-model.js';
import { getCase } from '../../../physics/groundwater/case-registry.js';
import { case1ZoneMap } from '../../../physics/groundwater/zoned-case.js';
import { DAY, GRAVITY, WATER_DENSITY } from '../../../physics/groundwater/groundwater-case.js';
import { observationGroups, observationLength, observationVector } from '../../../physics/groundwater/observation-layout.js';
import { ogataBanks } from '../../../physics/core/ogata-banks.js';
import { channelizedFieldSeeded } from '../../../physics/fields/channelized-field.js';
import { Rng } from '../../../numerics/rng.js';

const homogeneous = (k: number, c0: number): Float64Array => Float64Array.from({ length: 9 }, (_, i) => (i < 8 ? k : c0));

describe('groundwater forward model through the case wrapper', () => {
  const c1 = getCase('case1');
  const k = 5e-12;
  const sim = simulateCase(c1, homogeneous(k, 0.8));

  it('gives linear heads and an exact flux balance in a homogeneous domain', () => {
    const { nx, ny, dx } = c1.grid;
    let maxErr = 0;
    for (let i = 0; i < ny; i++)
      for (let j = 0; j < nx; j++) {
        const x = (j + 0.5) * dx;
        maxErr = Math.max(maxErr, Math.abs(sim.head[i * nx + j] - (1 - x / 20)));
      }
    expect(maxErr).toBeLessThan(1e-9);
    let qin = 0,
      qout = 0,
      qtb = 0;
    for (let i = 0; i < ny; i++) {
      qin += sim.fluxX[i * (nx + 1)];
      qout += sim.fluxX[i * (nx + 1) + nx];
    }
    for (let j = 0; j < nx; j++) qtb += Math.abs(sim.fluxY[j]) + Math.abs(sim.fluxY[ny * nx + j]);
    const analytic = (k / 1e-3) * WATER_DENSITY * GRAVITY * (1 / 20) * 10; // m^2/s per unit depth
    expect(qin / analytic).toBeCloseTo(1, 9);
    expect(qout / analytic).toBeCloseTo(1, 9);
    expect(qtb).toBe(0);
  });

  it('conserves solute mass: domain amount = cumulative boundary inflow', () => {
    for (let t = 0; t < sim.mass.length; t++) {
      const net = sim.boundaryIn[t].reduce((a, b) => a + b, 0);
      expect(Math.abs(sim.mass[t] - net) / net).toBeLessThan(1e-12);
      expect(sim.boundaryIn[t][2]).toBe(0); // no flux through bottom
      expect(sim.boundaryIn[t][3]).toBe(0); // nor top
    }
    // bounded by [0, C0] up to the flow solve's tolerance (face fluxes are divergence-free to ~1e-11)
    let lo = Infinity,
      hi = -Infinity;
    for (const s of sim.snapshots)
      for (const v of s) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(0.8 * (1 + 1e-9));
    expect(hi).toBeGreaterThan(0.79);
  });

  it('matches the Ogata-Banks 1-D solution along the flow in the homogeneous case', () => {
    const { nx, dx } = c1.grid;
    const q = ((k / 1e-3) * WATER_DENSITY * GRAVITY) / 20; // Darcy velocity, m/s
    const v = q / c1.transport.porosity;
    const D = c1.transport.alphaL * v + c1.transport.diffusion;
    for (const [t, snap] of [
      [1, sim.snapshots[1]],
      [2, sim.snapshots[2]],
    ] as const) {
      const time = c1.observationTimes[t];
      let maxErr = 0;
      for (let j = 0; j < nx; j++) {
        const x = (j + 0.5) * dx;
        maxErr = Math.max(maxErr, Math.abs(snap[20 * nx + j] / 0.8 - ogataBanks(x, time, v, D)));
      }
      expect(maxErr).toBeLessThan(0.03);
    }
  });

  it('concentrations scale exactly with C0 (linear transport)', () => {
    const a = forward(c1, homogeneous(3e-12, 1));
    const b = forward(c1, homogeneous(3e-12, 0.25));
    for (let i = 0; i < a.concentrations.length; i++) expect(b.concentrations[i]).toBeCloseTo(0.25 * a.concentrations[i], 12);
    expect(Array.from(b.heads)).toEqual(Array.from(a.heads));
  });
});

describe('case definitions and observation layout', () => {
  it('case 1 has 8 zones, 25 + 24 points and a 294-long observation vector', () => {
    const c = getCase('case1');
    const zones = case1ZoneMap();
    const counts = new Int32Array(8);
    for (const z of zones) counts[z]++;
    expect(Array.from(counts).every((n) => n > 100)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3200);
    expect(c.points.length).toBe(49);
    expect(c.calibrationPoints.length).toBe(25);
    expect(observationLength(c)).toBe(294);
    const g = observationGroups(c);
    expect(g.calibration.length).toBe(150);
    expect(g.validation.length).toBe(144);
    expect(g.prediction.length).toBe(0);
    const r = forward(c, homogeneous(5e-12, 1));
    const y = observationVector(c, r);
    expect(y.length).toBe(294);
    expect(r.concentrations.length).toBe(5 * 49);
  });

  it('case 2 and 3 observation vectors have the documented lengths and groups', () => {
    const c2 = getCase('case2');
    expect(c2.points.length).toBe(81);
    expect(observationLength(c2)).toBe(81 * 31);
    const g2 = observationGroups(c2);
    expect(g2.calibration.length).toBe(81 * 21);
    expect(g2.prediction.length).toBe(81 * 10);
    expect(c2.timeLabels[19]).toBe('day 40');
    expect(c2.timeLabels[20]).toBe('day 42');
    const c3 = getCase('case3');
    expect(c3.points.length).toBe(36);
    expect(observationLength(c3)).toBe(36 * 16);
    const g3 = observationGroups(c3);
    expect(g3.calibration.length).toBe(36 * 13);
    expect(g3.prediction.length).toBe(36 * 3);
    expect(c3.timeLabels[11]).toBe('year 24');
    expect(c3.timeLabels.slice(12)).toEqual(['year 26', 'year 28', 'year 30']);
  });
});

describe('sensitivity and plume arrival', () => {
  it('case 1: every zone permeability changes the observations', () => {
    const c = getCase('case1');
    const base = Float64Array.from([3e-12, 4e-12, 5e-12, 6e-12, 7e-12, 3e-12, 4e-12, 5e-12, 0.5]);
    const y0 = observationVector(c, forward(c, base));
    for (let z = 0; z < 8; z++) {
      const p = Float64Array.from(base);
      p[z] *= 1.5;
      const y = observationVector(c, forward(c, p));
      let d = 0;
      for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(y[i] - y0[i]));
      expect(d).toBeGreaterThan(1e-3);
    }
    // plume reaches observation points within the 20 days
    const arrived = y0.slice(49 + 4 * 49).filter((v) => v > 0.01 * 0.5).length;
    expect(arrived).toBeGreaterThan(15);
  });

  it('case 2: KL coefficients change heads and concentrations; the plume reaches most wells by day 40', () => {
    const c = getCase('case2');
    const rng = new Rng(4);
    const xi = Float64Array.from({ length: 100 }, () => rng.normal());
    const y0 = observationVector(c, forward(c, xi));
    const p = Float64Array.from(xi);
    p[0] += 1;
    const y1 = observationVector(c, forward(c, p));
    let dh = 0,
      dc = 0;
    for (let i = 0; i < 81; i++) dh = Math.max(dh, Math.abs(y1[i] - y0[i]));
    for (let i = 81; i < y0.length; i++) dc = Math.max(dc, Math.abs(y1[i] - y0[i]));
    expect(dh).toBeGreaterThan(1e-3);
    expect(dc).toBeGreaterThan(1e-2);
    const day40 = y0.slice(81 + 19 * 81, 81 + 20 * 81);
    expect(day40.filter((v) => v > 0.01).length).toBeGreaterThan(40);
  });

  it('case 3: channel geometry changes the observations; solute reaches wells within 24 years', () => {
    const c = getCase('case3');
    const f = Float64Array.from(channelizedFieldSeeded(9, 0).facies);
    const g = Float64Array.from(channelizedFieldSeeded(9, 1).facies);
    const y0 = observationVector(c, forward(c, f));
    const y1 = observationVector(c, forward(c, g));
    let d = 0;
    for (let i = 0; i < y0.length; i++) d = Math.max(d, Math.abs(y1[i] - y0[i]));
    expect(d).toBeGreaterThan(0.1);
    const year24 = y0.slice(36 + 11 * 36, 36 + 12 * 36);
    expect(year24.filter((v) => v > 0.01).length).toBeGreaterThanOrEqual(4);
    // heads fall from 5 m to 0 m across the domain
    expect(y0[0]).toBeGreaterThan(y0[5]);
    expect(Math.max(...y0.slice(0, 36))).toBeLessThan(5);
    expect(Math.min(...y0.slice(0, 36))).toBeGreaterThan(0);
  });

  it('rejects parameter vectors of the wrong length with the fix in the message', () => {
    expect(() => forward('case1', new Float64Array(3))).toThrow(/9 values/);
    expect(() => forward('case2', new Float64Array(3))).toThrow(/100 standard-normal/);
    expect(() => forward('case3', new Float64Array(3))).toThrow(/6400 facies/);
  });
});

describe('case 3 parameter mapping', () => {
  it('interpolates ln k linearly between the facies for fractional indicators', () => {
    const c = getCase('case3');
    const v = new Float64Array(6400);
    v[1] = 1;
    v[2] = 0.5;
    const k = c.permeability(v);
    expect(k[0]).toBeCloseTo(1e-13, 25);
    expect(k[1] / 5.46e-12).toBeCloseTo(1, 12);
    expect(k[2] / Math.sqrt(1e-13 * 5.46e-12)).toBeCloseTo(1, 12);
    v[3] = 1.2;
    expect(() => c.permeability(v)).toThrow(/params\[3\]/);
  });
});

describe('time units', () => {
  it('case 1 observes at days 4..20', () => {
    expect(Array.from(getCase('case1').observationTimes)).toEqual([4, 8, 12, 16, 20].map((d) => d * DAY));
  });
});
