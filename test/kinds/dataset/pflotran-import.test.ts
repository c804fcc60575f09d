/**
 * `plume import pflotran DIR`: HDF5 pairs written here with h5wasm become a dataset through the
 * real CLI, Temporal and PGlite; the stacked tensors read back equal what was written.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { loadPairedDataset } from '../../../kinds/dataset/store.js';
import { openDatabase } from '../../../db/client.js';
import { runPlumeCli } from '../../support/plume-cli.js';
import { useTestEnv, type TestEnv } from '../../support/test-stack.js';

const B = 'biomass [mol_m^3]';
const CR = 'Total_Cr(VI) [M]';
const value = (pair: number, member: number, t: number, iy: number, ix: number): number => pair * 1000 + member * 100 + t * 10 + iy + ix / 100;

function writeMember(file: string, pair: number, member: number, nx: number, ny: number, times: number[]): void {
  const f = new h5wasm.File(file, 'w');
  f.create_group('Coordinates');
  f.create_group('Provenance');
  times.forEach((t, k) => {
    const g = f.create_group(`Time:  ${t.toExponential(5).toUpperCase()} h`);
    for (const [vi, v] of [B, CR].entries()) {
      const data = new Float64Array(nx * ny);
      // PFLOTRAN order: x index outer, y inner, z = 1.
      for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < ny; iy++) data[ix * ny + iy] = value(pair, member, k, iy, ix) + vi * 0.5;
      g.create_dataset({ name: v, data, shape: [nx, ny, 1] });
    }
  });
  f.close();
}

const plume = (env: TestEnv, args: string[]) => runPlumeCli(env, args);

describe('plume import pflotran', () => {
  let env: TestEnv;
  let dir: string;
  const times = [48, 24, 96]; // written out of order: the importer sorts by time

  beforeAll(async () => {
    env = await useTestEnv();
    await h5wasm.ready;
    dir = path.join(env.stateDir, 'pflotran');
    mkdirSync(dir);
    for (let p = 0; p < 5; p++) {
      writeMember(path.join(dir, `run${p}_1xscale.h5`), p, 0, 4, 3, times);
      writeMember(path.join(dir, `run${p}_10xscale.h5`), p, 1, 40, 3, times);
    }
  });

  it('imports every pair into a dataset that train campaigns can read', async () => {
    const res = await plume(env, ['import', 'pflotran', dir, '--pairing', 'scale10x', '--variable', `B=${B}`, '--variable', `Cr=${CR}`, '--json']);
    expect(res.err).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out) as {
      status: string;
      runs: { completed: number };
      results: { datasetId: string; shapeX: number[]; shapeY: number[]; variables: string[] };
    };
    expect(summary.status).toBe('completed');
    expect(summary.runs.completed).toBe(5);
    expect(summary.results.shapeX).toEqual([3, 3, 4]);
    expect(summary.results.shapeY).toEqual([3, 3, 40]);
    expect(summary.results.variables.sort()).toEqual(['B', 'Cr']);

    const db = await openDatabase();
    try {
      const data = await loadPairedDataset(db, new ArtifactStore(), summary.results.datasetId, { split: ['train', 'val', 'test'], variable: 'B' });
      expect(data.shapeX).toEqual([5, 3, 3, 4]);
      // Sample k is pair runIndices[k] (files sorted: run0..run4); times sorted 24, 48, 96 = written k 1, 0, 2.
      const k = 0;
      const pair = data.runIndices[k];
      const at = (t: number, iy: number, ix: number) => data.x[((k * 3 + t) * 3 + iy) * 4 + ix];
      expect(at(0, 2, 3)).toBeCloseTo(value(pair, 0, 1, 2, 3), 4);
      expect(at(1, 0, 1)).toBeCloseTo(value(pair, 0, 0, 0, 1), 4);
      const y0 = data.y[((k * 3 + 2) * 3 + 1) * 40 + 39];
      expect(y0).toBeCloseTo(value(pair, 1, 2, 1, 39), 3);
    } finally {
      await db.close();
    }
  });

  it('exits 2 with a clear message when the folder has no pairs', async () => {
    const empty = path.join(env.stateDir, 'empty');
    mkdirSync(empty);
    const res = await plume(env, ['import', 'pflotran', empty]);
    expect(res.code).toBe(2);
    expect(res.err).toContain('_1xscale.h5');
  });
});
