/**
 * A pipeline: stage campaigns in dependency order, each a child `campaignWorkflow`, except stages
 * whose content hash matches a finished campaign, which are reused as they are.
 */
import { ApplicationFailure, CancellationScope, defineQuery, executeChild, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CampaignOutcome } from '../activities/campaign-plan.js';
import type { PipelineActivities, ResolvedStage } from '../activities/pipeline-activities.js';
import { campaignWorkflow } from './campaign-workflow.js';

interface PipelineProgress {
  stages: { id: string; kind: string; status: 'pending' | 'running' | 'reused' | 'completed' | 'failed'; campaignId: string | null }[];
}

export const pipelineProgressQuery = defineQuery<PipelineProgress>('pipelineProgress');

const acts = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '10m',
  retry: { maximumAttempts: 10, initialInterval: '1s', nonRetryableErrorTypes: ['InvalidInput'] },
});

function messageOf(err: unknown): string {
  const parts: string[] = [];
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e && parts.length < 5) {
    if (e.message) parts.push(e.message);
    e = e.cause as typeof e;
  }
  return parts.join(': ') || String(err);
}

export async function pipelineWorkflow(input: { campaignId: string }): Promise<CampaignOutcome> {
  const progress: PipelineProgress = { stages: [] };
  setHandler(pipelineProgressQuery, () => progress);
  try {
    const plan = await acts.planPipeline({ pipelineId: input.campaignId });
    progress.stages = plan.stages.map((s) => ({ id: s.id, kind: s.kind, status: 'pending', campaignId: null }));
    const resolved: Record<string, ResolvedStage> = {};
    for (const [i, st] of plan.stages.entries()) {
      const prep = await acts.prepareStage({ pipelineId: input.campaignId, stageId: st.id, resolved });
      progress.stages[i].campaignId = prep.campaignId;
      if (!prep.reused) {
        progress.stages[i].status = 'running';
        const out = await executeChild(campaignWorkflow, {
          workflowId: `campaign-${prep.campaignId}`,
          args: [{ campaignId: prep.campaignId, mode: 'all' }],
        });
        await acts.completeStage({
          pipelineId: input.campaignId,
          stageId: st.id,
          campaignId: prep.campaignId,
          status: out.status === 'completed' ? 'completed' : 'failed',
          error: out.error,
        });
        if (out.status !== 'completed')
          throw ApplicationFailure.create({ message: `stage '${st.id}' (${prep.campaignId}) ${out.status}: ${out.error ?? ''}`, nonRetryable: true });
        progress.stages[i].status = 'completed';
      } else {
        progress.stages[i].status = 'reused';
      }
      resolved[st.id] = { campaignId: prep.campaignId, hash: prep.hash };
    }
    return await acts.finalizePipeline({ pipelineId: input.campaignId, outcome: 'completed' });
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => acts.finalizePipeline({ pipelineId: input.campaignId, outcome: 'cancelled', error: 'cancelled by user' }));
      throw err;
    }
    const message = messageOf(err);
    await CancellationScope.nonCancellable(() => acts.finalizePipeline({ pipelineId: input.campaignId, outcome: 'failed', error: message }));
    throw ApplicationFailure.create({ message, nonRetryable: true });
  }
}
