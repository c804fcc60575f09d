/**
 * A throwaway PostgreSQL server (Debian's postgresql package) on a free loopback port, for the
 * test suite and benchmarks: initdb into a temp dir, start, create a database, stop and delete.
 * As root it runs the server as the `postgres` system user (Postgres refuses to run as root).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort, portListening } from './free-port.js';

export interface PostgresServer {
  url: string;
  port: number;
  /** Stop and delete the server and its data. */
  stop(): Promise<void>;
  /** Stop the server process but keep its data (an outage, for fault tests). */
  halt(): Promise<void>;
  /** Start it again on the same port and data after `halt`. */
  restart(): Promise<void>;
}

export function findPostgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  return [cmd, args];
}

export async function startPostgresServer(opts: { database?: string } = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  }
  const [icmd, iargs] = asPostgresUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const init = spawnSync(icmd, iargs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [pcmd, pargs] = asPostgresUser(path.join(bin, 'postgres'), [
    '-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(pcmd, pargs, { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (!(await portListening(port))) {
      if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('postgres did not start within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGINT'); // fast shutdown: sessions are terminated (57P01), data is kept
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  await launch();
  const database = opts.database ?? 'plume_test';
  const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
  for (let i = 0; ; i++) {
    try {
      await admin.unsafe(`create database ${database}`);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    halt,
    async restart() {
      if (child.exitCode === null && child.signalCode === null) return;
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
