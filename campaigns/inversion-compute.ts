/**
 * Compute tasks with progress: the task (in a worker thread) posts progress on a named
 * `BroadcastChannel`; the activity side turns it into Temporal heartbeats (and also heartbeats on
 * a timer while the task runs, so a long epoch never looks like a dead worker). The compute pool
 * itself (workers/compute-pool.ts) has no progress channel, hence this wrapper.
 */
import { randomBytes } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { runCompute } from '../workers/compute-pool.js';
import type { HandlerContext } from './kind-handler.js';

export async function runComputeWithProgress<O>(
  task: string,
  input: Record<string, unknown>,
  ctx: Pick<HandlerContext, 'heartbeat' | 'signal'>,
  label: Record<string, unknown>,
): Promise<O> {
  const name = `plume-progress-${randomBytes(8).toString('hex')}`;
  const channel = new BroadcastChannel(name);
  let last: unknown = null;
  const beat = (): void => {
    try {
      ctx.heartbeat({ ...label, progress: last });
    } catch {
      // cancellation is observed through ctx.signal by runCompute
    }
  };
  channel.onmessage = (ev: unknown) => {
    last = (ev as { data: unknown }).data;
    beat();
  };
  const timer = setInterval(beat, 5000);
  try {
    return await runCompute<O>(task, { ...input, progressChannel: name }, ctx.signal);
  } finally {
    clearInterval(timer);
    channel.close();
  }
}

/** Thread side: a throttled poster of progress messages on the channel named in the task input. */
export function progressReporter(name: string | undefined, minIntervalMs = 1000): { post(details: unknown): void; close(): void } {
  if (!name) return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(name);
  channel.unref();
  let lastAt = 0;
  return {
    post(details) {
      const now = Date.now();
      if (now - lastAt < minIntervalMs) return;
      lastAt = now;
      channel.postMessage(details);
    },
    close: () => channel.close(),
  };
}
