/** Compute task: one paired bioremediation simulation (1x input + 10x-wide or 2x-resolution target). */
import { simulatePair, type FieldName, type Pairing } from '../../../physics/bioremediation/simulate.js';
import type { Scenario } from '../../../physics/bioremediation/parameters.js';
import type { PresetName } from '../../../physics/bioremediation/presets.js';

export interface BioPairInput {
  scenario: Scenario;
  preset: PresetName;
  pairing: Pairing;
  seed: number;
  variables: FieldName[];
}

export interface SimulationMember {
  fields: Partial<Record<FieldName, Float32Array>>;
  shape: [number, number, number];
  times: number[];
  summary: { meanB: number[]; meanED: number[]; meanCr: number[]; massBalanceError: Record<string, number>; wallMs: number };
}

function member(r: ReturnType<typeof simulatePair>['input'], vars: FieldName[]): SimulationMember {
  const fields: Partial<Record<FieldName, Float32Array>> = {};
  for (const v of vars) fields[v] = r.fields[v];
  const s = r.summary;
  return {
    fields,
    shape: r.shape,
    times: r.times,
    summary: { meanB: s.meanB, meanED: s.meanED, meanCr: s.meanCr, massBalanceError: s.massBalanceError, wallMs: s.wallMs },
  };
}

export function run(input: BioPairInput): { input: SimulationMember; target: SimulationMember } {
  const pair = simulatePair(input.scenario, input.preset, input.pairing, input.seed, { outputVariables: input.variables });
  return { input: member(pair.input, input.variables), target: member(pair.target, input.variables) };
}
