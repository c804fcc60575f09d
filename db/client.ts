/**
 * One client factory for both database engines. With `DATABASE_URL` it connects to a PostgreSQL
 * server through postgres.js. Without it, the first Plume process opens the embedded PGlite
 * database in `<state>/pgdata` and serves it (db/pglite-wire-server.ts) on a Unix socket in
 * `<state>/run/` — a folder only its owner can enter (0700; the socket itself 0600) — recording it
 * in `<state>/embedded-db.json` (0600). Later Plume processes of the same user (a `plume query`
 * while `plume dev` runs) connect through that socket with postgres.js; other local accounts
 * cannot (no loopback TCP port). PGlite runs on the opening thread, or with `PLUME_DB_THREAD=1`
 * in a thread of its own (db/embedded-thread.ts) that the process too reaches through the socket
 * (a private one in a fresh owner-only temporary folder when not served). Migrations run at
 * start-up.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { projectRoot, stateDir } from '../infra/paths.js';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { startEmbeddedThread } from './embedded-thread.js';
import { serveWire, type WireServer } from './pglite-wire-server.js';
import { serialisedPglite } from './serialised-pglite.js';
import * as schema from './schema.js';

type Schema = typeof schema;
type PlumeDb = PgDatabase<PgQueryResultHKT, Schema>;

interface QueryResult {
  rows: Record<string, unknown>[];
  fields: string[];
  /** PostgreSQL type OID of each field (db/column-types.ts turns values into one typing whatever the driver). */
  types: number[];
}

/**
 * The database engine that runs the SQL, whatever the client: the embedded PGlite (PostgreSQL 18
 * in WebAssembly, one backend: statements run one at a time) or a PostgreSQL server. Decides the
 * SQL dialect of the statements that differ (db/campaign-store.ts).
 */
type DatabaseEngine = 'pglite' | 'postgres';

export interface Database {
  db: PlumeDb;
  /** The engine behind the connection (the client is postgres.js either way). */
  engine: DatabaseEngine;
  /** postgres:// URL other processes can use (the server, or the embedded socket). */
  url: string | null;
  /**
   * pid of the other Plume process that serves this embedded database (we reach it through its
   * socket and lose it when that process exits); null when this process holds it or it is a server.
   */
  servedBy: number | null;
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
  /**
   * Run the embedded database in a thread of its own, reached through its socket (default:
   * `PLUME_DB_THREAD=1`). Off by default: with every core busy the hand-offs between threads cost
   * more than the event loop gains (docs/CLUSTER.md, 1,000,000 runs: 0.117-0.143 ms/run in the
   * thread, 0.093-0.115 on the main thread).
   */
  thread?: boolean;
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

/** The URL and serving pid of an embedded database served by another live Plume process, if there is one. */
async function servedEmbedded(dataDir: string): Promise<{ url: string; pid: number } | null> {
  const file = embeddedInfoFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as EmbeddedInfo;
    if (info.socketDir && pidAlive(info.pid) && (await socketOpen(path.join(info.socketDir, SOCKET_NAME)))) {
      return { url: socketUrl(info.socketDir), pid: info.pid };
    }
  } catch {
    /* stale or unreadable (another user's state): ignore */
  }
  return null;
}

/** The URL of an embedded database served by another live Plume process, if there is one. */
export async function findServedEmbedded(dataDir = path.join(stateDir(), 'pgdata')): Promise<string | null> {
  return (await servedEmbedded(dataDir))?.url ?? null;
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

interface ClientOptions {
  runMigrations: boolean;
  /** Connections in the pool. */
  max: number;
  /** The engine when known (the embedded database); asked of the server otherwise. */
  engine?: DatabaseEngine;
  /** The URL to report (null: a private socket other processes must not use). */
  reportedUrl?: string | null;
  /** The other process serving the embedded database (Database.servedBy). */
  servedBy?: number;
  /** Why the database is gone, if it is (the embedded thread's crash), to report instead of a connection error. */
  failure?: () => Error | null;
  /** Runs after the client has closed (stopping the embedded thread). */
  afterClose?: () => Promise<void>;
}

/** The engine behind a URL: PGlite says so in its version string. */
async function askEngine(url: string): Promise<DatabaseEngine> {
  const target = connectionTarget(url);
  const probe = postgres(target.url, { max: 1, onnotice: () => {}, prepare: false, ...(target.path ? { path: target.path } : {}) });
  try {
    const [row] = await probe.unsafe<{ v: string }[]>('select version() as v');
    return /pglite|wasm32/i.test(String(row?.v)) ? 'pglite' : 'postgres';
  } finally {
    await probe.end({ timeout: 5 });
  }
}

async function postgresDatabase(url: string, opts: ClientOptions): Promise<Database> {
  const engine = opts.engine ?? (await askEngine(url));
  const target = connectionTarget(url);
  // PGlite runs one statement at a time: more connections would only wait in its thread.
  const max = engine === 'pglite' ? 1 : opts.max;
  const client = postgres(target.url, { max, onnotice: () => {}, prepare: false, ...(target.path ? { path: target.path } : {}) });
  const db = drizzlePostgres(client, { schema }) as unknown as PlumeDb;
  const failed = (e: unknown): never => {
    throw opts.failure?.() ?? e;
  };
  const database: Database = {
    db,
    engine,
    url: opts.reportedUrl === undefined ? url : opts.reportedUrl,
    servedBy: opts.servedBy ?? null,
    async query(text, params = []) {
      const res = await client.unsafe(text, params as never[]).catch(failed);
      const columns = res.columns ?? [];
      return { rows: [...res] as Record<string, unknown>[], fields: columns.map((c) => c.name), types: columns.map((c) => c.type) };
    },
    async close() {
      try {
        await client.end({ timeout: 5 });
      } finally {
        await opts.afterClose?.();
      }
    },
  };
  try {
    if (opts.runMigrations) {
      await client.unsafe('set client_min_messages = warning');
      await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS });
    }
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const runMigrations = opts.migrate ?? true;
  const url = opts.url ?? process.env.DATABASE_URL;
  if (url) return postgresDatabase(url, { runMigrations, max: 10 });

  const dataDir = opts.dataDir ?? path.join(stateDir(), 'pgdata');
  if (dataDir !== 'memory://') {
    const served = await servedEmbedded(dataDir);
    // Another Plume process owns the embedded database: talk to it over its Unix socket.
    if (served) return postgresDatabase(served.url, { runMigrations: false, max: 1, engine: 'pglite', servedBy: served.pid });
    await mkdir(path.dirname(dataDir), { recursive: true });
  }
  const serve = (opts.serve ?? true) && dataDir !== 'memory://';
  const thread = opts.thread ?? process.env.PLUME_DB_THREAD === '1';
  return thread ? embeddedThreadDatabase(dataDir, runMigrations, serve) : embeddedInProcessDatabase(dataDir, runMigrations, serve);
}

/** Where the embedded database is served: the recorded socket of the state dir. */
async function prepareServedSocket(dataDir: string): Promise<{ socketDir: string; socketPath: string }> {
  const socketDir = embeddedSocketDir(dataDir);
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  await chmod(socketDir, 0o700);
  const socketPath = path.join(socketDir, SOCKET_NAME);
  await rm(socketPath, { force: true }); // left by a process that died
  return { socketDir, socketPath };
}

/** A socket in a fresh owner-only temporary folder, for an embedded database only this process uses. */
async function privateSocket(): Promise<{ socketDir: string; socketPath: string }> {
  const socketDir = await mkdtemp(path.join(os.tmpdir(), 'plume-db-'));
  return { socketDir, socketPath: path.join(socketDir, SOCKET_NAME) };
}

/** Records a served embedded database for this user's other processes (findServedEmbedded). */
async function recordServed(dataDir: string, socketDir: string, socketPath: string): Promise<void> {
  await chmod(socketPath, 0o600);
  await writeFile(embeddedInfoFile(dataDir), JSON.stringify({ pid: process.pid, socketDir, dataDir } satisfies EmbeddedInfo), { mode: 0o600 });
}

/** PGlite on this thread; served (db/pglite-wire-server.ts) to other processes when `serve`. */
async function embeddedInProcessDatabase(dataDir: string, runMigrations: boolean, serve: boolean): Promise<Database> {
  const raw = dataDir === 'memory://' ? new PGlite() : new PGlite(dataDir);
  await raw.waitReady;
  if (runMigrations) await migratePglite(drizzlePglite(raw), { migrationsFolder: MIGRATIONS });
  let server: WireServer | null = null;
  let servedUrl: string | null = null;
  if (serve) {
    const { socketDir, socketPath } = await prepareServedSocket(dataDir);
    server = await serveWire(raw, socketPath);
    await recordServed(dataDir, socketDir, socketPath);
    servedUrl = socketUrl(socketDir);
  }
  // Served: this process's statements and transactions take turns with the socket's connections.
  // Not served: PGlite serialises queries and transactions itself (one session, a mutex).
  const pg = server ? serialisedPglite(raw, server) : raw;
  const db = drizzlePglite(pg, { schema }) as unknown as PlumeDb;
  return {
    db,
    engine: 'pglite',
    url: servedUrl,
    servedBy: null,
    async query(text, params = []) {
      const res = await pg.query<Record<string, unknown>>(text, params);
      return { rows: res.rows, fields: res.fields.map((f) => f.name), types: res.fields.map((f) => f.dataTypeID) };
    },
    async close() {
      if (server) {
        await server.close().catch(() => undefined);
        await rm(embeddedInfoFile(dataDir), { force: true });
      }
      await pg.close();
    },
  };
}

/**
 * Opens the embedded database in its own thread and connects to it. Served: on the state dir's
 * owner-only socket, recorded for this user's other processes; otherwise on a socket in a fresh
 * owner-only temporary folder that only this process knows.
 */
async function embeddedThreadDatabase(dataDir: string, runMigrations: boolean, serve: boolean): Promise<Database> {
  const { socketDir, socketPath } = serve ? await prepareServedSocket(dataDir) : await privateSocket();
  const cleanUp = async (): Promise<void> => {
    if (serve) await rm(embeddedInfoFile(dataDir), { force: true });
    else await rm(socketDir, { recursive: true, force: true });
  };
  let thread;
  try {
    thread = await startEmbeddedThread({ dataDir, socketPath, migrationsFolder: runMigrations ? MIGRATIONS : null });
    if (serve) await recordServed(dataDir, socketDir, socketPath);
    else await chmod(socketPath, 0o600);
  } catch (e) {
    await thread?.close().catch(() => undefined);
    await cleanUp();
    throw e;
  }
  const t = thread;
  return postgresDatabase(socketUrl(socketDir), {
    runMigrations: false,
    max: 1,
    engine: 'pglite',
    reportedUrl: serve ? socketUrl(socketDir) : null,
    failure: () => t.failure(),
    afterClose: async () => {
      try {
        await t.close();
      } finally {
        await cleanUp();
      }
    },
  });
}
