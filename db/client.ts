/**
 * One client factory for both drivers. With `DATABASE_URL` it connects to a Postgres server
 * through postgres.js. Without it, the first Plume process opens the embedded PGlite database in
 * `<state>/pgdata` and serves it on a loopback port (pglite-socket), recording the address in
 * `<state>/embedded-db.json`; later Plume processes (a `plume query` while `plume dev` runs) connect
 * to that port with postgres.js. Migrations run in-process at start-up.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { projectRoot, stateDir } from '../infra/paths.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type PlumeDb = PgDatabase<PgQueryResultHKT, Schema>;

export interface QueryResult {
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
  /** Serve an embedded database to other processes on loopback (default true). */
  serve?: boolean;
}

const MIGRATIONS = path.join(projectRoot(), 'db', 'migrations');

interface EmbeddedInfo {
  pid: number;
  port: number;
  dataDir: string;
}

function embeddedInfoFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), 'embedded-db.json');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
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
    if (pidAlive(info.pid) && (await portOpen(info.port))) {
      return `postgres://postgres@127.0.0.1:${info.port}/postgres`;
    }
  } catch {
    /* stale or unreadable: ignore */
  }
  return null;
}

function postgresDatabase(url: string, runMigrations: boolean, max = 10): Promise<Database> {
  const client = postgres(url, { max, onnotice: () => {}, prepare: false });
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
    // Another Plume process owns the embedded database: talk to it over its loopback socket.
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
    server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1', maxConnections: 8 } as never);
    await server.start();
    const port = (server as unknown as { server?: net.Server }).server?.address();
    const p = typeof port === 'object' && port ? port.port : 0;
    if (p) {
      servedUrl = `postgres://postgres@127.0.0.1:${p}/postgres`;
      await writeFile(infoFile, JSON.stringify({ pid: process.pid, port: p, dataDir } satisfies EmbeddedInfo));
    }
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

/** `select 1` round trip, for readiness checks. */
export async function ping(database: Database): Promise<void> {
  await database.db.execute(sql`select 1`);
}

export type { SQL };
