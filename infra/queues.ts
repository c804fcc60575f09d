/**
 * Task queue names. Workers poll `cpu` (simulations, bookkeeping, workflows) or `gpu` (ML stages on
 * GPU nodes). `PLUME_QUEUE_PREFIX` namespaces them so several deployments or test suites can share
 * one Temporal server without stealing each other's tasks.
 */
export type QueueKind = 'cpu' | 'gpu';

export function queueName(kind: QueueKind, prefix = process.env.PLUME_QUEUE_PREFIX ?? ''): string {
  return `${prefix}${kind}`;
}

export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE ?? 'default';
}
