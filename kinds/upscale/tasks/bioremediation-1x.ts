/**
 * Compute task: one Monte-Carlo scenario of an `upscale` campaign at 1x (the upscaling schedule and
 * heterogeneous permeability of the training pairs, so inputs match what the models saw), and for
 * validation runs the same scenario at 10x (same seed: the 10x field extends the 1x one).
 * Fields are written to the artifact store here; the caller registers the returned refs.
 */
import type { ArtifactRef } from '../../../artifacts/store.js';
import { ArtifactStore } from '../../../artifacts/store.js';
import type { Scenario } from '../../../physics/bioremediation/parameters.js';
import type { PresetName } from '../../../physics/bioremediation/presets.js';
import { resolvePreset } from '../../../physics/bioremediation/presets.js';
import { scalarOutputs } from '../../../physics/bioremediation/scalar-outputs.js';
import { simulateBioremediation, type FieldName, type SimulationResult } from '../../../physics/bioremediation/simulate.js';

export interface Bio1xInput {
  storeRoot: string;
  scenario: Scenario;
  preset: PresetName;
  seed: number;
  variables: FieldName[];
  /** Also simulate at the preset's scale factor (validation subset). */
  target10x: boolean;
}

export interface StoredMember {
  fields: Partial<Record<FieldName, string>>;
  shape: [number, number, number];
  wallMs: number;
  /** Quantities of interest computed on the simulated fields (needs B, ED, Cr). */
  quantities: Record<string, number> | null;
}

export interface Bio1xOutput {
  input: StoredMember;
  target: StoredMember | null;
  times: number[];
  dx: number;
  artifacts: ArtifactRef[];
}

async function store(s: ArtifactStore, r: SimulationResult, vars: FieldName[], kind: string, refs: ArtifactRef[]): Promise<StoredMember> {
  const fields: Partial<Record<FieldName, string>> = {};
  for (const v of vars) {
    const a = await s.putTensor(`${kind}.${v}`, r.fields[v], r.shape);
    fields[v] = a.id;
    refs.push(a);
  }
  let quantities: Record<string, number> | null = null;
  if (['B', 'ED', 'Cr'].every((v) => vars.includes(v as FieldName))) {
    const q = scalarOutputs(r);
    quantities = {
      crRemovedFraction: q.crRemovedFraction,
      biomassPenetrationLength: q.nutrientPenetrationLength,
      nutrientFrontPosition: q.edPenetrationLength,
      meanBiomassFinal: q.finalMeanBiomass,
    };
  }
  return { fields, shape: r.shape, wallMs: r.summary.wallMs, quantities };
}

export async function run(input: Bio1xInput): Promise<Bio1xOutput> {
  const s = new ArtifactStore(input.storeRoot);
  const p = resolvePreset(input.preset);
  const common = { preset: p, seed: input.seed, schedule: 'upscaling' as const, permeability: 'heterogeneous' as const, outputVariables: input.variables };
  const refs: ArtifactRef[] = [];
  const one = simulateBioremediation(input.scenario, { ...common, scale: 1 });
  const a = await store(s, one, input.variables, 'upscale.input', refs);
  let target: StoredMember | null = null;
  if (input.target10x) {
    const ten = simulateBioremediation(input.scenario, { ...common, scale: p.scaleFactor });
    target = await store(s, ten, input.variables, 'upscale.truth10x', refs);
  }
  return { input: a, target, times: one.times, dx: one.grid.dx, artifacts: refs };
}
