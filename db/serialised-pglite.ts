/**
 * The serving process's own handle on an embedded database it also serves on a socket: the same
 * PGlite, with every statement (`query`, `exec`) and every transaction taking its turn with the
 * socket's connections (db/pglite-wire-server.ts, `exclusive`). A transaction holds the turn until
 * it ends; statements inside it go to its own handle, not through here.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { WireServer } from './pglite-wire-server.js';

const SERIALISED = new Set<PropertyKey>(['query', 'exec', 'transaction']);

export function serialisedPglite(pg: PGlite, server: Pick<WireServer, 'exclusive'>): PGlite {
  return new Proxy(pg, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (SERIALISED.has(prop)) return (...args: unknown[]) => server.exclusive(() => method.apply(target, args) as Promise<unknown>);
      return method.bind(target);
    },
  });
}
