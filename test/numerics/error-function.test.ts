import { describe, expect, it } from 'vitest';
import { erf, erfc, erfcx } from '../../numerics/error-function.js';

// Reference values from mpmath (30 digits): [x, erfc(x), exp(x^2) erfc(x)]
const REF: [number, number, number][] = [
  [-3, 1.9999779095030014146, 16205.988853999586625],
  [-1, 1.8427007929497148693, 5.0089800807622834663],
  [-0.3, 1.3286267594591274162, 1.4537492328427655561],
  [0, 1, 1],
  [1e-8, 0.99999998871620832904, 0.99999998871620842904],
  [0.1, 0.8875370839817151016, 0.89645697996912663741],
  [0.5, 0.47950012218695346232, 0.61569034419292587487],
  [1, 0.15729920705028513066, 0.42758357615580700441],
  [1.5, 0.033894853524689272933, 0.32158541645431750235],
  [1.99, 0.0048885868003830029527, 0.25646783671952995795],
  [2, 0.0046777349810472658379, 0.25539567631050574387],
  [3, 0.000022090496998585441373, 0.17900115118138995042],
  [4, 1.5417257900280018852e-8, 0.13699945762506138989],
  [5, 1.5374597944280348502e-12, 0.11070463773306862637],
  [10, 2.088487583762544757e-45, 0.056140992743822585858],
  [20, 5.3958656116079009289e-176, 0.028174348741051319319],
  [26, 5.6631924088561428465e-296, 0.021683584850562906616],
];

describe('erfc / erfcx', () => {
  it.each(REF)('x = %f matches mpmath to 2e-15 relative', (x, ec, ex) => {
    expect(Math.abs(erfc(x) / ec - 1)).toBeLessThan(2e-15);
    expect(Math.abs(erfcx(x) / ex - 1)).toBeLessThan(2e-15);
  });
  it('erf is odd and erf + erfc = 1', () => {
    for (const x of [0.01, 0.3, 0.7, 1.3, 2.5, 6]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    }
  });
  it('limits', () => {
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    // asymptotic series 1/(sqrt(pi) x) (1 - 1/(2x^2))
    expect(Math.abs(erfcx(1e6) / ((1 - 0.5e-12) / (Math.sqrt(Math.PI) * 1e6)) - 1)).toBeLessThan(1e-15);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
  });
});
