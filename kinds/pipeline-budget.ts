/**
 * The total-runs cap for a pipeline's stages, checked before anything starts like a single
 * campaign's (engine/run-budget.ts): each stage's spec is read with its references to other stages
 * replaced by placeholders (its run count never depends on them), and a stage that would plan more
 * runs than the cap is refused with its path (`stages[i].spec`) and the fields that multiply.
 */
import { checkRunBudget } from '../engine/run-budget.js';
import { orderStages, substituteReferences, type PipelineSpec } from '../pipeline/spec.js';
import { parseCampaignSpec } from './campaign-spec.js';
import { boundHandler } from './index.js';

export async function checkPipelineBudget(spec: PipelineSpec, cap: number): Promise<void> {
  const placeholder = Object.fromEntries(spec.stages.map((s) => [s.id, `stage-${s.id}`]));
  // orderStages gives each stage its full spec (name and seed defaulted from the pipeline).
  for (const st of orderStages(spec).stages) {
    const source = `stages[${spec.stages.findIndex((s) => s.id === st.id)}].spec`;
    const stageSpec = parseCampaignSpec(substituteReferences(st.spec, placeholder), source);
    if (stageSpec.kind === 'pipeline') continue; // refused by the pipeline's own validation
    const planned = (await boundHandler(stageSpec)).plannedRuns?.();
    if (planned) checkRunBudget(planned, cap, source);
  }
}
