/**
 * Activities of the pipeline workflow: plan the stage DAG, resolve each stage (reuse a finished
 * campaign with the same content hash, or create the stage campaign), record stage outcomes, and
 * summarise. Stage campaigns are ordinary campaigns with `parent_id` = the pipeline.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq } from 'drizzle-orm';
import { parseCampaignSpec, SpecError } from '../kinds/campaign-spec.js';
import { canonicalJson, getCampaign, insertCampaign, insertRuns, refreshCounts, updateCampaign, writeRunResults } from '../db/campaign-store.js';
import { orderStages, substituteReferences, type PipelineSpec } from '../pipeline/spec.js';
import { campaigns } from '../db/schema.js';
import type { ActivityServices } from './campaign-activities.js';
import { NON_RETRYABLE_INPUT, type CampaignOutcome } from './campaign-plan.js';

export interface PipelinePlan {
  pipelineId: string;
  stages: { id: string; kind: string; after: string[] }[];
}

export interface ResolvedStage {
  campaignId: string;
  hash: string;
}

export interface PreparedStage extends ResolvedStage {
  stageId: string;
  reused: boolean;
}

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: NON_RETRYABLE_INPUT, nonRetryable: true });
}

export function createPipelineActivities(services: ActivityServices) {
  const { database } = services;

  async function loadPipeline(id: string): Promise<PipelineSpec> {
    const row = await getCampaign(database, id);
    if (!row) throw invalid(`pipeline ${id} does not exist`);
    try {
      const spec = parseCampaignSpec(row.spec, `pipeline ${id}`);
      if (spec.kind !== 'pipeline') throw invalid(`campaign ${id} is a ${spec.kind} campaign, not a pipeline`);
      return spec;
    } catch (e) {
      if (e instanceof SpecError) throw invalid(e.message);
      throw e;
    }
  }

  return {
    async planPipeline(input: { pipelineId: string }): Promise<PipelinePlan> {
      const spec = await loadPipeline(input.pipelineId);
      const { stages, issues } = orderStages(spec);
      if (issues.length) throw invalid(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      await insertRuns(
        database,
        input.pipelineId,
        stages.map((s) => ({ stage: s.id, kind: String(s.spec.kind), after: s.after })),
      );
      const row = await getCampaign(database, input.pipelineId);
      await updateCampaign(database, input.pipelineId, {
        status: 'running',
        totalRuns: stages.length,
        startedAt: row?.startedAt ?? new Date(),
        finishedAt: null,
        error: null,
      });
      return { pipelineId: input.pipelineId, stages: stages.map((s) => ({ id: s.id, kind: String(s.spec.kind), after: s.after })) };
    },

    /** Reuse a finished campaign with the same content hash, or create this stage's campaign. */
    async prepareStage(input: { pipelineId: string; stageId: string; resolved: Record<string, ResolvedStage> }): Promise<PreparedStage> {
      const spec = await loadPipeline(input.pipelineId);
      const { stages } = orderStages(spec);
      const st = stages.find((s) => s.id === input.stageId);
      if (!st) throw invalid(`pipeline ${input.pipelineId} has no stage '${input.stageId}'`);
      const ids = Object.fromEntries(Object.entries(input.resolved).map(([k, v]) => [k, v.campaignId]));
      const hashes = Object.fromEntries(Object.entries(input.resolved).map(([k, v]) => [k, `stage:${v.hash}`]));
      // The hash sees inputs by THEIR hashes, not ids, so reuse chains through the DAG. Names do not count.
      const { name: _name, description: _d, ...hashed } = substituteReferences(st.spec, hashes) as Record<string, unknown>;
      const hash = createHash('sha256').update(canonicalJson(hashed)).digest('hex');
      const [done] = await database.db
        .select({ id: campaigns.id })
        .from(campaigns)
        .where(and(eq(campaigns.stageHash, hash), eq(campaigns.status, 'completed')))
        .orderBy(desc(campaigns.finishedAt))
        .limit(1);
      const runIndex = stages.findIndex((s) => s.id === st.id);
      if (done) {
        await writeRunResults(
          database,
          input.pipelineId,
          [{ runIndex, status: 'completed', output: { stage: st.id, campaignId: done.id, reused: true }, durationMs: 0 }],
          services.workerId,
          services.backend,
        );
        await refreshCounts(database, input.pipelineId);
        return { stageId: st.id, campaignId: done.id, hash, reused: true };
      }
      let stageSpec;
      try {
        stageSpec = parseCampaignSpec(substituteReferences(st.spec, ids), `stage ${st.id}`);
      } catch (e) {
        if (e instanceof SpecError) throw invalid(e.message);
        throw e;
      }
      // One campaign per (pipeline, stage, attempt): a retried activity finds the one it created.
      const attempt = (
        await database.query(`select count(*)::int as n from campaigns where parent_id = $1 and stage_hash = $2 and status in ('failed', 'cancelled')`, [
          input.pipelineId,
          hash,
        ])
      ).rows[0].n as number;
      const id = `${input.pipelineId}-${st.id}${attempt > 0 ? `-r${attempt}` : ''}`;
      await insertCampaign(database, { id, spec: stageSpec, parentId: input.pipelineId, stageHash: hash });
      await database.query(`update runs set status = 'running', started_at = now(), output = $3 where campaign_id = $1 and run_index = $2`, [
        input.pipelineId,
        runIndex,
        JSON.stringify({ stage: st.id, campaignId: id, reused: false }),
      ]);
      return { stageId: st.id, campaignId: id, hash, reused: false };
    },

    async completeStage(input: { pipelineId: string; stageId: string; campaignId: string; status: 'completed' | 'failed'; error?: string }): Promise<void> {
      const spec = await loadPipeline(input.pipelineId);
      const runIndex = orderStages(spec).stages.findIndex((s) => s.id === input.stageId);
      const child = await getCampaign(database, input.campaignId);
      const durationMs = child?.startedAt && child.finishedAt ? child.finishedAt.getTime() - child.startedAt.getTime() : 0;
      await writeRunResults(
        database,
        input.pipelineId,
        [
          {
            runIndex,
            status: input.status,
            output: { stage: input.stageId, campaignId: input.campaignId, reused: false },
            error: input.error ?? null,
            durationMs,
          },
        ],
        services.workerId,
        services.backend,
      );
      await refreshCounts(database, input.pipelineId);
    },

    async finalizePipeline(input: { pipelineId: string; outcome: 'completed' | 'failed' | 'cancelled'; error?: string }): Promise<CampaignOutcome> {
      const spec = await loadPipeline(input.pipelineId);
      const runs = await database.query(`select run_index, status, output from runs where campaign_id = $1 order by run_index`, [input.pipelineId]);
      const stages: Record<string, unknown> = {};
      for (const r of runs.rows) {
        const out = (r.output ?? {}) as { stage?: string; campaignId?: string; reused?: boolean };
        if (!out.stage) continue;
        const child = out.campaignId ? await getCampaign(database, out.campaignId) : null;
        stages[out.stage] = {
          campaignId: out.campaignId ?? null,
          kind: child?.kind ?? null,
          reused: Boolean(out.reused),
          status: r.status,
          runs: child ? { total: child.totalRuns, completed: child.completedRuns, failed: child.failedRuns } : null,
          results: child?.results ?? null,
        };
      }
      if (input.outcome === 'cancelled') {
        await database.query(`update runs set status = 'cancelled', finished_at = now() where campaign_id = $1 and status in ('pending', 'running')`, [
          input.pipelineId,
        ]);
      }
      await refreshCounts(database, input.pipelineId);
      await updateCampaign(database, input.pipelineId, {
        status: input.outcome,
        error: input.error ?? null,
        results: { stages, order: spec.stages.map((s) => s.id) },
        finishedAt: new Date(),
      });
      return { campaignId: input.pipelineId, status: input.outcome, ...(input.error ? { error: input.error } : {}) };
    },
  };
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;
