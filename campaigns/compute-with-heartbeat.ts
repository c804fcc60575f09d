/**
 * `runCompute` for long tasks (trainings, big inference batches): while the worker thread works,
 * the activity's event loop heartbeats on a timer with the latest progress the thread posted on a
 * private `BroadcastChannel` (e.g. `{kind: 'epoch', epoch, loss}`). A task queued behind others in
 * the pool keeps heartbeating too, so the heartbeat timeout detects dead worker processes, not
 * long epochs; a hung thread is bounded by `execution.activityTimeoutSeconds`.
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { runCompute } from '../workers/compute-pool.js';
import type { HandlerContext } from './kind-handler.js';

export async function runComputeWithHeartbeat<O>(
  ctx: HandlerContext,
  task: string,
  input: Record<string, unknown>,
  opts: { details?: Record<string, unknown>; intervalMs?: number; onProgress?: (msg: unknown) => void } = {},
): Promise<O> {
  const channel = `plume-progress:${task}:${randomUUID()}`;
  const bc = new BroadcastChannel(channel);
  let last: unknown = null;
  bc.onmessage = (ev: unknown) => {
    last = (ev as { data: unknown }).data;
    opts.onProgress?.(last);
  };
  const beat = (): void => {
    try {
      ctx.heartbeat({ ...opts.details, progress: last });
    } catch {
      // cancelled: the abort signal stops the task
    }
  };
  const timer = setInterval(beat, opts.intervalMs ?? 5000);
  try {
    return await runCompute<O>(task, { ...input, progressChannel: channel }, ctx.signal);
  } finally {
    clearInterval(timer);
    bc.close();
  }
}

/** Heartbeats on a timer until `work` settles (e.g. many pooled tasks awaited together). */
export async function heartbeatWhile<T>(ctx: HandlerContext, work: Promise<T>, details: Record<string, unknown> = {}, intervalMs = 5000): Promise<T> {
  const timer = setInterval(() => {
    try {
      ctx.heartbeat(details);
    } catch {
      // cancelled: the abort signal stops the tasks
    }
  }, intervalMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
