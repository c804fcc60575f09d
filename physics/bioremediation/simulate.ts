/**
 * Chrotran-like bioremediation simulator on a 2-D vertical slice (equations, units and
 * assumptions in physics/README.md):
 *
 * - flow: steady Darcy flow per flow update (physics/core/darcy-flow.ts) with Dirichlet pressures on
 *   all four sides (./boundary-series.ts). For a fixed permeability the pressure is affine in the
 *   boundary values, p = pS(t) + dpV(t) p_v + dpLR p_x, with p_v, p_x two basis solutions (bottom = 1
 *   / top = 0, and right = 1 / left = 0, with linear side profiles). Boundary changes therefore only
 *   recombine the basis; the basis is re-solved (warm-started) whenever bioclogging has changed ln k
 *   by more than `permeabilityTolerance` (0.1) anywhere since the last solve. The superposition is
 *   exact; the tolerance is the only approximation of the flow coupling.
 * - transport: ED and Cr(VI) advection-dispersion (physics/core/advection-dispersion.ts), explicit
 *   with adaptive sub-steps; biomass immobile.
 * - reactions: ./chrotran-kinetics.ts (modified Patankar, non-negative for any step).
 * - bioclogging: phi = max(phiMin, phi0 - v_B B), k = k0 (phi/phi0)^3 ((1 - phi0)/(1 - phi))^2
 *   (Kozeny-Carman), applied at every flow update; aqueous concentrations are rescaled by
 *   phi_old / phi_new so no mass is created or lost.
 * - splitting: Lie (transport then reactions) with split step max(stable transport step, preset.minSplitStep).
 *
 * Outputs are float32 tensors [t, h, w] (h = row i, bottom row first; see physics/core/grid.ts) at
 * times k * outputInterval, k = 1..nOutputs; `times` are in hours (as in PFLOTRAN output).
 * Deterministic: the same scenario, options and seed give the same bytes.
 */
import { AdvectionDispersion } from '../core/advection-dispersion.js';
import { cellVelocities, DarcySolver, type DarcySolution, type FlowBoundaryConditions } from '../core/darcy-flow.js';
import type { Grid } from '../core/grid.js';
import { firstColumns, nestedLogNormalPermeability } from '../fields/gaussian-field.js';
import { Rng } from '../../numerics/rng.js';
import { makeBoundarySeries } from './boundary-series.js';
import { ChrotranKinetics } from './chrotran-kinetics.js';
import { FIXED_PARAMETERS as F, validateScenario, type Scenario } from './parameters.js';
import { AMENDMENT_SIDES, type AmendmentSide, type OutputSchedule, type PresetName, type ResolutionPreset, resolvePreset } from './presets.js';

export const FIELD_NAMES = ['B', 'ED', 'Cr', 'Vx', 'Vy', 'P', 'phi', 'k'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** Fields that are never negative (concentrations, porosity, permeability): predictions clamp at 0. */
const NON_NEGATIVE: ReadonlySet<string> = new Set<FieldName>(['B', 'ED', 'Cr', 'phi', 'k']);

/** Physical lower bound of a field for clamping model outputs; undefined for signed fields (velocities, pressure) and unknown names. */
export function physicalLowerBound(field: string): number | undefined {
  return NON_NEGATIVE.has(field) ? 0 : undefined;
}

export interface SimulateOptions {
  /** Resolution preset (default 'small'). */
  preset?: PresetName | ResolutionPreset;
  /** 1x grid, overriding the preset's. */
  grid?: Grid;
  /** Width factor of the domain: 1 (1x) or the preset's scale factor (10x). Default 1. */
  scale?: number;
  /** Refinement factor: 1 or 2 (cells half the size in both directions). Default 1. */
  resolution?: number;
  /** Seed of the permeability field and of the boundary-series noise. */
  seed: number;
  /** Output times: 'upscaling' (default at resolution 1), 'upsampling' (default at resolution 2) or explicit. */
  schedule?: 'upscaling' | 'upsampling' | OutputSchedule;
  /** Heterogeneous log-normal field (default at resolution 1) or homogeneous kGeoMean (required at resolution 2). */
  permeability?: 'heterogeneous' | 'homogeneous';
  /** Advection scheme (default 'upwind': half the cost of 'tvd'). */
  scheme?: 'upwind' | 'tvd';
  /** Store only these fields (others come back as empty arrays). Default: all. */
  outputVariables?: readonly FieldName[];
  /** Re-solve the flow basis when ln k changed by more than this anywhere since the last solve (default 0.1). */
  permeabilityTolerance?: number;
  /** Called after every output time. */
  onProgress?: (p: { fraction: number; output: number; nOutputs: number; timeHours: number; wallMs: number }) => void;
}

interface SpeciesBudget {
  /** amounts in mol per metre of depth (the slice is 1 m deep) */
  initial: number;
  final: number;
  /** net inflow through the boundaries */
  boundaryIn: number;
  /** net removed by reactions (ED, Cr: consumed; B: decay minus growth) */
  reacted: number;
}

interface SimulationSummary {
  /** domain means per output time */
  meanB: number[];
  meanED: number[];
  meanCr: number[];
  /** |final - initial - boundaryIn + reacted| / (initial + |boundaryIn| + |reacted|) */
  massBalanceError: { B: number; ED: number; Cr: number };
  budgets: { B: SpeciesBudget; ED: SpeciesBudget; Cr: SpeciesBudget };
  wallMs: number;
  /** Darcy linear solves (two basis solutions per permeability state) */
  flowSolves: number;
  flowIterations: number;
  flowUpdates: number;
  transportSubsteps: number;
  splitSteps: number;
  cells: number;
  /** wall time per component (ms) */
  timings: { flowMs: number; transportMs: number; reactionMs: number; outputMs: number };
}

export interface SimulationResult {
  fields: Record<FieldName, Float32Array>;
  shape: [number, number, number];
  /** output times (hours) */
  times: number[];
  timeUnit: 'h';
  grid: Grid;
  scenario: Scenario;
  summary: SimulationSummary;
}

function scheduleOf(preset: ResolutionPreset, resolution: number, s: SimulateOptions['schedule']): OutputSchedule {
  const sch = s ?? (resolution > 1 ? 'upsampling' : 'upscaling');
  if (sch === 'upscaling') return preset.upscaling;
  if (sch === 'upsampling') return preset.upsampling;
  if (!(Number.isInteger(sch.nOutputs) && sch.nOutputs >= 1)) throw new Error(`schedule.nOutputs must be a positive integer, got ${sch.nOutputs}`);
  if (!(sch.outputInterval > 0)) throw new Error(`schedule.outputInterval must be > 0 seconds, got ${sch.outputInterval}`);
  return sch;
}

function amendmentSidesOf(preset: ResolutionPreset): ReadonlySet<AmendmentSide> {
  const sides = preset.amendmentSides ?? ['right'];
  for (const side of sides) {
    if (!AMENDMENT_SIDES.includes(side)) throw new Error(`preset.amendmentSides: unknown side '${side as string}'; use ${AMENDMENT_SIDES.join(', ')}`);
  }
  return new Set(sides);
}

export function simulateBioremediation(scenarioIn: Scenario, opts: SimulateOptions): SimulationResult {
  const wall0 = performance.now();
  const scenario = validateScenario(scenarioIn);
  if (!opts || !Number.isFinite(opts.seed)) throw new Error('simulateBioremediation: opts.seed must be a finite number');
  const preset = resolvePreset(opts.preset ?? 'small');
  const base = opts.grid ?? preset.grid;
  const scale = opts.scale ?? 1;
  const resolution = opts.resolution ?? 1;
  if (!(Number.isInteger(scale) && scale >= 1)) throw new Error(`opts.scale must be a positive integer (1 or ${preset.scaleFactor}), got ${scale}`);
  if (!(Number.isInteger(resolution) && resolution >= 1))
    throw new Error(`opts.resolution must be a positive integer (1 or ${preset.resolutionFactor}), got ${resolution}`);
  const grid: Grid = { nx: base.nx * scale * resolution, ny: base.ny * resolution, dx: base.dx / resolution, dy: base.dy / resolution };
  const { nx, ny, dx, dy } = grid;
  const n = nx * ny;
  const V = dx * dy;
  const H = ny * dy;
  const W = nx * dx;
  const W1 = base.nx * base.dx;
  const schedule = scheduleOf(preset, resolution, opts.schedule);
  const permMode = opts.permeability ?? (resolution > 1 ? 'homogeneous' : 'heterogeneous');
  if (permMode === 'heterogeneous' && resolution > 1) {
    throw new Error(
      "opts.permeability 'heterogeneous' is not available at resolution > 1 (upsampling pairs use homogeneous permeability); pass permeability: 'homogeneous'",
    );
  }
  const kTol = opts.permeabilityTolerance ?? 0.1;
  if (!(kTol >= 0)) throw new Error(`opts.permeabilityTolerance must be >= 0, got ${kTol}`);
  const wanted = new Set<FieldName>(opts.outputVariables ?? FIELD_NAMES);
  for (const v of wanted) if (!FIELD_NAMES.includes(v)) throw new Error(`opts.outputVariables: unknown field '${v}'; use ${FIELD_NAMES.join(', ')}`);

  // --- permeability
  let k0: Float64Array;
  if (permMode === 'homogeneous') k0 = new Float64Array(n).fill(scenario.kGeoMean);
  else {
    const widthFactor = Math.max(preset.scaleFactor, scale);
    const fieldSeed = Rng.derive(opts.seed, 1).uint32() | 0;
    const { wide, wideGrid } = nestedLogNormalPermeability(base, widthFactor, {
      geometricMean: scenario.kGeoMean,
      sigmaLnK: scenario.sigmaLnK,
      correlationLengthX: scenario.corrLengthX,
      correlationLengthY: scenario.corrLengthY,
      seed: fieldSeed,
    });
    k0 = firstColumns(wide, wideGrid.nx, base.ny, nx);
  }

  // --- state
  const phi0 = scenario.porosity0;
  const phiMin = phi0 * F.minPorosityFraction;
  const vB = F.biofilmVolume;
  const B = new Float64Array(n).fill(scenario.biomass0);
  const ED = new Float64Array(n);
  const Cr = new Float64Array(n).fill(scenario.crBackground);
  const phi = new Float64Array(n);
  const k = new Float64Array(n);
  const kSolved = new Float64Array(n);
  const mobility = new Float64Array(n);
  const kc = (p: number) => (p / phi0) ** 3 * ((1 - phi0) / (1 - p)) ** 2;
  for (let c = 0; c < n; c++) {
    const p = Math.max(phiMin, phi0 - vB * B[c]);
    phi[c] = p;
    k[c] = k0[c] * kc(p);
  }

  // --- flow basis
  const series = makeBoundarySeries(scenario, opts.seed, H, W1, preset.fluxScale);
  const sideV = new Float64Array(ny);
  for (let i = 0; i < ny; i++) sideV[i] = 1 - ((i + 0.5) * dy) / H;
  const xProfile = new Float64Array(nx);
  for (let j = 0; j < nx; j++) xProfile[j] = ((j + 0.5) * dx) / W;
  const bcV: FlowBoundaryConditions = {
    left: { type: 'dirichlet', value: sideV },
    right: { type: 'dirichlet', value: sideV },
    top: { type: 'dirichlet', value: 0 },
    bottom: { type: 'dirichlet', value: 1 },
  };
  const bcX: FlowBoundaryConditions = {
    left: { type: 'dirichlet', value: 0 },
    right: { type: 'dirichlet', value: 1 },
    top: { type: 'dirichlet', value: xProfile },
    bottom: { type: 'dirichlet', value: xProfile },
  };
  let solV: DarcySolution | null = null;
  let solX: DarcySolution | null = null;
  let flowSolves = 0;
  let flowIterations = 0;
  const timings = { flowMs: 0, transportMs: 0, reactionMs: 0, outputMs: 0 };
  const solveBasis = () => {
    const t0 = performance.now();
    for (let c = 0; c < n; c++) {
      mobility[c] = k[c] / F.viscosity;
      kSolved[c] = k[c];
    }
    const solver = new DarcySolver(grid, mobility);
    solV = solver.solve(bcV, { tol: 1e-10, initial: solV?.pressure });
    solX = solver.solve(bcX, { tol: 1e-10, initial: solX?.pressure });
    flowSolves += 2;
    flowIterations += solV.iterations + solX.iterations;
    timings.flowMs += performance.now() - t0;
  };
  solveBasis();

  // --- transport
  const transport = new AdvectionDispersion(grid, 2, { scheme: opts.scheme ?? 'upwind' });
  const amendment = amendmentSidesOf(preset);
  const edIn = (side: AmendmentSide) => (amendment.has(side) ? scenario.edInjection : 0);
  transport.setBoundaries({
    left: { type: 'concentration', value: [0, scenario.crBackground] },
    right: { type: 'concentration', value: [edIn('right'), scenario.crBackground] },
    bottom: { type: 'concentration', value: [edIn('bottom'), scenario.crBackground] },
    top: { type: 'concentration', value: [0, 0] },
  });
  const dispersion = { molecularDiffusion: F.molecularDiffusion, longitudinal: F.dispersivityL, transverse: F.dispersivityT };
  const fluxX = new Float64Array((nx + 1) * ny);
  const fluxY = new Float64Array(nx * (ny + 1));
  const vel = { vx: new Float64Array(n), vy: new Float64Array(n) };
  const kinetics = new ChrotranKinetics(scenario);

  // --- budgets
  const aqMass = (c: Float64Array) => {
    let s = 0;
    for (let q = 0; q < n; q++) s += phi[q] * c[q];
    return 1000 * s * V;
  };
  const sum = (a: Float64Array) => {
    let s = 0;
    for (let q = 0; q < n; q++) s += a[q];
    return s;
  };
  const m0 = { B: sum(B) * V, ED: aqMass(ED), Cr: aqMass(Cr) };
  const inflow = { ED: 0, Cr: 0 };

  // --- outputs
  const nOut = schedule.nOutputs;
  const fields = {} as Record<FieldName, Float32Array>;
  for (const name of FIELD_NAMES) fields[name] = new Float32Array(wanted.has(name) ? nOut * n : 0);
  const times: number[] = [];
  const meanB: number[] = [];
  const meanED: number[] = [];
  const meanCr: number[] = [];

  let t = 0;
  let out = 0;
  let flowUpdates = 0;
  let transportSubsteps = 0;
  let splitSteps = 0;
  const dLR = series.longitudinalDifference;
  while (out < nOut) {
    const tOut = (out + 1) * schedule.outputInterval;
    let tNext = Math.min(t + preset.flowUpdateInterval, tOut);
    if (tOut - tNext < 1e-6 * schedule.outputInterval) tNext = tOut;

    // bioclogging: porosity and permeability from biomass, mass-preserving rescale
    let maxDlnK = 0;
    for (let c = 0; c < n; c++) {
      const pNew = Math.max(phiMin, phi0 - vB * B[c]);
      if (pNew !== phi[c]) {
        const f = phi[c] / pNew;
        ED[c] *= f;
        Cr[c] *= f;
        phi[c] = pNew;
        k[c] = k0[c] * kc(pNew);
      }
      const d = Math.abs(Math.log(k[c] / kSolved[c]));
      if (d > maxDlnK) maxDlnK = d;
    }
    if (maxDlnK > kTol) solveBasis();

    // flow for this interval: boundary values at its mid-time
    const tm = 0.5 * (t + tNext);
    const pS = series.surfacePressure(tm);
    const dV = series.verticalDifference(tm);
    const sv = solV!;
    const sx = solX!;
    for (let f = 0; f < fluxX.length; f++) fluxX[f] = dV * sv.fluxX[f] + dLR * sx.fluxX[f];
    for (let f = 0; f < fluxY.length; f++) fluxY[f] = dV * sv.fluxY[f] + dLR * sx.fluxY[f];
    transport.setFlow({ fluxX, fluxY, porosity: phi, dispersion });
    flowUpdates++;

    const span = tNext - t;
    const nSplit = Math.max(1, Math.ceil(span / Math.max(transport.maxStableDt(), preset.minSplitStep) - 1e-9));
    const h = span / nSplit;
    for (let s = 0; s < nSplit; s++) {
      const ta = performance.now();
      const r = transport.advance([ED, Cr], h);
      const tb = performance.now();
      timings.transportMs += tb - ta;
      transportSubsteps += r.substeps;
      const b = r.boundaryIn;
      inflow.ED += 1000 * (b[0] + b[1] + b[2] + b[3]);
      inflow.Cr += 1000 * (b[4] + b[5] + b[6] + b[7]);
      kinetics.react(B, ED, Cr, phi, h, series.temperature(t + (s + 0.5) * h));
      timings.reactionMs += performance.now() - tb;
      splitSteps++;
    }
    t = tNext;

    if (t === tOut) {
      const tc = performance.now();
      const o = out * n;
      if (wanted.has('P')) {
        const P = fields.P;
        for (let c = 0; c < n; c++) P[o + c] = pS + dV * sv.pressure[c] + dLR * sx.pressure[c];
      }
      if (wanted.has('Vx') || wanted.has('Vy')) {
        cellVelocities(grid, fluxX, fluxY, vel);
        if (wanted.has('Vx')) for (let c = 0; c < n; c++) fields.Vx[o + c] = vel.vx[c] * 3600;
        if (wanted.has('Vy')) for (let c = 0; c < n; c++) fields.Vy[o + c] = vel.vy[c] * 3600;
      }
      if (wanted.has('B')) fields.B.set(B, o);
      if (wanted.has('ED')) fields.ED.set(ED, o);
      if (wanted.has('Cr')) fields.Cr.set(Cr, o);
      if (wanted.has('phi')) fields.phi.set(phi, o);
      if (wanted.has('k')) fields.k.set(k, o);
      meanB.push(sum(B) / n);
      meanED.push(sum(ED) / n);
      meanCr.push(sum(Cr) / n);
      times.push(t / 3600);
      timings.outputMs += performance.now() - tc;
      out++;
      opts.onProgress?.({ fraction: out / nOut, output: out, nOutputs: nOut, timeHours: t / 3600, wallMs: performance.now() - wall0 });
    }
  }

  // --- budgets and mass balance
  const tot = kinetics.totals;
  const budgets = {
    B: { initial: m0.B, final: sum(B) * V, boundaryIn: 0, reacted: (tot.biomassDecayed - tot.biomassGrown) * V },
    ED: { initial: m0.ED, final: aqMass(ED), boundaryIn: inflow.ED, reacted: tot.edConsumed * V },
    Cr: { initial: m0.Cr, final: aqMass(Cr), boundaryIn: inflow.Cr, reacted: tot.crReduced * V },
  };
  const err = (b: SpeciesBudget, extraScale = 0) => {
    const scale = b.initial + Math.abs(b.boundaryIn) + Math.abs(b.reacted) + extraScale;
    return scale > 0 ? Math.abs(b.final - b.initial - b.boundaryIn + b.reacted) / scale : 0;
  };
  return {
    fields,
    shape: [nOut, ny, nx],
    times,
    timeUnit: 'h',
    grid,
    scenario,
    summary: {
      meanB,
      meanED,
      meanCr,
      massBalanceError: { B: err(budgets.B, tot.biomassGrown * V), ED: err(budgets.ED), Cr: err(budgets.Cr) },
      budgets,
      wallMs: performance.now() - wall0,
      flowSolves,
      flowIterations,
      flowUpdates,
      transportSubsteps,
      splitSteps,
      cells: n,
      timings,
    },
  };
}

export type Pairing = 'scale10x' | 'resolution2x';

export interface SimulationPair {
  pairing: Pairing;
  /** the 1x member (model input) */
  input: SimulationResult;
  /** the 10x-wide or 2x-resolution member (model target) */
  target: SimulationResult;
}

/**
 * Both members of a training pair with the same scenario, seed (so the same permeability columns
 * and boundary values) and output times: 'scale10x' = 1x vs scaleFactor-wide (heterogeneous
 * permeability, upscaling schedule); 'resolution2x' = 1x vs 2x resolution (homogeneous permeability,
 * upsampling schedule).
 */
export function simulatePair(
  scenario: Scenario,
  preset: PresetName | ResolutionPreset,
  pairing: Pairing,
  seed: number,
  opts: Omit<SimulateOptions, 'preset' | 'seed' | 'scale' | 'resolution' | 'permeability' | 'schedule'> = {},
): SimulationPair {
  const p = resolvePreset(preset);
  if (pairing === 'scale10x') {
    const common = { ...opts, preset: p, seed, schedule: 'upscaling' as const, permeability: 'heterogeneous' as const };
    return {
      pairing,
      input: simulateBioremediation(scenario, { ...common, scale: 1 }),
      target: simulateBioremediation(scenario, { ...common, scale: p.scaleFactor }),
    };
  }
  if (pairing === 'resolution2x') {
    const common = { ...opts, preset: p, seed, schedule: 'upsampling' as const, permeability: 'homogeneous' as const };
    return {
      pairing,
      input: simulateBioremediation(scenario, { ...common, resolution: 1 }),
      target: simulateBioremediation(scenario, { ...common, resolution: p.resolutionFactor }),
    };
  }
  throw new Error(`simulatePair: pairing must be 'scale10x' or 'resolution2x', got ${pairing as string}`);
}
