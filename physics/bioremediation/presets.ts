/**
 * Resolution presets of the bioremediation simulator. Every preset is the same physical slice,
 * 1 m (vertical, H) x 2 m (longitudinal, W) at 1x; the 10x member is 1 m x 20 m with the same cell
 * size; the 2x-resolution member is the same 1 m x 2 m slice with cells half the size.
 *
 * - `paper`: 100 x 200 cells (dx = dy = 0.01 m) -> 100 x 2000; upscaling 114 outputs every 2 days
 *   (228 days); upsampling 100 x 200 -> 200 x 400 (homogeneous permeability), 43 outputs every 2 days
 *   (86 days). The papers' full size: a benchmark configuration.
 * - `medium`: 16 x 32 cells (0.0625 m) -> 16 x 320; upscaling 38 outputs every 6 days (228 days);
 *   upsampling 16 x 32 -> 32 x 64, 43 outputs every 2 days (86 days). The paper's flow regime
 *   (`fluxScale`: longitudinal x100, vertical x100, Darcy fluxes of order 1 m/d) and amended
 *   groundwater upwelling through the bottom as well as the right side (`amendmentSides`), see
 *   physics/README.md: the preset where the upscaling problem is not trivial and that trains on a CPU.
 * - `small`: 10 x 20 cells (0.1 m) -> 10 x 200; 12 outputs every 19 days (the same 228 days);
 *   upsampling 10 x 20 -> 20 x 40, 12 outputs over 86 days. Quickstart and integration tests.
 * - `tiny`: 4 x 8 cells (0.25 m) -> 4 x 80; 4 outputs every 10 days. Unit tests.
 *
 * `customPreset` builds any other grid/schedule.
 */
import type { Grid } from '../core/grid.js';

const DAY = 86400;

export interface OutputSchedule {
  /** number of output times (the first at one interval after t = 0) */
  nOutputs: number;
  /** time between outputs (s) */
  outputInterval: number;
}

export interface ResolutionPreset {
  name: string;
  /** 1x grid (the 1 m x 2 m slice). */
  grid: Grid;
  /** width factor of the upscaling target (10). */
  scaleFactor: number;
  /** refinement factor of the upsampling target (2). */
  resolutionFactor: number;
  /** output schedule of upscaling pairs (1x / 10x). */
  upscaling: OutputSchedule;
  /** output schedule of upsampling pairs (1x / 2x resolution). */
  upsampling: OutputSchedule;
  /** longest interval between flow updates (boundary values, porosity and permeability) (s). */
  flowUpdateInterval: number;
  /** shortest operator-splitting step between reaction updates (s); shorter transport sub-steps are grouped. */
  minSplitStep: number;
  /**
   * Hydraulic regime: multipliers of the scenario's nominal `verticalFlux` and `longitudinalFlux`
   * (physics/README.md, "Presets"). Default 1 for both.
   */
  fluxScale?: FluxScale;
  /**
   * Sides whose ENTERING water carries the electron donor at the scenario's `edInjection`
   * (physics/README.md, "Amendment sources"). Default `['right']`: the amendment enters only with the
   * longitudinal flow. `'bottom'` adds amended groundwater upwelling from below (a gaining reach fed
   * by an aquifer injection upgradient); through a side where water leaves it has no effect.
   */
  amendmentSides?: readonly AmendmentSide[];
}

/** Sides of the slice that can be electron-donor sources. */
export const AMENDMENT_SIDES = ['right', 'bottom'] as const;
export type AmendmentSide = (typeof AMENDMENT_SIDES)[number];

/** Multipliers of a scenario's nominal Darcy fluxes (the preset's hydraulic regime). */
export interface FluxScale {
  vertical: number;
  longitudinal: number;
}

export type PresetName = 'paper' | 'medium' | 'small' | 'tiny';

export const PRESETS: Record<PresetName, ResolutionPreset> = {
  paper: {
    name: 'paper',
    grid: { nx: 200, ny: 100, dx: 0.01, dy: 0.01 },
    scaleFactor: 10,
    resolutionFactor: 2,
    upscaling: { nOutputs: 114, outputInterval: 2 * DAY },
    upsampling: { nOutputs: 43, outputInterval: 2 * DAY },
    flowUpdateInterval: 1 * DAY,
    minSplitStep: 0.1 * DAY,
  },
  medium: {
    name: 'medium',
    grid: { nx: 32, ny: 16, dx: 0.0625, dy: 0.0625 },
    scaleFactor: 10,
    resolutionFactor: 2,
    upscaling: { nOutputs: 38, outputInterval: 6 * DAY },
    upsampling: { nOutputs: 43, outputInterval: 2 * DAY },
    flowUpdateInterval: 1 * DAY,
    minSplitStep: 0.1 * DAY,
    fluxScale: { longitudinal: 100, vertical: 100 },
    amendmentSides: ['right', 'bottom'],
  },
  small: {
    name: 'small',
    grid: { nx: 20, ny: 10, dx: 0.1, dy: 0.1 },
    scaleFactor: 10,
    resolutionFactor: 2,
    upscaling: { nOutputs: 12, outputInterval: 19 * DAY },
    upsampling: { nOutputs: 12, outputInterval: (86 / 12) * DAY },
    flowUpdateInterval: 1 * DAY,
    minSplitStep: 0.1 * DAY,
  },
  tiny: {
    name: 'tiny',
    grid: { nx: 8, ny: 4, dx: 0.25, dy: 0.25 },
    scaleFactor: 10,
    resolutionFactor: 2,
    upscaling: { nOutputs: 4, outputInterval: 10 * DAY },
    upsampling: { nOutputs: 4, outputInterval: 10 * DAY },
    flowUpdateInterval: 2 * DAY,
    minSplitStep: 0.25 * DAY,
  },
};

export function resolvePreset(p: PresetName | ResolutionPreset): ResolutionPreset {
  if (typeof p === 'string') {
    const r = PRESETS[p];
    if (!r) throw new Error(`unknown preset '${p}'; use one of ${Object.keys(PRESETS).join(', ')} or customPreset({ grid, ... })`);
    return r;
  }
  return p;
}
