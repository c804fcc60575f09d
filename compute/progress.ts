/**
 * Progress of long compute tasks (trainings, inversions, big inference batches). The task, in a
 * worker thread, posts progress on a private `BroadcastChannel` named in its input
 * (`progressChannel`, e.g. `{kind: 'epoch', epoch, loss}`); the activity side turns it into
 * Temporal heartbeats, and also heartbeats on a timer while the task runs or waits in the pool's
 * queue, so the heartbeat timeout detects dead worker processes, not long epochs (a hung thread is
 * bounded by `execution.activityTimeoutSeconds`).
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { trainEpochSeconds, trainLoss } from '../infra/metrics.js';
import { isRecord } from '../infra/plain-record.js';
import { runCompute } from './pool.js';
import type { ComputeTask } from './task.js';

/** What the activity side needs: a heartbeat (throws once cancelled) and the cancellation signal. */
export interface Heartbeating {
  heartbeat(details?: unknown): void;
  signal: AbortSignal;
}

export interface ProgressOptions {
  /** Sent with every heartbeat, next to `progress` (the task's messages so far, merged field by field). */
  details?: Record<string, unknown>;
  intervalMs?: number;
  onProgress?: (msg: unknown) => void;
}

function beatSafely(ctx: Pick<Heartbeating, 'heartbeat'>, details: unknown): void {
  try {
    ctx.heartbeat(details);
  } catch {
    // cancelled: the abort signal stops the task
  }
}

/** `runCompute` that heartbeats with the task's progress messages and on a timer. */
export async function runComputeWithProgress<I extends { progressChannel?: string }, O>(
  task: ComputeTask<I, O>,
  input: I,
  ctx: Heartbeating,
  opts: ProgressOptions = {},
): Promise<O> {
  const channel = `plume-progress:${task.name}:${randomUUID()}`;
  const bc = new BroadcastChannel(channel);
  let last: unknown = null;
  const beat = (): void => beatSafely(ctx, { ...opts.details, progress: last });
  bc.onmessage = (ev: unknown) => {
    const msg = (ev as MessageEvent).data as unknown;
    opts.onProgress?.(msg);
    // The heartbeat carries the latest value of every field posted so far: a training's batch
    // message keeps the epoch count, loss and ETA of its last epoch message.
    last = isRecord(msg) && isRecord(last) ? { ...last, ...msg } : msg;
    beat();
  };
  const timer = setInterval(beat, opts.intervalMs ?? 5000);
  try {
    return await runCompute(task, { ...input, progressChannel: channel }, ctx.signal);
  } finally {
    clearInterval(timer);
    bc.close();
  }
}

/** Heartbeats on a timer until `work` settles (e.g. many pooled tasks awaited together). */
export async function heartbeatWhile<T>(
  ctx: Pick<Heartbeating, 'heartbeat'>,
  work: Promise<T>,
  details: Record<string, unknown> = {},
  intervalMs = 5000,
): Promise<T> {
  const timer = setInterval(() => beatSafely(ctx, details), intervalMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Thread side: posts progress messages on the channel named in the task input (a no-op without
 * one), at most one per `minIntervalMs` (0: every message).
 */
export function progressPoster(channel: string | undefined, minIntervalMs = 0): { post(msg: unknown): void; close(): void } {
  if (!channel) return { post: () => undefined, close: () => undefined };
  const bc = new BroadcastChannel(channel);
  bc.unref();
  let lastAt = -Infinity;
  return {
    post(msg) {
      const now = Date.now();
      if (now - lastAt < minIntervalMs) return;
      lastAt = now;
      bc.postMessage(msg);
    },
    close: () => bc.close(),
  };
}

/**
 * `onProgress` for training tasks that post `{ epoch, loss }` messages: the process's
 * `plume_train_epoch_seconds` (time between epoch messages per epoch they cover: posters may
 * throttle) and `plume_train_loss` (latest), labelled with the model architecture.
 */
export function trainingMetrics(model: string): (msg: unknown) => void {
  let last: { epoch: number; at: number } | null = null;
  return (msg) => {
    if (typeof msg !== 'object' || msg === null) return;
    const { epoch, loss } = msg as { epoch?: unknown; loss?: unknown };
    if (typeof epoch !== 'number' || typeof loss !== 'number') return;
    const at = performance.now();
    if (last && epoch > last.epoch) trainEpochSeconds.observe({ model }, (at - last.at) / 1000 / (epoch - last.epoch));
    if (Number.isFinite(loss)) trainLoss.set({ model }, loss);
    last = { epoch, at };
  };
}
