/**
 * Serves one PGlite instance on a Unix socket to PostgreSQL clients (postgres.js), for the
 * embedded database's thread (db/embedded-server.ts). PGlite has one backend session, shared by
 * every connection, so a statement's protocol messages must reach it together: this server hands
 * PGlite each connection's messages up to a Sync or a simple Query as one unit (one call, one
 * write of the replies). pglite-socket, used before, ran one message at a time in arrival order
 * whatever the connection, so two connections' statements interleaved (one's Parse, the other's
 * Parse, the first's Bind of the second's statement: wrong results or protocol errors). A
 * connection inside a transaction keeps the database until it commits or rolls back (or closes:
 * then it is rolled back). The serving process's own statements take the same turn
 * (`WireServer.exclusive`, db/serialised-pglite.ts): PGlite's mutex alone would let one run
 * between a connection's Parse/Describe/Flush and its Bind, or let a connection's statement run
 * inside the process's transaction.
 */
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** First message of a connection without a type byte: SSL request, cancel request, startup. */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
/** Messages after which the backend answers with ReadyForQuery (Sync, Query), Flush (it sends what it has: postgres.js
 * describes a statement's parameters with Parse, Describe, Flush before it binds them) and Terminate. */
const SYNC = 0x53;
const QUERY = 0x51;
const FLUSH = 0x48;
const TERMINATE = 0x58;

/** A connection's messages to run together; `open` when it ends with a Flush (the statement goes on). */
interface Unit {
  bytes: Buffer;
  open: boolean;
}

interface Connection {
  socket: net.Socket;
  /** Received bytes not yet run (views of the socket's chunks: nothing writes into them). */
  buffer: Buffer;
  /** Chunks received while a message was still incomplete, and their total length. */
  pending: Buffer[];
  pendingBytes: number;
  /** Bytes the first incomplete message needs (0: unknown), so a large one is joined once, not per chunk. */
  needed: number;
  started: boolean;
  /** Units of this connection run in order. */
  chain: Promise<void>;
  /** The client sent Terminate: close once its units have run. */
  terminated: boolean;
}

export interface WireServer {
  /** Run `fn` (the serving process's own statement or transaction) with the database to itself: no connection's unit runs meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Who holds the database: a connection, or a turn of the serving process (`exclusive`). */
type Holder = object;

export async function serveWire(pg: PGlite, socketPath: string): Promise<WireServer> {
  /** Who uses the database: a connection (running a unit, or inside a transaction), or an `exclusive` turn. */
  let holder: Holder | null = null;
  const waiting: { conn: Holder; go: () => void }[] = [];
  const connections = new Set<Connection>();

  const acquire = (conn: Holder): Promise<void> => {
    if (holder === null || holder === conn) {
      holder = conn;
      return Promise.resolve();
    }
    return new Promise((go) => waiting.push({ conn, go }));
  };
  const release = (): void => {
    holder = null;
    const next = waiting.shift();
    if (next) {
      holder = next.conn;
      next.go();
    }
  };

  /** Runs one unit of a connection's messages and writes PGlite's replies at once. */
  const run = async (conn: Connection, unit: Unit): Promise<void> => {
    await acquire(conn);
    try {
      if (conn.socket.destroyed) return;
      const out = await pg.runExclusive(() => pg.execProtocolRaw(unit.bytes));
      // A copy: PGlite reuses its reply buffer.
      if (out.length > 0 && conn.socket.writable) conn.socket.write(Buffer.from(out));
    } finally {
      // Kept through a transaction and through a statement's Flush until its Sync.
      if ((!pg.isInTransaction() && !unit.open) || conn.socket.destroyed) release();
    }
  };

  /** Splits complete units off the connection's buffer. */
  const units = (conn: Connection): Unit[] => {
    const found: Unit[] = [];
    for (;;) {
      const b = conn.buffer;
      if (!conn.started) {
        if (b.length < 8) break;
        const len = b.readInt32BE(0);
        if (b.length < len) break;
        const code = b.readInt32BE(4);
        conn.buffer = b.subarray(len);
        if (code === SSL_REQUEST) conn.socket.write('N');
        else if (code === CANCEL_REQUEST) conn.socket.end();
        else {
          conn.started = true;
          found.push({ bytes: b.subarray(0, len), open: false });
        }
        continue;
      }
      // Up to the end of the first complete Sync / Query / Flush; a Terminate ends the connection (PGlite never sees it).
      let at = 0;
      let end = 0;
      let open = false;
      let terminate = false;
      while (at + 5 <= b.length) {
        const next = at + 1 + b.readInt32BE(at + 1);
        if (next > b.length) {
          if (end === 0) conn.needed = next;
          break;
        }
        const type = b[at];
        if (type === TERMINATE) {
          terminate = true;
          break;
        }
        at = next;
        if (type === SYNC || type === QUERY || type === FLUSH) {
          end = at;
          open = type === FLUSH;
          break;
        }
      }
      if (end > 0) found.push({ bytes: b.subarray(0, end), open });
      conn.buffer = b.subarray(end);
      if (terminate) {
        conn.buffer = Buffer.alloc(0);
        conn.terminated = true;
        break;
      }
      if (end === 0) break;
    }
    return found;
  };

  const closeConnection = async (conn: Connection): Promise<void> => {
    if (!connections.delete(conn)) return;
    for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i].conn === conn) waiting.splice(i, 1);
    await conn.chain.catch(() => undefined);
    if (holder === conn) {
      // It closed inside a transaction: undo it so the next connection starts clean.
      if (pg.isInTransaction()) await pg.exec('rollback').catch(() => undefined);
      release();
    }
  };

  const server = net.createServer((socket) => {
    const conn: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      pending: [],
      pendingBytes: 0,
      needed: 0,
      started: false,
      chain: Promise.resolve(),
      terminated: false,
    };
    connections.add(conn);
    socket.setNoDelay(true);
    socket.on('data', (data) => {
      if (conn.needed > 0) {
        conn.pending.push(data);
        conn.pendingBytes += data.length;
        if (conn.buffer.length + conn.pendingBytes < conn.needed) return;
        conn.buffer = Buffer.concat([conn.buffer, ...conn.pending]);
        conn.pending = [];
        conn.pendingBytes = 0;
      } else conn.buffer = conn.buffer.length === 0 ? data : Buffer.concat([conn.buffer, data]);
      conn.needed = 0;
      for (const unit of units(conn)) {
        conn.chain = conn.chain.then(() => run(conn, unit)).catch(() => void socket.destroy());
      }
      if (conn.terminated) void conn.chain.then(() => socket.end());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void closeConnection(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    async exclusive(fn) {
      const turn = {};
      await acquire(turn);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.socket.destroy();
      await Promise.all([...connections].map((c) => closeConnection(c)));
      await closed;
    },
  };
}
