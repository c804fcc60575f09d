/**
 * The Temporal UI's port, stable per state dir: 8233 (Temporal's own default) when free, else a
 * free port, remembered in `<state>/temporal-ui.json` and reused on every later start while it is
 * free. Links to workflows that `plume run` prints and campaigns store keep working whenever a
 * stack on this state dir runs (`plume dev`, `plume run`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, portListening } from './free-port.js';
import { stateDir } from './paths.js';

export const DEFAULT_TEMPORAL_UI_PORT = 8233;

function temporalUiPortFile(dir = stateDir()): string {
  return path.join(dir, 'temporal-ui.json');
}

/** The remembered UI port of this state dir, if any. */
export async function rememberedUiPort(dir = stateDir()): Promise<number | null> {
  const file = temporalUiPortFile(dir);
  if (!existsSync(file)) return null;
  try {
    const port = Number((JSON.parse(await readFile(file, 'utf8')) as { port?: unknown }).port);
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  } catch {
    return null;
  }
}

/** The port to start the UI on: the remembered one, else 8233, else any free port (then remembered). */
export async function stableUiPort(dir = stateDir()): Promise<number> {
  const remembered = await rememberedUiPort(dir);
  if (remembered !== null && !(await portListening(remembered))) return remembered;
  const port = remembered === null && !(await portListening(DEFAULT_TEMPORAL_UI_PORT)) ? DEFAULT_TEMPORAL_UI_PORT : await freePort();
  await rememberUiPort(port, dir);
  return port;
}

async function rememberUiPort(port: number, dir = stateDir()): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(temporalUiPortFile(dir), JSON.stringify({ port }));
}

/** The Temporal UI page of one workflow. */
export function temporalWorkflowUrl(uiUrl: string | null, namespace: string, workflowId: string | null): string | null {
  if (!uiUrl || !workflowId) return null;
  return `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
