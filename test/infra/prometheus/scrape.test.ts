/**
 * A real Prometheus (Debian's package) with the project's config scrapes a worker that runs a small
 * sensitivity campaign; plume_runs_total is read back through Prometheus' HTTP query API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec } from '../../../kinds/campaign-spec.js';
import { launchCampaign, waitForCampaign } from '../../../engine/launcher.js';
import { startPrometheus, type PrometheusServer } from '../../../infra/prometheus-server.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'plume-prom-'));
process.env.PLUME_STATE_DIR = path.join(tmp, 'state');
process.env.PLUME_ARTIFACTS = path.join(tmp, 'artifacts');
process.env.PLUME_QUEUE_PREFIX = `prom-${process.pid}-`;
delete process.env.TEMPORAL_ADDRESS;
delete process.env.DATABASE_URL;
const { openStack } = await import('../../../worker/stack.js');
type Stack = Awaited<ReturnType<typeof openStack>>;

let stack: Stack;
let prom: PrometheusServer | null = null;

async function promQuery(q: string) {
  return prom!.query(q);
}

async function until<T>(what: string, f: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await f().catch(() => null);
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}\nprometheus log:\n${prom?.log().slice(-2000)}`);
}

beforeAll(async () => {
  stack = await openStack({ workers: ['cpu'], metricsPort: 0 });
  // The project's config (infra/prometheus), with the worker's port as target, scraped every second.
  prom = await startPrometheus({ workers: [{ target: `127.0.0.1:${stack.metrics!.port}`, labels: { queue: 'cpu' } }] });
});

afterAll(async () => {
  await prom?.stop();
  await stack?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('Prometheus scrapes a worker', () => {
  it('reads plume_runs_total of a finished campaign back through the query API', async () => {
    const spec = parseCampaignSpec({ kind: 'sensitivity', name: 'prom-scrape', seed: 3, model: { name: 'ishigami' }, samples: 16 });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const outcome = await waitForCampaign(stack.client, stack.database, id);
    expect(outcome.status).toBe('completed');
    const total = Number((await stack.database.query('select count(*)::int as n from runs where campaign_id = $1', [id])).rows[0].n);
    expect(total).toBe(16 * (3 + 2));
    const seen = await until(
      'plume_runs_total in Prometheus',
      async () => {
        const r = await promQuery('sum(plume_runs_total{job="plume-workers",kind="sensitivity"})');
        return r.length && Number(r[0].value[1]) === total ? r : null;
      },
      30_000,
    );
    expect(Number(seen[0].value[1])).toBe(total);
    const up = await promQuery('up{job="plume-workers"}');
    expect(up.map((s) => s.value[1])).toEqual(['1']);
    // Low-cardinality labels only: no run ids on plume_runs_total.
    const series = await promQuery('plume_runs_total');
    for (const s of series) expect(Object.keys(s.metric).sort()).toEqual(['__name__', 'instance', 'job', 'kind', 'queue', 'status']);
    // The Temporal SDK worker metrics are exported alongside.
    const sdk = await promQuery('count({job="plume-workers",__name__=~"temporal_.+"})');
    expect(Number(sdk[0]?.value[1] ?? 0)).toBeGreaterThan(0);
    // The project's rules are loaded and evaluated.
    const rules = (await (await fetch(`${prom!.url}/api/v1/rules`)).json()) as { data: { groups: { name: string }[] } };
    expect(rules.data.groups.map((g) => g.name).sort()).toEqual(['plume-alerts', 'plume-recording']);
  });
});
