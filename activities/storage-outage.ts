/**
 * Waiting out a storage outage inside an activity. A transient database error (server down or
 * restarting, connection lost, too many connections, serialization failure; see
 * db/transient-error.ts) is retried with capped exponential backoff for a window (default 15 min,
 * `PLUME_STORAGE_OUTAGE_SECONDS`), heartbeating while it waits so Temporal does not presume the
 * worker dead, and raising `plume_storage_outage_waiting` so the PlumeStorageOutage alert fires.
 * Any other error, or the window running out, is thrown to the caller unchanged. The wrapped work
 * must be idempotent (every activity here is: upserts keyed by campaign and run).
 */
import { Context } from '@temporalio/activity';
import { isTransientStorageError, storageErrorLabel } from '../db/transient-error.js';
import type { Logger } from '../infra/logger.js';
import { storageOutageRetriesTotal, storageOutageWaiting } from '../infra/metrics.js';

export interface OutageOptions {
  /** How long to keep retrying a transient error, in ms (default from the environment, 15 min). */
  windowMs?: number;
  /** First delay; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  logger?: Logger;
}

/** Minimum window the issue asks for is 10 minutes; the default leaves margin. */
const DEFAULT_OUTAGE_WINDOW_SECONDS = 900;

function outageWindowMs(): number {
  const raw = process.env.PLUME_STORAGE_OUTAGE_SECONDS;
  const s = raw === undefined || raw === '' ? DEFAULT_OUTAGE_WINDOW_SECONDS : Number(raw);
  if (!Number.isFinite(s) || s < 0) throw new Error(`PLUME_STORAGE_OUTAGE_SECONDS must be a number of seconds >= 0, got '${raw}'`);
  return s * 1000;
}

function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

/** Sleep in short slices, heartbeating each slice; stops early if the activity is cancelled. */
async function waitHeartbeating(ms: number, ctx: Context | null, details: unknown): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    ctx?.heartbeat(details);
    if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
    await new Promise((r) => setTimeout(r, Math.min(1000, end - Date.now())));
  }
}

/** Run `work`; on a transient storage error wait and run it again until it succeeds or the window ends. */
export async function withStorageOutageRetry<T>(activity: string, work: () => Promise<T>, opts: OutageOptions = {}): Promise<T> {
  const windowMs = opts.windowMs ?? outageWindowMs();
  const initial = opts.initialDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 5_000;
  const ctx = activityContext();
  let since: number | null = null;
  let attempt = 0;
  try {
    for (;;) {
      try {
        return await work();
      } catch (e) {
        if (!isTransientStorageError(e)) throw e;
        since ??= Date.now();
        const waited = Date.now() - since;
        if (waited >= windowMs) throw e;
        const code = storageErrorLabel(e);
        if (attempt === 0) {
          storageOutageWaiting.inc({ activity });
          opts.logger?.warn({ activity, code, windowSeconds: windowMs / 1000 }, 'storage unavailable: waiting for it to come back');
        }
        storageOutageRetriesTotal.inc({ activity, code });
        const delay = Math.min(cap, initial * 2 ** Math.min(attempt, 20), windowMs - waited);
        attempt++;
        await waitHeartbeating(delay, ctx, { storageOutage: { code, waitedMs: waited, attempt } });
      }
    }
  } finally {
    if (attempt > 0) {
      storageOutageWaiting.dec({ activity });
      opts.logger?.info({ activity, attempts: attempt, seconds: since ? Math.round((Date.now() - since) / 1000) : 0 }, 'storage outage over');
    }
  }
}
