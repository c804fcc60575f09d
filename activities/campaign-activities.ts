/**
 * Temporal activities of the campaign engine. All I/O and compute of a campaign happens here; the
 * workflows only sequence these calls. Every write is an upsert keyed by (campaign_id, run_index),
 * long work heartbeats, and invalid input raises a non-retryable `InvalidInput` failure.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { StoreWriteError, type ArtifactStore } from '../artifacts/store.js';
import { parseCampaignSpec, SpecError, type CampaignSpec } from '../kinds/campaign-spec.js';
import {
  cancelUnfinishedRuns,
  loadBatchRuns,
  markRunsRunning,
  failUnfinishedRuns,
  getCampaign,
  insertRuns,
  recordProgressSample,
  recordRunResults,
  refreshCounts,
  resetRuns,
  runIndicesWithStatus,
  UNFINISHED_RUN_STATUSES,
  updateCampaign,
  type CampaignCounters,
  type CampaignRow,
} from '../db/campaign-store.js';
import type { HandlerContext, RunOutcome } from '../engine/kind-handler.js';
import { boundHandler } from '../kinds/index.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../infra/logger.js';
import { activityErrorsTotal, batchSize as batchSizeMetric, campaignProgress, runDuration, runsTotal } from '../infra/metrics.js';
import { queueName } from '../infra/queues.js';
import { NON_RETRYABLE_INPUT, type BatchResult, type CampaignOutcome, type CampaignPlan } from './campaign-plan.js';
import { queueWorkers, routeMlQueue } from './queue-routing.js';
import { withStorageOutageRetry } from './storage-outage.js';

/**
 * The campaign's counters move with every result write (recordRunResults); a worker records a
 * progress sample (the dashboard's throughput chart) at most once a second per campaign. Finalizing,
 * cancelling and retrying recount the rows exactly.
 */
const PROGRESS_SAMPLE_INTERVAL_MS = 1000;
/** A batch's last stage marks its runs not yet computed running once it has worked this long. */
const MARK_RUNNING_AFTER_MS = 1000;
/** A batch activity writes the results its chunks computed at most this often (and at its end). */
const WRITE_RESULTS_EVERY_MS = 1000;
const progressSampledAt = new Map<string, number>();
function progressSampleDue(campaignId: string): boolean {
  const now = Date.now();
  const last = progressSampledAt.get(campaignId);
  if (last !== undefined && now - last < PROGRESS_SAMPLE_INTERVAL_MS) return false;
  progressSampledAt.set(campaignId, now);
  if (progressSampledAt.size > 1000) progressSampledAt.delete(progressSampledAt.keys().next().value!);
  return true;
}

export interface ActivityServices {
  database: Database;
  store: ArtifactStore;
  client: Client;
  backend: string;
  workerId: string;
  logger: Logger;
}

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: NON_RETRYABLE_INPUT, nonRetryable: true });
}

async function loadCampaign(services: ActivityServices, campaignId: string): Promise<{ row: CampaignRow; spec: CampaignSpec }> {
  const row = await getCampaign(services.database, campaignId);
  if (!row) throw invalid(`campaign ${campaignId} does not exist in the results database`);
  try {
    return { row, spec: parseCampaignSpec(row.spec, `campaign ${campaignId}`) };
  } catch (e) {
    if (e instanceof SpecError) throw invalid(e.message);
    throw e;
  }
}

function handlerContext(services: ActivityServices, row: CampaignRow): HandlerContext {
  let ctx: Context | null = null;
  try {
    ctx = Context.current();
  } catch {
    ctx = null;
  }
  return {
    database: services.database,
    store: services.store,
    campaign: row,
    backend: services.backend,
    worker: services.workerId,
    signal: ctx?.cancellationSignal ?? new AbortController().signal,
    resumeFrom: ctx?.info.heartbeatDetails,
    heartbeat(details?: unknown) {
      ctx?.heartbeat(details);
      if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
    },
    log(msg, extra) {
      services.logger.info({ campaign: row.id, ...extra }, msg);
    },
  };
}

export function createCampaignActivities(services: ActivityServices) {
  const { database } = services;
  const outage = <T>(activity: string, work: () => Promise<T>): Promise<T> => withStorageOutageRetry(activity, work, { logger: services.logger });

  const activities = {
    /** Validate the stored spec, create run rows (first time) or select runs to retry, route queues. */
    async planCampaign(input: { campaignId: string; mode: 'all' | 'failed' }): Promise<CampaignPlan> {
      const { row, spec } = await loadCampaign(services, input.campaignId);
      const handler = await boundHandler(spec);
      const ctx = handlerContext(services, row);
      const routing = handler.setup.concat(handler.stages).some((s) => s.role === 'ml')
        ? await routeMlQueue(services.client, spec.execution.queue)
        : { queue: queueName('cpu'), reason: 'no ML stages' };
      let total: number;
      let indices: number[] | null = null;
      // A store that cannot be written fails the campaign now, before any simulation runs.
      await services.store.checkWritable().catch((e: unknown) => {
        throw e instanceof StoreWriteError ? invalid(e.message) : e;
      });
      if (input.mode === 'all') {
        const existing = Number((await database.query('select count(*)::int as n from runs where campaign_id = $1', [row.id])).rows[0].n);
        const planned = handler.plannedRuns?.().total;
        // First plan, or a plan interrupted part-way (its inserted rows are kept: inserts skip them).
        if (existing === 0 || (planned !== undefined && existing < planned)) {
          let prepared;
          try {
            prepared = await handler.prepare(ctx);
          } catch (e) {
            throw invalid(`campaign ${row.id}: ${(e as Error).message}`);
          }
          total = await insertRuns(database, row.id, prepared.params, (n) => ctx.heartbeat({ planned: n }));
        } else {
          total = existing;
        }
      } else {
        indices = await runIndicesWithStatus(database, row.id, UNFINISHED_RUN_STATUSES);
        await resetRuns(database, row.id, indices);
        // The reset runs leave the campaign's counters; results count them again as they finish.
        total = (await refreshCounts(database, row.id)).total;
      }
      const queueFor = (role: string): string => (role === 'ml' ? routing.queue : queueName('cpu'));
      await updateCampaign(database, row.id, {
        status: 'running',
        totalRuns: total,
        startedAt: row.startedAt ?? new Date(),
        finishedAt: null,
        error: null,
        queue: routing.queue,
        routing: routing.reason,
      });
      services.logger.info({ campaign: row.id, kind: spec.kind, runs: total, routing: routing.reason }, 'campaign planned');
      return {
        campaignId: row.id,
        kind: spec.kind,
        totalRuns: total,
        batchSize: spec.execution.batchSize ?? handler.defaultBatchSize,
        indices,
        setup: input.mode === 'all' ? handler.setup.map((s) => ({ name: s.name, queue: queueFor(s.role) })) : [],
        stages: handler.stages.map((s) => ({ name: s.name, queue: queueFor(s.role) })),
        maxConcurrentBatches: spec.execution.maxConcurrentBatches,
        batchesPerExecution: spec.execution.batchesPerExecution,
        scheduleToStartTimeoutSeconds: spec.execution.scheduleToStartTimeoutSeconds,
        activityTimeoutSeconds: spec.execution.activityTimeoutSeconds,
        heartbeatTimeoutSeconds: spec.execution.heartbeatTimeoutSeconds,
        controlQueue: queueName('cpu'),
        routing: routing.reason,
      };
    },

    async runSetupStep(input: { campaignId: string; stage: string }): Promise<void> {
      const { row, spec } = await loadCampaign(services, input.campaignId);
      const handler = await boundHandler(spec);
      if (!handler.runSetup) throw invalid(`campaign kind ${spec.kind} has no setup stage ${input.stage}`);
      try {
        await handler.runSetup(input.stage, handlerContext(services, row));
      } catch (e) {
        // A setup result that says the spec cannot work (e.g. a collapsed decoder) fails the campaign
        // with the handler's message instead of being retried.
        if (e instanceof SpecError) throw invalid(e.message);
        throw e;
      }
    },

    /** Execute one stage for a batch of runs; completed runs are skipped, so retries resume. */
    async runBatchStage(input: { campaignId: string; stage: string; indices: number[]; last: boolean }): Promise<BatchResult> {
      const { row, spec } = await loadCampaign(services, input.campaignId);
      const handler = await boundHandler(spec);
      const ctx = handlerContext(services, row);
      const batch = await loadBatchRuns(database, row.id, input.indices);
      const todo = batch.todo;
      let completed = batch.done;
      let failed = 0;
      // The campaign's counters after the last write (set in flush below, so held in an object TS does not narrow).
      const latest: { counters: CampaignCounters | null } = { counters: null };
      batchSizeMetric.observe({ kind: spec.kind, stage: input.stage }, todo.length);
      // A last stage still working after a second marks its runs not yet computed running (what the
      // dashboard shows while simulations run); a cheap batch goes from pending to its results in
      // one write.
      const startedAt = new Date();
      const unwritten = new Set(todo.map((r) => r.runIndex));
      const marked = new Set<number>();
      let marking: Promise<void> = Promise.resolve();
      const markTimer = input.last
        ? setTimeout(() => {
            const indices = [...unwritten];
            for (const i of indices) marked.add(i);
            // Best effort (what the dashboard shows): the results still land if it fails.
            marking = markRunsRunning(database, row.id, indices, services.workerId, services.backend).catch((e: unknown) => {
              for (const i of indices) marked.delete(i);
              services.logger.warn({ campaign: row.id, err: (e as Error).message }, 'marking runs running failed');
            });
          }, MARK_RUNNING_AFTER_MS)
        : null;
      // Results are written once a second and at the end, not after every chunk: a slow chunk (a
      // simulation) is written as soon as it finishes, a cheap batch in one statement (each
      // statement costs its planning and a round trip, which ten 50-run writes per batch pay ten times).
      let buffered: RunOutcome[] = [];
      let writtenAt = performance.now();
      const flush = async (): Promise<void> => {
        writtenAt = performance.now();
        if (buffered.length === 0) return;
        const outcomes = buffered;
        buffered = [];
        await marking;
        const writes = outcomes.map((o) => ({ ...o, marked: marked.has(o.runIndex) }));
        latest.counters = (await recordRunResults(database, row.id, writes, services.workerId, services.backend, startedAt)) ?? latest.counters;
        for (const o of outcomes) {
          runsTotal.inc({ kind: spec.kind, status: o.status });
          runDuration.observe({ kind: spec.kind }, o.durationMs / 1000);
          if (o.status === 'completed') completed++;
          else failed++;
        }
      };
      try {
        const chunk = handler.chunkSize ?? Math.max(1, todo.length);
        for (let s = 0; s < todo.length; s += chunk) {
          ctx.heartbeat({ stage: input.stage, position: s });
          const part = todo.slice(s, s + chunk);
          let outcomes;
          try {
            outcomes = await handler.runBatch(input.stage, part, ctx);
          } catch (e) {
            activityErrorsTotal.inc({ activity: 'runBatchStage', type: (e as Error).name ?? 'Error' });
            // Retrying cannot fix a read-only or full store: fail the batch with what to do.
            if (e instanceof StoreWriteError) throw invalid(e.message);
            throw e;
          }
          for (const o of outcomes) unwritten.delete(o.runIndex);
          buffered.push(...outcomes);
          if (performance.now() - writtenAt >= WRITE_RESULTS_EVERY_MS) await flush();
        }
        await flush();
      } catch (e) {
        // What the earlier chunks computed is kept when a chunk fails or the batch is cancelled
        // (best effort: the batch fails with its own error).
        await flush().catch(() => undefined);
        throw e;
      } finally {
        if (markTimer) clearTimeout(markTimer);
        await marking;
      }
      const { counters } = latest;
      if (input.last && counters) {
        campaignProgress.set({ campaign: row.id, kind: spec.kind }, counters.total ? (counters.completed + counters.failed) / counters.total : 0);
        if (progressSampleDue(row.id)) await recordProgressSample(database, row.id);
      }
      return { completed, failed };
    },

    /** Summarise and set the final status. */
    async finalizeCampaign(input: { campaignId: string; outcome: 'completed' | 'failed'; error?: string }): Promise<CampaignOutcome> {
      const { row, spec } = await loadCampaign(services, input.campaignId);
      const handler = await boundHandler(spec);
      let status: CampaignOutcome['status'] = input.outcome;
      let error = input.error ?? null;
      // A failed campaign leaves no run pending: each says why it did not run, and counts add up.
      if (status === 'failed') await failUnfinishedRuns(database, row.id, error ?? 'the campaign failed');
      const counts = await refreshCounts(database, row.id);
      let results: object | null = null;
      if (status === 'completed') {
        // Failed runs decide the outcome first: a summary that cannot cope with missing runs must
        // not replace "N runs failed" with its own crash.
        const runsFailed = counts.failed > 0 ? `${counts.failed} of ${counts.total} runs failed; see runs.error, then plume retry ${row.id} --failed` : null;
        if (!runsFailed || counts.completed > 0) {
          try {
            const summary = await handler.finalize(handlerContext(services, row));
            results = summary;
            if (!runsFailed && 'error' in summary && typeof summary.error === 'string') {
              status = 'failed';
              error = summary.error;
            }
          } catch (e) {
            if (!runsFailed) {
              status = 'failed';
              error = `summarising the campaign failed: ${(e as Error).message}`;
            }
          }
        }
        if (runsFailed) {
          status = 'failed';
          error = runsFailed;
        }
      }
      await updateCampaign(database, row.id, { status, error, results, finishedAt: new Date() });
      campaignProgress.remove({ campaign: row.id, kind: spec.kind });
      services.logger.info({ campaign: row.id, status, error }, 'campaign finished');
      return { campaignId: row.id, status, ...(error ? { error } : {}) };
    },

    async markCampaignCancelled(input: { campaignId: string }): Promise<CampaignOutcome> {
      const n = await cancelUnfinishedRuns(database, input.campaignId);
      await refreshCounts(database, input.campaignId);
      await updateCampaign(database, input.campaignId, { status: 'cancelled', finishedAt: new Date(), error: `cancelled by user; ${n} runs not finished` });
      return { campaignId: input.campaignId, status: 'cancelled' };
    },

    /** Worker processes serving a task queue (see `queueWorkers`); the batch workflow asks when a
     *  stage waited longer than its schedule-to-start timeout, to tell busy workers from none. */
    async countQueueWorkers(input: { queue: string }): Promise<number> {
      return queueWorkers(services.client, input.queue);
    },

    async setCampaignStatus(input: { campaignId: string; status: 'running' | 'paused' }): Promise<void> {
      await updateCampaign(database, input.campaignId, { status: input.status });
    },
  };

  // Every activity waits out a database outage (transient errors) instead of failing its batch.
  return {
    planCampaign: (input: Parameters<typeof activities.planCampaign>[0]) => outage('planCampaign', () => activities.planCampaign(input)),
    runSetupStep: (input: Parameters<typeof activities.runSetupStep>[0]) => outage('runSetupStep', () => activities.runSetupStep(input)),
    runBatchStage: (input: Parameters<typeof activities.runBatchStage>[0]) => outage('runBatchStage', () => activities.runBatchStage(input)),
    finalizeCampaign: (input: Parameters<typeof activities.finalizeCampaign>[0]) => outage('finalizeCampaign', () => activities.finalizeCampaign(input)),
    markCampaignCancelled: (input: Parameters<typeof activities.markCampaignCancelled>[0]) =>
      outage('markCampaignCancelled', () => activities.markCampaignCancelled(input)),
    setCampaignStatus: (input: Parameters<typeof activities.setCampaignStatus>[0]) => outage('setCampaignStatus', () => activities.setCampaignStatus(input)),
    // Asks Temporal, not the database.
    countQueueWorkers: (input: Parameters<typeof activities.countQueueWorkers>[0]) => activities.countQueueWorkers(input),
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
