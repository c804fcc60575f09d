/**
 * Scalar outputs of a bioremediation simulation, for sensitivity analysis and for comparing 1x,
 * stretched-1x and 10x fields. The tensor functions take `[t, h, w]` float arrays so they apply
 * equally to simulator output, model predictions and imported PFLOTRAN data.
 */
import type { SimulationResult } from './simulate.js';

export type Shape3 = readonly [number, number, number];

function checkShape(field: ArrayLike<number>, shape: Shape3, name: string): void {
  const [t, h, w] = shape;
  if (field.length !== t * h * w) throw new Error(`${name} has ${field.length} values but shape [${t}, ${h}, ${w}] needs ${t * h * w}`);
}

/** Domain mean of one time slice of a [t, h, w] field (default: the last one). */
export function domainMean(field: ArrayLike<number>, shape: Shape3, timeIndex = shape[0] - 1): number {
  checkShape(field, shape, 'field');
  const n = shape[1] * shape[2];
  if (!(timeIndex >= 0 && timeIndex < shape[0])) throw new Error(`timeIndex must be in 0..${shape[0] - 1}, got ${timeIndex}`);
  let s = 0;
  for (let c = timeIndex * n, end = c + n; c < end; c++) s += field[c];
  return s / n;
}

/**
 * Nutrient penetration length (m): distance from the right boundary (the nutrient source) to the
 * far edge of the farthest column, counted from the right, whose column-mean concentration is at
 * least `threshold` at time `timeIndex` (default: last). 0 if no column reaches the threshold.
 */
export function penetrationLength(field: ArrayLike<number>, shape: Shape3, dx: number, threshold: number, timeIndex = shape[0] - 1): number {
  checkShape(field, shape, 'field');
  if (!(dx > 0)) throw new Error(`dx must be a positive cell width (m), got ${dx}`);
  if (!(threshold > 0)) throw new Error(`threshold must be a positive concentration, got ${threshold}`);
  const [, h, w] = shape;
  const o = timeIndex * h * w;
  for (let j = 0; j < w; j++) {
    let s = 0;
    for (let i = 0; i < h; i++) s += field[o + i * w + j];
    if (s / h >= threshold) return (w - j) * dx;
  }
  return 0;
}

export interface ScalarOutputs {
  /** domain-mean biomass at the last output (mol/m^3) */
  finalMeanBiomass: number;
  /** 1 - (domain-mean Cr(VI) at the last output) / crBackground */
  crRemovedFraction: number;
  /**
   * Extent of the nutrient-affected zone (m): penetrationLength of biomass at the last output with
   * threshold 10 x the initial biomass. Electron donor is consumed within centimetres of where
   * biomass has grown (a bio-barrier), so the final ED field alone marks only the injection
   * column; the biomass it fed integrates where nutrients arrived over the whole run.
   */
  nutrientPenetrationLength: number;
  /** penetrationLength of ED at the last output with threshold 1% of the injected ED (m) */
  edPenetrationLength: number;
}

/** Biomass threshold of nutrientPenetrationLength, as a multiple of the initial biomass. */
export const BIOMASS_GROWTH_FACTOR = 10;

/** The scalar outputs of a simulation result (needs fields B, ED and Cr). */
export function scalarOutputs(r: SimulationResult, penetrationThresholdFraction = 0.01): ScalarOutputs {
  for (const v of ['B', 'ED', 'Cr'] as const) {
    if (r.fields[v].length === 0) throw new Error(`scalarOutputs needs field ${v}: include it in opts.outputVariables`);
  }
  return {
    finalMeanBiomass: domainMean(r.fields.B, r.shape),
    crRemovedFraction: 1 - domainMean(r.fields.Cr, r.shape) / r.scenario.crBackground,
    nutrientPenetrationLength: penetrationLength(r.fields.B, r.shape, r.grid.dx, BIOMASS_GROWTH_FACTOR * r.scenario.biomass0),
    edPenetrationLength: penetrationLength(r.fields.ED, r.shape, r.grid.dx, penetrationThresholdFraction * r.scenario.edInjection),
  };
}
