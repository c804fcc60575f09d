/**
 * Routing of ML stages: ask Temporal which task queues have live pollers (DescribeTaskQueue) and
 * use `gpu` when a GPU worker polls it, else `cpu`. A spec can pin the queue.
 */
import type { Client } from '@temporalio/client';
import { queueName, temporalNamespace } from '../infra/queues.js';

export interface RoutingDecision {
  queue: string;
  reason: string;
}

type Poller = { identity?: string | null; lastAccessTime?: { seconds?: unknown; nanos?: number | null } | null };

async function pollers(client: Client, taskQueue: string, type: 'activity' | 'workflow'): Promise<Poller[]> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: temporalNamespace(),
    taskQueue: { name: taskQueue, kind: 1 /* TASK_QUEUE_KIND_NORMAL */ },
    taskQueueType: type === 'activity' ? 2 /* TASK_QUEUE_TYPE_ACTIVITY */ : 1 /* TASK_QUEUE_TYPE_WORKFLOW */,
  });
  return res.pollers ?? [];
}

/** Pollers seen within the last `freshSeconds` on a task queue's activity side. */
async function activityPollers(client: Client, taskQueue: string, freshSeconds = 120): Promise<number> {
  const now = Date.now();
  return (await pollers(client, taskQueue, 'activity')).filter((p) => {
    const t = p.lastAccessTime;
    if (!t?.seconds) return true;
    const ms = Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
    return now - ms < freshSeconds * 1000;
  }).length;
}

/**
 * Worker processes the server lists on a task queue, activity or workflow side (it forgets a worker
 * a few minutes after its last poll). A worker whose activity slots are all busy stops polling for
 * activities but, on the `cpu` queue, keeps polling for workflow tasks: so a queue whose workers are
 * busy still counts, and only a queue nobody serves counts 0.
 */
export async function queueWorkers(client: Client, taskQueue: string): Promise<number> {
  const all = [...(await pollers(client, taskQueue, 'activity')), ...(await pollers(client, taskQueue, 'workflow'))];
  return new Set(all.map((p, i) => p.identity ?? `anonymous-${i}`)).size;
}

export async function routeMlQueue(client: Client, pinned: 'auto' | 'cpu' | 'gpu'): Promise<RoutingDecision> {
  const gpu = queueName('gpu');
  const cpu = queueName('cpu');
  if (pinned === 'gpu') return { queue: gpu, reason: 'pinned to gpu by the spec (execution.queue)' };
  if (pinned === 'cpu') return { queue: cpu, reason: 'pinned to cpu by the spec (execution.queue)' };
  const n = await activityPollers(client, gpu);
  return n > 0
    ? { queue: gpu, reason: `${n} GPU worker(s) poll '${gpu}': ML stages run there` }
    : { queue: cpu, reason: `no GPU worker polls '${gpu}': ML stages run on '${cpu}'` };
}
