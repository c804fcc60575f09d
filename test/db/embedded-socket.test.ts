/**
 * The embedded database is served only to the user who started it: a Unix socket in an
 * owner-only folder of the state directory (no loopback TCP port). This user's other processes
 * connect; another account (as root, the test tries as `nobody`) cannot.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findServedEmbedded, openDatabase, type Database } from '../../db/client.js';
import { useTestEnv, type TestEnv } from '../support/test-stack.js';

let env: TestEnv;
let owner: Database;

beforeAll(async () => {
  env = await useTestEnv();
  // Let other accounts into the state dir itself, so only the socket folder's mode protects it.
  chmodSync(env.stateDir, 0o755);
  owner = await openDatabase();
});
afterAll(() => owner?.close());

describe('embedded database access', () => {
  it('serves on an owner-only Unix socket, not on TCP', () => {
    expect(owner.url).toMatch(/^postgres:\/\/postgres@localhost\/postgres\?host=/);
    const runDir = path.join(env.stateDir, 'run');
    const socket = path.join(runDir, '.s.PGSQL.5432');
    expect(statSync(runDir).mode & 0o777).toBe(0o700);
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o077).toBe(0);
    expect(statSync(path.join(env.stateDir, 'embedded-db.json')).mode & 0o077).toBe(0);
  });

  it("this user's other clients connect through the socket", async () => {
    await owner.query(`insert into campaigns (id, kind, name, spec, spec_hash, seed, status) values ('sock1', 'sensitivity', 's', '{}', 'h', 1, 'completed')`);
    const url = await findServedEmbedded();
    expect(url).toBe(owner.url);
    const other = await openDatabase({ url: url!, migrate: false });
    try {
      const r = await other.query(`select id from campaigns where id = 'sock1'`);
      expect(r.rows).toEqual([{ id: 'sock1' }]);
    } finally {
      await other.close();
    }
  });

  it('another local account cannot connect', () => {
    const socket = path.join(env.stateDir, 'run', '.s.PGSQL.5432');
    const script = `const s = require('net').connect({ path: ${JSON.stringify(socket)} }); s.on('connect', () => { console.log('CONNECTED'); process.exit(0); }); s.on('error', (e) => { console.log(e.code); process.exit(3); });`;
    if (process.getuid?.() !== 0) {
      // Without root there is no second account to try with: the modes above are the guarantee.
      expect(existsSync(socket)).toBe(true);
      return;
    }
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout.trim()).toBe('EACCES');
    expect(r.status).toBe(3);
  });
});
