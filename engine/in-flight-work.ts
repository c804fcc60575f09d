/**
 * What a running campaign is doing right now: the pending activities of its workflow (batches of
 * runs, setup, summary) with the details of their last heartbeat, which carry the compute task's
 * progress (a training's epoch and loss, an inversion's iteration and best J, an MSVR grid search's
 * fit k of n, a dataset's runs done). Read from Temporal's description of the workflow; the server
 * keeps a heartbeat's details at most every 0.8 x `execution.heartbeatTimeoutSeconds`, so they can
 * lag by that much. `report/progress-text.ts` turns the details into a line.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Database } from '../db/client.js';
import { campaignHandle } from './launcher.js';

export interface InFlightWork {
  /** Activity type, e.g. `runBatchStage`. */
  activity: string;
  /** Temporal's pending-activity state: scheduled (waiting for a worker), started, cancel_requested. */
  state: string;
  attempt: number;
  startedAt: string | null;
  lastHeartbeatAt: string | null;
  /** The last heartbeat's details as the activity sent them (null before the first). */
  details: unknown;
}

const STATES: Record<number, string> = { 1: 'scheduled', 2: 'started', 3: 'cancel_requested', 4: 'paused', 5: 'pause_requested' };

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;

function isoTime(ts: Timestamp): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const s = ts.seconds as number | { toNumber(): number };
  const seconds = typeof s === 'object' ? s.toNumber() : Number(s);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000 + (ts.nanos ?? 0) / 1e6).toISOString();
}

function decodeDetails(payloads: { payloads?: unknown[] | null } | null | undefined): unknown {
  const first = payloads?.payloads?.[0];
  if (!first) return null;
  try {
    return defaultPayloadConverter.fromPayload(first);
  } catch {
    return null;
  }
}

/**
 * The campaign's pending activities, oldest first; an empty list when nothing is in flight (or the
 * workflow has closed), null when Temporal cannot describe the workflow (server down, history gone).
 */
export async function inFlightWork(client: Client, database: Database, id: string): Promise<InFlightWork[] | null> {
  let description;
  try {
    description = await (await campaignHandle(client, database, id)).describe();
  } catch {
    return null;
  }
  // A closed workflow can still list activities it never heard back from: they are not running.
  if (description.status.name !== 'RUNNING') return [];
  const pending = description.raw.pendingActivities ?? [];
  return pending
    .map((a) => ({
      activity: a.activityType?.name ?? 'activity',
      state: STATES[Number(a.state ?? 0)] ?? 'unknown',
      attempt: Number(a.attempt ?? 1),
      startedAt: isoTime(a.lastStartedTime as Timestamp),
      lastHeartbeatAt: isoTime(a.lastHeartbeatTime as Timestamp),
      details: decodeDetails(a.heartbeatDetails),
    }))
    .sort((x, y) => (x.startedAt ?? '~').localeCompare(y.startedAt ?? '~'));
}
