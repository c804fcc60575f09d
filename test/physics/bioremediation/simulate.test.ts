import { describe, expect, it } from 'vitest';
import { PARAMETERS, defaultScenario, sampleScenarios, type Scenario } from '../../../physics/bioremediation/parameters.js';
import { PRESETS } from '../../../physics/bioremediation/presets.js';
import { BIOMASS_GROWTH_FACTOR, domainMean, penetrationLength, scalarOutputs } from '../../../physics/bioremediation/scalar-outputs.js';
import { FIELD_NAMES, simulateBioremediation, simulatePair } from '../../../physics/bioremediation/simulate.js';

/** The interpolation baseline: repeat every column `factor` times along W. */
function stretchColumns(f: Float32Array, shape: readonly [number, number, number], factor: number): Float32Array {
  const [t, h, w] = shape;
  const out = new Float32Array(t * h * w * factor);
  for (let k = 0; k < t * h; k++) for (let j = 0; j < w; j++) out.fill(f[k * w + j], k * w * factor + j * factor, k * w * factor + (j + 1) * factor);
  return out;
}

function corner(which: 'min' | 'max'): Scenario {
  const s = {} as Scenario;
  for (const p of PARAMETERS) s[p.name] = which === 'min' ? p.min : p.max;
  return s;
}

describe('simulateBioremediation', () => {
  it('returns [t,h,w] float32 fields at the output times, with mass balance to round-off', () => {
    const r = simulateBioremediation(defaultScenario(), { preset: 'tiny', seed: 3 });
    const { nx, ny } = PRESETS.tiny.grid;
    expect(r.shape).toEqual([4, ny, nx]);
    expect(r.times).toEqual([240, 480, 720, 960]);
    for (const v of FIELD_NAMES) {
      expect(r.fields[v]).toBeInstanceOf(Float32Array);
      expect(r.fields[v]).toHaveLength(4 * ny * nx);
      for (const x of r.fields[v]) expect(Number.isFinite(x)).toBe(true);
    }
    for (const sp of ['B', 'ED', 'Cr'] as const) expect(r.summary.massBalanceError[sp]).toBeLessThan(1e-12);
    expect(r.summary.budgets.ED.boundaryIn).toBeGreaterThan(0); // amendment enters from the right
    expect(r.summary.budgets.ED.reacted).toBeGreaterThan(0);
    expect(r.summary.meanB).toHaveLength(4);
    expect(r.summary.meanB[3]).toBeCloseTo(domainMean(r.fields.B, r.shape), 5);
    expect(r.summary.flowSolves).toBeGreaterThanOrEqual(2);
  });

  it('is deterministic: same scenario and seed give the same bytes; another seed differs', () => {
    const s = sampleScenarios(3, 5)[1];
    const a = simulateBioremediation(s, { preset: 'tiny', seed: 8, scale: 10 });
    const b = simulateBioremediation(s, { preset: 'tiny', seed: 8, scale: 10 });
    const c = simulateBioremediation(s, { preset: 'tiny', seed: 9, scale: 10 });
    for (const v of FIELD_NAMES) expect(Buffer.from(a.fields[v].buffer).equals(Buffer.from(b.fields[v].buffer))).toBe(true);
    expect(Buffer.from(a.fields.k.buffer).equals(Buffer.from(c.fields.k.buffer))).toBe(false);
  });

  it('stays non-negative and balanced at the extreme corners of the parameter table', () => {
    const lo = corner('min');
    const hi = corner('max');
    const fastGrowth = { ...hi, Sd1: lo.Sd1, decayRate: lo.decayRate, alpha: lo.alpha, flowRegime: 1 };
    for (const s of [lo, hi, fastGrowth]) {
      for (const scheme of ['upwind', 'tvd'] as const) {
        const r = simulateBioremediation(s, { preset: 'tiny', seed: 1, scheme });
        for (const v of ['B', 'ED', 'Cr', 'phi', 'k'] as const) {
          let min = Infinity;
          for (const x of r.fields[v]) min = Math.min(min, x);
          expect(min, `${v} (${scheme})`).toBeGreaterThanOrEqual(0);
        }
        for (const x of r.fields.phi) expect(x).toBeGreaterThan(0);
        for (const sp of ['B', 'ED', 'Cr'] as const) expect(r.summary.massBalanceError[sp]).toBeLessThan(1e-11);
      }
    }
  });

  it('pairs: 10x member is 10x wider with the same times; 2x-resolution member doubles h and w', () => {
    const s = defaultScenario();
    const p = simulatePair(s, 'tiny', 'scale10x', 4);
    expect(p.target.shape).toEqual([p.input.shape[0], p.input.shape[1], p.input.shape[2] * 10]);
    expect(p.target.times).toEqual(p.input.times);
    const q = simulatePair(s, 'tiny', 'resolution2x', 4);
    expect(q.target.shape).toEqual([q.input.shape[0], 2 * q.input.shape[1], 2 * q.input.shape[2]]);
    // homogeneous permeability before clogging: the first output's k is kGeoMean wherever biomass stayed small
    expect(Math.max(...q.input.fields.k)).toBeLessThanOrEqual(s.kGeoMean * (1 + 1e-6));
    // same boundary values: at the top-left corner cell the pressure differs only by the half-cell offset
    expect(() => simulateBioremediation(s, { preset: 'tiny', seed: 1, resolution: 2, permeability: 'heterogeneous' })).toThrow(/homogeneous/);
  });

  it('same boundary values at 1x and 10x: linear pressure, 10x smaller longitudinal gradient, Darcy velocities', () => {
    // homogeneous permeability and almost no biomass, so k stays uniform and p is exactly linear
    const s = { ...defaultScenario(), biomass0: 1e-3, lambdaB: 1e-5, edInjection: 1e-3 };
    const progress: number[] = [];
    const one = simulateBioremediation(s, { preset: 'tiny', seed: 2, permeability: 'homogeneous', onProgress: (p) => progress.push(p.fraction) });
    const ten = simulateBioremediation(s, { preset: 'tiny', seed: 2, scale: 10, permeability: 'homogeneous' });
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    const P = (r: typeof one, i: number, j: number) => r.fields.P[i * r.shape[2] + j]; // first output
    const [, h, w1] = one.shape;
    const w10 = ten.shape[2];
    const dLR1 = P(one, 0, w1 - 1) - P(one, 0, 0);
    const dLR10 = P(ten, 0, w10 - 1) - P(ten, 0, 0);
    // cell centres span (1 - 1/nx) of the width: the same corner difference dpLR at both scales
    expect(dLR10 / (1 - 1 / w10) / (dLR1 / (1 - 1 / w1))).toBeCloseTo(1, 3);
    expect(dLR1).toBeGreaterThan(0); // right higher: flow towards the left, from the nutrient side
    // vertical difference identical
    expect((P(ten, h - 1, 0) - P(ten, 0, 0)) / (P(one, h - 1, 0) - P(one, 0, 0))).toBeCloseTo(1, 3);
    // Darcy velocity (m/h) = -k/mu dp/dx * 3600, uniform; 10x smaller at 10x
    const dx = one.grid.dx;
    const vx1 = (-s.kGeoMean / 1e-3) * (dLR1 / ((w1 - 1) * dx)) * 3600;
    for (let c = 0; c < h * w1; c++) expect(one.fields.Vx[c] / vx1).toBeCloseTo(1, 3);
    expect(ten.fields.Vx[0] / (vx1 / 10)).toBeCloseTo(1, 3);
    expect(one.fields.Vy[0]).toBeCloseTo(ten.fields.Vy[0], 8);
  });

  it("a preset's fluxScale multiplies the longitudinal and vertical pressure differences and Darcy velocities", () => {
    const s = { ...defaultScenario(), biomass0: 1e-3, lambdaB: 1e-5, edInjection: 1e-3 };
    const opts = { seed: 2, permeability: 'homogeneous' as const, outputVariables: ['P', 'Vx', 'Vy'] as const };
    const base = simulateBioremediation(s, { ...opts, preset: 'tiny' });
    const fast = simulateBioremediation(s, { ...opts, preset: { ...PRESETS.tiny, name: 'tiny-fast', fluxScale: { longitudinal: 300, vertical: 10 } } });
    const [, h, w] = base.shape;
    const P = (r: typeof base, i: number, j: number) => r.fields.P[i * w + j];
    // float32 pressures near 1 kPa: the differences are good to ~1e-5 relative
    expect((P(fast, 0, w - 1) - P(fast, 0, 0)) / (P(base, 0, w - 1) - P(base, 0, 0)) / 300).toBeCloseTo(1, 4);
    expect((P(fast, h - 1, 0) - P(fast, 0, 0)) / (P(base, h - 1, 0) - P(base, 0, 0)) / 10).toBeCloseTo(1, 4);
    expect(fast.fields.Vx[0] / base.fields.Vx[0] / 300).toBeCloseTo(1, 6);
    expect(fast.fields.Vy[0] / base.fields.Vy[0] / 10).toBeCloseTo(1, 6);
    expect(() => simulateBioremediation(s, { ...opts, preset: { ...PRESETS.tiny, fluxScale: { longitudinal: 0, vertical: 1 } } })).toThrow(/fluxScale/);
  });

  it("a preset's amendmentSides adds amended upwelling groundwater through the bottom: balanced, non-negative, width-independent supply", () => {
    const upwelling: Scenario = { ...defaultScenario(), flowRegime: 0 }; // gaining: water enters through the bottom
    const both = { ...PRESETS.tiny, name: 'tiny-bottom-source', amendmentSides: ['right', 'bottom'] as const };
    const opts = { seed: 5, outputVariables: ['B', 'ED', 'Cr', 'phi', 'k'] as const };
    const right1 = simulateBioremediation(upwelling, { ...opts, preset: 'tiny' });
    const both1 = simulateBioremediation(upwelling, { ...opts, preset: both });
    const right10 = simulateBioremediation(upwelling, { ...opts, preset: 'tiny', scale: 10 });
    const both10 = simulateBioremediation(upwelling, { ...opts, preset: both, scale: 10 });
    for (const r of [both1, both10]) {
      for (const sp of ['B', 'ED', 'Cr'] as const) expect(r.summary.massBalanceError[sp], sp).toBeLessThan(1e-12);
      for (const v of ['B', 'ED', 'Cr', 'phi', 'k'] as const) expect(Math.min(...r.fields[v]), v).toBeGreaterThanOrEqual(0);
    }
    // the bottom adds donor on top of the right side's
    expect(both1.summary.budgets.ED.boundaryIn).toBeGreaterThan(right1.summary.budgets.ED.boundaryIn);
    // the bottom supply scales with the width, the right side's does not: the 10x slice gets about 10x the donor
    expect(both10.summary.budgets.ED.boundaryIn / both1.summary.budgets.ED.boundaryIn).toBeGreaterThan(4);
    expect(right10.summary.budgets.ED.boundaryIn / right1.summary.budgets.ED.boundaryIn).toBeLessThan(2);
    const meanB = (r: typeof both1) => r.summary.meanB[r.summary.meanB.length - 1];
    expect(meanB(both10) / meanB(both1)).toBeGreaterThan(10 * (meanB(right10) / meanB(right1)));
    // where water only leaves through the bottom (losing, homogeneous k: uniform downward flow) it is no source: same bytes
    const losing: Scenario = { ...defaultScenario(), flowRegime: 1 };
    const a = simulateBioremediation(losing, { ...opts, preset: 'tiny', permeability: 'homogeneous' });
    const b = simulateBioremediation(losing, { ...opts, preset: both, permeability: 'homogeneous' });
    expect(Buffer.from(b.fields.B.buffer).equals(Buffer.from(a.fields.B.buffer))).toBe(true);
    expect(() => simulateBioremediation(upwelling, { ...opts, preset: { ...PRESETS.tiny, amendmentSides: ['top' as 'bottom'] } })).toThrow(/amendmentSides/);
    expect(PRESETS.small.amendmentSides ?? ['right']).toEqual(['right']);
  });

  it("reproduces the paper's effect: stretching 1x over-predicts mean biomass and nutrient penetration at 10x", () => {
    const scenarios = sampleScenarios(8, 2024);
    let biomassOver = 0;
    let penetrationOver = 0;
    for (let k = 0; k < scenarios.length; k++) {
      const s = scenarios[k];
      const pair = simulatePair(s, 'small', 'scale10x', 100 + k, { outputVariables: ['B', 'ED', 'Cr'] });
      const shape = pair.input.shape;
      const wideShape = [shape[0], shape[1], shape[2] * 10] as const;
      const stretchedB = stretchColumns(pair.input.fields.B, shape, 10);
      const thr = BIOMASS_GROWTH_FACTOR * s.biomass0; // nutrient-affected zone: biomass grew 10x
      const dx = pair.target.grid.dx;
      if (domainMean(stretchedB, wideShape) > domainMean(pair.target.fields.B, wideShape)) biomassOver++;
      const stretchedLen = penetrationLength(stretchedB, wideShape, dx, thr);
      const realLen = penetrationLength(pair.target.fields.B, wideShape, dx, thr);
      if (stretchedLen > realLen) penetrationOver++;
      // the 1x member's own scalar output is consistent with the stretched one
      expect(scalarOutputs(pair.input).nutrientPenetrationLength * 10).toBeCloseTo(stretchedLen, 9);
      const so = scalarOutputs(pair.target);
      expect(so.crRemovedFraction).toBeLessThanOrEqual(1);
      expect(so.nutrientPenetrationLength).toBeGreaterThanOrEqual(0);
    }
    expect(biomassOver).toBeGreaterThanOrEqual(6);
    expect(penetrationOver).toBeGreaterThanOrEqual(6);
  });
});
