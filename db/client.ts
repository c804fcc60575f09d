/**
 * One client factory for both drivers. With `DATABASE_URL` it connects to a Postgres server
 * through postgres.js. Without it, the first Plume process opens the embedded PGlite database in
 * `<state>/pgdata` and serves it (pglite-socket) on a Unix socket in `<state>/run/` — a folder only
 * its owner can enter (0700; the socket itself 0600) — recording it in `<state>/embedded-db.json`
 * (0600). Later Plume processes of the same user (a `plume query` while `plume dev` runs) connect
 * through that socket with postgres.js; other local accounts cannot (no loopback TCP port).
 * Migrations run in-process at start-up.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { projectRoot, stateDir } from '../infra/paths.js';
import * as schema from './schema.js';

type Schema = typeof schema;
type PlumeDb = PgDatabase<PgQueryResultHKT, Schema>;

interface QueryResult {
  rows: Record<string, unknown>[];
  fields: string[];
  /** PostgreSQL type OID of each field (db/column-types.ts turns values into one typing whatever the driver). */
  types: number[];
}

export interface Database {
  db: PlumeDb;
  driver: 'pglite' | 'postgres';
  /** postgres:// URL other processes can use (the server, or the embedded socket). */
  url: string | null;
  /** Run raw SQL (parameterised with $1..$n). Used by the read-only query endpoint and views. */
  query(text: string, params?: unknown[]): Promise<QueryResult>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Postgres URL; default `DATABASE_URL`; unset means embedded. */
  url?: string;
  /** Embedded data directory; default `<state>/pgdata`. `memory://` for an in-memory database. */
  dataDir?: string;
  /** Run migrations (default true). */
  migrate?: boolean;
  /** Serve an embedded database to this user's other processes on an owner-only Unix socket (default true). */
  serve?: boolean;
}

const MIGRATIONS = path.join(projectRoot(), 'db', 'migrations');

interface EmbeddedInfo {
  pid: number;
  /** Folder of the Unix socket (`.s.PGSQL.5432` inside it). */
  socketDir: string;
  dataDir: string;
}

/** Name postgres.js and libpq expect for a server's socket in a folder. */
const SOCKET_NAME = '.s.PGSQL.5432';

function embeddedInfoFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), 'embedded-db.json');
}

/** Owner-only folder of the embedded database's socket. */
function embeddedSocketDir(dataDir: string): string {
  return path.join(path.dirname(dataDir), 'run');
}

/** postgres:// URL of a server on a Unix socket (libpq form: the socket folder as `host`). */
function socketUrl(socketDir: string): string {
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function socketOpen(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: file }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** The URL of an embedded database served by another live Plume process, if there is one. */
export async function findServedEmbedded(dataDir = path.join(stateDir(), 'pgdata')): Promise<string | null> {
  const file = embeddedInfoFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as EmbeddedInfo;
    if (info.socketDir && pidAlive(info.pid) && (await socketOpen(path.join(info.socketDir, SOCKET_NAME)))) return socketUrl(info.socketDir);
  } catch {
    /* stale or unreadable (another user's state): ignore */
  }
  return null;
}

/** Split a URL whose `host` query parameter is a socket folder into URL + socket path for postgres.js. */
function connectionTarget(url: string): { url: string; path?: string } {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host');
    if (host && host.startsWith('/')) {
      u.searchParams.delete('host');
      return { url: u.toString(), path: path.join(host, SOCKET_NAME) };
    }
  } catch {
    /* not a URL postgres.js cannot parse either: pass it through */
  }
  return { url };
}

function postgresDatabase(url: string, runMigrations: boolean, max = 10): Promise<Database> {
  const target = connectionTarget(url);
  const client = postgres(target.url, { max, onnotice: () => {}, prepare: false, ...(target.path ? { path: target.path } : {}) });
  const db = drizzlePostgres(client, { schema }) as unknown as PlumeDb;
  const database: Database = {
    db,
    driver: 'postgres',
    url,
    async query(text, params = []) {
      const res = await client.unsafe(text, params as never[]);
      const columns = res.columns ?? [];
      return { rows: [...res] as Record<string, unknown>[], fields: columns.map((c) => c.name), types: columns.map((c) => c.type) };
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
  return (async () => {
    if (runMigrations) {
      await client.unsafe('set client_min_messages = warning');
      await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS });
    }
    return database;
  })();
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const runMigrations = opts.migrate ?? true;
  const url = opts.url ?? process.env.DATABASE_URL;
  if (url) return postgresDatabase(url, runMigrations);

  const dataDir = opts.dataDir ?? path.join(stateDir(), 'pgdata');
  if (dataDir !== 'memory://') {
    const served = await findServedEmbedded(dataDir);
    // Another Plume process owns the embedded database: talk to it over its Unix socket.
    if (served) return postgresDatabase(served, false, 1);
    await mkdir(path.dirname(dataDir), { recursive: true });
  }
  const pg = dataDir === 'memory://' ? new PGlite() : new PGlite(dataDir);
  await pg.waitReady;
  const db = drizzlePglite(pg, { schema }) as unknown as PlumeDb;
  if (runMigrations) await migratePglite(drizzlePglite(pg), { migrationsFolder: MIGRATIONS });

  let server: PGLiteSocketServer | null = null;
  let servedUrl: string | null = null;
  const infoFile = embeddedInfoFile(dataDir);
  if ((opts.serve ?? true) && dataDir !== 'memory://') {
    const socketDir = embeddedSocketDir(dataDir);
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    await chmod(socketDir, 0o700);
    const socketPath = path.join(socketDir, SOCKET_NAME);
    await rm(socketPath, { force: true }); // left by a process that died
    server = new PGLiteSocketServer({ db: pg, path: socketPath, maxConnections: 8 });
    await server.start();
    await chmod(socketPath, 0o600);
    servedUrl = socketUrl(socketDir);
    await writeFile(infoFile, JSON.stringify({ pid: process.pid, socketDir, dataDir } satisfies EmbeddedInfo), { mode: 0o600 });
  }

  // PGlite serialises queries and transactions internally (one connection, a mutex).
  return {
    db,
    driver: 'pglite',
    url: servedUrl,
    async query(text, params = []) {
      const res = await pg.query<Record<string, unknown>>(text, params);
      return { rows: res.rows, fields: res.fields.map((f) => f.name), types: res.fields.map((f) => f.dataTypeID) };
    },
    async close() {
      if (server) {
        await server.stop().catch(() => undefined);
        await rm(infoFile, { force: true });
      }
      await pg.close();
    },
  };
}
