/**
 * Test-suite services, started once: a real Temporal dev server (with low continue-as-new
 * thresholds so tests exercise it), a real PostgreSQL server when its binaries exist (required on
 * CI), and the workflow bundle built into the shared cache. Tests read them with `inject()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startPostgresServer, type PostgresServer } from '../infra/postgres-server.js';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server.js';
import { workflowBundle } from '../worker/workflow-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    postgresUrl: string | null;
    cacheDir: string;
  }
}

/** History length after which the dev server suggests continue-as-new, in tests. */
export const TEST_CAN_SUGGEST_EVENTS = 400;

let temporal: DevServer | null = null;
let pg: PostgresServer | null = null;
let stateRoot: string | null = null;

export async function setup(project: TestProject): Promise<void> {
  stateRoot = mkdtempSync(path.join(os.tmpdir(), 'plume-test-'));
  process.env.PLUME_STATE_DIR = path.join(stateRoot, 'shared');
  await workflowBundle();
  temporal = await startDevServer({
    headless: true,
    logFile: path.join(stateRoot, 'temporal.log'),
    dynamicConfig: {
      'limit.historyCount.suggestContinueAsNew': TEST_CAN_SUGGEST_EVENTS,
    },
  });
  let postgresUrl: string | null = null;
  if (findPostgresBin()) {
    pg = await startPostgresServer();
    postgresUrl = pg.url;
  } else if (process.env.CI) {
    throw new Error('CI needs the PostgreSQL server binaries (infra/setup.sh --for-tests installs them)');
  }
  project.provide('temporalAddress', temporal.address);
  project.provide('postgresUrl', postgresUrl);
  project.provide('cacheDir', path.join(stateRoot, 'shared'));
}

export async function teardown(): Promise<void> {
  await temporal?.stop();
  await pg?.stop();
  if (stateRoot) rmSync(stateRoot, { recursive: true, force: true });
}
