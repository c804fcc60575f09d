/**
 * Bioremediation simulator throughput.
 *
 *   npx tsx bench/physics-bioremediation.ts [--skip-paper-10x] [--skip-paper]
 *
 * Prints one table:
 * - STREAM-like triad a = b + s c on 3 x 64 MB Float64Arrays (the peer: measured memory bandwidth,
 *   24 bytes per element as STREAM counts them);
 * - Darcy flow (multigrid-PCG) on the paper 1x (100 x 200) and 10x (100 x 2000) grids with a
 *   log-normal field: cell-updates/s = cells x CG iterations / s;
 * - transport (2 species, upwind, explicit): cell-species-updates/s;
 * - whole simulations: `small` 1x and 10x, `paper` 1x and 10x (upscaling schedule, 114 outputs).
 * The bandwidth column is (updates/s x modelled bytes per update) / triad bandwidth: the share of
 * the measured memory bandwidth a kernel would need if every byte came from DRAM (above 1 means it
 * runs from cache). Times are wall clock; CPU time is shown too because the machine is shared.
 */
import { AdvectionDispersion } from '../physics/core/advection-dispersion.js';
import { DarcySolver } from '../physics/core/darcy-flow.js';
import type { Grid } from '../physics/core/grid.js';
import { logNormalPermeability } from '../physics/fields/gaussian-field.js';
import { defaultScenario } from '../physics/bioremediation/parameters.js';
import { simulateBioremediation } from '../physics/bioremediation/simulate.js';
import type { PresetName } from '../physics/bioremediation/presets.js';
import { timed } from './timed-call.js';
import { argFlag } from './bench-args.js';

const skipPaper10x = argFlag('skip-paper-10x') || argFlag('skip-paper');
const skipPaper = argFlag('skip-paper');

interface Row {
  what: string;
  size: string;
  wallS: number;
  cpuS: number;
  rate: string;
  bw: string;
  note: string;
}
const rows: Row[] = [];

// --- STREAM-like triad
const N = 1 << 23;
const a = new Float64Array(N);
const b = new Float64Array(N).fill(1);
const c = new Float64Array(N).fill(2);
let best = Infinity;
let bestCpu = Infinity;
for (let rep = 0; rep < 6; rep++) {
  const s = 3 + rep * 1e-3;
  const r = timed(() => {
    for (let i = 0; i < N; i++) a[i] = b[i] + s * c[i];
  });
  if (rep > 0 && r.wall < best) {
    best = r.wall;
    bestCpu = r.cpu;
  }
}
const bandwidth = (24 * N) / best; // bytes/s
rows.push({
  what: 'STREAM triad (peer)',
  size: `3 x ${(N * 8) / 2 ** 20} MB`,
  wallS: best,
  cpuS: bestCpu,
  rate: `${(bandwidth / 1e9).toFixed(2)} GB/s`,
  bw: '1.00',
  note: '24 B per element',
});

const fmtRate = (x: number, unit: string) => `${(x / 1e6).toFixed(1)} M ${unit}/s`;

// --- Darcy flow
// modelled DRAM bytes per cell per CG iteration: matvec 40, MG V-cycle ~4/3 x (GS 48 + residual 56 + GS 48 + transfer 32), CG vectors ~104
const FLOW_BYTES = 40 + (4 / 3) * (48 + 56 + 48 + 32) + 104;
for (const nx of [200, 2000]) {
  const g: Grid = { nx, ny: 100, dx: 0.01, dy: 0.01 };
  const k = logNormalPermeability(g, { geometricMean: 1e-11, sigmaLnK: 1, correlationLengthX: 0.2, correlationLengthY: 0.05, seed: 1 });
  const mob = k.map((v) => v / 1e-3);
  const sideV = new Float64Array(g.ny).map((_, i) => 1 - (i + 0.5) / g.ny);
  const bc = {
    left: { type: 'dirichlet', value: sideV },
    right: { type: 'dirichlet', value: sideV },
    top: { type: 'dirichlet', value: 0 },
    bottom: { type: 'dirichlet', value: 1 },
  } as const;
  new DarcySolver(g, mob).solve(bc); // warm-up (JIT)
  const r = timed(() => new DarcySolver(g, mob).solve(bc, { tol: 1e-10 }));
  const updates = (g.nx * g.ny * r.value.iterations) / r.wall;
  rows.push({
    what: 'Darcy flow (MG-PCG, cold start)',
    size: `${g.ny} x ${g.nx}`,
    wallS: r.wall,
    cpuS: r.cpu,
    rate: fmtRate(updates, 'cell-it'),
    bw: ((updates * FLOW_BYTES) / bandwidth).toFixed(2),
    note: `${r.value.iterations} iterations, ~${FLOW_BYTES.toFixed(0)} B/cell-it`,
  });

  // --- transport on the same grid and flow (scaled to ~0.05 m/d Darcy)
  const flow = r.value;
  const maxFy = flow.fluxY.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const scale = 0.05 / 86400 / (maxFy / g.dx);
  const fx = flow.fluxX.map((v) => v * scale);
  const fy = flow.fluxY.map((v) => v * scale);
  const t = new AdvectionDispersion(g, 2);
  t.setFlow({
    fluxX: fx,
    fluxY: fy,
    porosity: new Float64Array(g.nx * g.ny).fill(0.3),
    dispersion: { molecularDiffusion: 1e-9, longitudinal: 0.01, transverse: 0.001 },
  });
  t.setBoundaries({
    left: { type: 'outflow' },
    right: { type: 'concentration', value: [1e-3, 1e-5] },
    top: { type: 'concentration', value: 0 },
    bottom: { type: 'concentration', value: [0, 1e-5] },
  });
  const conc = [new Float64Array(g.nx * g.ny), new Float64Array(g.nx * g.ny).fill(1e-5)];
  const steps = nx > 1000 ? 100 : 1000;
  t.advance(conc, 20 * t.maxStableDt());
  const tr = timed(() => t.advance(conc, steps * t.maxStableDt()));
  const tu = (tr.value.substeps * g.nx * g.ny * 2) / tr.wall;
  const TR_BYTES = 36; // 5 coefficients shared by 2 species (20 B) + read + write (16 B)
  rows.push({
    what: 'transport (2 species, upwind)',
    size: `${g.ny} x ${g.nx}`,
    wallS: tr.wall,
    cpuS: tr.cpu,
    rate: fmtRate(tu, 'cell-sp'),
    bw: ((tu * TR_BYTES) / bandwidth).toFixed(2),
    note: `${tr.value.substeps} substeps, ~${TR_BYTES} B/cell-sp`,
  });
}

// --- whole simulations
const sims: [PresetName, number][] = [
  ['small', 1],
  ['small', 10],
];
if (!skipPaper) sims.push(['paper', 1]);
if (!skipPaper10x) sims.push(['paper', 10]);
const scenario = defaultScenario();
for (const [preset, scale] of sims) {
  const r = timed(() => simulateBioremediation(scenario, { preset, scale, seed: 1, outputVariables: ['B', 'ED', 'Cr'] }));
  const s = r.value.summary;
  const tm = s.timings;
  rows.push({
    what: `simulation ${preset} ${scale}x`,
    size: `${r.value.shape.join(' x ')}`,
    wallS: r.wall,
    cpuS: r.cpu,
    rate: fmtRate((s.transportSubsteps * s.cells * 2) / r.wall, 'cell-sp'),
    bw: '',
    note: `flow ${(tm.flowMs / 1000).toFixed(1)} s (${s.flowSolves} solves, ${s.flowIterations} it), transport ${(tm.transportMs / 1000).toFixed(1)} s (${s.transportSubsteps} substeps), reactions ${(tm.reactionMs / 1000).toFixed(1)} s; max mass-balance error ${Math.max(s.massBalanceError.B, s.massBalanceError.ED, s.massBalanceError.Cr).toExponential(1)}`,
  });
}
if (skipPaper10x) rows.push({ what: 'simulation paper 10x', size: 'skipped', wallS: NaN, cpuS: NaN, rate: '', bw: '', note: 'run without --skip-paper-10x' });

const head = ['what', 'size', 'wall s', 'cpu s', 'rate', 'x bandwidth', 'note'];
const table = rows.map((r) => [
  r.what,
  r.size,
  Number.isNaN(r.wallS) ? '-' : r.wallS.toFixed(3),
  Number.isNaN(r.cpuS) ? '-' : r.cpuS.toFixed(3),
  r.rate,
  r.bw,
  r.note,
]);
const widths = head.map((h, k) => Math.max(h.length, ...table.map((r) => r[k].length)));
const line = (cells: string[]) => cells.map((x, k) => (k === cells.length - 1 ? x : x.padEnd(widths[k]))).join(' | ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of table) console.log(line(r));
