/**
 * Results of campaigns, for tables and charts: metrics, models (with comparison tables), datasets,
 * predictions (with mean time series per source), Monte-Carlo distributions of run outputs, and
 * inversion results (convergence curves, per-parameter errors, estimated vs true).
 */
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCampaign } from '../../db/campaign-store.js';
import { campaignHeadline } from '../../kinds/index.js';
import { notFound } from '../api-error.js';
import { campaignFigureFile, campaignFigures } from '../campaign-figures.js';
import type { DashboardContext } from '../context.js';
import { distribution } from '../distribution.js';
import { compareModels, type ModelMetricRow } from '../model-comparison.js';
import { campaignId } from './campaign-routes.js';

const idParams = z.object({ id: campaignId });
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Mean of equal-position entries of several arrays (shorter arrays stop contributing). */
function meanCurve(curves: number[][]): number[] {
  const len = Math.max(0, ...curves.map((c) => c.length));
  const out: number[] = [];
  for (let k = 0; k < len; k++) {
    let s = 0;
    let n = 0;
    for (const c of curves) {
      if (k < c.length && Number.isFinite(c[k])) {
        s += c[k];
        n++;
      }
    }
    out.push(n > 0 ? s / n : NaN);
  }
  return out;
}

export function resultRoutes(ctx: DashboardContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- a fastify plugin is async (or takes a done callback)
  return async (app) => {
    const q = (text: string, params: unknown[]) => ctx.database.query(text, params);
    const existing = async (id: string) => {
      const r = await q('select id, kind from campaigns where id = $1', [id]);
      if (r.rows.length === 0) throw notFound('campaign', id);
      return r.rows[0];
    };

    app.get(
      '/api/campaigns/:id/summary',
      {
        schema: {
          tags: ['results'],
          summary: "The campaign's headline results (the same as `plume run` prints): facts, tables, pipeline stages with their own headlines",
          params: idParams,
        },
      },
      async (req) => {
        const row = await getCampaign(ctx.database, req.params.id);
        if (!row) throw notFound('campaign', req.params.id);
        return campaignHeadline(ctx.database, row);
      },
    );

    app.get(
      '/api/campaigns/:id/figures',
      { schema: { tags: ['results'], summary: "A finished campaign's report figures (the same drawings as `plume report`), with captions", params: idParams } },
      async (req) => {
        const row = await getCampaign(ctx.database, req.params.id);
        if (!row) throw notFound('campaign', req.params.id);
        const { figures } = await campaignFigures(ctx, row);
        return { figures: figures.map((f) => ({ ...f, url: `/api/campaigns/${encodeURIComponent(row.id)}/figures/${f.file}` })) };
      },
    );

    app.get(
      '/api/campaigns/:id/figures/:file',
      { schema: { tags: ['results'], summary: 'One report figure (.svg or .png)', params: z.object({ id: campaignId, file: z.string().max(200) }) } },
      async (req, reply) => {
        const row = await getCampaign(ctx.database, req.params.id);
        if (!row) throw notFound('campaign', req.params.id);
        const file = await campaignFigureFile(ctx, row, req.params.file);
        if (!file) throw notFound('figure', req.params.file);
        return reply.header('content-type', file.endsWith('.svg') ? 'image/svg+xml' : 'image/png').send(await readFile(file));
      },
    );

    app.get(
      '/api/campaigns/:id/metrics',
      { schema: { tags: ['results'], summary: 'Metrics of a campaign and of its models', params: idParams } },
      async (req) => {
        await existing(req.params.id);
        const r = await q(
          `select x.owner_type, x.owner_id, m.arch, m.variable, m.repeat, x.name, x.split, x.step, x.value
         from metrics x left join models m on x.owner_type = 'model' and m.id = x.owner_id
         where (x.owner_type = 'campaign' and x.owner_id = $1) or (x.owner_type = 'model' and m.campaign_id = $1)
         order by x.owner_type, x.owner_id, x.name, x.split, x.step limit 20000`,
          [req.params.id],
        );
        return { metrics: r.rows };
      },
    );

    app.get(
      '/api/campaigns/:id/models',
      { schema: { tags: ['results'], summary: 'Models of a campaign, with comparison tables (mean +- std over repeats, Welch p-values)', params: idParams } },
      async (req) => {
        await existing(req.params.id);
        const models = await q('select * from models where campaign_id = $1 order by arch, variable, repeat', [req.params.id]);
        const mm = await q(`select arch, variable, repeat, metric, split, value from v_model_metrics where campaign_id = $1 and step = -1`, [req.params.id]);
        const rows: ModelMetricRow[] = mm.rows.map((r) => ({
          arch: String(r.arch),
          variable: (r.variable as string) ?? null,
          repeat: num(r.repeat),
          metric: String(r.metric),
          split: String(r.split),
          value: num(r.value),
        }));
        return { models: models.rows, comparisons: compareModels(rows) };
      },
    );

    app.get(
      '/api/models',
      {
        schema: {
          tags: ['results'],
          summary: 'Models across campaigns',
          querystring: z.object({ campaign: campaignId.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        },
      },
      async (req) => {
        const r = await q('select * from models where ($1::text is null or campaign_id = $1) order by created_at desc limit $2', [
          req.query.campaign ?? null,
          req.query.limit,
        ]);
        return { models: r.rows };
      },
    );

    app.get(
      '/api/datasets',
      {
        schema: {
          tags: ['results'],
          summary: 'Datasets across campaigns',
          querystring: z.object({ campaign: campaignId.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        },
      },
      async (req) => {
        const r = await q('select * from datasets where ($1::text is null or campaign_id = $1) order by created_at desc limit $2', [
          req.query.campaign ?? null,
          req.query.limit,
        ]);
        return { datasets: r.rows };
      },
    );

    app.get(
      '/api/campaigns/:id/predictions',
      {
        schema: {
          tags: ['results'],
          summary: 'Prediction rows (artifact ids and summaries) and mean time series per source',
          params: idParams,
          querystring: z.object({
            variable: z.string().max(80).optional(),
            limit: z.coerce.number().int().min(1).max(5000).default(200),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => {
        await existing(req.params.id);
        const { variable, limit, offset } = req.query;
        const rows = await q(
          `select p.run_index, p.variable, p.model_id, m.arch, p.artifact_id, p.summary from predictions p left join models m on m.id = p.model_id
           where p.campaign_id = $1 and ($2::text is null or p.variable = $2) order by p.run_index, p.variable limit $3 offset $4`,
          [req.params.id, variable ?? null, limit, offset],
        );
        // Mean time series per (variable, source): summary.meanSeries (or mean_series), averaged over runs.
        const all = await q(
          `select p.variable, coalesce(p.summary->>'source', m.arch, case when p.model_id is null then 'truth' end, p.model_id) as source,
                  coalesce(p.summary->'meanSeries', p.summary->'mean_series') as series
           from predictions p left join models m on m.id = p.model_id
           where p.campaign_id = $1 and ($2::text is null or p.variable = $2) and coalesce(p.summary->'meanSeries', p.summary->'mean_series') is not null
           limit 20000`,
          [req.params.id, variable ?? null],
        );
        const groups = new Map<string, number[][]>();
        for (const r of all.rows) {
          const key = JSON.stringify([r.variable, r.source]);
          if (!Array.isArray(r.series)) continue;
          (groups.get(key) ?? groups.set(key, []).get(key)!).push((r.series as unknown[]).map(num));
        }
        const meanSeries = [...groups].map(([k, curves]) => {
          const [v, source] = JSON.parse(k) as [string, string];
          return { variable: v, source, runs: curves.length, series: meanCurve(curves) };
        });
        return { predictions: rows.rows, meanSeries };
      },
    );

    app.get(
      '/api/campaigns/:id/distributions',
      { schema: { tags: ['results'], summary: 'Monte-Carlo distributions (histogram, quantiles) of numeric run outputs', params: idParams } },
      async (req) => {
        await existing(req.params.id);
        const r = await q(`select output from runs where campaign_id = $1 and status = 'completed' and output is not null limit 200000`, [req.params.id]);
        const byKey = new Map<string, number[]>();
        for (const row of r.rows) {
          const o = row.output as Record<string, unknown>;
          if (!o || typeof o !== 'object') continue;
          for (const [k, v] of Object.entries(o)) if (typeof v === 'number') (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(v);
        }
        const fromPredictions = await q(
          `select variable, (summary->>'mean')::double precision as v from predictions where campaign_id = $1 and jsonb_typeof(summary->'mean') = 'number' limit 200000`,
          [req.params.id],
        );
        for (const row of fromPredictions.rows) {
          const k = `${String(row.variable)} (mean)`;
          (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(num(row.v));
        }
        return {
          distributions: [...byKey]
            .map(([name, values]) => ({ name, ...distribution(values)! }))
            .filter((d) => d.n > 0)
            .slice(0, 24),
        };
      },
    );

    app.get(
      '/api/campaigns/:id/inversion',
      { schema: { tags: ['results'], summary: 'Inversion results: summary, mean log10 convergence curves, per-parameter errors', params: idParams } },
      async (req) => {
        await existing(req.params.id);
        const summary = await q('select * from v_inversion_summary where campaign_id = $1 order by method, npc, variant', [req.params.id]);
        const rows = await q(
          `select scenario, method, npc, repeat, variant, forward_calls, wall_ms, final_objective, objective_curve, estimate, truth,
                  calib_rmse, calib_r2, valid_rmse, valid_r2, detail
           from inversion_results where campaign_id = $1 order by scenario, method, npc, repeat limit 20000`,
          [req.params.id],
        );
        const curves = new Map<string, number[][]>();
        const errors = new Map<string, number[][]>();
        const parity: { method: string; npc: number; scenario: number; estimate: number[]; truth: number[] }[] = [];
        for (const r of rows.rows) {
          const key = JSON.stringify([r.method, num(r.npc), r.variant ?? '']);
          const curve = ((r.objective_curve as number[]) ?? []).map((v) => Math.log10(Math.max(num(v), 1e-300)));
          (curves.get(key) ?? curves.set(key, []).get(key)!).push(curve);
          const est = ((r.estimate as number[]) ?? []).map(num);
          const tru = ((r.truth as number[]) ?? []).map(num);
          const err = est.map((v, k) => v - (tru[k] ?? NaN));
          const m = JSON.stringify([r.method]);
          (errors.get(m) ?? errors.set(m, []).get(m)!).push(err);
          if (parity.length < 2000) parity.push({ method: String(r.method), npc: num(r.npc), scenario: num(r.scenario), estimate: est, truth: tru });
        }
        const convergence = [...curves].map(([k, c]) => {
          const [method, npc, variant] = JSON.parse(k) as [string, number, string];
          return { method, npc, variant, n: c.length, log10Objective: meanCurve(c) };
        });
        const parameterErrors = [...errors].map(([k, list]) => {
          const [method] = JSON.parse(k) as [string];
          const nParams = Math.max(0, ...list.map((e) => e.length));
          return {
            method,
            parameters: Array.from({ length: nParams }, (_, p) => ({ index: p, ...distribution(list.map((e) => e[p]).filter(Number.isFinite)) })),
          };
        });
        return { summary: summary.rows, results: rows.rows.slice(0, 500), convergence, parameterErrors, parity };
      },
    );
  };
}
