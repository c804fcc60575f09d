/** Compute tasks of `train` campaigns (modules in ./tasks/, run in worker threads). */
import { computeTask } from '../../compute/task.js';
import type { run as trainUpscalingModel } from './tasks/train-upscaling-model.js';

export const trainTasks = {
  trainUpscalingModel: computeTask<typeof trainUpscalingModel>(new URL('./tasks/train-upscaling-model.ts', import.meta.url)),
};
