/**
 * A real Prometheus (Debian's package) with the project's config scrapes a worker that runs a small
 * sensitivity campaign; plume_runs_total is read back through Prometheus' HTTP query API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec } from '../../../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../../../engine/launcher.js';
import { freePort } from '../../../infra/free-port.js';
import { projectRoot } from '../../../infra/paths.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'plume-prom-'));
process.env.PLUME_STATE_DIR = path.join(tmp, 'state');
process.env.PLUME_ARTIFACTS = path.join(tmp, 'artifacts');
process.env.PLUME_QUEUE_PREFIX = `prom-${process.pid}-`;
delete process.env.TEMPORAL_ADDRESS;
delete process.env.DATABASE_URL;
const { openStack } = await import('../../../worker/stack.js');
type Stack = Awaited<ReturnType<typeof openStack>>;

let stack: Stack;
let prom: ChildProcess | null = null;
let promUrl = '';
let promLog = '';

async function promQuery(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

async function until<T>(what: string, f: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await f().catch(() => null);
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}\nprometheus log:\n${promLog.slice(-2000)}`);
}

beforeAll(async () => {
  stack = await openStack({ workers: ['cpu'], metricsPort: 0 });
  // The project's config, with the worker's port as target and a 1 s scrape interval.
  const confDir = path.join(tmp, 'prometheus');
  await cp(path.join(projectRoot(), 'infra', 'prometheus'), confDir, { recursive: true });
  const conf = YAML.parse(await readFile(path.join(confDir, 'prometheus.yml'), 'utf8'));
  conf.global.scrape_interval = '1s';
  conf.global.evaluation_interval = '1s';
  await writeFile(path.join(confDir, 'prometheus.yml'), YAML.stringify(conf));
  await writeFile(path.join(confDir, 'targets', 'workers.json'), JSON.stringify([{ targets: [`127.0.0.1:${stack.metrics!.port}`], labels: { queue: 'cpu' } }]));
  await writeFile(path.join(confDir, 'targets', 'api.json'), '[]');
  await writeFile(path.join(confDir, 'targets', 'temporal.json'), '[]');
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = spawn(
    'prometheus',
    [`--config.file=${path.join(confDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(tmp, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prom.stdout!.on('data', (d) => (promLog += d));
  prom.stderr!.on('data', (d) => (promLog += d));
  await until('prometheus ready', async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : null), 30_000);
});

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    prom.kill('SIGTERM');
    await new Promise((r) => { const t = setTimeout(() => { prom?.kill('SIGKILL'); r(null); }, 5000); prom!.once('exit', () => { clearTimeout(t); r(null); }); });
  }
  await stack?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('Prometheus scrapes a worker', () => {
  it('reads plume_runs_total of a finished campaign back through the query API', async () => {
    const spec = parseCampaignSpec({ kind: 'sensitivity', name: 'prom-scrape', seed: 3, model: { name: 'ishigami' }, samples: 16 });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const outcome = await waitForCampaign(stack.client, stack.database, id);
    expect(outcome.status).toBe('completed');
    const total = Number((await stack.database.query('select count(*)::int as n from runs where campaign_id = $1', [id])).rows[0]!.n);
    expect(total).toBe(16 * (3 + 2));
    const seen = await until(
      'plume_runs_total in Prometheus',
      async () => {
        const r = await promQuery('sum(plume_runs_total{job="plume-workers",kind="sensitivity"})');
        return r.length && Number(r[0]!.value[1]) === total ? r : null;
      },
      30_000,
    );
    expect(Number(seen[0]!.value[1])).toBe(total);
    const up = await promQuery('up{job="plume-workers"}');
    expect(up.map((s) => s.value[1])).toEqual(['1']);
    // Low-cardinality labels only: no run ids on plume_runs_total.
    const series = await promQuery('plume_runs_total');
    for (const s of series) expect(Object.keys(s.metric).sort()).toEqual(['__name__', 'instance', 'job', 'kind', 'queue', 'status']);
    // The Temporal SDK worker metrics are exported alongside.
    const sdk = await promQuery('count({job="plume-workers",__name__=~"temporal_.+"})');
    expect(Number(sdk[0]?.value[1] ?? 0)).toBeGreaterThan(0);
    // The project's rules are loaded and evaluated.
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: { name: string }[] } };
    expect(rules.data.groups.map((g) => g.name).sort()).toEqual(['plume-alerts', 'plume-recording']);
  });
});
