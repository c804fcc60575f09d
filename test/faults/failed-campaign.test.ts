/**
 * A failed campaign never strands runs: finalising it as failed turns every unfinished run into a
 * failed one with the reason (counts add up), `plume retry ID --failed` re-runs all of them, and
 * `plume resume` of the failed campaign says to retry instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignActivities } from '../../activities/campaign-activities.js';
import { countRuns, getCampaign } from '../../db/campaign-store.js';
import { launchCampaign, retryFailedRuns, waitForCampaign } from '../../engine/launcher.js';
import { logger } from '../../infra/logger.js';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { pauseCommand } from '../../cli/commands/manage.js';
import type { Stack } from '../../worker/stack.js';
import { openTestStack, useTestEnv, waitUntil } from '../support/test-stack.js';

let stack: Stack;
beforeAll(async () => {
  await useTestEnv();
  stack = await openTestStack();
});
afterAll(async () => stack?.close());

describe('failed campaigns', () => {
  it('leave no pending runs, and retry --failed re-runs every unfinished run', async () => {
    const spec = parseCampaignSpec({
      kind: 'sensitivity',
      name: 'fault-failed',
      seed: 2,
      model: { name: 'ishigami' },
      samples: 40,
      bootstrap: { resamples: 20 },
      execution: { batchSize: 20 },
    });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    expect((await waitForCampaign(stack.client, stack.database, id)).status).toBe('completed');
    // The state an outage used to leave: 150 of 200 runs never ran, the campaign failing.
    await stack.database.query(`update runs set status = 'pending', output = null where campaign_id = $1 and run_index >= 50`, [id]);
    const activities = createCampaignActivities({
      database: stack.database,
      store: stack.store,
      client: stack.client,
      backend: 'cpu',
      workerId: 'test',
      logger,
    });
    const out = await activities.finalizeCampaign({ campaignId: id, outcome: 'failed', error: 'batch 3 failed: connection refused' });
    expect(out.status).toBe('failed');
    const c = await countRuns(stack.database, id);
    expect(c).toMatchObject({ total: 200, completed: 50, failed: 150, pending: 0, running: 0 });
    const reason = await stack.database.query(`select distinct error from runs where campaign_id = $1 and status = 'failed'`, [id]);
    expect(reason.rows).toEqual([{ error: 'not run: batch 3 failed: connection refused' }]);
    expect((await getCampaign(stack.database, id))?.failedRuns).toBe(150);

    // resume of a failed campaign points at retry.
    await expect(pauseCommand(id, false)).rejects.toThrow(new RegExp(`150 of 200 runs did not complete: re-run them with \`plume retry ${id} --failed\``));

    const retried = await retryFailedRuns(stack.client, stack.database, id);
    expect(retried.unfinished).toBe(150);
    await waitUntil(async () => (await getCampaign(stack.database, id))?.status === 'completed', 120_000, 'the retry to complete');
    expect(await countRuns(stack.database, id)).toMatchObject({ total: 200, completed: 200, failed: 0, pending: 0 });

    // When no run completed, the summary is not attempted: "N runs failed" is the campaign's error.
    await stack.database.query(`update runs set status = 'failed', output = null, error = 'model crashed' where campaign_id = $1`, [id]);
    const none = await activities.finalizeCampaign({ campaignId: id, outcome: 'completed' });
    expect(none.status).toBe('failed');
    expect(none.error).toBe(`200 of 200 runs failed; see runs.error, then plume retry ${id} --failed`);
  });
});
