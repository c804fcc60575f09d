/**
 * The Plume dashboard: REST API (fastify, zod-validated, OpenAPI at /openapi.json), the web page
 * (dashboard/public, ECharts served from node_modules) and Prometheus `/metrics`. Binds 127.0.0.1
 * unless told otherwise; mutations need PLUME_API_TOKEN; request bodies are capped at 1 MiB.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Stack } from '../worker/stack.js';
import { projectRoot } from '../infra/paths.js';
import { temporalNamespace } from '../infra/queues.js';
import { registry } from '../infra/metrics.js';
import { metricsText } from '../worker/metrics-server.js';
import { installErrorHandler } from './api-error.js';
import type { DashboardContext } from './context.js';
import { artifactRoutes } from './routes/artifact-routes.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { queryRoutes } from './routes/query-routes.js';
import { resultRoutes } from './routes/result-routes.js';

const DEFAULT_PORT = 8787;
const DEFAULT_HOST = '127.0.0.1';
const BODY_LIMIT = 1024 * 1024;

export interface DashboardAppOptions {
  /** Log requests (pino); default false. */
  logger?: boolean;
}

const jsonReplacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);

export async function buildDashboardApp(ctx: DashboardContext, opts: DashboardAppOptions = {}): Promise<FastifyInstance> {
  // No request logging without a logger (the deprecated `disableRequestLogging` option is not needed for that).
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setReplySerializer((payload) => JSON.stringify(payload, jsonReplacer));
  installErrorHandler(app);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Plume API', version: '0.1.0', description: 'Campaigns, runs, results, artifacts and read-only SQL of a Plume deployment.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'PLUME_API_TOKEN' } } },
    },
    transform: jsonSchemaTransform,
  });

  // Swagger UI over the same OpenAPI document, at /docs.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(campaignRoutes(ctx));
  await app.register(resultRoutes(ctx));
  await app.register(artifactRoutes(ctx));
  await app.register(queryRoutes(ctx));

  app.get('/api/health', { schema: { tags: ['meta'], summary: 'Liveness and what the server is connected to' } }, () => ({
    ok: true,
    driver: ctx.database.engine,
    temporal: ctx.client !== null,
    temporalUiUrl: ctx.temporalUiUrl,
    namespace: ctx.namespace,
    mutations: ctx.token !== null,
  }));
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.header('content-type', registry.contentType).send(await metricsText()));

  const publicDir = path.join(projectRoot(), 'dashboard', 'public');
  await app.register(fastifyStatic, { root: publicDir, prefix: '/', index: ['index.html'], wildcard: false });
  await app.register(fastifyStatic, {
    root: path.join(projectRoot(), 'node_modules', 'echarts', 'dist'),
    prefix: '/vendor/echarts/',
    decorateReply: false,
    allowedPath: (p) => p === '/echarts.min.js',
  });
  // Client-side routes of the single page all serve index.html.
  app.get('/campaigns/*', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html'));
  return app;
}

export interface StartDashboardOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  stack: Pick<Stack, 'database' | 'store' | 'temporalUiUrl'> & { client: Stack['client'] | null };
  /** Default PLUME_API_TOKEN; empty means mutations are refused. */
  token?: string | null;
  /** Read-only query limits (default 10 s, 10 000 rows). */
  query?: { timeoutMs?: number; rowLimit?: number };
  logger?: boolean;
}

export interface RunningDashboard {
  url: string;
  host: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startDashboard(opts: StartDashboardOptions): Promise<RunningDashboard> {
  const token = opts.token === undefined ? process.env.PLUME_API_TOKEN || null : opts.token || null;
  const ctx: DashboardContext = {
    database: opts.stack.database,
    store: opts.stack.store,
    client: opts.stack.client,
    temporalUiUrl: process.env.PLUME_TEMPORAL_UI_URL ?? opts.stack.temporalUiUrl,
    namespace: temporalNamespace(),
    token,
    query: { timeoutMs: opts.query?.timeoutMs ?? 10_000, rowLimit: opts.query?.rowLimit ?? 10_000 },
  };
  const app = await buildDashboardApp(ctx, { logger: opts.logger });
  const host = opts.host ?? DEFAULT_HOST;
  await app.listen({ port: opts.port ?? DEFAULT_PORT, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? DEFAULT_PORT);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}`, host, port, app, close: () => app.close() };
}
