/**
 * A throwaway S3-compatible server (moto's server from PyPI, installed by
 * `infra/setup.sh --for-tests` into `${PLUME_HOME}/s3-server`) on a free loopback port, with one
 * bucket, for the artifact-store tests, the cluster test and benchmarks. In memory; gone on stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port.js';
import { toolHome } from './paths.js';

export interface S3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Environment that points Plume's S3 artifact store at this server (PLUME_ARTIFACTS not included). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function findS3ServerBinary(): string | null {
  const bin = process.env.PLUME_S3_SERVER_BIN ?? path.join(toolHome(), 's3-server', 'bin', 'moto_server');
  return existsSync(bin) ? bin : null;
}

export async function startS3Server(opts: { bucket?: string } = {}): Promise<S3Server> {
  const bin = findS3ServerBinary();
  if (!bin) throw new Error("no S3-compatible server: run 'bash infra/setup.sh --for-tests' (installs moto's server into ~/.plume/s3-server)");
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (log = (log + d).slice(-4000)));
  child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}: ${log}`);
    const ok = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer within 60 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const bucket = opts.bucket ?? 'plume-artifacts';
  // moto accepts unsigned requests: create the bucket with a plain PUT.
  const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
  if (!res.ok) throw new Error(`creating bucket ${bucket}: HTTP ${res.status} ${await res.text()}`);
  return {
    endpoint,
    bucket,
    env: { PLUME_S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'plume-test', AWS_SECRET_ACCESS_KEY: 'plume-test', AWS_REGION: 'us-east-1' },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
