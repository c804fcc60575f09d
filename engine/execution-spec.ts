/** How a campaign is fanned out; shared by every campaign kind's spec. */
import { z } from 'zod';

const executionSpec = z
  .object({
    batchSize: z.number().int().min(1).max(5000).optional().describe('Runs per batch (default depends on the kind: cheap runs 250, simulations 8).'),
    maxConcurrentBatches: z.number().int().min(1).max(64).default(4).describe('Batches in flight at once.'),
    batchesPerExecution: z
      .number()
      .int()
      .min(1)
      .max(500)
      .default(100)
      .describe('Batches per workflow execution before continue-as-new (history stays bounded).'),
    queue: z.enum(['auto', 'cpu', 'gpu']).default('auto').describe("Task queue for ML stages: 'auto' uses gpu when a GPU worker polls, else cpu."),
    scheduleToStartTimeoutSeconds: z
      .number()
      .int()
      .min(5)
      .max(86_400)
      .default(600)
      .describe(
        'How long a task may wait for a worker before Plume asks the server whether any worker serves its queue: if none does, the campaign fails ("no worker serves the task queue"); if workers are only busy, the task waits again.',
      ),
    activityTimeoutSeconds: z
      .number()
      .int()
      .min(10)
      .max(7 * 86_400)
      .default(3600),
    heartbeatTimeoutSeconds: z
      .number()
      .int()
      .min(2)
      .max(3600)
      .default(60)
      .describe('A worker that stops heartbeating this long is presumed dead and its batch is retried elsewhere.'),
    checkpointSeconds: z
      .number()
      .int()
      .min(10)
      .max(86_400)
      .optional()
      .describe(
        'Long trainings (network surrogates) save a checkpoint this often (default 300 s); a training retried after its worker stopped continues from the last one instead of from scratch.',
      ),
  })
  .strict()
  .default({
    maxConcurrentBatches: 4,
    batchesPerExecution: 100,
    queue: 'auto',
    scheduleToStartTimeoutSeconds: 600,
    activityTimeoutSeconds: 3600,
    heartbeatTimeoutSeconds: 60,
  });

export const campaignBase = {
  name: z.string().min(1).max(200).describe('Human-readable campaign name.'),
  description: z.string().max(4000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0)
    .describe('Seed of every random draw: same spec and seed, same numbers.'),
  execution: executionSpec,
};
