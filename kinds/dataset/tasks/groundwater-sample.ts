/** Compute task: one forward run of a groundwater inversion case. */
import { runCaseSample, type SamplerName } from '../../../physics/groundwater/case-dataset.js';
import type { CaseName } from '../../../physics/groundwater/groundwater-case.js';

export interface GroundwaterSampleInput {
  caseName: CaseName;
  index: number;
  seed: number;
  n: number;
  sampler: SamplerName;
  stream: 'train' | 'test';
}

export function run(input: GroundwaterSampleInput): { params: Float64Array; observations: Float64Array; field: Float64Array | null } {
  const s = runCaseSample(input.caseName, input.index, input.seed, { n: input.n, sampler: input.sampler, stream: input.stream });
  return { params: s.params, observations: s.observations, field: s.field ?? null };
}
