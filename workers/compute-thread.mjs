// Entry of a compute worker thread: registers the TypeScript loader in this thread, then runs
// the named task module from workers/compute-tasks/. Loaded by piscina (see compute-pool.ts).
import { register } from 'tsx/esm/api';

register();
const { runComputeTask } = await import('./compute-dispatch.ts');

export default function computeThread(message) {
  return runComputeTask(message.task, message.input);
}
