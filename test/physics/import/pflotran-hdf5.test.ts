import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairPaths, parseTimeGroup, readPflotranHdf5, readPflotranPair } from '../../../physics/import/pflotran-hdf5.js';

const B = 'biomass [mol_m^3]';
const CR = 'Total_Cr(VI) [M]';
let dir = '';

/** value written at (variable index v, time t, x index ix, y index iy) */
const val = (v: number, t: number, ix: number, iy: number) => 1000 * v + 100 * t + 10 * iy + ix + 0.25;

interface Spec {
  nx: number;
  ny: number;
  times: number[];
  vars?: string[];
  skip?: { time: number; variable: string };
  badShapeAt?: number;
}

function write(file: string, s: Spec): string {
  const path = join(dir, file);
  const f = new h5wasm.File(path, 'w');
  f.create_group('Coordinates').create_dataset({ name: 'X [m]', data: new Float64Array(s.nx + 1) });
  f.create_group('Provenance');
  const vars = s.vars ?? [B, CR];
  // deliberately unsorted, mixed widths of the number text
  for (const [k, t] of s.times.entries()) {
    const g = f.create_group(
      `Time:  ${t
        .toExponential(5)
        .toUpperCase()
        .replace('E+', 'E+0')
        .replace(/E\+0(\d\d)/, 'E+$1')} h`,
    );
    vars.forEach((v, vi) => {
      if (s.skip && s.skip.time === t && s.skip.variable === v) return;
      const nx = s.badShapeAt === k ? s.nx + 1 : s.nx;
      const data = new Float64Array(nx * s.ny);
      for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < s.ny; iy++) data[ix * s.ny + iy] = val(vi, k, ix, iy);
      g.create_dataset({ name: v, data, shape: [nx, s.ny, 1] });
    });
  }
  f.close();
  return path;
}

beforeAll(async () => {
  await h5wasm.ready;
  dir = mkdtempSync(join(tmpdir(), 'plume-pflotran-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('PFLOTRAN HDF5 import', () => {
  it('parses time group names', () => {
    expect(parseTimeGroup('Time:  4.80000E+01 h')).toEqual({ time: 48, unit: 'h' });
    expect(parseTimeGroup('Time: 0.00000E+00 d')).toEqual({ time: 0, unit: 'd' });
    expect(parseTimeGroup('Coordinates')).toBeNull();
  });

  it('round trip: sorted times, z = 0, transposed to [t, h, w], float32', async () => {
    const times = [96, 48, 1104];
    write('case_1xscale.h5', { nx: 4, ny: 3, times });
    write('case_10xscale.h5', { nx: 40, ny: 3, times });
    const pair = await readPflotranPair(join(dir, 'case_10xscale.h5'));
    expect(pair.pairing).toBe('scale10x');
    const m = pair.input;
    expect(m.times).toEqual([48, 96, 1104]);
    expect(m.timeUnit).toBe('h');
    expect(m.shape).toEqual([3, 3, 4]);
    expect(Object.keys(m.variables).sort()).toEqual([B, CR].sort());
    expect(pair.target.shape).toEqual([3, 3, 40]);
    // time 48 was written second (k = 1)
    const order = [1, 0, 2];
    for (let t = 0; t < 3; t++) {
      for (let iy = 0; iy < 3; iy++) {
        for (let ix = 0; ix < 4; ix++) {
          expect(m.variables[B][t * 12 + iy * 4 + ix]).toBe(val(0, order[t], ix, iy));
          expect(m.variables[CR][t * 12 + iy * 4 + ix]).toBe(val(1, order[t], ix, iy));
        }
      }
    }
    expect(m.variables[B]).toBeInstanceOf(Float32Array);
    const only = await readPflotranHdf5(join(dir, 'case_1xscale.h5'), { variables: [CR] });
    expect(Object.keys(only.variables)).toEqual([CR]);
  });

  it('reads resolution pairs and checks 2x in h and w', async () => {
    write('r_1xresolution.h5', { nx: 4, ny: 2, times: [24, 48] });
    write('r_2xresolution.h5', { nx: 8, ny: 4, times: [24, 48] });
    const p = await readPflotranPair(join(dir, 'r_1xresolution.h5'));
    expect(p.pairing).toBe('resolution2x');
    expect(p.target.shape).toEqual([2, 4, 8]);
    write('bad_1xresolution.h5', { nx: 4, ny: 2, times: [24, 48] });
    write('bad_2xresolution.h5', { nx: 8, ny: 2, times: [24, 48] });
    await expect(readPflotranPair(join(dir, 'bad_1xresolution.h5'))).rejects.toThrow(
      /bad_2xresolution\.h5: shape \[2, 2, 8\] does not match resolution2x .* expected \[2, 4, 8\]/,
    );
  });

  it('names the file and variable when a variable is missing', async () => {
    const p = write('miss_1xscale.h5', { nx: 3, ny: 2, times: [1, 2], skip: { time: 2, variable: CR } });
    await expect(readPflotranHdf5(p)).rejects.toThrow(
      /miss_1xscale\.h5: variable 'Total_Cr\(VI\) \[M\]' missing in group 'Time: .*2.*h'; available: biomass \[mol_m\^3\]/,
    );
    await expect(readPflotranHdf5(join(dir, 'case_1xscale.h5'), { variables: ['nope'] })).rejects.toThrow(/case_1xscale\.h5: variable 'nope' missing/);
  });

  it('rejects mismatched shapes between times', async () => {
    const p = write('shape_1xscale.h5', { nx: 3, ny: 2, times: [1, 2], badShapeAt: 1 });
    await expect(readPflotranHdf5(p)).rejects.toThrow(/shape_1xscale\.h5: variable '[^']+' in 'Time: .*2.00000E\+00 h' has shape \[4, 2, 1\] but .* 3 x 2/);
  });

  it('rejects pairs whose times or variables differ', async () => {
    write('t_1xscale.h5', { nx: 2, ny: 2, times: [1, 2] });
    write('t_10xscale.h5', { nx: 20, ny: 2, times: [1, 3] });
    await expect(readPflotranPair(join(dir, 't_1xscale.h5'))).rejects.toThrow(/t_10xscale\.h5: output times differ from .*t_1xscale\.h5/);
    write('v_1xscale.h5', { nx: 2, ny: 2, times: [1] });
    write('v_10xscale.h5', { nx: 20, ny: 2, times: [1], vars: [B] });
    await expect(readPflotranPair(join(dir, 'v_1xscale.h5'))).rejects.toThrow(/v_10xscale\.h5: variable 'Total_Cr\(VI\) \[M\]' missing/);
  });

  it('rejects missing files, files without time groups, bad names and bad options', async () => {
    await expect(readPflotranHdf5(join(dir, 'absent_1xscale.h5'))).rejects.toThrow(/PFLOTRAN file not found: .*absent_1xscale\.h5/);
    await expect(readPflotranPair(join(dir, 'lonely_1xscale.h5'))).rejects.toThrow(/not found: .*lonely_1xscale\.h5/);
    const p = join(dir, 'empty_1xscale.h5');
    const f = new h5wasm.File(p, 'w');
    f.create_group('Provenance');
    f.close();
    await expect(readPflotranHdf5(p)).rejects.toThrow(/empty_1xscale\.h5: no top-level output-time groups .*found: Provenance/);
    expect(() => pairPaths('data/run.h5')).toThrow(/_1xscale\.h5\/_10xscale\.h5/);
    await expect(readPflotranHdf5(p, { variables: [] })).rejects.toThrow(/variables, when given, must list at least one name/);
  });
});
