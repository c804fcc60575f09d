/**
 * The image's build steps without a container runtime: infra/build-app.sh (what the Dockerfile's
 * build stage runs) into a clean temporary directory, then the compiled CLI: `--help`, and a small
 * campaign run by the compiled code alone (compute threads, workflow bundle, migrations, native
 * TensorFlow binding linked from the cache) on the suite's Temporal server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths.js';
import { childEnv, useTestEnv } from '../support/test-stack.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'plume-build-'));
const app = path.join(tmp, 'app');

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('infra/build-app.sh (the Dockerfile build stage)', () => {
  it('builds a compiled app that runs without TypeScript', async () => {
    const build = spawnSync('bash', [path.join(projectRoot(), 'infra', 'build-app.sh'), app, 'cpu'], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    expect(build.status, build.stderr.slice(-3000)).toBe(0);
    expect(build.stderr).toContain('[build-app] done');

    // Compiled JavaScript, production dependencies only, a prebuilt workflow bundle.
    expect(existsSync(path.join(app, 'cli', 'main.js'))).toBe(true);
    expect(existsSync(path.join(app, 'kinds', 'sensitivity', 'tasks', 'sensitivity-simulator.js'))).toBe(true);
    expect(readdirSync(path.join(app, 'cli')).filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(existsSync(path.join(app, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules', 'vitest'))).toBe(false);
    expect(readdirSync(path.join(app, 'cache')).some((f) => /^workflow-bundle-[0-9a-f]+\.js$/.test(f))).toBe(true);
    for (const f of ['bin/plume.mjs', 'compute/thread-entry.mjs']) expect(readFileSync(path.join(app, f), 'utf8')).not.toMatch(/tsx|\.ts'/);
    // The native binding with the quiet loader that keeps TensorFlow's load-time notices off stderr.
    expect(existsSync(path.join(app, 'node_modules', '@tensorflow', 'tfjs-node', 'lib', 'plume-quiet-load.node'))).toBe(true);

    const help = spawnSync(process.execPath, [path.join(app, 'bin', 'plume.mjs'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: plume/);
    expect(help.stdout).toMatch(/worker/);

    // A campaign through the compiled code: workers in the process, the suite's Temporal server.
    const env = await useTestEnv();
    const spec = path.join(tmp, 'spec.yaml');
    writeFileSync(spec, 'kind: sensitivity\nname: compiled\nseed: 3\nmodel: { name: ishigami }\nsamples: 16\n');
    const run = spawnSync(process.execPath, [path.join(app, 'bin', 'plume.mjs'), 'run', spec, '--json', '--no-progress'], {
      cwd: tmp,
      env: childEnv(env),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as { status: string; runs: { completed: number } };
    expect(summary.status).toBe('completed');
    expect(summary.runs.completed).toBe(16 * 5);
  }, 600_000);
});
