/** Compute tasks of `dataset` campaigns (modules in ./tasks/, run in worker threads). */
import { computeTask } from '../../compute/task.js';
import type { run as bioremediationPair } from './tasks/bioremediation-pair.js';
import type { run as groundwaterSample } from './tasks/groundwater-sample.js';

export const datasetTasks = {
  bioremediationPair: computeTask<typeof bioremediationPair>(new URL('./tasks/bioremediation-pair.ts', import.meta.url)),
  groundwaterSample: computeTask<typeof groundwaterSample>(new URL('./tasks/groundwater-sample.ts', import.meta.url)),
};
