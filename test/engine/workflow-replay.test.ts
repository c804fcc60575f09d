/**
 * Workflow changes stay replay-compatible: the history of a campaign recorded with the engine of
 * commit 77a7264 (batches as child workflows; a 80-run sensitivity campaign, four batches of 20)
 * replays without a nondeterminism error on today's workflow code, so campaigns in flight during an
 * upgrade go on (`patched()` in workflows/campaign-workflow.ts keeps such executions on child
 * workflows until they continue as new).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protoPkg from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../../worker/workflow-bundle.js';
import { useTestEnv } from '../support/test-stack.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'campaign-history-child-batches.bin');

describe('workflow replay', () => {
  it('replays a campaign recorded with batches as child workflows', async () => {
    await useTestEnv();
    // The client's fetchHistory(), protobuf-encoded (temporal.api.history.v1.History).
    const { History, EventType } = { History: protoPkg.temporal.api.history.v1.History, EventType: protoPkg.temporal.api.enums.v1.EventType };
    const history = History.decode(readFileSync(fixture));
    // The fixture is what it claims: four batches as child workflows; the only activities are the plan and the summary.
    const types = (history.events ?? []).map((e) => e.eventType);
    expect(types.filter((t) => t === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).toHaveLength(4);
    expect(types.filter((t) => t === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toHaveLength(2);
    // Child ids derive from the campaign workflow's id (`<id>/batch-<n>`): replay under the recorded one.
    const firstChild = history.events?.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)?.startChildWorkflowExecutionInitiatedEventAttributes
      ?.workflowId;
    const workflowId = String(firstChild).replace(/\/batch-0$/, '');
    expect(workflowId).toMatch(/^campaign-replay-fixture-/);
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId)).resolves.toBeUndefined();
  }, 120_000);
});
