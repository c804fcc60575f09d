/**
 * Compute tasks of `surrogates` campaigns. A run trains and scores one surrogate with the same
 * task inversion campaigns train theirs with (one copy of the training code): its input's
 * `trainIndices` picks the run's training rows from the pool.
 */
import { inversionTasks } from '../inversion/compute-tasks.js';

export const surrogatesTasks = {
  trainSurrogate: inversionTasks.trainSurrogate,
};
