/**
 * Schedule-to-start timeouts are how a campaign notices that no worker serves a task queue (a
 * `gpu` stage with no GPU worker, a spec pinned to a queue nobody polls). But a task also waits
 * when every worker of the queue is busy: a campaign with more batches in flight than worker slots,
 * on long simulations (the `paper` preset: one batch can take longer than the timeout), or several
 * campaigns sharing the workers. Failing then would throw away a healthy campaign. So on a
 * schedule-to-start timeout the workflow asks the server (a local activity: it needs no worker
 * slot) whether any worker serves the queue: if one does, the task is scheduled again and waits
 * its turn; if none does, the timeout stands and the campaign fails with its hint.
 */
import { ActivityFailure, proxyLocalActivities, TimeoutFailure } from '@temporalio/workflow';
import type { CampaignActivities } from '../activities/campaign-activities.js';

const probe = proxyLocalActivities<CampaignActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } });

function waitedForAWorker(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof TimeoutFailure && err.cause.timeoutType === 'SCHEDULE_TO_START';
}

/** Runs `schedule` (an activity call on `queue`) again after each schedule-to-start timeout while a worker serves the queue. */
export async function whileWorkersServe<T>(queue: string, schedule: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await schedule();
    } catch (err) {
      if (!waitedForAWorker(err) || (await probe.countQueueWorkers({ queue })) === 0) throw err;
    }
  }
}
