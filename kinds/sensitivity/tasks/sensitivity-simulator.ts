/**
 * Compute task: evaluate a simulator-backed sensitivity model at a batch of unit-cube points
 * (bioremediation scalar outputs, or a groundwater case-1 observation).
 */
import { defaultScenario, fromUnit, parameterSpec, type ParameterName, type Scenario } from '../../../physics/bioremediation/parameters.js';
import { simulateBioremediation } from '../../../physics/bioremediation/simulate.js';
import { scalarOutputs, type ScalarOutputs } from '../../../physics/bioremediation/scalar-outputs.js';
import { unitToParameters } from '../../../physics/groundwater/case-dataset.js';
import { getCase } from '../../../physics/groundwater/case-registry.js';
import { forward } from '../../../physics/groundwater/forward-model.js';
import { observationVector } from '../../../physics/groundwater/observation-layout.js';

export type SimulatorModelInput =
  | { model: 'bioremediation'; points: number[][]; parameters: string[]; output: keyof ScalarOutputs; preset: 'tiny' | 'small'; seed: number }
  | { model: 'groundwater'; points: number[][]; observation: number };

export function run(input: SimulatorModelInput): number[] {
  if (input.model === 'bioremediation') {
    return input.points.map((u) => {
      const s: Scenario = { ...defaultScenario() };
      input.parameters.forEach((name, k) => {
        s[name as ParameterName] = fromUnit(parameterSpec(name as ParameterName), u[k]);
      });
      const r = simulateBioremediation(s, { preset: input.preset, seed: input.seed, outputVariables: ['B', 'ED', 'Cr'] });
      return scalarOutputs(r)[input.output];
    });
  }
  const c = getCase('case1');
  return input.points.map((u) => observationVector(c, forward(c, unitToParameters('case1', Float64Array.from(u))))[input.observation]);
}
