/**
 * Import of PFLOTRAN (Chrotran build) HDF5 output, as in the authors' data sets, with h5wasm.
 *
 * Layout read: one top-level group per output time named like `Time:  4.80000E+01 h` (times sorted
 * by their number; other top-level groups such as `Coordinates` or `Provenance` are ignored), each
 * holding datasets such as `biomass [mol_m^3]` of shape nx x ny x 1 (or nx x ny) in C order. We take
 * z = 0 and transpose to [h, w] = [ny, nx] with h = y index (bottom row first) and w = x index, the
 * layout of physics/core/grid.ts, so every variable becomes a float32 tensor [t, h, w].
 *
 * Pairs: `<stem>_1xscale.h5` / `<stem>_10xscale.h5` (same h, target 10x wider) and
 * `<stem>_1xresolution.h5` / `<stem>_2xresolution.h5` (target 2x in h and w); both members must
 * have the same output times and variables. Errors name the file, the variable and the fix.
 */
import { existsSync } from 'node:fs';
import h5wasm from 'h5wasm/node';
import { z } from 'zod';

export interface PflotranMember {
  file: string;
  /** variable name (as in the file, e.g. 'biomass [mol_m^3]') -> float32 [t, h, w] */
  variables: Record<string, Float32Array>;
  /** output times in `timeUnit`, ascending */
  times: number[];
  timeUnit: string;
  shape: [number, number, number];
  /** the top-level group names used, in time order */
  timeGroups: string[];
}

export type PflotranPairing = 'scale10x' | 'resolution2x';

export interface PflotranPair {
  pairing: PflotranPairing;
  input: PflotranMember;
  target: PflotranMember;
}

const TIME_GROUP = /^Time:\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S*)\s*$/;

const ReadOptions = z
  .object({
    /** variables to read (default: every dataset of the first time group) */
    variables: z.array(z.string().min(1, 'variable names must be non-empty')).min(1, 'variables, when given, must list at least one name').optional(),
  })
  .strict();
export type ReadOptions = z.input<typeof ReadOptions>;

let ready: Promise<unknown> | null = null;
async function h5(): Promise<typeof h5wasm> {
  ready ??= h5wasm.ready;
  await ready;
  return h5wasm;
}

/** Parses `Time:  4.80000E+01 h` -> { time: 48, unit: 'h' }; null for other names. */
export function parseTimeGroup(name: string): { time: number; unit: string } | null {
  const m = TIME_GROUP.exec(name);
  if (!m) return null;
  const time = Number(m[1]);
  return Number.isFinite(time) ? { time, unit: m[2] } : null;
}

/** Reads one PFLOTRAN HDF5 file into [t, h, w] float32 tensors. */
export async function readPflotranHdf5(file: string, options: ReadOptions = {}): Promise<PflotranMember> {
  const opts = ReadOptions.safeParse(options);
  if (!opts.success)
    throw new Error(`readPflotranHdf5(${file}): bad options: ${opts.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`);
  if (!existsSync(file)) throw new Error(`PFLOTRAN file not found: ${file}`);
  const lib = await h5();
  const f = new lib.File(file, 'r');
  try {
    const groups: { name: string; time: number; unit: string }[] = [];
    for (const name of f.keys()) {
      const t = parseTimeGroup(name);
      if (t && f.get(name) instanceof lib.Group) groups.push({ name, ...t });
    }
    if (groups.length === 0) {
      throw new Error(`${file}: no top-level output-time groups named like 'Time:  4.80000E+01 h' (found: ${f.keys().join(', ') || 'nothing'})`);
    }
    groups.sort((a, b) => a.time - b.time);
    for (let k = 1; k < groups.length; k++) {
      if (groups[k].time === groups[k - 1].time)
        throw new Error(`${file}: two time groups have the same time ${groups[k].time}: '${groups[k - 1].name}' and '${groups[k].name}'`);
    }
    const units = new Set(groups.map((g) => g.unit));
    if (units.size > 1) throw new Error(`${file}: time groups use different units (${[...units].join(', ')}); expected one unit`);
    const first = f.get(groups[0].name) as InstanceType<typeof lib.Group>;
    const names = opts.data.variables ?? first.keys().filter((k) => first.get(k) instanceof lib.Dataset);
    if (names.length === 0) throw new Error(`${file}: time group '${groups[0].name}' holds no datasets`);

    let nx = -1;
    let ny = -1;
    const variables: Record<string, Float32Array> = {};
    for (const v of names) {
      let out: Float32Array | null = null;
      for (let t = 0; t < groups.length; t++) {
        const g = groups[t];
        const ds = f.get(`${g.name}/${v}`);
        if (!(ds instanceof lib.Dataset)) {
          const avail = (f.get(g.name) as InstanceType<typeof lib.Group>).keys();
          throw new Error(`${file}: variable '${v}' missing in group '${g.name}'; available: ${avail.join(', ') || 'none'}`);
        }
        const shape = ds.shape ?? [];
        if (shape.length !== 3 && shape.length !== 2) {
          throw new Error(`${file}: variable '${v}' in '${g.name}' has shape [${shape.join(', ')}]; expected nx x ny x 1 (or nx x ny)`);
        }
        const [sx, sy] = shape;
        const sz = shape.length === 3 ? shape[2] : 1;
        if (nx < 0) {
          nx = sx;
          ny = sy;
        } else if (sx !== nx || sy !== ny) {
          throw new Error(
            `${file}: variable '${v}' in '${g.name}' has shape [${shape.join(', ')}] but the file's first variable/time has nx x ny = ${nx} x ${ny}`,
          );
        }
        const raw = ds.value;
        if (!raw || typeof raw !== 'object' || !('length' in raw) || typeof (raw as ArrayLike<unknown>)[0] !== 'number') {
          throw new Error(`${file}: variable '${v}' in '${g.name}' is not numeric (dtype ${JSON.stringify(ds.dtype)})`);
        }
        const val = raw as ArrayLike<number>;
        if (val.length !== sx * sy * sz) throw new Error(`${file}: variable '${v}' in '${g.name}' has ${val.length} values for shape [${shape.join(', ')}]`);
        out ??= new Float32Array(groups.length * nx * ny);
        const o = t * nx * ny;
        // C order [ix][iy][iz]; z = 0; -> [iy][ix]
        for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < ny; iy++) out[o + iy * nx + ix] = val[(ix * ny + iy) * sz];
      }
      variables[v] = out!;
    }
    return {
      file,
      variables,
      times: groups.map((g) => g.time),
      timeUnit: groups[0].unit,
      shape: [groups.length, ny, nx],
      timeGroups: groups.map((g) => g.name),
    };
  } finally {
    f.close();
  }
}

const PAIR_SUFFIXES: Record<PflotranPairing, [string, string]> = {
  scale10x: ['_1xscale.h5', '_10xscale.h5'],
  resolution2x: ['_1xresolution.h5', '_2xresolution.h5'],
};

/** The pairing and both file names for either member's path. */
export function pairPaths(file: string): { pairing: PflotranPairing; input: string; target: string } {
  for (const [pairing, [a, b]] of Object.entries(PAIR_SUFFIXES) as [PflotranPairing, [string, string]][]) {
    if (file.endsWith(a)) return { pairing, input: file, target: file.slice(0, -a.length) + b };
    if (file.endsWith(b)) return { pairing, input: file.slice(0, -b.length) + a, target: file };
  }
  throw new Error(`${file}: not a PFLOTRAN pair member; names must end in _1xscale.h5/_10xscale.h5 or _1xresolution.h5/_2xresolution.h5`);
}

/**
 * Reads a pair given either member's path: checks that both have the same times and variables and
 * that the target's shape is [t, h, 10w] (scale10x) or [t, 2h, 2w] (resolution2x).
 */
export async function readPflotranPair(file: string, options: ReadOptions = {}): Promise<PflotranPair> {
  const { pairing, input: inPath, target: outPath } = pairPaths(file);
  const input = await readPflotranHdf5(inPath, options);
  const target = await readPflotranHdf5(outPath, { ...options, variables: options.variables ?? Object.keys(input.variables) });
  const vi = Object.keys(input.variables).sort();
  const vt = Object.keys(target.variables).sort();
  if (vi.join('\n') !== vt.join('\n')) {
    throw new Error(
      `${outPath}: variables differ from ${inPath}: only in input: [${vi.filter((v) => !vt.includes(v)).join(', ')}], only in target: [${vt.filter((v) => !vi.includes(v)).join(', ')}]`,
    );
  }
  if (input.times.length !== target.times.length || input.times.some((t, k) => Math.abs(t - target.times[k]) > 1e-9 * Math.max(1, Math.abs(t)))) {
    throw new Error(
      `${outPath}: output times differ from ${inPath} (${target.times.length} vs ${input.times.length} times; first difference at index ${input.times.findIndex((t, k) => t !== target.times[k])}); pairs must share output times`,
    );
  }
  if (input.timeUnit !== target.timeUnit) throw new Error(`${outPath}: time unit '${target.timeUnit}' differs from ${inPath} ('${input.timeUnit}')`);
  const [t, h, w] = input.shape;
  const expected: [number, number, number] = pairing === 'scale10x' ? [t, h, 10 * w] : [t, 2 * h, 2 * w];
  if (target.shape.some((s, k) => s !== expected[k])) {
    throw new Error(
      `${outPath}: shape [${target.shape.join(', ')}] does not match ${pairing} of ${inPath} [${input.shape.join(', ')}]; expected [${expected.join(', ')}]`,
    );
  }
  return { pairing, input, target };
}
