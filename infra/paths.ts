/**
 * Where Plume keeps things.
 * - State of a project (embedded database, Temporal's SQLite file, artifacts, logs):
 *   `PLUME_STATE_DIR`, default `<cwd>/.plume`.
 * - Tools shared by every checkout on the machine (the temporal binary, benchmark venvs):
 *   `PLUME_HOME`, default `~/.plume`.
 */
import os from 'node:os';
import path from 'node:path';

export function stateDir(): string {
  return path.resolve(process.env.PLUME_STATE_DIR ?? path.join(process.cwd(), '.plume'));
}

export function toolHome(): string {
  return path.resolve(process.env.PLUME_HOME ?? path.join(os.homedir(), '.plume'));
}

export function projectRoot(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
}
