/**
 * A throwaway Prometheus (Debian's package) running the project's config (infra/prometheus: the
 * scrape jobs and rules) with the caller's targets and a 1 s scrape interval, on a free loopback
 * port, for tests and local clusters. Its data lives in a temp dir removed on stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { freePort } from './free-port.js';
import { projectRoot } from './paths.js';

/** host:port lists per scrape job of infra/prometheus/prometheus.yml. */
export interface PrometheusTargets {
  workers?: { target: string; labels?: Record<string, string> }[];
  api?: string[];
  temporal?: string[];
}

interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusServer {
  url: string;
  /** Instant query through the HTTP API. */
  query(promql: string): Promise<PrometheusSample[]>;
  /** The last lines Prometheus logged (for error messages). */
  log(): string;
  stop(): Promise<void>;
}

/** The parts of infra/prometheus/prometheus.yml that the test server rewrites (the rest is kept as is). */
interface PrometheusConfig {
  global: { scrape_interval?: string; evaluation_interval?: string };
  scrape_configs: { file_sd_configs?: { refresh_interval?: string }[] }[];
}

export async function startPrometheus(targets: PrometheusTargets): Promise<PrometheusServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'plume-prom-'));
  const confDir = path.join(dir, 'prometheus');
  await cp(path.join(projectRoot(), 'infra', 'prometheus'), confDir, { recursive: true });
  const conf = YAML.parse(await readFile(path.join(confDir, 'prometheus.yml'), 'utf8')) as PrometheusConfig;
  conf.global.scrape_interval = '1s';
  conf.global.evaluation_interval = '1s';
  for (const job of conf.scrape_configs) for (const sd of job.file_sd_configs ?? []) sd.refresh_interval = '1s';
  await writeFile(path.join(confDir, 'prometheus.yml'), YAML.stringify(conf));
  const workers = (targets.workers ?? []).map((w) => ({ targets: [w.target], labels: w.labels ?? {} }));
  await writeFile(path.join(confDir, 'targets', 'workers.json'), JSON.stringify(workers));
  await writeFile(path.join(confDir, 'targets', 'api.json'), JSON.stringify(targets.api?.length ? [{ targets: targets.api }] : []));
  await writeFile(path.join(confDir, 'targets', 'temporal.json'), JSON.stringify(targets.temporal?.length ? [{ targets: targets.temporal }] : []));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${path.join(confDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => (log = (log + d).slice(-8000)));
  child.stderr!.on('data', (d) => (log = (log + d).slice(-8000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: PrometheusSample[] } };
      if (body.status !== 'success') throw new Error(`prometheus query '${promql}': ${body.error ?? body.status}`);
      return body.data.result;
    },
    log: () => log,
    stop,
  };
}
