/** POST /api/query: read-only SQL (see db/read-only-query.ts for what is refused and how). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toCsv } from '../../db/tabular-format.js';
import { runReadOnlyQuery } from '../../db/read-only-query.js';
import type { DashboardContext } from '../context.js';

export function queryRoutes(ctx: DashboardContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- a fastify plugin is async (or takes a done callback)
  return async (app) => {
    app.post(
      '/api/query',
      {
        schema: {
          tags: ['query'],
          summary: 'Run one read-only SQL query (views: v_runs, v_model_metrics, v_inversion_summary)',
          body: z.object({
            sql: z.string().min(1, 'sql: give one SELECT statement').max(100_000),
            rowLimit: z.number().int().min(1).max(ctx.query.rowLimit).optional(),
            format: z.enum(['json', 'csv']).default('json'),
          }),
        },
      },
      async (req, reply) => {
        const res = await runReadOnlyQuery(ctx.database, req.body.sql, {
          timeoutMs: ctx.query.timeoutMs,
          rowLimit: req.body.rowLimit ?? ctx.query.rowLimit,
        });
        if (req.body.format === 'csv') {
          return reply.header('content-type', 'text/csv; charset=utf-8').header('x-plume-truncated', String(res.truncated)).send(toCsv(res.rows, res.fields));
        }
        return res;
      },
    );
  };
}
