/**
 * Per-test-file Plume stack on the suite's shared Temporal dev server: its own state dir (PGlite,
 * artifacts), its own task-queue prefix (so files running in parallel never steal each other's
 * tasks), and optionally its own database on the suite's PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openStack, type Stack, type StackOptions } from '../../worker/stack.js';

export interface TestEnv {
  stateDir: string;
  queuePrefix: string;
  temporalAddress: string;
  databaseUrl: string | null;
}

/** Point this process at a fresh state dir + queue prefix (+ a fresh Postgres database). */
export async function useTestEnv(opts: { postgres?: boolean } = {}): Promise<TestEnv> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'plume-t-'));
  const queuePrefix = `t${randomBytes(4).toString('hex')}-`;
  const temporalAddress = inject('temporalAddress');
  process.env.PLUME_STATE_DIR = stateDir;
  process.env.PLUME_ARTIFACTS = path.join(stateDir, 'artifacts');
  process.env.PLUME_QUEUE_PREFIX = queuePrefix;
  process.env.TEMPORAL_ADDRESS = temporalAddress;
  delete process.env.DATABASE_URL;
  let databaseUrl: string | null = null;
  if (opts.postgres) {
    const base = inject('postgresUrl');
    if (!base) throw new Error('no PostgreSQL server for this test run (apt-get install postgresql)');
    const name = `plume_${randomBytes(5).toString('hex')}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    databaseUrl = base.replace(/\/[^/]+$/, `/${name}`);
    process.env.DATABASE_URL = databaseUrl;
  }
  return { stateDir, queuePrefix, temporalAddress, databaseUrl };
}

export async function openTestStack(opts: StackOptions = {}): Promise<Stack> {
  return openStack({ workers: ['cpu'], workerConcurrency: 4, metricsPort: null, ...opts });
}

/** Environment for a child `plume` process that joins this test's stack. */
export function childEnv(env: TestEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PLUME_STATE_DIR: env.stateDir,
    PLUME_ARTIFACTS: path.join(env.stateDir, 'artifacts'),
    PLUME_QUEUE_PREFIX: env.queuePrefix,
    TEMPORAL_ADDRESS: env.temporalAddress,
    PLUME_LOG_LEVEL: 'warn',
    ...(env.databaseUrl ? { DATABASE_URL: env.databaseUrl } : {}),
    ...extra,
  };
}

export async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
