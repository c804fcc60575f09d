/**
 * Locating the `temporal` CLI (which contains the dev server). Order: `PLUME_TEMPORAL_BIN`,
 * `temporal` on PATH, `${PLUME_HOME:-~/.plume}/bin/temporal`, `<repo>/.tools/bin/temporal`.
 * `npm run setup` builds it into `${PLUME_HOME}/bin` from the Go module proxy when none is found.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { projectRoot, toolHome } from './paths.js';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function temporalCandidates(): string[] {
  const list: string[] = [];
  if (process.env.PLUME_TEMPORAL_BIN) list.push(process.env.PLUME_TEMPORAL_BIN);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) list.push(path.join(dir, 'temporal'));
  list.push(path.join(toolHome(), 'bin', 'temporal'));
  list.push(path.join(projectRoot(), '.tools', 'bin', 'temporal'));
  return list;
}

function findTemporalBinary(): string | null {
  return temporalCandidates().find(executable) ?? null;
}

export function requireTemporalBinary(): string {
  const bin = findTemporalBinary();
  if (!bin) {
    throw new Error(
      'the temporal CLI was not found (looked in PLUME_TEMPORAL_BIN, PATH, ~/.plume/bin, .tools/bin). ' +
        'Run `npm run setup`, which builds it with Go, or install the Temporal CLI and put it on PATH.',
    );
  }
  return bin;
}
