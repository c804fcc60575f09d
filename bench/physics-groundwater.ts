/**
 * Groundwater forward-model throughput per inversion case, on one core (this process, no workers).
 *
 * For each case: forward simulations per second (flow + transport + observation operator, TVD
 * advection as used for datasets), the projected wall time of the paper's 2000-sample training set
 * on one core and on both cores of this machine, the share of the time spent in the flow solve,
 * and the transport time with first-order upwind advection for comparison.
 *
 * Peer: SciPy's sparse direct solver (scipy.sparse.linalg.spsolve, SuperLU) on the identical
 * 5-point Darcy system of every benchmarked permeability field, run in
 * ${PLUME_HOME:-~/.plume}/bench-venv (created with numpy + scipy by this script if missing). The
 * table reports Plume's flow solve time over the peer's (ratio < 1: Plume faster) and the largest
 * head difference between the two solutions. No peer exists for the whole forward model here
 * (the paper used TOUGHREACT).
 *
 * Run: npx tsx bench/physics-groundwater.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DarcySolver } from '../physics/core/darcy-flow.js';
import { getCase } from '../physics/groundwater/case-registry.js';
import { caseSampleParameters } from '../physics/groundwater/case-dataset.js';
import { forward } from '../physics/groundwater/forward-model.js';
import { headToPressure, pressureToHead, type CaseName } from '../physics/groundwater/groundwater-case.js';
import { median as d3median } from '../numerics/statistics.js';
import { argNumber } from './bench-args.js';

const RUNS = argNumber('runs', 6);
const TRAIN = 2000;

function ensureVenv(): string | null {
  const home = process.env.PLUME_HOME ?? join(homedir(), '.plume');
  const venv = join(home, 'bench-venv');
  const py = join(venv, 'bin', 'python');
  try {
    if (!existsSync(py)) {
      console.log(`creating ${venv}`);
      if (spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' }).status !== 0) return null;
    }
    if (spawnSync(py, ['-c', 'import scipy.sparse.linalg'], { stdio: 'ignore' }).status !== 0) {
      console.log('installing numpy + scipy into the bench venv');
      if (spawnSync(py, ['-m', 'pip', 'install', '-q', 'numpy', 'scipy'], { stdio: 'inherit' }).status !== 0) return null;
    }
    return py;
  } catch {
    return null;
  }
}

const PEER = String.raw`
import sys, json, time
import numpy as np, scipy, scipy.sparse as sp, scipy.sparse.linalg as spla
job = json.load(sys.stdin)
out = []
for f in job['fields']:
    nx, ny, dx, dy = job['nx'], job['ny'], job['dx'], job['dy']
    lam = np.asarray(f, dtype=float).reshape(ny, nx)
    pL, pR = job['pL'], job['pR']
    t0 = time.perf_counter()
    gx, gy = dy / dx, dx / dy
    tx = gx * 2 * lam[:, :-1] * lam[:, 1:] / (lam[:, :-1] + lam[:, 1:])   # (ny, nx-1)
    ty = gy * 2 * lam[:-1, :] * lam[1:, :] / (lam[:-1, :] + lam[1:, :])   # (ny-1, nx)
    idx = np.arange(nx * ny).reshape(ny, nx)
    diag = np.zeros((ny, nx)); b = np.zeros((ny, nx))
    diag[:, :-1] += tx; diag[:, 1:] += tx; diag[:-1, :] += ty; diag[1:, :] += ty
    tl = 2 * gx * lam[:, 0]; tr = 2 * gx * lam[:, -1]
    diag[:, 0] += tl; diag[:, -1] += tr; b[:, 0] += tl * pL; b[:, -1] += tr * pR
    rows = np.concatenate([idx.ravel(), idx[:, :-1].ravel(), idx[:, 1:].ravel(), idx[:-1, :].ravel(), idx[1:, :].ravel()])
    cols = np.concatenate([idx.ravel(), idx[:, 1:].ravel(), idx[:, :-1].ravel(), idx[1:, :].ravel(), idx[:-1, :].ravel()])
    vals = np.concatenate([diag.ravel(), -tx.ravel(), -tx.ravel(), -ty.ravel(), -ty.ravel()])
    A = sp.csc_matrix((vals, (rows, cols)), shape=(nx * ny, nx * ny))
    p = spla.spsolve(A, b.ravel())
    out.append({'ms': (time.perf_counter() - t0) * 1e3, 'p': p.tolist()})
print(json.dumps({'scipy': scipy.__version__, 'runs': out}))
`;

interface Row {
  name: CaseName;
  cells: number;
  forwardMs: number[];
  flowMs: number[];
  upwindMs: number[];
  peerMs: number[];
  maxHeadDiff: number;
}

const median = (a: number[]): number => d3median(a) ?? NaN;

function fmtDuration(s: number): string {
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

const py = ensureVenv();
if (!py) console.log('Python peer unavailable (could not create the bench venv); Plume timings only.');
const rows: Row[] = [];
for (const name of ['case1', 'case2', 'case3'] as CaseName[]) {
  const c = getCase(name);
  const n = c.grid.nx * c.grid.ny;
  const params = Array.from({ length: RUNS + 1 }, (_, i) => caseSampleParameters(name, i, 2026, { n: RUNS + 1, sampler: 'lhs' }).params);
  forward(c, params[RUNS]); // warm-up (JIT, KLE basis)
  const row: Row = { name, cells: n, forwardMs: [], flowMs: [], upwindMs: [], peerMs: [], maxHeadDiff: NaN };
  const mobilities: Float64Array[] = [];
  const heads: Float64Array[] = [];
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    forward(c, params[r]);
    row.forwardMs.push(performance.now() - t);
    t = performance.now();
    forward(c, params[r], { scheme: 'upwind' });
    row.upwindMs.push(performance.now() - t);
    const k = c.permeability(params[r]);
    const mob = Float64Array.from(k, (v) => v / c.viscosity);
    t = performance.now();
    const sol = new DarcySolver(c.grid, mob).solve(
      {
        left: { type: 'dirichlet', value: headToPressure(c.headLeft) },
        right: { type: 'dirichlet', value: headToPressure(c.headRight) },
        top: { type: 'noflow' },
        bottom: { type: 'noflow' },
      },
      { tol: 1e-11 },
    );
    row.flowMs.push(performance.now() - t);
    mobilities.push(mob);
    heads.push(Float64Array.from(sol.pressure, pressureToHead));
  }
  if (py) {
    const r = spawnSync(py, ['-c', PEER], {
      input: JSON.stringify({
        nx: c.grid.nx,
        ny: c.grid.ny,
        dx: c.grid.dx,
        dy: c.grid.dy,
        pL: headToPressure(c.headLeft),
        pR: headToPressure(c.headRight),
        fields: mobilities.map((m) => Array.from(m)),
      }),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status === 0) {
      const res = JSON.parse(r.stdout) as { scipy: string; runs: { ms: number; p: number[] }[] };
      row.peerMs = res.runs.map((x) => x.ms);
      let d = 0;
      res.runs.forEach((x, i) => x.p.forEach((p, cIdx) => (d = Math.max(d, Math.abs(pressureToHead(p) - heads[i][cIdx])))));
      row.maxHeadDiff = d;
      if (rows.length === 0) console.log(`peer: SciPy ${res.scipy} spsolve`);
    } else console.log(`peer failed for ${name}: ${r.stderr.slice(0, 400)}`);
  }
  rows.push(row);
}

console.log(`\nGroundwater forward model, one core, ${RUNS} LHS samples per case (median times)\n`);
const header = [
  'case',
  'grid',
  'forward ms',
  'forwards/s',
  `${TRAIN} runs, 1 core`,
  `${TRAIN} runs, 2 cores`,
  'flow ms',
  'flow share',
  'upwind fwd ms',
  'SciPy flow ms',
  'flow ratio Plume/SciPy',
  'max |dh| m',
];
const lines = rows.map((r) => {
  const f = median(r.forwardMs);
  const fl = median(r.flowMs);
  const pm = median(r.peerMs);
  const c = getCase(r.name);
  return [
    r.name,
    `${c.grid.nx}x${c.grid.ny}`,
    f.toFixed(1),
    (1000 / f).toFixed(2),
    fmtDuration((TRAIN * f) / 1000),
    fmtDuration((TRAIN * f) / 2000),
    fl.toFixed(2),
    `${((100 * fl) / f).toFixed(1)}%`,
    median(r.upwindMs).toFixed(1),
    Number.isFinite(pm) ? pm.toFixed(2) : 'n/a',
    Number.isFinite(pm) ? (fl / pm).toFixed(2) : 'n/a',
    Number.isFinite(r.maxHeadDiff) ? r.maxHeadDiff.toExponential(1) : 'n/a',
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmt = (cells: string[]): string => '| ' + cells.map((s, i) => s.padStart(widths[i])).join(' | ') + ' |';
console.log(fmt(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const l of lines) console.log(fmt(l));
console.log('\n2-core projection assumes two independent worker processes (no shared state), i.e. half the 1-core time.');
