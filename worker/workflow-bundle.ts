/**
 * The workflow bundle (webpack, by the Temporal SDK), built once and cached in the state dir,
 * keyed by a hash of the workflow sources, so `plume run` and tests don't pay a rebuild per start.
 * Compiled builds (infra/build-app.sh, the images) ship it prebuilt in `<app>/cache/`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot, stateDir } from '../infra/paths.js';

/** Source extension: `.ts` from the checkout, `.js` when running compiled. */
const EXT = import.meta.url.endsWith('.js') ? '.js' : '.ts';

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (e.name.endsWith(EXT)) out.push(p);
  }
  return out.sort();
}

/** Workflows import only types from activities/, so hashing workflows/ + activity type files is enough. */
async function sourceHash(): Promise<string> {
  const root = projectRoot();
  const files = [
    ...(await sourceFiles(path.join(root, 'workflows'))),
    path.join(root, 'activities', `campaign-plan${EXT}`),
    path.join(root, 'activities', `pipeline-activities${EXT}`),
    path.join(root, 'package-lock.json'),
  ];
  const h = createHash('sha256');
  for (const f of files) {
    if (!existsSync(f)) continue;
    h.update(f);
    h.update(await readFile(f));
  }
  return h.digest('hex').slice(0, 16);
}

export async function workflowBundle(): Promise<{ code: string }> {
  const hash = await sourceHash();
  const name = `workflow-bundle-${hash}.js`;
  const prebuilt = path.join(projectRoot(), 'cache', name);
  if (existsSync(prebuilt)) return { code: await readFile(prebuilt, 'utf8') };
  const dir = path.join(stateDir(), 'cache');
  const file = path.join(dir, name);
  if (existsSync(file)) return { code: await readFile(file, 'utf8') };
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(projectRoot(), 'workflows', `index${EXT}`),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} },
  });
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, file);
  return { code };
}
