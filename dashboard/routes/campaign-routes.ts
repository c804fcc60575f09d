/**
 * Campaigns: list, detail, progress, launch, cancel, pause/resume, retry-failed; and their runs
 * (filter by status, paginate). Mutations need the API token.
 */
import { preflightCampaign } from '../../engine/preflight.js';
import { maxRuns } from '../../engine/run-budget.js';
import { checkPipelineBudget } from '../../kinds/pipeline-budget.js';
import { boundHandler } from '../../kinds/index.js';
import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { getCampaign } from '../../db/campaign-store.js';
import { cancelCampaign, launchCampaign, pauseCampaign, retryFailedRuns } from '../../engine/launcher.js';
import { campaigns, runs } from '../../db/schema.js';
import { ApiError, notFound } from '../api-error.js';
import { requireToken } from '../auth.js';
import { progressView } from '../campaign-progress.js';
import { temporalWorkflowUrl } from '../../infra/temporal-ui-port.js';
import type { DashboardContext } from '../context.js';

export const campaignId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'campaign ids are letters, digits, ".", "_", ":" and "-"');
const idParams = z.object({ id: campaignId });
const STATUSES = ['pending', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

const csvOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

function serialiseCampaign(row: typeof campaigns.$inferSelect, ctx: DashboardContext) {
  const finished = row.completedRuns + row.failedRuns + row.cancelledRuns;
  return {
    ...row,
    progressRatio: row.totalRuns > 0 ? finished / row.totalRuns : 0,
    temporalUrl: temporalWorkflowUrl(ctx.temporalUiUrl, ctx.namespace, row.workflowId),
  };
}

export function campaignRoutes(ctx: DashboardContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- a fastify plugin is async (or takes a done callback)
  return async (app) => {
    const auth = requireToken(ctx.token);
    const temporal = () => {
      if (!ctx.client)
        throw new ApiError(
          503,
          'unavailable',
          'no Temporal connection: start the dashboard with a Temporal server reachable (TEMPORAL_ADDRESS or `plume dev`)',
        );
      return ctx.client;
    };
    const existing = async (id: string) => {
      const row = await getCampaign(ctx.database, id);
      if (!row) throw notFound('campaign', id);
      return row;
    };

    app.get(
      '/api/campaigns',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'List campaigns, newest first',
          querystring: z.object({
            status: csvOf(STATUSES).optional().describe('comma-separated statuses'),
            kind: z.string().max(40).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => {
        const { status, kind, limit, offset } = req.query;
        const where: SQL[] = [];
        if (status) where.push(inArray(campaigns.status, status));
        if (kind) where.push(eq(campaigns.kind, kind));
        const cond = where.length ? and(...where) : undefined;
        const rows = await ctx.database.db.select().from(campaigns).where(cond).orderBy(desc(campaigns.createdAt)).limit(limit).offset(offset);
        const [{ n }] = await ctx.database.db.select({ n: count() }).from(campaigns).where(cond);
        return { total: Number(n), limit, offset, campaigns: rows.map((r) => serialiseCampaign(r, ctx)) };
      },
    );

    app.get('/api/campaigns/:id', { schema: { tags: ['campaigns'], summary: 'One campaign', params: idParams } }, async (req) =>
      serialiseCampaign(await existing(req.params.id), ctx),
    );

    app.get(
      '/api/campaigns/:id/progress',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Live progress: counts, throughput, ETA, failures, and what the in-flight runs report (epoch and loss, best J, ...)',
          params: idParams,
        },
      },
      async (req) => {
        const p = await progressView(ctx.database, ctx.client, req.params.id, ctx);
        if (!p) throw notFound('campaign', req.params.id);
        return p;
      },
    );

    app.post(
      '/api/campaigns',
      {
        onRequest: auth,
        schema: {
          tags: ['campaigns'],
          summary: 'Launch a campaign (needs the API token)',
          security: [{ bearer: [] }],
          body: z.object({ spec: z.record(z.string(), z.unknown()).describe('a campaign spec, as in the YAML files (see `plume schema`)') }),
        },
      },
      async (req, reply) => {
        const spec = parseCampaignSpec(req.body.spec, 'body.spec');
        // Same pre-start checks as `plume run`; paths must lie under PLUME_DATA_ROOTS (no spec folder here).
        if (spec.kind !== 'pipeline') await preflightCampaign(await boundHandler(spec), { database: ctx.database }, 'body.spec');
        else await checkPipelineBudget(spec, maxRuns());
        const launched = await launchCampaign(temporal(), ctx.database, spec);
        return reply.status(201).send(launched);
      },
    );

    const action = (name: string, summary: string, run: (id: string) => Promise<unknown>) =>
      app.post(
        `/api/campaigns/:id/${name}`,
        { onRequest: auth, schema: { tags: ['campaigns'], summary: `${summary} (needs the API token)`, security: [{ bearer: [] }], params: idParams } },
        async (req, reply) => {
          const row = await existing(req.params.id);
          const out = await run(row.id);
          return reply.status(202).send({ id: row.id, action: name, ...(out && typeof out === 'object' ? out : {}) });
        },
      );
    const needsActive = (row: { status: string; id: string }, what: string) => {
      if (!['pending', 'running', 'paused'].includes(row.status))
        throw new ApiError(409, 'conflict', `campaign ${row.id} is ${row.status}: only a pending, running or paused campaign can be ${what}`);
    };
    action('cancel', 'Cancel a campaign', async (id) => {
      needsActive(await existing(id), 'cancelled');
      await cancelCampaign(temporal(), ctx.database, id);
    });
    action('pause', 'Pause a running campaign', async (id) => {
      needsActive(await existing(id), 'paused');
      await pauseCampaign(temporal(), ctx.database, id, true);
    });
    action('resume', 'Resume a paused campaign', async (id) => {
      needsActive(await existing(id), 'resumed');
      await pauseCampaign(temporal(), ctx.database, id, false);
    });
    action('retry-failed', 'Re-run the failed runs of a finished campaign', async (id) => {
      const row = await existing(id);
      if (['running', 'pending', 'paused'].includes(row.status))
        throw new ApiError(409, 'conflict', `campaign ${id} is still ${row.status}: wait for it to finish (or cancel it) before retrying failed runs`);
      return retryFailedRuns(temporal(), ctx.database, id);
    });

    app.get(
      '/api/campaigns/:id/runs',
      {
        schema: {
          tags: ['runs'],
          summary: 'Runs of a campaign, filtered and paginated',
          params: idParams,
          querystring: z.object({
            status: csvOf(RUN_STATUSES).optional().describe('comma-separated run statuses'),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            offset: z.coerce.number().int().min(0).default(0),
            order: z.enum(['index', '-index', 'duration', '-duration', 'finished', '-finished']).default('index'),
          }),
        },
      },
      async (req) => {
        await existing(req.params.id);
        const { status, limit, offset, order } = req.query;
        const cond = and(eq(runs.campaignId, req.params.id), status ? inArray(runs.status, status) : undefined);
        const col = order.endsWith('index') ? runs.runIndex : order.endsWith('duration') ? runs.durationMs : runs.finishedAt;
        const rows = await ctx.database.db
          .select()
          .from(runs)
          .where(cond)
          .orderBy(order.startsWith('-') ? desc(col) : asc(col), asc(runs.runIndex))
          .limit(limit)
          .offset(offset);
        const [{ n }] = await ctx.database.db.select({ n: count() }).from(runs).where(cond);
        return { total: Number(n), limit, offset, runs: rows };
      },
    );
  };
}
