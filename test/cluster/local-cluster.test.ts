/**
 * The production topology on one machine, as separate processes: a Temporal server, a PostgreSQL
 * server, the dashboard, two CPU `plume worker`s and one `plume worker --queue gpu` (forced onto the
 * CPU backend as a stand-in for a GPU node), sharing artifacts only through an S3-compatible server
 * (moto) and scraped by Prometheus. Each worker has its own state directory: nothing but Temporal,
 * Postgres and the bucket is shared. A pipeline (dataset -> train -> upscale) and a sensitivity
 * campaign run at once; the test checks where the runs went and that each is stored once.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../artifacts/s3-blob-store.js';
import { freePort } from '../../infra/free-port.js';
import { startPostgresServer, type PostgresServer } from '../../infra/postgres-server.js';
import { startPrometheus, type PrometheusServer } from '../../infra/prometheus-server.js';
import { queueName } from '../../infra/queues.js';
import { startS3Server, type S3Server } from '../../infra/s3-server.js';
import { startDevServer, type DevServer } from '../../infra/temporal-dev-server.js';
import { prebuildWorkflowBundle, runPlume, spawnPlume, stopPlume, waitForPlume, type PlumeProcess } from '../../worker/plume-processes.js';
import { waitUntil } from '../support/test-stack.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'plume-cluster-'));
const prefix = `cl${process.pid}-`;
let temporal: DevServer | null = null;
let pg: PostgresServer | null = null;
let s3: S3Server | null = null;
let prom: PrometheusServer | null = null;
const procs: PlumeProcess[] = [];
let env: NodeJS.ProcessEnv = {};
let bundleCache = '';

async function plume(name: string, args: string[], extra: Record<string, string> = {}, metricsPort = 0): Promise<PlumeProcess> {
  const p = await spawnPlume({ name, args, env: { ...env, ...extra }, root: tmp, bundleCache, metricsPort });
  procs.push(p);
  return p;
}

beforeAll(async () => {
  [temporal, pg, s3] = await Promise.all([
    startDevServer({ headless: true, logFile: path.join(tmp, 'temporal.log') }),
    startPostgresServer({ database: 'plume_cluster' }),
    startS3Server({ bucket: 'plume-cluster' }),
  ]);
  env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: pg.url,
    PLUME_ARTIFACTS: `s3://${s3.bucket}/artifacts`,
    PLUME_QUEUE_PREFIX: prefix,
    PLUME_LOG_LEVEL: 'warn',
    ...s3.env,
  };
  // Build the workflow bundle once, in this process, into a cache dir the workers copy.
  bundleCache = await prebuildWorkflowBundle(path.join(tmp, 'bundle'));

  // The migrations job of the Helm chart: once, before the long-running processes start.
  const migrated = await runPlume(['migrate'], { ...env, PLUME_STATE_DIR: path.join(tmp, 'cli') });
  expect(migrated.out).toContain('database migrated (postgres)');

  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  await Promise.all([
    plume('worker-cpu-1', ['worker', '--queue', 'cpu', '--concurrency', '2', '--metrics-port', String(ports[0])], {}, ports[0]),
    plume('worker-cpu-2', ['worker', '--queue', 'cpu', '--concurrency', '2', '--metrics-port', String(ports[1])], {}, ports[1]),
    plume('worker-gpu', ['worker', '--queue', 'gpu', '--concurrency', '2', '--metrics-port', String(ports[2])], { PLUME_BACKEND: 'cpu' }, ports[2]),
    plume('dashboard', ['dashboard', '--port', String(ports[3])], {}, ports[3]),
  ]);
  for (const p of procs) {
    await waitForPlume(p, p.name === 'dashboard' ? `http://127.0.0.1:${p.metricsPort}/metrics` : `http://127.0.0.1:${p.metricsPort}/readyz`);
  }
  prom = await startPrometheus({
    workers: procs.filter((p) => p.name.startsWith('worker')).map((p) => ({ target: `127.0.0.1:${p.metricsPort}`, labels: { process: p.name } })),
    api: [`127.0.0.1:${procs.find((p) => p.name === 'dashboard')!.metricsPort}`],
    temporal: [new URL(temporal.metricsUrl).host],
  });
}, 300_000);

afterAll(async () => {
  await stopPlume(procs);
  await prom?.stop();
  await temporal?.stop();
  await pg?.stop();
  await s3?.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('a Plume cluster on one machine', () => {
  it('spreads a pipeline and a sensitivity campaign over the worker processes, ML on the gpu queue, each run stored once', async () => {
    // A launcher process of its own: it shares only Temporal, Postgres and the bucket too.
    process.env.TEMPORAL_ADDRESS = env.TEMPORAL_ADDRESS;
    process.env.DATABASE_URL = env.DATABASE_URL;
    process.env.PLUME_ARTIFACTS = env.PLUME_ARTIFACTS;
    process.env.PLUME_QUEUE_PREFIX = prefix;
    process.env.PLUME_STATE_DIR = path.join(tmp, 'launcher');
    for (const [k, v] of Object.entries(s3!.env)) process.env[k] = v;
    const { openStack } = await import('../../worker/stack.js');
    const { parseCampaignSpec } = await import('../../kinds/campaign-spec.js');
    const { launchCampaign, waitForCampaign } = await import('../../engine/launcher.js');
    const stack = await openStack({ startTemporal: false });
    try {
      const pipeline = parseCampaignSpec({
        kind: 'pipeline',
        name: 'cluster-pipeline',
        seed: 5,
        stages: [
          {
            id: 'data',
            spec: {
              kind: 'dataset',
              name: 'cl-data',
              source: { type: 'bioremediation', preset: 'tiny', scenarios: 8, variables: ['B'], split: { val: 0.125, test: 0.25 } },
              execution: { batchSize: 2 },
            },
          },
          {
            id: 'model',
            spec: {
              kind: 'train',
              name: 'cl-train',
              dataset: '${data}',
              architectures: ['optimal_mlp'],
              variables: ['B'],
              repeats: 1,
              hyperparams: { epochs: 2, lr: 1e-3, batchSize: 2, widthMultipliers: [2, 4, 2] },
              predictions: 'none',
            },
          },
          {
            id: 'mc',
            spec: {
              kind: 'upscale',
              name: 'cl-mc',
              model: { train: '${model}', arch: 'optimal_mlp' },
              scenarios: 12,
              validation: { scenarios: 2 },
              execution: { batchSize: 4 },
            },
          },
        ],
      });
      const sensitivity = parseCampaignSpec({
        kind: 'sensitivity',
        name: 'cl-sobol',
        seed: 11,
        model: { name: 'ishigami' },
        samples: 32,
        execution: { batchSize: 8 },
      });
      const [p, s] = await Promise.all([launchCampaign(stack.client, stack.database, pipeline), launchCampaign(stack.client, stack.database, sensitivity)]);
      const [po, so] = await Promise.all([waitForCampaign(stack.client, stack.database, p.id), waitForCampaign(stack.client, stack.database, s.id)]);
      expect(po.error).toBeUndefined();
      expect(po.status).toBe('completed');
      expect(so.status).toBe('completed');

      const q = (text: string, params: unknown[] = []) => stack.database.query(text, params).then((r) => r.rows);
      const stages = await q(`select id, kind, queue, total_runs from campaigns where parent_id = $1 order by created_at`, [p.id]);
      expect(stages.map((r) => r.kind)).toEqual(['dataset', 'train', 'upscale']);
      const ids = [s.id, ...stages.map((r) => String(r.id))];

      // Every run stored exactly once, and every campaign's runs all there.
      for (const id of ids) {
        const [c] = await q(`select total_runs, completed_runs from campaigns where id = $1`, [id]);
        const [r] = await q(
          `select count(*)::int as n, count(distinct run_index)::int as d, count(*) filter (where status = 'completed')::int as ok from runs where campaign_id = $1`,
          [id],
        );
        expect(r).toEqual({ n: c.total_runs, d: c.total_runs, ok: c.total_runs });
        expect(c.completed_runs).toBe(c.total_runs);
      }
      expect((await q(`select count(*)::int as n from runs where campaign_id = $1`, [s.id]))[0].n).toBe(32 * 5);

      // Work spread over both CPU worker processes (worker identity is host:pid:queue).
      const cpuWorkers = await q(`select distinct worker from runs where campaign_id = any($1) and worker like $2`, [ids, `%:${queueName('cpu', prefix)}`]);
      const pids = new Set(cpuWorkers.map((r) => String(r.worker).split(':')[1]));
      expect(pids.size).toBe(2);
      expect([...pids].sort()).toEqual(
        procs
          .filter((x) => x.name.startsWith('worker-cpu'))
          .map((x) => String(x.child.pid))
          .sort(),
      );

      // The ML stages went to the gpu queue, because a worker polled it, and ran there.
      const gpuQueue = queueName('gpu', prefix);
      for (const st of stages.filter((r) => r.kind !== 'dataset')) expect(st.queue).toBe(gpuQueue);
      const gpuPid = String(procs.find((x) => x.name === 'worker-gpu')!.child.pid);
      const trainRuns = await q(`select distinct worker, backend from runs where campaign_id = $1`, [stages[1].id]);
      const onGpuWorker: unknown = expect.stringContaining(`:${gpuPid}:${gpuQueue}`);
      expect(trainRuns).toEqual([{ worker: onGpuWorker, backend: 'cpu' }]);

      // Artifacts live in the bucket only: s3:// URIs, readable, and no worker wrote a local store.
      const arts = await q(`select id, uri from artifacts`);
      expect(arts.length).toBeGreaterThan(0);
      for (const a of arts) expect(String(a.uri)).toMatch(new RegExp(`^s3://${s3!.bucket}/artifacts/`));
      const bucketRoot = new S3BlobStore(`s3://${s3!.bucket}`);
      for (const a of arts.slice(0, 5)) expect(await bucketRoot.stat(String(a.uri).slice(`s3://${s3!.bucket}/`.length))).not.toBeNull();
      for (const pr of procs) expect(existsSync(path.join(pr.stateDir, 'artifacts'))).toBe(false);

      // Probes of the worker processes (what the Helm chart's liveness/readiness checks call).
      for (const w of procs.filter((x) => x.name.startsWith('worker'))) {
        expect(await (await fetch(`http://127.0.0.1:${w.metricsPort}/healthz`)).text()).toBe('ok\n');
        expect(await (await fetch(`http://127.0.0.1:${w.metricsPort}/readyz`)).text()).toBe('ready\n');
      }

      // Prometheus scrapes every process: three workers, the dashboard, the Temporal server.
      await waitUntil(async () => (await prom!.query('up')).length === 5, 30_000, 'five Prometheus targets');
      const up = await prom!.query('up');
      expect(up.map((x) => `${x.metric.job}:${x.value[1]}`).sort()).toEqual([
        'plume-api:1',
        'plume-workers:1',
        'plume-workers:1',
        'plume-workers:1',
        'temporal:1',
      ]);
    } finally {
      await stack.close();
    }
  }, 300_000);
});
