/** `plume status|list|cancel|pause|resume|retry`: steering campaigns that exist. */
import { isFinishedStatus, type CampaignRow } from '../../db/campaign-store.js';
import { withHostTakeover } from '../host-takeover.js';
import type { Stack } from '../../worker/stack.js';
import { campaignListText, listCampaigns } from '../campaign-list.js';
import { campaignSummary, humanSummary } from '../campaign-summary.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { existingCampaign, openExistingDatabase } from '../existing-state.js';
import { inFlightLines } from '../in-flight-lines.js';
import { servingTemporal, servingTemporalAddress } from '../serving-temporal.js';
import { showProgress } from '../progress-display.js';

export async function statusCommand(id: string | undefined, opts: { json?: boolean; watch?: boolean }): Promise<number> {
  if (!id) return listCommand({ json: opts.json, limit: 20 });
  const database = await openExistingDatabase();
  try {
    const row = await existingCampaign(database, id);
    if (!isFinishedStatus(row.status) && !(await servedElsewhere()))
      process.stderr.write(
        `note: no Plume process serves this state (no \`plume dev\`, \`plume run\` or TEMPORAL_ADDRESS), so campaign ${id} is ${row.status} on record but not progressing; continue it with \`plume retry ${id} --failed --wait\`\n`,
      );
    if (opts.watch) {
      // With the serving Temporal server, the bar also says what the running batch reports.
      const temporal = opts.json ? null : await servingTemporal();
      const p = showProgress(database, id, { quiet: Boolean(opts.json), client: temporal?.client });
      try {
        for (;;) {
          const s = await campaignSummary(database, id);
          if (isFinishedStatus(s.status)) break;
          await new Promise((r) => setTimeout(r, 1000));
        }
      } finally {
        await p.stop();
        await temporal?.close();
      }
    }
    const s = await campaignSummary(database, id);
    // What the running batches report now (epoch and loss, iteration and best J, ...).
    const inFlight = isFinishedStatus(s.status) ? null : await inFlightLines(database, id);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(inFlight ? { ...s, inFlight } : s)}\n`);
      return EXIT_OK;
    }
    const now = inFlight && inFlight.length > 0 ? `\n${inFlight.map((w) => `  now: ${w.text}`).join('\n')}` : '';
    process.stdout.write(`${await humanSummary(database, s)}${now}\n`);
    return EXIT_OK;
  } finally {
    await database.close();
  }
}

export async function listCommand(opts: { json?: boolean; limit?: number }): Promise<number> {
  const database = await openExistingDatabase();
  try {
    const rows = await listCampaigns(database, opts.limit ?? 50);
    process.stdout.write(opts.json ? `${JSON.stringify(rows)}\n` : campaignListText(rows));
    return EXIT_OK;
  } finally {
    await database.close();
  }
}

type Launcher = typeof import('../../engine/launcher.js');

/**
 * Open the stack of a command that steers an existing campaign: the id is checked against the
 * results database first (unknown ids are named as such), then Temporal is joined (never started).
 * Temporal client and launcher load on demand (`plume list`/`status` need neither). With
 * `takeover`, a command that borrowed another process's stack goes on in its own if that process
 * exits (cli/host-takeover.ts): `fn` runs again, on the campaign's row as it then is.
 */
async function withControlStack<T>(
  id: string,
  fn: (s: Stack, row: CampaignRow, launcher: Launcher) => Promise<T>,
  opts: { hostWorkers?: () => Promise<boolean>; takeover?: boolean } = {},
): Promise<T> {
  const database = await openExistingDatabase();
  try {
    await existingCampaign(database, id);
  } finally {
    await database.close();
  }
  const hostWorkers = opts.hostWorkers ? await opts.hostWorkers() : false;
  const [{ openStack }, { openCliStack }, launcher] = await Promise.all([
    import('../../worker/stack.js'),
    import('../stack-mode.js'),
    import('../../engine/launcher.js'),
  ]);
  // Hosting workers starts the embedded stack as `plume run` does (Temporal dev server, worker threads).
  const open = (takeover: number): Promise<Stack> =>
    (hostWorkers || takeover > 0 ? openCliStack() : openStack({ startTemporal: false })).catch((e: Error) => {
      throw new UsageError(`${e.message}`);
    });
  const run = async (stack: Stack): Promise<T> => fn(stack, await existingCampaign(stack.database, id), launcher);
  if (!opts.takeover) {
    const stack = await open(0);
    try {
      return await run(stack);
    } finally {
      await stack.close();
    }
  }
  return withHostTakeover(open, run, () => id);
}

/** Whether a Temporal server with workers already serves this state: TEMPORAL_ADDRESS, or a live `plume dev` / `plume run`. */
async function servedElsewhere(): Promise<boolean> {
  return (await servingTemporalAddress()) !== null;
}

export async function cancelCommand(id: string): Promise<number> {
  return withControlStack(id, async (s, _row, { cancelCampaign, waitForCampaign }) => {
    await cancelCampaign(s.client, s.database, id);
    const out = await waitForCampaign(s.client, s.database, id);
    process.stdout.write(`${id}: ${out.status}\n`);
    return EXIT_OK;
  });
}

export async function pauseCommand(id: string, pause: boolean): Promise<number> {
  return withControlStack(id, async (s, row, { pauseCampaign, campaignProgress }) => {
    if (isFinishedStatus(row.status)) {
      if (pause) throw new UsageError(`campaign ${id} is ${row.status}: there is nothing to pause`);
      const left = row.totalRuns - row.completedRuns;
      throw new UsageError(
        row.status === 'completed'
          ? `campaign ${id} already completed (${row.completedRuns}/${row.totalRuns} runs): there is nothing to resume`
          : `campaign ${id} is ${row.status} and cannot be resumed; ${left} of ${row.totalRuns} runs did not complete: re-run them with \`plume retry ${id} --failed\``,
      );
    }
    await pauseCampaign(s.client, s.database, id, pause);
    const p = await campaignProgress(s.client, s.database, id);
    process.stdout.write(`${id}: ${pause ? 'paused' : 'resumed'}${p ? ` (${p.completed}/${p.totalRuns} runs done)` : ''}\n`);
    return EXIT_OK;
  });
}

/** Print a campaign's summary (JSON or text); exit code by whether it completed. */
async function printSummary(s: Stack, id: string, opts: { json?: boolean }): Promise<number> {
  const summary = await campaignSummary(s.database, id);
  process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${await humanSummary(s.database, summary)}\n`);
  return summary.status === 'completed' ? EXIT_OK : EXIT_FAILED;
}

export async function retryCommand(id: string, opts: { failed?: boolean; wait?: boolean; json?: boolean }): Promise<number> {
  if (!opts.failed) throw new UsageError('plume retry needs --failed (re-run every run that did not complete: failed, cancelled, or left pending)');
  return withControlStack(
    id,
    async (s, row, { attachCampaign, retryFailedRuns, waitForCampaign }) => {
      if (!isFinishedStatus(row.status)) {
        // Still running on record: its process may have stopped (a reboot, a closed terminal).
        // With --wait, continue it here (its workflow resumes, or restarts skipping completed
        // runs), then retry whatever did not complete.
        if (!opts.wait)
          throw new UsageError(
            `campaign ${id} is still ${row.status}: follow it with \`plume status ${id} --watch\`; if the process running it stopped, \`plume retry ${id} --failed --wait\` continues it`,
          );
        const { restarted } = await attachCampaign(s.client, row);
        if (!opts.json)
          process.stderr.write(`[plume] ${id} is still ${row.status}: ${restarted ? 'restarting it (completed runs are kept)' : 'following it'}\n`);
        const progress = showProgress(s.database, id, { quiet: Boolean(opts.json) });
        const outcome = await waitForCampaign(s.client, s.database, id);
        await progress.stop();
        if (outcome.status !== 'failed') return printSummary(s, id, opts);
      }
      const { unfinished } = await retryFailedRuns(s.client, s.database, id);
      if (!opts.wait) {
        process.stdout.write(
          unfinished > 0
            ? `${id}: re-running ${unfinished} unfinished runs (follow with \`plume status ${id} --watch\`)\n`
            : `${id}: every run completed; summarising the campaign again\n`,
        );
        return EXIT_OK;
      }
      const progress = showProgress(s.database, id, { quiet: Boolean(opts.json) });
      await waitForCampaign(s.client, s.database, id);
      await progress.stop();
      return printSummary(s, id, opts);
    },
    {
      // With --wait and nothing serving this state (an embedded `plume run` that failed or was
      // stopped), the retry runs in this process like `plume run`; without --wait it needs workers.
      hostWorkers: async () => {
        const served = await servedElsewhere();
        if (!served && !opts.wait)
          throw new UsageError(
            `no Temporal server serves this state: add --wait to re-run the campaign in this process (\`plume retry ${id} --failed --wait\`), or start \`plume dev\` first`,
          );
        return !served;
      },
      takeover: Boolean(opts.wait),
    },
  );
}
