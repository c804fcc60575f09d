/** Compute tasks of `upscale` campaigns (modules in ./tasks/, run in worker threads). */
import { computeTask } from '../../compute/task.js';
import type { run as bioremediation1x } from './tasks/bioremediation-1x.js';
import type { run as upscalePredict } from './tasks/upscale-predict.js';

export const upscaleTasks = {
  bioremediation1x: computeTask<typeof bioremediation1x>(new URL('./tasks/bioremediation-1x.ts', import.meta.url)),
  upscalePredict: computeTask<typeof upscalePredict>(new URL('./tasks/upscale-predict.ts', import.meta.url)),
};
