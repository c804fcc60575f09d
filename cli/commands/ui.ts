/**
 * `plume ui ID`: the campaign's workflow in the Temporal UI. Prints the link and opens it in a
 * browser when stderr is a terminal and `xdg-open`/`open` exists. The UI port is this state dir's
 * stable port (infra/temporal-ui-port.ts), so the link is the same whenever the stack runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../db/client.js';
import { getCampaign } from '../../db/campaign-store.js';
import { stateDir } from '../../infra/paths.js';
import { portListening } from '../../infra/free-port.js';
import { temporalNamespace } from '../../infra/queues.js';
import { DEFAULT_TEMPORAL_UI_PORT, rememberedUiPort, temporalWorkflowUrl } from '../../infra/temporal-ui-port.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';

/** The UI base URL: PLUME_TEMPORAL_UI_URL, else the running stack's (state dir), else the remembered port. */
export async function temporalUiBase(): Promise<{ url: string; running: boolean }> {
  if (process.env.PLUME_TEMPORAL_UI_URL) return { url: process.env.PLUME_TEMPORAL_UI_URL, running: true };
  const info = path.join(stateDir(), 'temporal.json');
  if (existsSync(info)) {
    const ui = (JSON.parse(await readFile(info, 'utf8').catch(() => '{}')) as { uiUrl?: string | null }).uiUrl;
    if (ui) return { url: ui, running: await portListening(Number(new URL(ui).port)) };
  }
  const port = (await rememberedUiPort()) ?? DEFAULT_TEMPORAL_UI_PORT;
  return { url: `http://127.0.0.1:${port}`, running: await portListening(port) };
}

export async function uiCommand(id: string, opts: { open?: boolean }): Promise<number> {
  const database = await openDatabase();
  let workflowId: string | null;
  try {
    const row = await getCampaign(database, id);
    if (!row) throw new UsageError(`no campaign with id '${id}' (list them with \`plume list\`)`);
    workflowId = row.workflowId;
  } finally {
    await database.close();
  }
  const base = await temporalUiBase();
  const url = temporalWorkflowUrl(base.url, temporalNamespace(), workflowId);
  if (!url) throw new UsageError(`campaign '${id}' has no Temporal workflow recorded`);
  process.stdout.write(`${url}\n`);
  if (!base.running) {
    process.stderr.write('plume: the Temporal UI is not running now: start `plume dev` (same port, the link above then works)\n');
    return EXIT_OK;
  }
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  if (opts.open !== false && process.stderr.isTTY) {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  }
  return EXIT_OK;
}
