/**
 * Time series of the boundary pressures and the temperature of one scenario.
 *
 * Pressures (Pa, dynamic pressure: no gravity term) on the four sides, with W the width of the
 * simulated domain and W1 the width of its 1x domain (W = W1 at 1x, 10 W1 at 10x):
 *
 *     top(x, t)    = pS(t) + dpLR * x / W
 *     bottom(x, t) = pS(t) + dpV(t) + dpLR * x / W
 *     left(y, t)   = bottom(0, t) + (top(0, t) - bottom(0, t)) * y / H,   right(y, t) = left(y, t) + dpLR
 *
 * so the corner values are the same at 1x and 10x and the longitudinal gradient dpLR / W is 10x
 * smaller at 10x. dpLR = qL mu W1 / kGeoMean > 0 (flow from right to left, bringing the amendment
 * in from the right side); dpV(t) = sign * m * qV mu H / kGeoMean * s(t), with sign +1 (gaining,
 * upward flow) or -1 (losing) and m = 3 for high-speed; s(t) = max(0.05, 1 + A sin(2 pi t / 365 d + phase)
 * + e(t)), e an AR(1) process (daily nodes, lag-one correlation 0.8, standard deviation
 * `pressureNoise`) linearly interpolated; after 170 days every series is held at its day-170 value.
 * pS(t) = 1000 Pa (1 + 0.2 sin(2 pi t / 365 d + phase2)) is the stream-bed surface pressure.
 * Temperature T(t) = Tmean + Tamp sin(2 pi t / 365 d + phase3).
 * The phases and the noise come from Rng.derive(seed, 2): both members of a pair share them.
 */
import { Rng } from '../../numerics/rng.js';
import { FIXED_PARAMETERS as F, FLOW_REGIMES, type Scenario } from './parameters.js';
import type { FluxScale } from './presets.js';

const DAY = 86400;
const YEAR = 365 * DAY;

export interface BoundarySeries {
  /** stream-bed surface pressure pS(t) (Pa) */
  surfacePressure(t: number): number;
  /** bottom minus top pressure dpV(t) (Pa); > 0 drives upward flow */
  verticalDifference(t: number): number;
  /** right minus left pressure dpLR (Pa), constant */
  readonly longitudinalDifference: number;
  /** temperature (degC) */
  temperature(t: number): number;
}

export function makeBoundarySeries(
  s: Scenario,
  seed: number,
  height: number,
  width1x: number,
  fluxScale: FluxScale = { vertical: 1, longitudinal: 1 },
): BoundarySeries {
  if (!(fluxScale.vertical > 0 && fluxScale.longitudinal > 0))
    throw new Error(`makeBoundarySeries: fluxScale.vertical and .longitudinal must be > 0, got ${JSON.stringify(fluxScale)}`);
  const rng = Rng.derive(seed, 2);
  const phase1 = 2 * Math.PI * rng.next();
  const phase2 = 2 * Math.PI * rng.next();
  const phase3 = 2 * Math.PI * rng.next();
  const nDays = Math.ceil(F.seriesEnd / DAY) + 1;
  const noise = new Float64Array(nDays);
  const rho = 0.8;
  let e = s.pressureNoise * rng.normal();
  for (let d = 0; d < nDays; d++) {
    noise[d] = e;
    e = rho * e + Math.sqrt(1 - rho * rho) * s.pressureNoise * rng.normal();
  }
  const regime = FLOW_REGIMES[s.flowRegime];
  if (!regime) throw new Error(`scenario.flowRegime must be 0, 1 or 2 (${FLOW_REGIMES.join(', ')}), got ${s.flowRegime}`);
  const sign = regime === 'losing' ? -1 : 1;
  const mult = regime === 'high-speed' ? 3 : 1;
  const mu = F.viscosity;
  const dpV0 = (sign * mult * fluxScale.vertical * (s.verticalFlux / DAY) * mu * height) / s.kGeoMean;
  const dpLR = (((fluxScale.longitudinal * s.longitudinalFlux) / DAY) * mu * width1x) / s.kGeoMean;
  const clampT = (t: number) => Math.min(Math.max(t, 0), F.seriesEnd);
  return {
    surfacePressure(t: number) {
      return F.surfacePressure * (1 + F.surfacePressureVariation * Math.sin((2 * Math.PI * clampT(t)) / YEAR + phase2));
    },
    verticalDifference(t: number) {
      const tc = clampT(t);
      const u = tc / DAY;
      const d0 = Math.min(Math.floor(u), nDays - 2);
      const f = u - d0;
      const en = noise[d0] * (1 - f) + noise[d0 + 1] * f;
      const sv = Math.max(0.05, 1 + F.seasonalAmplitude * Math.sin((2 * Math.PI * tc) / YEAR + phase1) + en);
      return dpV0 * sv;
    },
    longitudinalDifference: dpLR,
    temperature(t: number) {
      return s.temperatureMean + s.temperatureAmplitude * Math.sin((2 * Math.PI * t) / YEAR + phase3);
    },
  };
}
