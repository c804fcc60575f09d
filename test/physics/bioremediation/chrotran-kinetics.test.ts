import { describe, expect, it } from 'vitest';
import { ChrotranKinetics } from '../../../physics/bioremediation/chrotran-kinetics.js';
import { defaultScenario, FIXED_PARAMETERS as F, PARAMETERS, type Scenario } from '../../../physics/bioremediation/parameters.js';

function batch(s: Scenario, b0: number, ed0: number, cr0: number, phi0: number, h: number, steps: number, T = 20) {
  const B = Float64Array.of(b0);
  const ED = Float64Array.of(ed0);
  const Cr = Float64Array.of(cr0);
  const phi = Float64Array.of(phi0);
  const k = new ChrotranKinetics(s);
  for (let i = 0; i < steps; i++) k.react(B, ED, Cr, phi, h, T);
  return { B: B[0], ED: ED[0], Cr: Cr[0], totals: k.totals };
}

function extremes(): Scenario[] {
  const lo = {} as Scenario;
  const hi = {} as Scenario;
  for (const p of PARAMETERS) {
    lo[p.name] = p.min;
    hi[p.name] = p.max;
  }
  // fastest growth with the weakest limitation, and the reverse
  const fast = { ...hi, Sd1: lo.Sd1, decayRate: lo.decayRate, alpha: lo.alpha };
  const slow = { ...lo, Sd1: hi.Sd1, Sc: lo.Sc };
  return [lo, hi, fast, slow];
}

describe('Chrotran-like kinetics (single cell)', () => {
  it('conserves ED and Cr stoichiometrically and stays non-negative for huge steps at extreme parameters', () => {
    for (const s of extremes()) {
      for (const h of [1, 3600, 86400, 1e7]) {
        const r = batch(s, 700, 5.5e-3, 7.6e-3, 0.3, h, 5);
        expect(r.B).toBeGreaterThanOrEqual(F.bMin * 0.999);
        expect(r.ED).toBeGreaterThanOrEqual(0);
        expect(r.Cr).toBeGreaterThanOrEqual(0);
        for (const v of [r.B, r.ED, r.Cr]) expect(Number.isFinite(v)).toBe(true);
        const w = 1000 * 0.3;
        // ED budget: initial - final = consumed; Cr budget likewise
        expect(w * 5.5e-3 - w * r.ED).toBeCloseTo(r.totals.edConsumed, 12);
        expect(w * 7.6e-3 - w * r.Cr).toBeCloseTo(r.totals.crReduced, 12);
        // biomass budget
        expect(r.B - 700).toBeCloseTo(r.totals.biomassGrown - r.totals.biomassDecayed, 9);
        // stoichiometry: ED used = growth / Y + s * Cr reduced
        expect(r.totals.edConsumed).toBeCloseTo(r.totals.biomassGrown / F.yieldB + F.edPerCr * r.totals.crReduced, 12);
      }
    }
  });

  it('grows exponentially at lambda_b * Q10 factor while ED is abundant and B << bMax', () => {
    const s = { ...defaultScenario(), lambdaB: 2e-5, Sd1: 1e-6, Sc: 1e-3, decayRate: 1e-7, bMax: 800, alpha: 1, lambdaC: 1e-9, abioticRate: 1e-4 };
    const T = 10;
    const fT = Math.pow(F.q10, (T - 20) / 10);
    const t = 6 * 3600;
    const r = batch(s, 1e-3, 5e-3, 1e-6, 0.3, 60, t / 60, T);
    const rate = 2e-5 * fT * (1 - 1e-3 / 800) * (1e-3 / (1e-3 + 1e-6)) - 1e-7 * fT;
    expect(r.B / (1e-3 * Math.exp(rate * t))).toBeCloseTo(1, 3);
  });

  it('does nothing but decay without electron donor', () => {
    const s = defaultScenario();
    const r = batch(s, 10, 0, 1e-5, 0.3, 86400, 3);
    expect(r.Cr).toBe(1e-5);
    expect(r.totals.edConsumed).toBe(0);
    expect(r.B).toBeLessThan(10);
    expect(r.B).toBeGreaterThan(10 * Math.exp(-3 * 86400 * s.decayRate * 1.01 * Math.pow(F.q10, 0)) * 0.99);
  });
});
