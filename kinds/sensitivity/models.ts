/**
 * Models that `sensitivity` campaigns can analyse. Each maps points of the unit cube (one per
 * run) to a scalar output; parameter names label the indices. Analytic test functions come with
 * their exact indices so results can be compared. Simulators and trained surrogates register here
 * as further entries.
 */
import { ishigami, ishigamiIndices, sobolG, sobolGIndices, type AnalyticIndices } from '../../physics/sensitivity/test-functions.js';
import { PARAMETER_NAMES } from '../../physics/bioremediation/parameters.js';
import { runCompute } from '../../compute/pool.js';
import { sensitivityTasks } from './compute-tasks.js';
import type { SimulatorModelInput } from './tasks/sensitivity-simulator.js';
import type { SensitivityModelSpec } from './spec.js';

export const CASE1_PARAMETERS = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'C0'];

/** Split points over the compute threads (a few chunks per thread keeps them all busy). */
async function evaluateInThreads(points: number[][], make: (chunk: number[][]) => SimulatorModelInput, signal?: AbortSignal): Promise<number[]> {
  const chunk = Math.max(1, Math.ceil(points.length / 8));
  const parts: Promise<number[]>[] = [];
  for (let s = 0; s < points.length; s += chunk) parts.push(runCompute(sensitivityTasks.simulator, make(points.slice(s, s + chunk)), signal));
  return (await Promise.all(parts)).flat();
}

export interface SensitivityModel {
  parameterNames: string[];
  /** Evaluate a batch of unit-cube points; may be slow (simulators), so async. */
  evaluate(points: number[][], signal?: AbortSignal): Promise<number[]>;
  analytic?: AnalyticIndices;
}

export function sensitivityModel(spec: SensitivityModelSpec, seed = 0): SensitivityModel {
  switch (spec.name) {
    case 'bioremediation': {
      const names = spec.parameters ?? [...PARAMETER_NAMES];
      const unknown = names.filter((n) => !(PARAMETER_NAMES as readonly string[]).includes(n));
      if (unknown.length) throw new Error(`model.parameters: unknown parameter(s) ${unknown.join(', ')}; choose from ${PARAMETER_NAMES.join(', ')}`);
      return {
        parameterNames: names,
        // One permeability field (the campaign seed) for every evaluation, so only the parameters vary.
        evaluate: (pts, signal) =>
          evaluateInThreads(
            pts,
            (chunk) => ({ model: 'bioremediation', points: chunk, parameters: names, output: spec.output, preset: spec.preset, seed }),
            signal,
          ),
      };
    }
    case 'groundwater_case1':
      return {
        parameterNames: CASE1_PARAMETERS,
        evaluate: (pts, signal) => evaluateInThreads(pts, (chunk) => ({ model: 'groundwater', points: chunk, observation: spec.observation }), signal),
      };
    case 'ishigami':
      return {
        parameterNames: ['x1', 'x2', 'x3'],
        evaluate: (pts) => Promise.resolve(pts.map((u) => ishigami(u, spec.a, spec.b))),
        analytic: ishigamiIndices(spec.a, spec.b),
      };
    case 'sobol_g':
      return {
        parameterNames: spec.a.map((_, i) => `x${i + 1}`),
        evaluate: (pts) => Promise.resolve(pts.map((u) => sobolG(u, spec.a))),
        analytic: sobolGIndices(spec.a),
      };
  }
}
