/**
 * The embedded database's own thread (started by db/embedded-thread.ts through
 * db/embedded-thread-entry.mjs): it opens PGlite (WebAssembly PostgreSQL) on its data directory,
 * runs the migrations and serves it on a Unix socket (db/pglite-wire-server.ts). Every client, the process
 * that started the thread included, talks to it through that socket with postgres.js, so PGlite's
 * statements (tens of ms for a 500-run upsert) never block the event loop of the process's
 * Temporal worker: they run on this thread, on another core.
 *
 * Protocol with the starting thread: `workerData` says what to open; this thread posts `ready`
 * once it serves, or `failed` with the error (a corrupt data dir, a failed migration) and ends;
 * on `close` it stops serving, closes PGlite (flushing the data dir) and posts `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { serveWire, type WireServer } from './pglite-wire-server.js';
import type { EmbeddedThreadReply, EmbeddedThreadRequest, EmbeddedThreadStart } from './embedded-thread.js';

const start = workerData as EmbeddedThreadStart;
const port = parentPort;
if (!port) throw new Error('db/embedded-server.ts runs in a worker thread (see db/embedded-thread.ts)');
const post = (m: EmbeddedThreadReply): void => port.postMessage(m);

let pg: PGlite | null = null;
let server: WireServer | null = null;

async function stop(): Promise<void> {
  await server?.close().catch(() => undefined);
  server = null;
  if (pg && !pg.closed) await pg.close();
  pg = null;
}

port.on('message', (m: EmbeddedThreadRequest) => {
  if (m.type !== 'close') return;
  stop().then(
    () => {
      post({ type: 'closed' });
      port.close();
    },
    (e: unknown) => {
      post({ type: 'failed', message: `closing the embedded database: ${(e as Error).message}`, stack: (e as Error).stack ?? '' });
      port.close();
    },
  );
});

try {
  pg = start.dataDir === 'memory://' ? new PGlite() : new PGlite(start.dataDir);
  await pg.waitReady;
  if (start.migrationsFolder) await migrate(drizzle(pg), { migrationsFolder: start.migrationsFolder });
  server = await serveWire(pg, start.socketPath);
  post({ type: 'ready' });
} catch (e) {
  await stop().catch(() => undefined);
  const err = e as Error;
  post({ type: 'failed', message: err.message ?? String(e), stack: err.stack ?? '' });
  port.close();
}
