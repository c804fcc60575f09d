/** `plume import pflotran DIR`: PFLOTRAN HDF5 pairs -> a dataset (a `dataset` campaign with a pflotran source). */
import path from 'node:path';
import { parseCampaignSpec } from '../../kinds/campaign-spec.js';
import { findPflotranPairs } from '../../kinds/dataset/pflotran-import.js';
import { UsageError } from '../exit-codes.js';
import { runSpec } from './run.js';

export async function importCommand(
  format: string,
  dir: string,
  opts: { pairing: string; name?: string; seed?: number; variable?: string[]; json?: boolean },
): Promise<number> {
  if (format !== 'pflotran') throw new UsageError(`unknown import format '${format}': only 'pflotran' is supported`);
  const variables = opts.variable?.length
    ? Object.fromEntries(
        opts.variable.map((v) => {
          const i = v.indexOf('=');
          if (i <= 0) throw new UsageError(`--variable takes SHORT=NAME (e.g. B='biomass [mol_m^3]'), got '${v}'`);
          return [v.slice(0, i), v.slice(i + 1)];
        }),
      )
    : undefined;
  const spec = parseCampaignSpec(
    {
      kind: 'dataset',
      name: opts.name ?? `pflotran-${path.basename(path.resolve(dir))}`,
      seed: opts.seed ?? 0,
      source: { type: 'pflotran', dir: path.resolve(dir), pairing: opts.pairing, ...(variables ? { variables } : {}) },
    },
    'plume import',
  );
  if (spec.kind === 'dataset' && spec.source.type === 'pflotran') {
    // Fail fast, before any stack starts, when the folder holds no pairs.
    await findPflotranPairs(spec.source).catch((e: Error) => {
      throw new UsageError(e.message);
    });
  }
  return runSpec(spec, { json: opts.json, extraRoots: [path.resolve(dir)] });
}
