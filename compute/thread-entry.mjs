// Entry of a compute worker thread: registers the TypeScript loader in this thread, then runs
// the task module a message names (kinds/<kind>/tasks/<name>.ts). Loaded by piscina (see pool.ts).
import { register } from 'tsx/esm/api';

register();
const { runComputeTask } = await import('./dispatch.ts');

export default function computeThread(message) {
  return runComputeTask(message.url, message.input);
}
