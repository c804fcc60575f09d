/** Compute tasks of `inversion` campaigns (modules in ./tasks/, run in worker threads). */
import { computeTask } from '../../compute/task.js';
import type { run as invertRun } from './tasks/invert-run.js';
import type { run as trainDecoder } from './tasks/train-decoder.js';
import type { run as trainSurrogate } from './tasks/train-surrogate.js';

export const inversionTasks = {
  invertRun: computeTask<typeof invertRun>(new URL('./tasks/invert-run.ts', import.meta.url)),
  trainDecoder: computeTask<typeof trainDecoder>(new URL('./tasks/train-decoder.ts', import.meta.url)),
  trainSurrogate: computeTask<typeof trainSurrogate>(new URL('./tasks/train-surrogate.ts', import.meta.url)),
};
