/**
 * A batch of independent runs, one after another: a run that throws becomes a `failed` outcome with
 * its message, so one bad run does not fail its batch; cancellation (the context's abort signal)
 * still stops the batch.
 */
import type { HandlerContext, RunInput, RunOutcome } from './kind-handler.js';

export async function runEach<P>(runs: RunInput<P>[], ctx: HandlerContext, run: (r: RunInput<P>) => Promise<RunOutcome>): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const r of runs) {
    try {
      out.push(await run(r));
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      out.push({ runIndex: r.runIndex, status: 'failed', error: (e as Error).message, durationMs: 0 });
    }
  }
  return out;
}
