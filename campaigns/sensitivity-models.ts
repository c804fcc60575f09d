/**
 * Models that `sensitivity` campaigns can analyse. Each maps points of the unit cube (one per
 * run) to a scalar output; parameter names label the indices. Analytic test functions come with
 * their exact indices so results can be compared. Simulators and trained surrogates register here
 * as further entries.
 */
import { ishigami, ishigamiIndices, sobolG, sobolGIndices, type AnalyticIndices } from '../physics/sensitivity/test-functions.js';
import type { SensitivityModelSpec } from './sensitivity-spec.js';

export interface SensitivityModel {
  parameterNames: string[];
  /** Evaluate a batch of unit-cube points; may be slow (simulators), so async. */
  evaluate(points: number[][], signal?: AbortSignal): Promise<number[]>;
  analytic?: AnalyticIndices;
}

export function sensitivityModel(spec: SensitivityModelSpec): SensitivityModel {
  switch (spec.name) {
    case 'ishigami':
      return {
        parameterNames: ['x1', 'x2', 'x3'],
        evaluate: async (pts) => pts.map((u) => ishigami(u, spec.a, spec.b)),
        analytic: ishigamiIndices(spec.a, spec.b),
      };
    case 'sobol_g':
      return {
        parameterNames: spec.a.map((_, i) => `x${i + 1}`),
        evaluate: async (pts) => pts.map((u) => sobolG(u, spec.a)),
        analytic: sobolGIndices(spec.a),
      };
  }
}
