/**
 * Scale: a 10,000-run campaign keeps every workflow history bounded. The suite's dev server
 * suggests continue-as-new after TEST_CAN_SUGGEST_EVENTS events; the campaign workflow must act on
 * the suggestion, so every execution of it stays near that bound. A sensitivity batch has one stage:
 * it is an activity of the campaign workflow, not a child workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { countRuns } from '../../db/campaign-store.js';
import { launchCampaign, waitForCampaign } from '../../engine/launcher.js';
import type { Stack } from '../../worker/stack.js';
import { TEST_CAN_SUGGEST_EVENTS } from '../global-setup.js';
import { openTestStack, useTestEnv } from '../support/test-stack.js';

let stack: Stack;

beforeAll(async () => {
  await useTestEnv();
  stack = await openTestStack();
});
afterAll(async () => stack?.close());

async function historyLength(workflowId: string, runId: string): Promise<number> {
  const h = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return h.events?.length ?? 0;
}

describe('workflow histories at 10,000 runs', () => {
  it('stay under the continue-as-new threshold in every execution', async () => {
    const spec = parseCampaignSpec({
      kind: 'sensitivity',
      name: 'history-10k',
      seed: 2,
      model: { name: 'ishigami' },
      samples: 2000,
      bootstrap: { resamples: 100 },
      // 100 batches; no per-execution batch cap, so only the server's suggestion triggers continue-as-new.
      execution: { batchSize: 100, maxConcurrentBatches: 4, batchesPerExecution: 500 },
    });
    const { id, workflowId } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect(out.status).toBe('completed');
    expect((await countRuns(stack.database, id)).completed).toBe(10_000);

    const executions: { runId: string; events: number }[] = [];
    for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      executions.push({ runId: w.runId, events: await historyLength(workflowId, w.runId) });
    }
    // 100 batches x ~6 events would be ~600 events in one history: it must have been split.
    expect(executions.length).toBeGreaterThanOrEqual(2);
    for (const e of executions) {
      // The suggestion lands mid-flight: in-flight batches may still complete after it (4 x ~4 events).
      expect(e.events).toBeLessThan(TEST_CAN_SUGGEST_EVENTS + 60);
    }
    const batchExecutions: string[] = [];
    for await (const w of stack.client.workflow.list()) if (w.workflowId.startsWith(`${workflowId}/batch-`)) batchExecutions.push(w.workflowId);
    expect(batchExecutions).toEqual([]);
  });
});
