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

/** Pollers seen within the last `freshSeconds` on a task queue's activity side. */
async function activityPollers(client: Client, taskQueue: string, freshSeconds = 120): Promise<number> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: temporalNamespace(),
    taskQueue: { name: taskQueue, kind: 1 /* TASK_QUEUE_KIND_NORMAL */ },
    taskQueueType: 2 /* TASK_QUEUE_TYPE_ACTIVITY */,
  });
  const now = Date.now();
  return (res.pollers ?? []).filter((p) => {
    const t = p.lastAccessTime;
    if (!t?.seconds) return true;
    const ms = Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
    return now - ms < freshSeconds * 1000;
  }).length;
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
