import { describe, expect, it } from 'vitest';
import {
  defaultScenario,
  fromUnit,
  PARAMETERS,
  PARAMETER_NAMES,
  sampleScenarios,
  scenarioFromUnit,
  toUnit,
  validateScenario,
} from '../../../physics/bioremediation/parameters.js';

describe('bioremediation parameter table', () => {
  it('is well formed', () => {
    expect(new Set(PARAMETER_NAMES).size).toBe(PARAMETERS.length);
    for (const p of PARAMETERS) {
      expect(p.min, p.name).toBeLessThan(p.max);
      if (p.distribution === 'loguniform') expect(p.min, p.name).toBeGreaterThan(0);
      if (p.distribution === 'categorical') expect('choices' in p ? p.choices.length : 0, p.name).toBe(p.max - p.min + 1);
      expect(p.units.length, p.name).toBeGreaterThan(0);
      expect(p.description.length, p.name).toBeGreaterThan(10);
    }
  });

  it('maps the unit cube and back', () => {
    for (const p of PARAMETERS) {
      expect(fromUnit(p, 0)).toBeCloseTo(p.min, 12);
      if (p.distribution !== 'categorical') {
        expect(fromUnit(p, 1) / p.max).toBeCloseTo(1, 12);
        expect(toUnit(p, fromUnit(p, 0.3))).toBeCloseTo(0.3, 12);
      } else expect(fromUnit(p, 0.9999)).toBe(p.max);
    }
    const lam = PARAMETERS.find((p) => p.name === 'lambdaB')!;
    expect(fromUnit(lam, 0.5)).toBeCloseTo(Math.sqrt(1e-5 * 1e-4), 18); // geometric centre
  });

  it('LHS scenarios put exactly one sample in each stratum of every parameter, deterministically', () => {
    const n = 16;
    const a = sampleScenarios(n, 42);
    const b = sampleScenarios(n, 42);
    expect(a).toEqual(b);
    expect(sampleScenarios(n, 43)).not.toEqual(a);
    for (const p of PARAMETERS) {
      if (p.distribution === 'categorical') continue;
      const strata = a.map((s) => Math.floor(toUnit(p, s[p.name]) * n)).sort((x, y) => x - y);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    for (const s of a) expect(() => validateScenario(s)).not.toThrow();
    for (const m of ['sobol', 'mc'] as const) {
      const s = sampleScenarios(8, 1, m);
      expect(s).toHaveLength(8);
      for (const x of s) validateScenario(x);
    }
  });

  it('validateScenario names the bad field', () => {
    const s = defaultScenario();
    expect(() => validateScenario({ ...s, lambdaB: 1 })).toThrow(/scenario\.lambdaB = 1 .*outside 0\.00001\.\.0\.0001|scenario\.lambdaB = 1/);
    const { alpha: _a, ...missing } = s;
    expect(() => validateScenario(missing)).toThrow(/scenario\.alpha/);
    expect(() => validateScenario({ ...s, flowRegime: 1.5 })).toThrow(/flowRegime/);
    expect(() => validateScenario({ ...s, bogus: 1 })).toThrow(/unknown parameters bogus/);
    expect(() => scenarioFromUnit([0.5])).toThrow(/one per parameter/);
  });
});
