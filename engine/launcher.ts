/**
 * Launching and steering campaigns: insert the campaign row, start its workflow, and the
 * operations users have on a running campaign (progress, cancel, pause/resume, retry failed).
 */
import { WorkflowFailedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { campaigns } from '../db/schema.js';
import type { Database } from '../db/client.js';
import { queueName } from '../infra/queues.js';
import type { CampaignOutcome } from '../activities/campaign-plan.js';
import type { CampaignProgress, CampaignWorkflowInput } from '../workflows/campaign-workflow.js';
import type { CampaignSpec } from '../kinds/campaign-spec.js';
import {
  getCampaign,
  insertCampaign,
  newCampaignId,
  runIndicesWithStatus,
  specHash,
  UNFINISHED_RUN_STATUSES,
  updateCampaign,
  type CampaignRow,
} from '../db/campaign-store.js';

export interface Launched {
  id: string;
  workflowId: string;
}

export async function launchCampaign(
  client: Client,
  database: Database,
  spec: CampaignSpec,
  opts: { id?: string; parentId?: string; stageHash?: string } = {},
): Promise<Launched> {
  const id = opts.id ?? newCampaignId(spec);
  const row = await insertCampaign(database, { id, spec, parentId: opts.parentId, stageHash: opts.stageHash });
  const workflowId = row.workflowId ?? `campaign-${id}`;
  await startCampaignWorkflow(client, spec.kind, workflowId, { campaignId: id, mode: 'all' });
  return { id, workflowId };
}

/**
 * The unfinished campaign of this exact spec (same name, spec hash and seed) in this database,
 * if there is one: `plume run` attaches to it instead of starting a duplicate.
 */
export async function findUnfinishedTwin(database: Database, spec: CampaignSpec): Promise<CampaignRow | null> {
  const [row] = await database.db
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.name, spec.name),
        eq(campaigns.specHash, specHash(spec)),
        eq(campaigns.seed, spec.seed),
        inArray(campaigns.status, ['pending', 'running', 'paused']),
        isNull(campaigns.parentId),
      ),
    )
    .orderBy(desc(campaigns.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * Attach to an unfinished campaign: if its workflow still runs, just follow it; if it was
 * interrupted (its workflow ended or is unknown to this Temporal server), start it again under
 * the same id: planning keeps the existing runs and batches skip completed ones.
 */
export async function attachCampaign(client: Client, row: CampaignRow): Promise<Launched & { restarted: boolean }> {
  const workflowId = row.workflowId ?? `campaign-${row.id}`;
  let running = false;
  try {
    running = (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  }
  if (!running) await startCampaignWorkflow(client, row.kind, workflowId, { campaignId: row.id, mode: 'all' });
  return { id: row.id, workflowId, restarted: !running };
}

/** Pipelines run `pipelineWorkflow`; every other kind the generic `campaignWorkflow`. */
async function startCampaignWorkflow(client: Client, kind: string, workflowId: string, input: CampaignWorkflowInput): Promise<void> {
  if (kind === 'pipeline') {
    await client.workflow.start('pipelineWorkflow', { workflowId, taskQueue: queueName('cpu'), args: [{ campaignId: input.campaignId }] });
  } else {
    await client.workflow.start('campaignWorkflow', { workflowId, taskQueue: queueName('cpu'), args: [input] });
  }
}

async function campaignOrThrow(database: Database, id: string): Promise<CampaignRow> {
  const row = await getCampaign(database, id);
  if (!row) throw new Error(`no campaign with id '${id}' (list them with \`plume list\`)`);
  return row;
}

/** The handle of a campaign's workflow (the latest run of its continue-as-new chain). */
export async function campaignHandle(client: Client, database: Database, id: string): Promise<WorkflowHandle> {
  const row = await campaignOrThrow(database, id);
  return client.workflow.getHandle(row.workflowId ?? `campaign-${id}`);
}

export async function campaignProgress(client: Client, database: Database, id: string): Promise<CampaignProgress | null> {
  try {
    const h = await campaignHandle(client, database, id);
    return await h.query<CampaignProgress>('progress');
  } catch {
    return null;
  }
}

export async function waitForCampaign(client: Client, database: Database, id: string): Promise<CampaignOutcome> {
  const h = await campaignHandle(client, database, id);
  // Follow continue-as-new chains; ride out transient connection errors to an overloaded server.
  for (let attempt = 0; ; attempt++) {
    try {
      return (await h.result()) as CampaignOutcome;
    } catch (e) {
      const row = await campaignOrThrow(database, id);
      const terminal = row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled';
      const workflowEnded = e instanceof WorkflowFailedError;
      if (terminal || workflowEnded || attempt >= 30) {
        return { campaignId: id, status: terminal ? (row.status as CampaignOutcome['status']) : 'failed', error: row.error ?? (e as Error).message };
      }
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))));
    }
  }
}

export async function cancelCampaign(client: Client, database: Database, id: string): Promise<void> {
  const h = await campaignHandle(client, database, id);
  await h.cancel();
}

export async function pauseCampaign(client: Client, database: Database, id: string, pause: boolean): Promise<void> {
  const h = await campaignHandle(client, database, id);
  await h.executeUpdate(pause ? 'pause' : 'resume');
}

/** Re-run every run of a finished campaign that did not complete (failed, cancelled, left pending). */
export async function retryFailedRuns(client: Client, database: Database, id: string): Promise<Launched & { unfinished: number }> {
  const row = await campaignOrThrow(database, id);
  if (row.status === 'running' || row.status === 'pending' || row.status === 'paused') {
    throw new Error(`campaign ${id} is still ${row.status}; wait for it to finish (or cancel it) before retrying failed runs`);
  }
  const unfinished = (await runIndicesWithStatus(database, id, UNFINISHED_RUN_STATUSES)).length;
  const workflowId = row.workflowId ?? `campaign-${id}`;
  const attempt = Date.now();
  await updateCampaign(database, id, { status: 'pending' });
  // A pipeline re-runs as a whole: its finished stages are reused by content hash.
  await startCampaignWorkflow(client, row.kind, workflowId, { campaignId: id, mode: 'failed', attempt });
  return { id, workflowId, unfinished };
}
