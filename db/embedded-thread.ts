/**
 * Starts and stops the embedded database's thread (db/embedded-server.ts): PGlite, its migrations
 * and its socket server off the main thread, so a long statement never stalls the event loop of
 * the process (its Temporal worker's heartbeats and workflow tasks). The process then reaches the
 * database like any other client, through the socket (db/client.ts).
 */
import { Worker } from 'node:worker_threads';

/** What the thread opens (its `workerData`). */
export interface EmbeddedThreadStart {
  /** PGlite data directory, or `memory://`. */
  dataDir: string;
  /** Unix socket to serve on (`.s.PGSQL.5432` in an owner-only folder). */
  socketPath: string;
  /** Migrations folder to apply before serving; null leaves the schema as it is. */
  migrationsFolder: string | null;
}

export type EmbeddedThreadRequest = { type: 'close' };
export type EmbeddedThreadReply = { type: 'ready' } | { type: 'closed' } | { type: 'failed'; message: string; stack: string };

export interface EmbeddedThread {
  /** Why the thread ended on its own (it crashed or failed to close); null while it serves. */
  failure(): Error | null;
  /** Stops serving, closes PGlite (flushing its data dir) and waits for the thread to end. */
  close(): Promise<void>;
}

/** How long a clean close may take before the thread is terminated. */
const CLOSE_TIMEOUT_MS = 30_000;

function threadError(start: EmbeddedThreadStart, message: string, stack?: string): Error {
  const where = start.dataDir === 'memory://' ? 'the in-memory embedded database' : `the embedded database in ${start.dataDir}`;
  const err = new Error(`${where}: ${message}`);
  if (stack) err.stack = `${err.name}: ${err.message}\n  in its thread: ${stack}`;
  return err;
}

/** Starts the thread and resolves once it serves; rejects with the thread's error (it has then ended). */
export function startEmbeddedThread(start: EmbeddedThreadStart): Promise<EmbeddedThread> {
  const worker = new Worker(new URL('./embedded-thread-entry.mjs', import.meta.url), {
    workerData: start,
    // The process's flags, but not `--input-type` (it applies to `node -e` code, and a thread refuses it).
    execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')),
  });
  let failure: Error | null = null;
  let closing = false;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const replies: ((m: EmbeddedThreadReply) => void)[] = [];
  worker.on('message', (m: EmbeddedThreadReply) => {
    if (m.type === 'failed') failure = threadError(start, m.message, m.stack);
    for (const r of replies.splice(0)) r(m);
  });
  worker.on('error', (e) => {
    failure = threadError(start, e.message, e.stack);
  });
  void exited.then((code) => {
    if (!closing && !failure) failure = threadError(start, `its thread exited (code ${code})`);
  });
  const nextReply = (): Promise<EmbeddedThreadReply | null> =>
    new Promise((resolve) => {
      replies.push(resolve);
      void exited.then(() => resolve(null));
    });

  const handle: EmbeddedThread = {
    failure: () => failure,
    async close() {
      if (closing) return void (await exited);
      closing = true;
      const reply = nextReply();
      worker.postMessage({ type: 'close' } satisfies EmbeddedThreadRequest);
      const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      try {
        const m = await reply;
        await exited;
        if (m?.type === 'failed') throw threadError(start, m.message, m.stack);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return (async () => {
    const m = await nextReply();
    if (m?.type === 'ready') return handle;
    closing = true;
    await exited;
    throw failure ?? threadError(start, 'its thread ended before serving');
  })();
}
