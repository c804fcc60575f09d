/**
 * Where a U-Net surrogate (models/surrogates/unet.ts) samples its maps for a groundwater case: the
 * case's observation points in field-cell units, one map for the head and one per observation
 * time, so its output is the case's observation vector (heads, then concentrations time by time);
 * the observation times in days for its breakthrough curves (`maps: 'breakthrough'`).
 */
import { getCase } from '../../physics/groundwater/case-registry.js';
import { DAY, type CaseName } from '../../physics/groundwater/groundwater-case.js';
import { observationLength } from '../../physics/groundwater/observation-layout.js';

export function unetObservationSampling(
  caseName: CaseName,
  inputKind: 'parameters' | 'field',
  outputDim: number,
): { sampleAt: [number, number][]; mapChannels: number; breakthroughTimes: number[] } {
  if (inputKind !== 'field') throw new Error(`the unet surrogate reads the field image: set input: field (got '${inputKind}')`);
  const c = getCase(caseName);
  if (outputDim !== observationLength(c))
    throw new Error(`the unet surrogate predicts ${caseName}'s whole observation vector (${observationLength(c)} values), got ${outputDim}`);
  return {
    sampleAt: c.points.map((p): [number, number] => [p.y / c.grid.dy, p.x / c.grid.dx]),
    mapChannels: 1 + c.observationTimes.length,
    breakthroughTimes: Array.from(c.observationTimes, (t) => t / DAY),
  };
}
