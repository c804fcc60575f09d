/**
 * The embedded database is served only to the user who started it: a Unix socket in an
 * owner-only folder of the state directory (no loopback TCP port). This user's other processes
 * connect; another account (as root, the test tries as `nobody`) cannot.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findServedEmbedded, openDatabase, type Database } from '../../db/client.js';
import { campaigns } from '../../db/schema.js';
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

  it("the owner's own statements and transactions never interleave with a client's", async () => {
    await owner.query(`insert into campaigns (id, kind, name, spec, spec_hash, seed, status) values ('sock2', 'sensitivity', 's2', '{}', 'h', 1, 'completed')`);
    const other = await openDatabase({ url: owner.url!, migrate: false });
    try {
      // postgres.js sends an untyped statement as Parse, Describe, Flush, then Bind, Execute, Sync
      // once it knows the parameter types: an owner statement run in between would replace the
      // client's unnamed statement (08P01, or another statement's rows).
      let clientDone = false;
      const clientSide = (async () => {
        const got = [];
        for (let i = 0; i < 60; i++) {
          const [r] = await other.db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(eq(campaigns.id, 'sock2'));
          const n = await other.query('select $1::int + 1 as v', [i]);
          got.push({ ...r, v: Number(n.rows[0].v) });
        }
        clientDone = true;
        return got;
      })();
      const ownerSide = (async () => {
        let rounds = 0;
        while (!clientDone) {
          // Statements and a transaction of the owner, all the while: a client statement must not land in between.
          const [a, b] = await Promise.all([
            owner.query('select $1::text as tag, $2::int as n', [`o${rounds}`, rounds]),
            owner.db.transaction(async (tx) => {
              const x = await tx.select({ kind: campaigns.kind }).from(campaigns).where(eq(campaigns.id, 'sock2'));
              const y = await tx
                .select({ v: sql<number>`${rounds}::int * 2` })
                .from(campaigns)
                .where(eq(campaigns.id, 'sock2'));
              return { kind: x[0]?.kind, v: Number(y[0]?.v) };
            }),
          ]);
          expect(a.rows[0]).toEqual({ tag: `o${rounds}`, n: rounds });
          expect(b).toEqual({ kind: 'sensitivity', v: 2 * rounds });
          rounds++;
          // PGlite answers within microtasks: let the socket's I/O in, as a process with other work does.
          await new Promise((r) => setImmediate(r));
        }
        return rounds;
      })();
      const [got, rounds] = await Promise.all([clientSide, ownerSide]);
      expect(got).toEqual(Array.from({ length: 60 }, (_, i) => ({ id: 'sock2', name: 's2', v: i + 1 })));
      expect(rounds).toBeGreaterThan(5);
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
