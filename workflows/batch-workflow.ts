/**
 * One batch of a campaign: run each stage's activity for the batch's runs on the stage's task
 * queue. Small and deterministic; all work happens in activities.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BatchInput, BatchResult } from '../activities/campaign-plan.js';
import type { CampaignActivities } from '../activities/campaign-activities.js';
import { whileWorkersServe } from './wait-for-worker.js';

export async function batchWorkflow(input: BatchInput): Promise<BatchResult> {
  let result: BatchResult = { completed: 0, failed: 0 };
  for (let i = 0; i < input.stages.length; i++) {
    const stage = input.stages[i];
    const { runBatchStage } = proxyActivities<CampaignActivities>({
      taskQueue: stage.queue,
      scheduleToStartTimeout: `${input.scheduleToStartTimeoutSeconds}s`,
      startToCloseTimeout: `${input.activityTimeoutSeconds}s`,
      heartbeatTimeout: `${input.heartbeatTimeoutSeconds}s`,
      retry: { maximumAttempts: 5, initialInterval: '1s', backoffCoefficient: 2, nonRetryableErrorTypes: ['InvalidInput'] },
    });
    result = await whileWorkersServe(stage.queue, () =>
      runBatchStage({
        campaignId: input.campaignId,
        stage: stage.name,
        indices: input.indices,
        last: i === input.stages.length - 1,
      }),
    );
  }
  return result;
}
