/** `plume run SPEC` and `plume launch SPEC`. */
import { loadCampaignSpec, type CampaignSpec } from '../../kinds/campaign-spec.js';
import { cancelCampaign, launchCampaign, waitForCampaign } from '../../engine/launcher.js';
import { campaignSummary, humanSummary } from '../campaign-summary.js';
import { temporalNamespace } from '../../infra/queues.js';
import { temporalWorkflowUrl } from '../../infra/temporal-ui-port.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { showProgress } from '../progress-display.js';
import { openCliStack } from '../stack-mode.js';

export async function runCommand(file: string, opts: { json?: boolean; workers?: boolean; progress?: boolean }): Promise<number> {
  const spec = await loadCampaignSpec(file); // invalid spec: throws SpecError before anything starts
  return runSpec(spec, opts);
}

/** Launch a validated spec, show progress, wait, print the summary; exit code by outcome. */
export async function runSpec(spec: CampaignSpec, opts: { json?: boolean; workers?: boolean; progress?: boolean }): Promise<number> {
  const stack = await openCliStack({ workers: opts.workers });
  try {
    const launched = await launchCampaign(stack.client, stack.database, spec);
    if (!opts.json) {
      process.stderr.write(`[plume] campaign ${launched.id} started (${spec.kind}, "${spec.name}")\n`);
      if (stack.temporalUiUrl) {
        process.stderr.write(`[plume] Temporal UI: ${temporalWorkflowUrl(stack.temporalUiUrl, temporalNamespace(), launched.workflowId)} (later: \`plume ui ${launched.id}\`)\n`);
      }
    }
    const progress = showProgress(stack.database, launched.id, { quiet: Boolean(opts.json) || opts.progress === false });
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
    process.on('SIGINT', onSigint);
    try {
      await waitForCampaign(stack.client, stack.database, launched.id);
    } finally {
      process.off('SIGINT', onSigint);
      await progress.stop();
    }
    const summary = await campaignSummary(stack.database, launched.id);
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`${await humanSummary(stack.database, summary)}\n`);
    return summary.status === 'completed' ? EXIT_OK : EXIT_FAILED;
  } finally {
    await stack.close();
  }
}

export async function launchCommand(file: string, opts: { json?: boolean }): Promise<number> {
  const spec = await loadCampaignSpec(file);
  const stack = await openCliStack({ workers: false });
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
