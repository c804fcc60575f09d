import { mkdtemp, symlink, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../artifacts/store.js';
import { openDatabase, type Database } from '../../db/client.js';
import { buildDashboardApp } from '../../dashboard/server.js';
import { tokenMatches } from '../../dashboard/auth.js';
import type { ProgressView } from '../../dashboard/campaign-progress.js';
import type { ComparisonTable } from '../../dashboard/model-comparison.js';
import type { Distribution } from '../../dashboard/distribution.js';

// The parts of the JSON responses these tests read.
interface ErrorBody {
  error: string;
  message: string;
  issues?: { path: string }[];
}
interface CampaignList {
  total: number;
  campaigns: { id: string; progressRatio: number; temporalUrl: string }[];
}
interface InversionView {
  summary: object[];
  convergence: { log10Objective: number[] }[];
  parameterErrors: { parameters: { n: number; mean: number }[] }[];
  parity: unknown[];
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown }>>;
}

let database: Database;
let store: ArtifactStore;
let app: FastifyInstance;
let fieldId: string;
let truthId: string;
const TOKEN = 'test-token-123';

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'plume-api-'));
  store = new ArtifactStore(path.join(dir, 'artifacts'));
  const q = (s: string, p: unknown[] = []) => database.query(s, p);
  await q(`insert into campaigns (id, kind, name, spec, spec_hash, seed, status, total_runs, completed_runs, failed_runs, workflow_id)
           values ('c1', 'train', 'compare', '{}', 'h', 7, 'completed', 4, 3, 1, 'campaign-c1'),
                  ('c2', 'sensitivity', 'other', '{}', 'h', 8, 'running', 10, 0, 0, 'campaign-c2')`);
  await q(`insert into runs (campaign_id, run_index, params, status, duration_ms, output, error, finished_at) values
           ('c1', 0, '{"a":1}', 'completed', 5, '{"y": 1.0}', null, now()),
           ('c1', 1, '{"a":2}', 'completed', 9, '{"y": 2.0}', null, now()),
           ('c1', 2, '{"a":3}', 'completed', 7, '{"y": 4.0}', null, now()),
           ('c1', 3, '{"a":4}', 'failed', 1, null, 'Error: diverged at step 12', now())`);
  await q(`insert into progress_samples (campaign_id, at, completed, failed) values
           ('c1', now() - interval '10 seconds', 0, 0), ('c1', now() - interval '5 seconds', 2, 0), ('c1', now(), 3, 1)`);
  // Two architectures x three repeats: rmse a = 1,2,3 ; b = 4,5,6 (Welch t = -3.674, df = 4, p = 0.02131).
  const vals: Record<string, number[]> = { stam: [1, 2, 3], mlp: [4, 5, 6] };
  for (const [arch, v] of Object.entries(vals)) {
    for (let r = 0; r < 3; r++) {
      await q(`insert into models (id, campaign_id, arch, variable, repeat, hyperparams, backend) values ($1, 'c1', $2, 'conc', $3, '{}', 'cpu')`, [
        `${arch}-${r}`,
        arch,
        r,
      ]);
      await q(`insert into metrics (owner_type, owner_id, name, split, value) values ('model', $1, 'rmse', 'test', $2)`, [`${arch}-${r}`, v[r]]);
    }
  }
  const field = await store.putTensor(
    'field',
    Float32Array.from({ length: 2 * 3 * 4 }, (_, k) => k),
    [2, 3, 4],
  );
  const truth = await store.putTensor(
    'field',
    Float32Array.from({ length: 2 * 3 * 4 }, () => 1),
    [2, 3, 4],
  );
  fieldId = field.id;
  truthId = truth.id;
  await q(
    `insert into predictions (campaign_id, run_index, variable, model_id, artifact_id, summary) values
           ('c1', 0, 'conc', 'stam-0', $1, $2), ('c1', 0, 'head', null, $3, '{"meanSeries": [1, 1, 1], "mean": 1}'),
           ('c1', 1, 'conc', 'stam-1', $1, '{"meanSeries": [3, 5, 7], "mean": 2}')`,
    [fieldId, JSON.stringify({ meanSeries: [1, 3, 5], mean: 3, truthArtifactId: truthId }), truthId],
  );
  await q(`insert into inversion_results (campaign_id, scenario, method, npc, repeat, forward_calls, wall_ms, final_objective, objective_curve, estimate, truth, valid_rmse)
           values ('c1', 0, 'pso', 20, 0, 400, 12, 0.01, '{1, 0.1, 0.01}', '{1.1, 2.0}', '{1, 2}', 0.5),
                  ('c1', 1, 'pso', 20, 0, 400, 14, 0.001, '{10, 1, 0.001}', '{0.9, 2.5}', '{1, 2}', 0.7)`);
  app = await buildDashboardApp({
    database,
    store,
    client: null,
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    token: TOKEN,
    query: { timeoutMs: 5000, rowLimit: 100 },
  });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });
const post = (url: string, body?: unknown, token?: string) =>
  app.inject({ method: 'POST', url, payload: body as never, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('campaigns and runs', () => {
  it('lists campaigns with progress and a Temporal link; filters by status', async () => {
    const r = await get('/api/campaigns?status=completed');
    expect(r.statusCode).toBe(200);
    const b = r.json<CampaignList>();
    expect(b.total).toBe(1);
    expect(b.campaigns[0].id).toBe('c1');
    expect(b.campaigns[0].progressRatio).toBe(1);
    expect(b.campaigns[0].temporalUrl).toBe('http://127.0.0.1:8233/namespaces/default/workflows/campaign-c1');
    expect((await get('/api/campaigns')).json<CampaignList>().total).toBe(2);
  });
  it('400 with a clear message on bad filters and pagination', async () => {
    const r = await get('/api/campaigns?status=bogus&limit=0');
    expect(r.statusCode).toBe(400);
    expect(r.json<ErrorBody>().error).toBe('bad_request');
    expect(r.json<ErrorBody>().message).toMatch(/querystring\.status/);
    expect(r.json<ErrorBody>().message).toMatch(/querystring\.limit/);
    expect(r.body).not.toMatch(/at .*\.ts:\d+/);
  });
  it('detail and 404', async () => {
    expect((await get('/api/campaigns/c1')).json<{ name: string }>().name).toBe('compare');
    const r = await get('/api/campaigns/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json<ErrorBody>().message).toBe("no campaign with id 'nope'");
    expect((await get('/api/campaigns/..%2F..%2Fetc')).statusCode).toBe(400);
  });
  it('progress: counts, throughput, failures with errors', async () => {
    const p = (await get('/api/campaigns/c1/progress')).json<ProgressView>();
    expect(p.counts).toEqual({ total: 4, completed: 3, failed: 1, cancelled: 0, running: 0, pending: 0 });
    expect(p.ratio).toBe(1);
    expect(p.throughput).toHaveLength(3);
    expect(p.throughput[1].runsPerSecond).toBeCloseTo(2 / 5, 2);
    expect(p.runsPerSecond).toBeCloseTo(4 / 10, 2);
    expect(p.failures).toEqual([expect.objectContaining({ runIndex: 3, error: 'Error: diverged at step 12' })]);
    // In-flight work comes from Temporal (test/kinds/train/train.test.ts); this server has no client.
    expect(p.inFlight).toBeNull();
  });
  it('runs: filter by status, paginate, order', async () => {
    const r = (await get('/api/campaigns/c1/runs?status=completed&limit=2&offset=1&order=-duration')).json<{ total: number; runs: { runIndex: number }[] }>();
    expect(r.total).toBe(3);
    expect(r.runs.map((x) => x.runIndex)).toEqual([2, 0]);
    expect((await get('/api/campaigns/c1/runs?order=sideways')).statusCode).toBe(400);
    expect((await get('/api/campaigns/c1/runs?limit=5000')).json<ErrorBody>().message).toMatch(/limit/);
  });
});

describe('mutations need the token', () => {
  const actions = ['cancel', 'pause', 'resume', 'retry-failed'];
  it('401 without a token and with a wrong one, for launch and every action', async () => {
    for (const token of [undefined, 'wrong']) {
      const l = await post('/api/campaigns', { spec: { kind: 'sensitivity', name: 'x', seed: 1, model: { name: 'ishigami' }, samples: 16 } }, token);
      expect(l.statusCode).toBe(401);
      expect(l.json<ErrorBody>().message).toMatch(token ? /wrong token/ : /missing token/);
      for (const a of actions) expect((await post(`/api/campaigns/c2/${a}`, undefined, token)).statusCode).toBe(401);
    }
  });
  it('authenticates before parsing: a malformed body without a token is 401, not 400', async () => {
    for (const payload of ['{not json', JSON.stringify({ nospec: 1 }), JSON.stringify({ spec: { kind: 'nope' } })]) {
      const r = await app.inject({ method: 'POST', url: '/api/campaigns', payload, headers: { 'content-type': 'application/json' } });
      expect(r.statusCode).toBe(401);
      expect(r.json<ErrorBody>().message).not.toMatch(/spec|kind|json/i);
    }
    const action = await app.inject({ method: 'POST', url: '/api/campaigns/c2/cancel', payload: '{broken', headers: { 'content-type': 'application/json' } });
    expect(action.statusCode).toBe(401);
  });

  it('with the token: bad spec is 400 naming the field; no Temporal is 503; finished campaign cannot be cancelled (409)', async () => {
    const bad = await post('/api/campaigns', { spec: { kind: 'sensitivity', name: 'x', seed: 'one' } }, TOKEN);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error).toBe('invalid_spec');
    expect(bad.json<ErrorBody>().issues?.map((i) => i.path)).toContain('seed');
    const notObject = await post('/api/campaigns', { spec: 3 }, TOKEN);
    expect(notObject.statusCode).toBe(400);
    expect(notObject.json<ErrorBody>().message).toMatch(/body\.spec/);
    const ok = await post('/api/campaigns', { spec: { kind: 'sensitivity', name: 'x', seed: 1, model: { name: 'ishigami' }, samples: 16 } }, TOKEN);
    expect(ok.statusCode).toBe(503);
    expect((await post('/api/campaigns/c1/cancel', undefined, TOKEN)).statusCode).toBe(409);
    expect((await post('/api/campaigns/nope/cancel', undefined, TOKEN)).statusCode).toBe(404);
    expect((await post('/api/campaigns/c2/pause', undefined, TOKEN)).statusCode).toBe(503);
  });
  it('token comparison is exact', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', 'abd')).toBe(false);
  });
  it('request bodies are limited to 1 MiB and must be JSON objects', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/api/query',
      payload: JSON.stringify({ sql: `select '${'x'.repeat(1_100_000)}'` }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    const broken = await app.inject({ method: 'POST', url: '/api/query', payload: '{"sql": ', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
  });
});

describe('results', () => {
  it('model comparison: mean +- std over repeats and Welch p-value against the best', async () => {
    const b = (await get('/api/campaigns/c1/models')).json<{ models: unknown[]; comparisons: ComparisonTable[] }>();
    expect(b.models).toHaveLength(6);
    const t = b.comparisons[0];
    expect([t.metric, t.split, t.variable]).toEqual(['rmse', 'test', 'conc']);
    expect(t.entries[0]).toMatchObject({ arch: 'stam', n: 3, mean: 2, std: 1, best: true, pValue: null });
    expect(t.entries[1]).toMatchObject({ arch: 'mlp', mean: 5, std: 1 });
    expect(t.entries[1].pValue).toBeCloseTo(0.02131, 4);
  });
  it('metrics, models and datasets endpoints', async () => {
    expect((await get('/api/campaigns/c1/metrics')).json<{ metrics: unknown[] }>().metrics).toHaveLength(6);
    expect((await get('/api/models?campaign=c1')).json<{ models: unknown[] }>().models).toHaveLength(6);
    expect((await get('/api/datasets')).json<{ datasets: unknown[] }>().datasets).toEqual([]);
    expect((await get('/api/models?limit=-1')).statusCode).toBe(400);
  });
  it('predictions with mean time series per source (truth vs model)', async () => {
    const b = (await get('/api/campaigns/c1/predictions')).json<{ predictions: unknown[]; meanSeries: { variable: string; source: string }[] }>();
    expect(b.predictions).toHaveLength(3);
    const conc = b.meanSeries.find((s) => s.variable === 'conc');
    expect(conc).toEqual({ variable: 'conc', source: 'stam', runs: 2, series: [2, 4, 6] });
    expect(b.meanSeries.find((s) => s.variable === 'head')?.source).toBe('truth');
  });
  it('Monte-Carlo distributions with quantiles', async () => {
    const d = (await get('/api/campaigns/c1/distributions'))
      .json<{ distributions: (Distribution & { name: string })[] }>()
      .distributions.find((x) => x.name === 'y')!;
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(7 / 3, 10);
    expect(d.quantiles.find((q) => q.q === 0.5)?.value).toBe(2);
    expect(d.bins.reduce((s, b) => s + b.count, 0)).toBe(3);
  });
  it('inversion: mean log10 convergence and per-parameter errors', async () => {
    const b = (await get('/api/campaigns/c1/inversion')).json<InversionView>();
    expect(b.summary[0]).toMatchObject({ method: 'pso', npc: 20, n: 2 });
    expect(b.convergence[0].log10Objective.map((v) => +v.toFixed(6))).toEqual([0.5, -0.5, -2.5]);
    const p0 = b.parameterErrors[0].parameters[0];
    expect(p0.n).toBe(2);
    expect(p0.mean).toBeCloseTo(0, 6);
    expect(b.parity).toHaveLength(2);
  });
});

describe('artifacts', () => {
  it('downloads .npy bytes that decode to the stored tensor', async () => {
    const r = await get(`/api/artifacts/${fieldId}`);
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.subarray(1, 6).toString()).toBe('NUMPY');
    expect(r.headers['content-disposition']).toContain(`${fieldId}.npy`);
  });
  it('slices the last two axes', async () => {
    const s = (await get(`/api/artifacts/${fieldId}/slice?at=1`)).json<{ rows: number; cols: number; values: number[] }>();
    expect([s.rows, s.cols]).toEqual([3, 4]);
    expect(s.values.slice(0, 3)).toEqual([12, 13, 14]);
    expect((await get(`/api/artifacts/${fieldId}/slice?at=2`)).json<ErrorBody>().message).toMatch(/outside 0\.\.1/);
    expect((await get(`/api/artifacts/${fieldId}/slice?at=-1`)).statusCode).toBe(400);
  });
  it('renders a PNG', async () => {
    const r = await get(`/api/artifacts/${fieldId}/png?at=0&title=field`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(r.rawPayload.length).toBeGreaterThan(1000);
  });
  it('refuses path traversal and unknown ids', async () => {
    for (const bad of ['..%2F..%2F..%2Fetc%2Fpasswd', '..', `${fieldId.slice(0, 63)}/`, '%2e%2e%2fdb', fieldId.toUpperCase()]) {
      const r = await get(`/api/artifacts/${bad}`);
      expect([400, 404]).toContain(r.statusCode);
      expect(r.body).not.toMatch(/root:/);
    }
    expect((await get(`/api/artifacts/${'0'.repeat(64)}`)).statusCode).toBe(404);
    // A symlink planted in the store that points outside it is not followed.
    const id = 'f'.repeat(64);
    await mkdir(path.join(store.location, 'ff'), { recursive: true });
    await symlink('/etc/passwd', path.join(store.location, 'ff', `${id}.npy`));
    const r = await get(`/api/artifacts/${id}`);
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toMatch(/root:/);
    await writeFile(path.join(os.tmpdir(), 'unused'), '');
  });
});

describe('query endpoint', () => {
  it('runs read-only SQL on the views, JSON and CSV', async () => {
    const r = await post('/api/query', { sql: "select run_index, status from v_runs where campaign_id = 'c1' order by run_index" });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ rows: unknown[] }>().rows).toHaveLength(4);
    const c = await post('/api/query', { sql: 'select 1 as a, 2 as b', format: 'csv' });
    expect(c.body).toBe('a,b\r\n1,2\r\n');
  });
  it('refuses writes, DDL, file reads and endless queries with 400, changing nothing', async () => {
    for (const sql of [
      "update campaigns set status = 'x'",
      'drop table runs',
      "select pg_read_file('/etc/passwd')",
      "copy (select 1) to program 'id'",
      'select pg_sleep(100)',
      'select count(*) from generate_series(1, 1000000000000::bigint)',
    ]) {
      const r = await post('/api/query', { sql });
      expect(r.statusCode).toBe(400);
      expect(r.json<ErrorBody>().error).toBe('query_refused');
    }
    expect((await post('/api/query', {})).json<ErrorBody>().message).toMatch(/body\.sql/);
    expect((await database.query("select count(*)::int as n from campaigns where status = 'x'")).rows[0].n).toBe(0);
    expect((await database.query('select count(*)::int as n from runs')).rows[0].n).toBe(4);
  });
  it('caps rowLimit at the server limit', async () => {
    expect((await post('/api/query', { sql: 'select 1', rowLimit: 1_000_000 })).statusCode).toBe(400);
  });
});

describe('meta', () => {
  it('OpenAPI document is generated from the schemas', async () => {
    const doc = (await get('/openapi.json')).json<OpenApiDoc>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/campaigns', '/api/campaigns/{id}/runs', '/api/query', '/api/artifacts/{id}/png']));
    const runs = doc.paths['/api/campaigns/{id}/runs'].get.parameters?.map((p) => p.name);
    expect(runs).toEqual(expect.arrayContaining(['id', 'status', 'limit', 'offset', 'order']));
    expect(doc.paths['/api/campaigns'].post.requestBody).toBeDefined();
  });
  it('/metrics exposes the plume_ metrics', async () => {
    const r = await get('/metrics');
    expect(r.body).toContain('# TYPE plume_runs_total counter');
    expect(r.body).toContain('plume_run_duration_seconds');
  });
  it('serves the page, echarts, and no other file from node_modules', async () => {
    expect((await get('/')).body).toContain('<title>Plume</title>');
    expect((await get('/app.js')).statusCode).toBe(200);
    expect((await get('/vendor/echarts/echarts.min.js')).statusCode).toBe(200);
    expect((await get('/vendor/echarts/echarts.js')).statusCode).toBe(404);
    expect((await get('/vendor/echarts/../../../package.json')).statusCode).toBe(404);
    expect((await get('/campaigns/c1')).body).toContain('<title>Plume</title>');
  });
});
