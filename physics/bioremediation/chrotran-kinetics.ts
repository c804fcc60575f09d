/**
 * Chrotran-like reaction kinetics (Hansen et al. 2017 style; our own formulation, see
 * physics/README.md) for one split step, cell by cell, with all species as amounts per bulk volume:
 * biomass B (mol/m^3), electron donor E = 1000 phi ED and Cr(VI) C = 1000 phi Cr (mol/m^3), with
 * ED, Cr aqueous (mol/L). Rates (mol/m^3/s), fT = Q10^((T - 20)/10):
 *
 *   r1 = lambdaB fT B * ED/(Sd1 + ED) * max(0, 1 - (B/bMax)^alpha) * Sc/(Sc + Cr) / Y   (ED used by growth; B grows by Y r1)
 *   r2 = abioticRate fT * 1000 phi * Cr * ED                                             (abiotic Cr(VI) reduction)
 *   r3 = lambdaC fT B * Cr/(kCr + Cr) * ED/(Sd1 + ED)                                   (biotic Cr(VI) reduction)
 *   dE/dt = -r1 - s (r2 + r3),  dC/dt = -(r2 + r3),  dB/dt = Y r1 - mu fT (B - bMin)
 *
 * Integration (unconditionally non-negative and exactly stoichiometric): a modified Patankar step.
 * With dE = r1 + s (r2 + r3), dC = r2 + r3 evaluated at the start of a sub-step h,
 * thetaE = E / (E + h dE), thetaC = C / (C + h dC), the extents are
 * xi1 = h r1 thetaE and xi23 = h (r2 + r3) min(thetaE, thetaC), so E' = E - xi1 - s xi23 >= E thetaE >= 0 and
 * C' = C - xi23 >= C thetaC >= 0 whatever h is; B' = (B + Y xi1 + h mu fT bMin) / (1 + h mu fT)
 * (implicit decay towards bMin). Growth is explicit in B, so sub-steps keep lambdaB fT h <= 0.2.
 * Porosity is NOT changed here (the simulator applies bioclogging between flow updates).
 *
 * Aqueous concentrations below FLUSH (1e-20 mol/L, the floor of the paper's Table 1) are set to zero and the removed amount is
 * counted as reacted (`flushed`), so budgets stay exact while subnormal numbers, which make
 * floating-point arithmetic ~100x slower, never build up in the fronts.
 */
import { FIXED_PARAMETERS as F, type Scenario } from './parameters.js';

export interface ReactionTotals {
  /** mol per m^3 of bulk, summed over cells (multiply by the cell volume for mol per m depth) */
  edConsumed: number;
  crReduced: number;
  biomassGrown: number;
  biomassDecayed: number;
  /** ED and Cr(VI) below 1e-20 mol/L set to zero (included in edConsumed / crReduced) */
  flushed: number;
}

const FLUSH = 1e-20;

export class ChrotranKinetics {
  private readonly s: Scenario;
  readonly totals: ReactionTotals = { edConsumed: 0, crReduced: 0, biomassGrown: 0, biomassDecayed: 0, flushed: 0 };

  constructor(scenario: Scenario) {
    this.s = scenario;
  }

  static temperatureFactor(T: number): number {
    return Math.pow(F.q10, (T - 20) / 10);
  }

  /** Advances B, ED, Cr in place by h seconds at temperature T; adds to `totals`. */
  react(B: Float64Array, ED: Float64Array, Cr: Float64Array, phi: Float64Array, h: number, T: number): void {
    if (!(h > 0)) return;
    const s = this.s;
    const fT = ChrotranKinetics.temperatureFactor(T);
    const lamB = s.lambdaB * fT;
    const nsub = Math.max(1, Math.ceil((lamB * h) / 0.2));
    const hs = h / nsub;
    const lamC = s.lambdaC * fT;
    const ka = s.abioticRate * fT;
    const mu = s.decayRate * fT;
    const Y = F.yieldB;
    const sED = F.edPerCr;
    const Sd1 = s.Sd1;
    const Sc = s.Sc;
    const kCr = F.kCr;
    const bMax = s.bMax;
    const alpha = s.alpha;
    const bMin = F.bMin;
    const decayDen = 1 / (1 + hs * mu);
    const decaySrc = hs * mu * bMin;
    let edC = 0;
    let crR = 0;
    let bG = 0;
    let bD = 0;
    let fl = 0;
    const n = B.length;
    for (let c = 0; c < n; c++) {
      const w = 1000 * phi[c];
      let b = B[c];
      let ed0 = ED[c];
      let cr0 = Cr[c];
      if (ed0 < FLUSH && ed0 !== 0) {
        edC += w * ed0;
        fl += w * ed0;
        ed0 = 0;
      }
      if (cr0 < FLUSH && cr0 !== 0) {
        crR += w * cr0;
        fl += w * cr0;
        cr0 = 0;
      }
      if (ed0 === 0) {
        // no electron donor: every reaction but decay stops
        const b0 = b;
        for (let k = 0; k < nsub; k++) b = (b + decaySrc) * decayDen;
        bD += b0 - b;
        B[c] = b;
        ED[c] = 0;
        Cr[c] = cr0;
        continue;
      }
      let E = w * ed0;
      let C = w * cr0;
      for (let k = 0; k < nsub; k++) {
        const ed = E / w;
        const cr = C / w;
        const monod = ed / (Sd1 + ed);
        const crowd = b < bMax ? 1 - Math.pow(b / bMax, alpha) : 0;
        const r1 = (lamB * b * monod * crowd * Sc) / ((Sc + cr) * Y);
        const r23 = ka * w * cr * ed + (lamC * b * cr * monod) / (kCr + cr);
        const dE = r1 + sED * r23;
        const thE = dE > 0 ? E / (E + hs * dE) : 1;
        const thC = r23 > 0 ? C / (C + hs * r23) : 1;
        const xi1 = hs * r1 * thE;
        const xi23 = hs * r23 * (thE < thC ? thE : thC);
        const eNew = E - xi1 - sED * xi23;
        const cNew = C - xi23;
        E = eNew > 0 ? eNew : 0;
        C = cNew > 0 ? cNew : 0;
        const grown = Y * xi1;
        const bTmp = b + grown;
        const bNew = (bTmp + decaySrc) * decayDen;
        edC += xi1 + sED * xi23;
        crR += xi23;
        bG += grown;
        bD += bTmp - bNew;
        b = bNew;
      }
      B[c] = b;
      ED[c] = E / w;
      Cr[c] = C / w;
    }
    this.totals.edConsumed += edC;
    this.totals.crReduced += crR;
    this.totals.biomassGrown += bG;
    this.totals.biomassDecayed += bD;
    this.totals.flushed += fl;
  }
}
