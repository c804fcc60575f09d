/** `plume run SPEC` and `plume launch SPEC`. */
import path from 'node:path';
import { ArtifactStore, StoreWriteError } from '../../artifacts/store.js';
import { openDatabase, type Database } from '../../db/client.js';
import { preflightCampaign } from '../../engine/preflight.js';
import { maxRuns } from '../../engine/run-budget.js';
import { checkPipelineBudget } from '../../kinds/pipeline-budget.js';
import { boundHandler } from '../../kinds/index.js';
import { loadCampaignSpec, type CampaignSpec } from '../../kinds/campaign-spec.js';
import { attachCampaign, cancelCampaign, findUnfinishedTwin, launchCampaign, waitForCampaign, type Launched } from '../../engine/launcher.js';
import { getCampaign, isFinishedStatus } from '../../db/campaign-store.js';
import { campaignSummary, humanSummary } from '../campaign-summary.js';
import { temporalNamespace } from '../../infra/queues.js';
import { temporalWorkflowUrl } from '../../infra/temporal-ui-port.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { stateExists } from '../existing-state.js';
import { showProgress } from '../progress-display.js';
import { openCliStack } from '../stack-mode.js';
import { withHostTakeover } from '../host-takeover.js';
import type { Stack } from '../../worker/stack.js';

export interface RunOptions {
  json?: boolean;
  workers?: boolean;
  progress?: boolean;
  /** Start a new campaign even if this spec's campaign is unfinished here. */
  new?: boolean;
  /** Total-runs cap (`--max-runs`). */
  maxRuns?: number;
  /** Folder of the spec file (relative paths, allowed roots). */
  specDir?: string;
  /** Extra allowed data roots (the folder given to `plume import`). */
  extraRoots?: string[];
}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const spec = await loadCampaignSpec(file); // invalid spec: throws SpecError before anything starts
  return runSpec(spec, { ...opts, specDir: path.dirname(path.resolve(file)) });
}

/**
 * Every check that needs no running stack, before Temporal starts or anything is written: the
 * total-runs cap, the kind's checks (referenced state, files, allowed roots), and a writable
 * artifact store. Returns the open database of existing state (or null when there is none).
 */
export async function checkBeforeStart(spec: CampaignSpec, opts: RunOptions): Promise<Database | null> {
  const database = stateExists() ? await openDatabase() : null;
  try {
    if (spec.kind !== 'pipeline') {
      await preflightCampaign(await boundHandler(spec), { specDir: opts.specDir ?? null, database, maxRuns: opts.maxRuns, extraRoots: opts.extraRoots });
    } else {
      await checkPipelineBudget(spec, maxRuns(opts.maxRuns));
    }
    await new ArtifactStore().checkWritable().catch((e: unknown) => {
      throw e instanceof StoreWriteError ? new UsageError(e.message) : e;
    });
    return database;
  } catch (e) {
    await database?.close();
    throw e;
  }
}

/**
 * Launch a validated spec (or attach to its unfinished campaign), show progress, wait, print the
 * summary. If another Plume process serving this state exits meanwhile, take over (cli/host-takeover.ts).
 */
export async function runSpec(spec: CampaignSpec, opts: RunOptions): Promise<number> {
  const database = await checkBeforeStart(spec, opts);
  let launched: Launched | null = null;
  return withHostTakeover(
    (takeover) => openCliStack({ workers: opts.workers, database: takeover === 0 ? (database ?? undefined) : undefined }),
    async (stack) => {
      if (launched) {
        // A takeover: the campaign's workflow lives on in the dev server's database; follow it again.
        const row = await getCampaign(stack.database, launched.id);
        if (row && !isFinishedStatus(row.status)) await attachCampaign(stack.client, row);
      } else {
        launched = await launchOrAttach(stack, spec, opts);
      }
      return followCampaign(stack, launched, opts);
    },
    () => launched?.id ?? spec.name,
  );
}

async function launchOrAttach(stack: Stack, spec: CampaignSpec, opts: RunOptions): Promise<Launched> {
  const twin = opts.new ? null : await findUnfinishedTwin(stack.database, spec);
  const launched = twin ? await attachCampaign(stack.client, twin) : await launchCampaign(stack.client, stack.database, spec);
  if (twin) {
    // Said even with --json (on stderr): the summary on stdout is then the attached campaign's.
    process.stderr.write(
      `[plume] attached to unfinished campaign ${launched.id}${'restarted' in launched && launched.restarted ? ' (interrupted: resumed)' : ''}; \`plume run --new\` starts a separate one\n`,
    );
  }
  if (!opts.json) {
    if (!twin) process.stderr.write(`[plume] campaign ${launched.id} started (${spec.kind}, "${spec.name}")\n`);
    if (stack.temporalUiUrl) {
      process.stderr.write(
        `[plume] Temporal UI: ${temporalWorkflowUrl(stack.temporalUiUrl, temporalNamespace(), launched.workflowId)} (later: \`plume ui ${launched.id}\`)\n`,
      );
    }
  }
  return launched;
}

/** Show progress, wait for the campaign (Ctrl-C cancels it, SIGTERM/SIGHUP leave it resumable), print the summary. */
async function followCampaign(stack: Stack, launched: Launched, opts: RunOptions): Promise<number> {
  const progress = showProgress(stack.database, launched.id, { quiet: Boolean(opts.json) || opts.progress === false, client: stack.client });
  let interrupted = 0;
  const onSigint = (): void => {
    interrupted++;
    if (interrupted === 1) {
      process.stderr.write('\n[plume] cancelling the campaign (Ctrl-C again to leave it running and exit)\n');
      void cancelCampaign(stack.client, stack.database, launched.id).catch(() => undefined);
    } else {
      process.exit(EXIT_FAILED);
    }
  };
  // SIGTERM/SIGHUP (a scheduler, a closed terminal): leave the campaign resumable, stop the dev
  // server this process owns, exit. The same command later attaches and finishes it.
  const onTerminate = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n[plume] ${signal}: campaign ${launched.id} left unfinished; run the same command again to resume it\n`);
    // Exiting runs the 'exit' hook that stops an owned dev server (infra/dev-server-ownership.ts);
    // closing the stack here would race the pending Temporal calls.
    process.exit(signal === 'SIGHUP' ? 129 : 143);
  };
  process.on('SIGINT', onSigint);
  process.once('SIGTERM', onTerminate);
  process.once('SIGHUP', onTerminate);
  try {
    await waitForCampaign(stack.client, stack.database, launched.id);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onTerminate);
    await progress.stop();
  }
  const summary = await campaignSummary(stack.database, launched.id);
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${await humanSummary(stack.database, summary)}\n`);
  return summary.status === 'completed' ? EXIT_OK : EXIT_FAILED;
}

export async function launchCommand(file: string, opts: { json?: boolean; maxRuns?: number }): Promise<number> {
  const spec = await loadCampaignSpec(file);
  const database = await checkBeforeStart(spec, { ...opts, specDir: path.dirname(path.resolve(file)) });
  const stack = await openCliStack({ workers: false, database: database ?? undefined });
  try {
    const launched = await launchCampaign(stack.client, stack.database, spec);
    process.stdout.write(opts.json ? `${JSON.stringify(launched)}\n` : `${launched.id}\n`);
    if (!stack.devServer) return EXIT_OK;
    process.stderr.write(
      '[plume] warning: no Temporal server was running, so one was started for this command and is now stopped; ' +
        'run `plume dev` (embedded) or set TEMPORAL_ADDRESS so the campaign keeps running\n',
    );
    return EXIT_OK;
  } finally {
    await stack.close();
  }
}
