/**
 * `dataset` campaigns with a PFLOTRAN source: every HDF5 pair in a folder becomes a run whose
 * tensors are stored like simulated pairs, so `train` campaigns use imported data unchanged.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readPflotranPair } from '../../physics/import/pflotran-hdf5.js';
import type { ArtifactRef } from '../../artifacts/store.js';
import { registerArtifacts } from '../../db/artifact-registry.js';
import type { PflotranSourceSpec } from './spec.js';
import type { HandlerContext, RunInput, RunOutcome } from '../../engine/kind-handler.js';
import type { PflotranRunParams } from './results.js';

/** The input member (1x) of every pair in the folder, sorted. */
export async function findPflotranPairs(src: PflotranSourceSpec): Promise<string[]> {
  const suffix = src.pairing === 'scale10x' ? '_1xscale.h5' : '_1xresolution.h5';
  let names: string[];
  try {
    names = await readdir(src.dir);
  } catch (e) {
    throw new Error(`source.dir: cannot read folder ${src.dir} (${(e as Error).message})`);
  }
  const inputs = names.filter((n) => n.endsWith(suffix)).sort();
  if (inputs.length < 2) {
    throw new Error(`source.dir: found ${inputs.length} *${suffix} file(s) in ${src.dir}; a dataset needs at least 2 pairs (check source.pairing)`);
  }
  return inputs.map((n) => path.resolve(src.dir, n));
}

export async function importPflotranRun(src: PflotranSourceSpec, run: RunInput<PflotranRunParams>, ctx: HandlerContext): Promise<RunOutcome> {
  const t0 = performance.now();
  const file = run.params.file;
  const mapping = src.variables;
  const pair = await readPflotranPair(file, mapping ? { variables: Object.values(mapping) } : {});
  const names = mapping ? Object.entries(mapping) : Object.keys(pair.input.variables).map((v) => [v, v] as const);
  const x: Record<string, string> = {};
  const y: Record<string, string> = {};
  const refs: ArtifactRef[] = [];
  for (const [short, name] of names) {
    const a = await ctx.store.putTensor(`dataset.x.${short}`, pair.input.variables[name], pair.input.shape);
    const b = await ctx.store.putTensor(`dataset.y.${short}`, pair.target.variables[name], pair.target.shape);
    x[short] = a.id;
    y[short] = b.id;
    refs.push(a, b);
  }
  await registerArtifacts(ctx.database, refs);
  return {
    runIndex: run.runIndex,
    status: 'completed',
    durationMs: performance.now() - t0,
    output: {
      x,
      y,
      shapeX: pair.input.shape,
      shapeY: pair.target.shape,
      times: pair.input.times,
      timeUnit: pair.input.timeUnit,
      files: [pair.input.file, pair.target.file],
    },
  };
}
