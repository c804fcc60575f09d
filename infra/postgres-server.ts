/**
 * A throwaway PostgreSQL server (Debian's postgresql package) on a free loopback port, for the
 * test suite and benchmarks: initdb into a temp dir, start, create a database, stop and delete.
 * As root it runs the server as the `postgres` system user (Postgres refuses to run as root).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort, portListening } from './free-port.js';

export interface PostgresServer {
  url: string;
  port: number;
  /** pid of the postmaster (its backends are its children), null while it is down. */
  pid(): number | null;
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
    '-D',
    data,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
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
  /** The postmaster's pid (first line of postmaster.pid): `runuser` does not forward signals to it. */
  const postmasterPid = (): number | null => {
    try {
      const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const halt = async (): Promise<void> => {
    const pid = postmasterPid();
    // Fast shutdown: sessions are terminated (57P01), data is kept.
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    const deadline = Date.now() + 15_000;
    while (((pid && alive(pid)) || (await portListening(port))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
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
    pid: postmasterPid,
    halt,
    async restart() {
      if (await portListening(port)) return;
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
