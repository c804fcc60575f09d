/**
 * Faults caught before anything starts: runaway specs (the total-runs cap), references and paths
 * that cannot work (unknown parameters, a missing dataset, a missing, empty or out-of-bounds
 * PFLOTRAN folder) and an artifact store that cannot be written all exit 2 naming the field, with
 * no Temporal server started and nothing written. Read-only commands on a directory without state
 * say so instead of creating one; unknown ids are named as unknown.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { runPlumeCli } from '../support/plume-cli.js';
import { useTestEnv, type TestEnv } from '../support/test-stack.js';

/** Embedded mode, so a started stack would show as files in the state dir. */
const EMBEDDED = { unset: ['TEMPORAL_ADDRESS', 'DATABASE_URL'] };

function specFile(env: TestEnv, name: string, yaml: string): string {
  const file = path.join(env.stateDir, 'specs', `${name}.yaml`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, yaml);
  return file;
}

/** Nothing but the spec folder in the state dir: no database, no Temporal, no artifacts, no logs. */
function nothingWritten(env: TestEnv): void {
  expect(readdirSync(env.stateDir).filter((f) => f !== 'specs')).toEqual([]);
}

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('refused before anything starts (exit 2, field named, nothing written)', () => {
  it('a spec above the total-runs cap names the fields that multiply to it', async () => {
    const env = await useTestEnv();
    const a = Array.from({ length: 100 }, (_, i) => i % 10).join(', ');
    const file = specFile(env, 'huge', `kind: sensitivity\nname: huge\nmodel: { name: sobol_g, a: [${a}] }\nsamples: 1000000\n`);
    const r = await runPlumeCli(env, ['run', file], EMBEDDED);
    expect(r.code).toBe(2);
    expect(r.err).toContain('102,000,000 runs');
    expect(r.err).toMatch(/samples = 1000000/);
    expect(r.err).toMatch(/model\.a \(100 coefficients\)/);
    expect(r.err).toMatch(/--max-runs/);
    nothingWritten(env);
    // The limit is a setting: lowered by flag or environment it refuses smaller specs too.
    const small = specFile(env, 'small', 'kind: sensitivity\nname: small\nmodel: { name: ishigami }\nsamples: 100\n');
    const flag = await runPlumeCli(env, ['run', small, '--max-runs', '400'], EMBEDDED);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/plans 500 runs .* above the limit of 400/);
    nothingWritten(env);
  });

  it('unknown model.parameters, a missing train dataset, missing trained models and bad PFLOTRAN folders', async () => {
    const env = await useTestEnv();
    const cases: [string, string, RegExp][] = [
      [
        'params',
        'kind: sensitivity\nname: p\nmodel: { name: bioremediation, parameters: [kGeoMean, not_a_parameter] }\nsamples: 16\n',
        /model\.parameters: unknown parameter\(s\) not_a_parameter/,
      ],
      ['train', 'kind: train\nname: t\ndataset: no-such-dataset\narchitectures: [stamnet_upscale]\n', /dataset: no dataset 'no-such-dataset'/],
      [
        'upscale',
        'kind: upscale\nname: u\nmodel: { train: no-such-train, arch: optimal_mlp }\nscenarios: 10\n',
        /model: this state directory has no campaigns yet/,
      ],
      ['missing-dir', 'kind: dataset\nname: d\nsource: { type: pflotran, dir: ./no-such-folder }\n', /source\.dir: cannot read folder/],
      ['outside', `kind: dataset\nname: d\nsource: { type: pflotran, dir: ${os.tmpdir()} }\n`, /source\.dir: .* is outside the allowed roots/],
    ];
    for (const [name, yaml, expected] of cases) {
      const r = await runPlumeCli(env, ['run', specFile(env, name, yaml)], EMBEDDED);
      expect(r.code, `${name}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(expected);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
      nothingWritten(env);
    }
  });

  it('an artifact store that cannot be written exits with a clear message before any simulation', async () => {
    const env = await useTestEnv();
    const store = mkdtempSync(path.join(os.tmpdir(), 'plume-ro-'));
    let expectedCode = /EACCES|EPERM/;
    if (process.getuid?.() === 0) {
      // Root writes through file modes: mount a read-only file system when allowed (EROFS).
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', store]);
      if (m.status === 0) {
        expectedCode = /EROFS/;
        cleanups.push(() => spawnSync('umount', [store]));
      }
    } else {
      chmodSync(store, 0o555);
    }
    cleanups.push(() => rmSync(store, { recursive: true, force: true }));
    const file = specFile(env, 'ro', 'kind: sensitivity\nname: ro\nmodel: { name: ishigami }\nsamples: 16\n');
    const target = expectedCode.source.includes('EROFS') || process.getuid?.() !== 0 ? path.join(store, 'artifacts') : '/sys/plume-artifacts';
    const r = await runPlumeCli(env, ['run', file], { ...EMBEDDED, env: { PLUME_ARTIFACTS: target } });
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/artifact store .* (is on a read-only file system|is not writable by this user)/);
    expect(r.err).toMatch(expectedCode);
    expect(r.err).toMatch(/PLUME_ARTIFACTS/);
    expect(existsSync(path.join(env.stateDir, 'temporal.json'))).toBe(false);
    console.log(`[fault-table] read-only artifact store | exit 2 before any simulation | 0 runs started | 0 | immediate (${r.err.match(/E[A-Z]+/)?.[0]})`);
  });
});

describe('read-only commands and unknown ids', () => {
  it('query and retry in a directory without state say so and create nothing', async () => {
    const env = await useTestEnv();
    for (const args of [
      ['query', 'select 1'],
      ['retry', 'abc', '--failed'],
    ]) {
      const r = await runPlumeCli(env, args, EMBEDDED);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(/no Plume state in/);
      expect(readdirSync(env.stateDir)).toEqual([]);
    }
  });

  it('retry and resume of an unknown id name it as unknown', async () => {
    const env = await useTestEnv();
    // State exists and this process serves it; the commands connect through its socket.
    const db = await openDatabase();
    try {
      for (const args of [
        ['retry', 'nope-123', '--failed'],
        ['resume', 'nope-123'],
      ]) {
        const r = await runPlumeCli(env, args, EMBEDDED);
        expect(r.code, r.err).toBe(2);
        expect(r.err).toMatch(/unknown campaign 'nope-123'/);
        expect(r.err).not.toMatch(/Temporal/);
      }
    } finally {
      await db.close();
    }
  });
});
