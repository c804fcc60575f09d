/** `plume status|list|cancel|pause|resume|retry`: steering campaigns that exist. */
import { campaignListText, listCampaigns } from '../campaign-list.js';
import { openDatabase } from '../../db/client.js';
import type { Stack } from '../../worker/stack.js';
import { campaignSummary, humanSummary } from '../campaign-summary.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { showProgress } from '../progress-display.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export async function statusCommand(id: string | undefined, opts: { json?: boolean; watch?: boolean }): Promise<number> {
  if (!id) return listCommand({ json: opts.json, limit: 20 });
  const database = await openDatabase();
  try {
    if (opts.watch) {
      const p = showProgress(database, id, { quiet: Boolean(opts.json) });
      for (;;) {
        const s = await campaignSummary(database, id);
        if (TERMINAL.has(s.status)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await p.stop();
    }
    const s = await campaignSummary(database, id);
    process.stdout.write(opts.json ? `${JSON.stringify(s)}\n` : `${await humanSummary(database, s)}\n`);
    return EXIT_OK;
  } finally {
    await database.close();
  }
}

export async function listCommand(opts: { json?: boolean; limit?: number }): Promise<number> {
  const database = await openDatabase();
  try {
    const rows = await listCampaigns(database, opts.limit ?? 50);
    process.stdout.write(opts.json ? `${JSON.stringify(rows)}\n` : campaignListText(rows));
    return EXIT_OK;
  } finally {
    await database.close();
  }
}

/** Temporal client + database (loaded on demand: `plume list`/`status` need neither Temporal nor the kinds). */
async function withControlStack<T>(fn: (s: Stack, launcher: typeof import('../../engine/launcher.js')) => Promise<T>): Promise<T> {
  const [{ openStack }, launcher] = await Promise.all([import('../../worker/stack.js'), import('../../engine/launcher.js')]);
  const stack = await openStack({ startTemporal: false }).catch((e: Error) => {
    throw new UsageError(`${e.message}`);
  });
  try {
    return await fn(stack, launcher);
  } finally {
    await stack.close();
  }
}

export async function cancelCommand(id: string): Promise<number> {
  return withControlStack(async (s, { cancelCampaign, waitForCampaign }) => {
    await cancelCampaign(s.client, s.database, id);
    const out = await waitForCampaign(s.client, s.database, id);
    process.stdout.write(`${id}: ${out.status}\n`);
    return EXIT_OK;
  });
}

export async function pauseCommand(id: string, pause: boolean): Promise<number> {
  return withControlStack(async (s, { pauseCampaign, campaignProgress }) => {
    await pauseCampaign(s.client, s.database, id, pause);
    const p = await campaignProgress(s.client, s.database, id);
    process.stdout.write(`${id}: ${pause ? 'paused' : 'resumed'}${p ? ` (${p.completed}/${p.totalRuns} runs done)` : ''}\n`);
    return EXIT_OK;
  });
}

export async function retryCommand(id: string, opts: { failed?: boolean; wait?: boolean; json?: boolean }): Promise<number> {
  if (!opts.failed) throw new UsageError('plume retry needs --failed (re-run only the failed and cancelled runs)');
  return withControlStack(async (s, { retryFailedRuns, waitForCampaign }) => {
    await retryFailedRuns(s.client, s.database, id);
    if (!opts.wait) {
      process.stdout.write(`${id}: retrying failed runs\n`);
      return EXIT_OK;
    }
    await waitForCampaign(s.client, s.database, id);
    const summary = await campaignSummary(s.database, id);
    process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${await humanSummary(s.database, summary)}\n`);
    return summary.status === 'completed' ? EXIT_OK : EXIT_FAILED;
  });
}
