/**
 * The campaign workflow: plan (activity) -> setup steps -> fan-out of batches with bounded
 * concurrency -> summary. A batch is a child workflow running its stages in order; a batch of a
 * single stage (every kind but upscale) is that stage's activity, run by this workflow directly:
 * one workflow task per batch instead of the child's three, and no execution to create.
 * Continue-as-new keeps history bounded for 10k+ runs; a `progress` query, `pause`/`resume`
 * updates, and cancellation that marks unfinished runs `cancelled`.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  defineQuery,
  defineUpdate,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../activities/campaign-activities.js';
import type { BatchResult, CampaignOutcome, CampaignPlan } from '../activities/campaign-plan.js';
import { batchStageActivity, batchWorkflow } from './batch-workflow.js';
import { whileWorkersServe } from './wait-for-worker.js';

interface CampaignCursor {
  plan: CampaignPlan;
  nextBatch: number;
  completed: number;
  failed: number;
  executions: number;
}

export interface CampaignWorkflowInput {
  campaignId: string;
  /** 'all' runs every unfinished run; 'failed' re-runs every run that did not complete (failed, cancelled, pending). */
  mode: 'all' | 'failed';
  /** Attempt number of a retry, to keep child workflow ids unique. */
  attempt?: number;
  cursor?: CampaignCursor;
}

export interface CampaignProgress {
  phase: 'planning' | 'setup' | 'running' | 'summarising' | 'done';
  paused: boolean;
  totalRuns: number;
  batchesTotal: number;
  batchesStarted: number;
  batchesDone: number;
  completed: number;
  failed: number;
  executions: number;
  historyLength: number;
}

export const progressQuery = defineQuery<CampaignProgress>('progress');
export const pauseUpdate = defineUpdate<boolean>('pause');
export const resumeUpdate = defineUpdate<boolean>('resume');

const control = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '5m',
  retry: { maximumAttempts: 10, initialInterval: '1s', nonRetryableErrorTypes: ['InvalidInput'] },
});

function batchIndices(plan: CampaignPlan, b: number): number[] {
  const start = b * plan.batchSize;
  if (plan.indices) return plan.indices.slice(start, start + plan.batchSize);
  const end = Math.min(plan.totalRuns, start + plan.batchSize);
  return Array.from({ length: end - start }, (_, k) => start + k);
}

function errorMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  const parts: string[] = [];
  while (e && parts.length < 5) {
    if (e.message) parts.push(e.message);
    e = e.cause as typeof e;
  }
  return parts.join(': ') || String(err);
}

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignOutcome> {
  const info = workflowInfo();
  let paused = false;
  const progress: CampaignProgress = {
    phase: 'planning',
    paused: false,
    totalRuns: 0,
    batchesTotal: 0,
    batchesStarted: input.cursor?.nextBatch ?? 0,
    batchesDone: input.cursor?.nextBatch ?? 0,
    completed: input.cursor?.completed ?? 0,
    failed: input.cursor?.failed ?? 0,
    executions: (input.cursor?.executions ?? 0) + 1,
    historyLength: 0,
  };
  setHandler(progressQuery, () => ({ ...progress, paused, historyLength: workflowInfo().historyLength }));
  setHandler(pauseUpdate, async () => {
    paused = true;
    await control.setCampaignStatus({ campaignId: input.campaignId, status: 'paused' });
    return true;
  });
  setHandler(resumeUpdate, async () => {
    paused = false;
    await control.setCampaignStatus({ campaignId: input.campaignId, status: 'running' });
    return true;
  });

  try {
    const plan = input.cursor?.plan ?? (await control.planCampaign({ campaignId: input.campaignId, mode: input.mode }));
    const n = plan.indices ? plan.indices.length : plan.totalRuns;
    const batches = Math.ceil(n / plan.batchSize);
    progress.totalRuns = plan.totalRuns;
    progress.batchesTotal = batches;

    if (!input.cursor && plan.setup.length > 0) {
      progress.phase = 'setup';
      for (const step of plan.setup) {
        const acts = proxyActivities<CampaignActivities>({
          taskQueue: step.queue,
          scheduleToStartTimeout: `${plan.scheduleToStartTimeoutSeconds}s`,
          startToCloseTimeout: `${plan.activityTimeoutSeconds}s`,
          heartbeatTimeout: `${plan.heartbeatTimeoutSeconds}s`,
          retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidInput'] },
        });
        await whileWorkersServe(step.queue, () => acts.runSetupStep({ campaignId: plan.campaignId, stage: step.name }));
      }
    }

    progress.phase = 'running';
    let next = input.cursor?.nextBatch ?? 0;
    let startedHere = 0;
    let inflight = 0;
    // The first failed batch (set from the child-workflow callbacks below, so held in an object TS does not narrow).
    const failure: { first: Error | null } = { first: null };
    const prefix = `${info.workflowId}/${input.mode === 'failed' ? `retry-${input.attempt ?? 1}-` : ''}batch-`;
    // Executions started before single-stage batches ran as activities (no marker in their history) replay with child workflows.
    const stageActivity = plan.stages.length === 1 && patched('single-stage-batch-activity') ? batchStageActivity(plan.stages[0].queue, plan) : null;

    while (next < batches && failure.first === null) {
      await condition(() => (!paused && inflight < plan.maxConcurrentBatches) || failure.first !== null);
      if (failure.first !== null) break;
      if (startedHere >= plan.batchesPerExecution || workflowInfo().continueAsNewSuggested) {
        await condition(() => inflight === 0);
        if (failure.first !== null) break;
        await continueAsNew<typeof campaignWorkflow>({
          ...input,
          cursor: { plan, nextBatch: next, completed: progress.completed, failed: progress.failed, executions: progress.executions },
        });
      }
      const b = next++;
      startedHere++;
      inflight++;
      progress.batchesStarted = next;
      const batch: Promise<BatchResult> = stageActivity
        ? stageActivity({ campaignId: plan.campaignId, stage: plan.stages[0].name, indices: batchIndices(plan, b), last: true })
        : executeChild(batchWorkflow, {
            workflowId: `${prefix}${b}`,
            args: [
              {
                campaignId: plan.campaignId,
                kind: plan.kind,
                batchIndex: b,
                indices: batchIndices(plan, b),
                stages: plan.stages,
                scheduleToStartTimeoutSeconds: plan.scheduleToStartTimeoutSeconds,
                activityTimeoutSeconds: plan.activityTimeoutSeconds,
                heartbeatTimeoutSeconds: plan.heartbeatTimeoutSeconds,
              },
            ],
          });
      batch.then(
        (r: BatchResult) => {
          inflight--;
          progress.batchesDone++;
          progress.completed += r.completed;
          progress.failed += r.failed;
        },
        (err: unknown) => {
          inflight--;
          if (failure.first === null) failure.first = err instanceof Error ? err : new Error(String(err));
        },
      );
    }
    await condition(() => inflight === 0);
    if (failure.first !== null) throw failure.first;

    progress.phase = 'summarising';
    const outcome = await control.finalizeCampaign({ campaignId: plan.campaignId, outcome: 'completed' });
    progress.phase = 'done';
    return outcome;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => control.markCampaignCancelled({ campaignId: input.campaignId }));
      throw err;
    }
    const message = errorMessage(err);
    const hint = /ScheduleToStart|schedule.to.start/i.test(message)
      ? ' — no worker serves the task queue: start `plume worker --queue gpu|cpu` or pin execution.queue in the spec'
      : '';
    await CancellationScope.nonCancellable(() => control.finalizeCampaign({ campaignId: input.campaignId, outcome: 'failed', error: `${message}${hint}` }));
    throw ApplicationFailure.create({ message: `${message}${hint}`, nonRetryable: true });
  }
}
