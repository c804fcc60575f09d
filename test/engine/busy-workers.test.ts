/**
 * A schedule-to-start timeout fails a campaign only when no worker serves the queue: on a busy
 * worker (more batches in flight than activity slots, each batch longer than the timeout) the
 * waiting batch is scheduled again and the campaign completes. Real Temporal dev server, PGlite.
 */
import { decodeTimeoutType } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueWorkers } from '../../activities/queue-routing.js';
import { countRuns } from '../../db/campaign-store.js';
import { launchCampaign, waitForCampaign } from '../../engine/launcher.js';
import { queueName } from '../../infra/queues.js';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import type { Stack } from '../../worker/stack.js';
import { openTestStack, useTestEnv } from '../support/test-stack.js';

describe('busy workers', () => {
  let stack: Stack;

  beforeAll(async () => {
    await useTestEnv();
    // One activity slot: a second batch in flight always waits for the first.
    stack = await openTestStack({ workerConcurrency: 1 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('counts the workers serving a queue, and none on a queue nobody polls', async () => {
    expect(await queueWorkers(stack.client, queueName('cpu'))).toBeGreaterThanOrEqual(1);
    expect(await queueWorkers(stack.client, queueName('cpu') + '-nobody-polls-this')).toBe(0);
  });

  it('completes a campaign whose waiting batches outlast the schedule-to-start timeout', async () => {
    // 100 x (9 + 2) = 1,100 groundwater simulations in 2 batches of 550 (several seconds each here),
    // both in flight on one slot, with the shortest schedule-to-start timeout the spec allows.
    const spec = parseCampaignSpec({
      kind: 'sensitivity',
      name: 'busy-worker',
      seed: 3,
      model: { name: 'groundwater_case1', observation: 0 },
      samples: 100,
      bootstrap: { resamples: 50 },
      execution: { batchSize: 550, maxConcurrentBatches: 2, scheduleToStartTimeoutSeconds: 5, heartbeatTimeoutSeconds: 30 },
    });
    const { id, workflowId } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect(out.status).toBe('completed');
    expect(await countRuns(stack.database, id)).toMatchObject({ total: 1100, completed: 1100, failed: 0 });

    // The path under test was taken: some batch's activity timed out waiting for the busy worker
    // (a single-stage batch is an activity of the campaign workflow itself).
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const timedOut = (history.events ?? []).filter(
      (e) => decodeTimeoutType(e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType) === 'SCHEDULE_TO_START',
    ).length;
    expect(timedOut).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
