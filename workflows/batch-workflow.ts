/**
 * One batch of a campaign: run each stage's activity for the batch's runs on the stage's task
 * queue. Small and deterministic; all work happens in activities. A campaign whose batches have a
 * single stage runs that activity itself instead (campaign-workflow.ts), with the same options.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BatchInput, BatchResult } from '../activities/campaign-plan.js';
import type { CampaignActivities } from '../activities/campaign-activities.js';
import { whileWorkersServe } from './wait-for-worker.js';

/**
 * The batch-stage activity of one stage, with its queue, timeouts and retries, scheduled again
 * after a schedule-to-start timeout while a worker serves the queue (wait-for-worker.ts).
 */
export function batchStageActivity(
  queue: string,
  t: Pick<BatchInput, 'scheduleToStartTimeoutSeconds' | 'activityTimeoutSeconds' | 'heartbeatTimeoutSeconds'>,
): CampaignActivities['runBatchStage'] {
  const { runBatchStage } = proxyActivities<CampaignActivities>({
    taskQueue: queue,
    scheduleToStartTimeout: `${t.scheduleToStartTimeoutSeconds}s`,
    startToCloseTimeout: `${t.activityTimeoutSeconds}s`,
    heartbeatTimeout: `${t.heartbeatTimeoutSeconds}s`,
    retry: { maximumAttempts: 5, initialInterval: '1s', backoffCoefficient: 2, nonRetryableErrorTypes: ['InvalidInput'] },
  });
  return (input) => whileWorkersServe(queue, () => runBatchStage(input));
}

export async function batchWorkflow(input: BatchInput): Promise<BatchResult> {
  let result: BatchResult = { completed: 0, failed: 0 };
  for (let i = 0; i < input.stages.length; i++) {
    const stage = input.stages[i];
    result = await batchStageActivity(
      stage.queue,
      input,
    )({
      campaignId: input.campaignId,
      stage: stage.name,
      indices: input.indices,
      last: i === input.stages.length - 1,
    });
  }
  return result;
}
