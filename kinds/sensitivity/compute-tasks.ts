/** Compute tasks of `sensitivity` campaigns (modules in ./tasks/, run in worker threads). */
import { computeTask } from '../../compute/task.js';
import type { run as sensitivitySimulator } from './tasks/sensitivity-simulator.js';

export const sensitivityTasks = {
  simulator: computeTask<typeof sensitivitySimulator>(new URL('./tasks/sensitivity-simulator.ts', import.meta.url)),
};
