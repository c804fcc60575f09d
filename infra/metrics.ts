/**
 * Prometheus metrics (prom-client), prefix `plume_`, low-cardinality labels only (never a run id).
 * One registry per process; workers and the API expose it on `/metrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
// Standard Node.js process metrics under their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...).
collectDefaultMetrics({ register: registry });

/** Buckets from 1 ms (analytic models) to 6 h (full-size training). */
const DURATION_BUCKETS = [0.001, 0.005, 0.02, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

export const runsTotal = new Counter({
  name: 'plume_runs_total',
  help: 'Runs finished, by campaign kind and status.',
  labelNames: ['kind', 'status'] as const,
  registers: [registry],
});

export const runDuration = new Histogram({
  name: 'plume_run_duration_seconds',
  help: 'Wall time of one run (simulation, model evaluation, training, inversion).',
  labelNames: ['kind'] as const,
  buckets: DURATION_BUCKETS,
  registers: [registry],
});

export const batchSize = new Histogram({
  name: 'plume_batch_size',
  help: 'Runs per executed batch stage.',
  labelNames: ['kind', 'stage'] as const,
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
  registers: [registry],
});

export const forwardCallsTotal = new Counter({
  name: 'plume_forward_calls_total',
  help: 'Forward-model (surrogate) evaluations made by inversion methods.',
  labelNames: ['method'] as const,
  registers: [registry],
});

export const trainEpochSeconds = new Histogram({
  name: 'plume_train_epoch_seconds',
  help: 'Wall time of one training epoch.',
  labelNames: ['model'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
  registers: [registry],
});

export const trainLoss = new Gauge({
  name: 'plume_train_loss',
  help: 'Training loss of the latest epoch, by model architecture.',
  labelNames: ['model'] as const,
  registers: [registry],
});

export const campaignProgress = new Gauge({
  name: 'plume_campaign_progress_ratio',
  help: 'Finished runs / total runs of a campaign (one series per active campaign).',
  labelNames: ['campaign', 'kind'] as const,
  registers: [registry],
});

export const workerInfo = new Gauge({
  name: 'plume_worker_info',
  help: 'Constant 1 labelled with the worker ML backend and task queue.',
  labelNames: ['backend', 'queue'] as const,
  registers: [registry],
});

export const activityErrorsTotal = new Counter({
  name: 'plume_activity_errors_total',
  help: 'Activity attempts that failed, by activity and error type.',
  labelNames: ['activity', 'type'] as const,
  registers: [registry],
});

export const storageOutageWaiting = new Gauge({
  name: 'plume_storage_outage_waiting',
  help: 'Activities currently waiting out a transient storage (database) outage; > 0 raises PlumeStorageOutage.',
  labelNames: ['activity'] as const,
  registers: [registry],
});

export const storageOutageRetriesTotal = new Counter({
  name: 'plume_storage_outage_retries_total',
  help: 'Retries of an activity after a transient storage error, by activity and error code.',
  labelNames: ['activity', 'code'] as const,
  registers: [registry],
});
