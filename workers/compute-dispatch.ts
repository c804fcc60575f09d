/**
 * Runs a named compute task (a module in workers/compute-tasks/ exporting `run(input)`), in a
 * worker thread or inline.
 */
const TASK_NAME = /^[a-z][a-z0-9-]*$/;

export interface ComputeTaskModule<I = unknown, O = unknown> {
  run(input: I): Promise<O> | O;
}

export async function runComputeTask(task: string, input: unknown): Promise<unknown> {
  if (!TASK_NAME.test(task)) throw new Error(`invalid compute task name '${task}'`);
  const mod = (await import(`./compute-tasks/${task}.ts`)) as ComputeTaskModule;
  // Results are structured-cloned back to the caller (typed arrays copy at memory speed, which is
  // negligible next to the simulations that produce them).
  return mod.run(input);
}
