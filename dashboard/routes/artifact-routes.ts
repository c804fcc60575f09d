/**
 * Artifacts: `.npy` download, a 2-D slice as JSON (for the browser's heatmaps) and as a PNG. Ids
 * must be sha256 hex (so no path can be smuggled in); the store serves only what it holds (a local
 * store refuses files that resolve outside its directory) and streams downloads from disk or S3.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../api-error.js';
import type { DashboardContext } from '../context.js';
import { renderSlicePng, slice2d } from '../slice-render.js';

const artifactParams = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'an artifact id is 64 lowercase hex characters (sha256)') });
const sliceQuery = z.object({
  at: z
    .string()
    .max(200)
    .regex(/^\d+(,\d+)*$/, 'at: comma-separated non-negative indices of the leading axes, e.g. at=3,0')
    .transform((s) => s.split(',').map(Number))
    .optional(),
});
const MAX_CELLS = 1024 * 1024;

export function artifactRoutes(ctx: DashboardContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- a fastify plugin is async (or takes a done callback)
  return async (app) => {
    async function artifactSize(id: string): Promise<number> {
      const st = await ctx.store.stat(id, '.npy');
      if (!st) throw new ApiError(404, 'not_found', `no artifact with id '${id}' in the store`);
      return st.bytes;
    }
    /** What the artifact is (a prediction's variable and run, else its kind), not its hash. */
    async function defaultTitle(id: string, at: number[]): Promise<string> {
      const p = await ctx.database.query('select variable, run_index from predictions where artifact_id = $1 order by run_index limit 1', [id]);
      if (p.rows[0]) return `${String(p.rows[0].variable)}, run ${String(p.rows[0].run_index)}${at.length ? ` [${at.join(',')}]` : ''}`;
      const a = await ctx.database.query('select kind from artifacts where id = $1', [id]);
      return `${a.rows[0] ? String(a.rows[0].kind) : 'field'}${at.length ? ` [${at.join(',')}]` : ''}`;
    }

    async function loadSlice(id: string, at: number[] | undefined) {
      await artifactSize(id);
      const arr = await ctx.store.getTensor(id);
      const s = slice2d(arr, at ?? []);
      if (s.rows * s.cols > MAX_CELLS)
        throw new ApiError(400, 'bad_request', `slice of ${s.rows}x${s.cols} is larger than ${MAX_CELLS} cells: download the .npy instead`);
      return s;
    }

    app.get('/api/artifacts/:id', { schema: { tags: ['artifacts'], summary: 'Download an artifact as .npy', params: artifactParams } }, async (req, reply) => {
      const size = await artifactSize(req.params.id);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', size)
        .header('content-disposition', `attachment; filename="${req.params.id}.npy"`)
        .send(await ctx.store.openRead(req.params.id, '.npy'));
    });

    app.get(
      '/api/artifacts/:id/slice',
      { schema: { tags: ['artifacts'], summary: 'A 2-D slice (last two axes) as JSON', params: artifactParams, querystring: sliceQuery } },
      async (req) => loadSlice(req.params.id, req.query.at),
    );

    app.get(
      '/api/artifacts/:id/png',
      {
        schema: {
          tags: ['artifacts'],
          summary: 'A 2-D slice (last two axes) rendered as a PNG heatmap',
          params: artifactParams,
          querystring: sliceQuery.extend({
            title: z.string().max(120).optional(),
            log: z.enum(['true', 'false']).default('false').describe('colour by log10 of the values'),
            unit: z.string().max(60).optional().describe('colour-bar caption'),
          }),
        },
      },
      async (req, reply) => {
        const s = await loadSlice(req.params.id, req.query.at);
        const png = renderSlicePng(s, req.query.title ?? (await defaultTitle(req.params.id, s.at)), { log: req.query.log === 'true', unit: req.query.unit });
        return reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400, immutable').send(png);
      },
    );
  };
}
