/**
 * A command that borrows another Plume process's embedded database and dev server (a second
 * `plume run` in the state dir of a first, or beside a `plume dev`) loses both when that process
 * exits. Rather than failing, it takes them over: it reopens its stack, which now opens the
 * database itself and starts a dev server on the same `temporal.db`, and goes on with its
 * campaign, whose workflow and stored runs outlive the process that served them.
 */
import { pidAlive } from '../infra/dev-server-ownership.js';
import type { Stack } from '../worker/stack.js';

/** How long a failing command waits for a host it borrowed from to finish exiting. */
const HOST_EXIT_WAIT_MS = 15_000;
/** How long closing a stack whose services are gone may take before we move on. */
const DEAD_STACK_CLOSE_MS = 5_000;

async function hostsGone(stack: Stack): Promise<number[]> {
  const deadline = Date.now() + HOST_EXIT_WAIT_MS;
  for (;;) {
    const gone = stack.hosts.filter((pid) => !pidAlive(pid));
    if (gone.length > 0 || Date.now() >= deadline) return gone;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function closeWithin(stack: Stack, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stack.close().catch(() => undefined),
    new Promise<void>((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Run `work` on a stack from `open`; when it fails because a host process it borrowed from has
 * exited, say so on stderr (naming `campaign()`, the campaign it goes on with) and run `work` again
 * on a fresh stack, up to `maxTakeovers` times. Any other failure is rethrown as is.
 */
export async function withHostTakeover<T>(
  open: (takeover: number) => Promise<Stack>,
  work: (stack: Stack) => Promise<T>,
  campaign: () => string,
  maxTakeovers = 3,
): Promise<T> {
  for (let takeover = 0; ; takeover++) {
    const stack = await open(takeover);
    let hostExited = false;
    try {
      return await work(stack);
    } catch (e) {
      if (stack.hosts.length === 0 || takeover >= maxTakeovers) throw e;
      const gone = await hostsGone(stack);
      if (gone.length === 0) throw e;
      hostExited = true;
      process.stderr.write(
        `[plume] the Plume process that served this state (pid ${gone.join(', ')}) has exited; taking over its database and Temporal server to go on with campaign ${campaign()}\n`,
      );
    } finally {
      if (hostExited) await closeWithin(stack, DEAD_STACK_CLOSE_MS);
      else await stack.close();
    }
  }
}
