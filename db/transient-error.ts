/**
 * Whether a storage error is transient: the database is down, restarting, overloaded or aborted
 * the transaction for a concurrency reason, so the same statement can succeed later. Classified by
 * SQLSTATE (postgres.js and PGlite errors carry it as `code`) or by the socket/driver error code,
 * looking through `cause` chains (drizzle wraps driver errors).
 */

/** SQLSTATE codes worth waiting out: connection exceptions, shutdowns, too many connections, aborts. */
const TRANSIENT_SQLSTATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** Socket and postgres.js client codes of a lost or unreachable server. */
const TRANSIENT_CLIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

function codeOf(e: unknown): string | null {
  if (!e || typeof e !== 'object') return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** True when the error (or one of its causes) is a transient storage failure. */
export function isTransientStorageError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = codeOf(e);
    if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_CLIENT_CODES.has(code))) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isTransientStorageError(x))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Short description of a storage error for logs and heartbeats. */
export function storageErrorLabel(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = codeOf(e);
    if (code) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return (err as Error)?.name ?? 'Error';
}
