/**
 * ML throughput: forward and training-step samples/s of the optimal MLP, MLP+ECA and
 * STAMNet-Upscale at a small size and a quarter-paper size, on every TF.js backend available here
 * (wasm, cpu; tensorflow when tfjs-node is installed), against the same architectures in PyTorch
 * on this machine (bench/python/ml_throughput.py in ${PLUME_HOME:-~/.plume}/bench-venv, created
 * and given torch if missing).
 *
 *   npx tsx bench/ml-throughput.ts            # full run
 *   PLUME_BENCH_QUICK=1 npx tsx bench/ml-throughput.ts   # small size only
 *   PLUME_BENCH_CPU_QUARTER=1 ...            # also the quarter size on the pure-JS cpu backend
 *                                            # (minutes per step: skipped by default)
 *
 * Throughput is reported per CPU-second of the process (user+system time), besides wall time: the
 * 2 cores here are shared with other jobs (load averages of 10-40 were seen), which makes wall
 * time swing 10x between runs, while single-threaded CPU time stays comparable. Ratios use CPU
 * time against PyTorch pinned to 1 thread; PyTorch with all cores is shown by wall time.
 *
 * Training step = forward (dropout on) + MSE+0.6*MAE + backward + AdamW update, as in trainModel.
 * Forward = inference without dropout. Goal: wasm training within 3x of PyTorch CPU, inference
 * within 2x. PyTorch runs with all cores and with 1 thread (tfjs' wasm backend is single-threaded
 * in Node).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, type BackendPreference } from '../models/backend.js';
import { tf } from '../models/tf.js';
import { AdamW } from '../models/training/adamw.js';
import { mseMaeLoss } from '../models/training/loss.js';
import { buildModel } from '../models/upscaling/registry.js';
import { Rng } from '../numerics/rng.js';

type Arch = 'optimal_mlp' | 'mlp_eca' | 'stamnet_upscale';
interface Case {
  arch: Arch;
  size: 'small' | 'quarter';
  t: number;
  h: number;
  w: number;
  batch: number;
  scale: number;
  mult: number[];
  minIters: number;
  budgetSeconds: number;
}
interface Row {
  arch: Arch;
  size: string;
  backend: string;
  params: number;
  /** samples per wall-clock second */
  forwardSamplesPerSec: number;
  trainSamplesPerSec: number;
  /** samples per CPU-second of the process */
  forwardSamplesPerCpuSec: number;
  trainSamplesPerCpuSec: number;
}

const quick = process.env.PLUME_BENCH_QUICK === '1';
const cpuQuarter = process.env.PLUME_BENCH_CPU_QUARTER === '1';
const ARCHS: Arch[] = ['optimal_mlp', 'mlp_eca', 'stamnet_upscale'];
// small: a coarse test grid; quarter: a quarter of the paper's t, h, w (114 x 100 x 200) with the
// paper's widths (W -> 10W -> 40W -> 10W -> 10W).
const SIZES = [
  { size: 'small' as const, t: 12, h: 10, w: 20, batch: 6 },
  ...(quick ? [] : [{ size: 'quarter' as const, t: 28, h: 25, w: 50, batch: 2 }]),
];
const CASES: Case[] = SIZES.flatMap((s) => ARCHS.map((arch) => ({ arch, ...s, scale: 10, mult: [10, 40, 10], minIters: 3, budgetSeconds: s.size === 'small' ? 4 : 12 })));

/** Seconds per call: [wall, cpu]. */
function timed(fn: () => void, minIters: number, budgetSeconds: number): [number, number] {
  fn(); // warm-up
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (;;) {
    fn();
    n++;
    const el = (performance.now() - t0) / 1000;
    if ((n >= minIters && el >= budgetSeconds * 0.2) || el >= budgetSeconds) {
      const c = process.cpuUsage(c0);
      return [el / n, (c.user + c.system) / 1e6 / n];
    }
  }
}

function benchTfjs(backend: string, c: Case, budgetScale: number): Row {
  const model = buildModel(c.arch, { t: c.t, h: c.h, w: c.w }, { scale: c.scale, hiddenMultipliers: c.mult, seed: 0 });
  const rng = new Rng(1);
  const x = tf.randomUniform([c.batch, c.t, c.h, c.w], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.randomUniform([c.batch, c.t, c.h, c.w * c.scale], 0, 1, 'float32', 2) as tf.Tensor4D;
  const vars = model.parameters.map((p) => p.variable);
  const opt = new AdamW({ learningRate: 1e-4, weightDecay: 0.01 });
  const fwdSync = () => {
    const out = tf.tidy(() => model.apply(x));
    out.dataSync();
    out.dispose();
  };
  const step = () => {
    const loss = opt.minimize(() => mseMaeLoss(model.apply(x, { training: true, rng }), y, 0.6), true, vars)!;
    loss.dataSync();
    loss.dispose();
  };
  const budget = c.budgetSeconds * budgetScale;
  const [fw, fc] = timed(fwdSync, backend === 'cpu' && c.size === 'quarter' ? 1 : c.minIters, budget);
  const [sw, sc] = timed(step, backend === 'cpu' && c.size === 'quarter' ? 1 : c.minIters, budget);
  const row: Row = {
    arch: c.arch,
    size: c.size,
    backend,
    params: model.paramsCount,
    forwardSamplesPerSec: c.batch / fw,
    trainSamplesPerSec: c.batch / sw,
    forwardSamplesPerCpuSec: c.batch / fc,
    trainSamplesPerCpuSec: c.batch / sc,
  };
  opt.dispose();
  model.dispose();
  x.dispose();
  y.dispose();
  return row;
}

function plumeHome(): string {
  return process.env.PLUME_HOME ?? path.join(os.homedir(), '.plume');
}

/** Creates the bench venv and installs torch if needed; returns its python or a reason it cannot. */
function ensureTorch(): { python: string } | { error: string } {
  const venv = path.join(plumeHome(), 'bench-venv');
  const python = path.join(venv, 'bin', 'python');
  const hasTorch = () => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  try {
    if (!existsSync(python)) {
      console.error(`creating ${venv} ...`);
      execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    }
    if (hasTorch()) return { python };
    // PyPI's Linux torch wheel loads CUDA libraries at import even on CPU, so `--no-deps` alone
    // fails (libcublasLt not found) and no CPU-only build is on PyPI: install torch with its deps.
    console.error('installing torch into the bench venv (PyPI wheel pulls CUDA runtime packages, several GB) ...');
    const r = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', 'torch'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) return { error: `pip install torch failed (exit ${r.status})` };
    return hasTorch() ? { python } : { error: 'torch installed but `import torch` fails' };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function runTorch(python: string, threads: number[]): { version: string; rows: (Row & { threads: number })[] } {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python', 'ml_throughput.py');
  const out = execFileSync(python, [script, JSON.stringify({ cases: CASES, threads })], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as { torch: string; results: (Row & { threads: number })[] };
  return { version: parsed.torch, rows: parsed.results.map((r) => ({ ...r, backend: `torch-${r.threads}t` })) };
}

const fmt = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? '-' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(d) : v.toPrecision(2));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '-');

async function main(): Promise<void> {
  const backends: BackendPreference[] = ['tensorflow', 'wasm', 'cpu'];
  const rows: Row[] = [];
  for (const b of backends) {
    let name: string;
    try {
      name = (await initBackend(b)).name;
    } catch (e) {
      console.error(`backend ${b}: not available here (${(e as Error).message.split(':').slice(0, 3).join(':')})`);
      continue;
    }
    for (const c of CASES) {
      if (name === 'cpu' && c.size === 'quarter' && !cpuQuarter) {
        console.error(`cpu ${c.arch} quarter: skipped (set PLUME_BENCH_CPU_QUARTER=1; minutes per step)`);
        continue;
      }
      const r = benchTfjs(name, c, name === 'cpu' ? 0.5 : 1);
      rows.push(r);
      console.error(`${name} ${c.arch} ${c.size}: fwd ${fmt(r.forwardSamplesPerCpuSec)}/cpu-s (${fmt(r.forwardSamplesPerSec)}/s) train ${fmt(r.trainSamplesPerCpuSec)}/cpu-s (${fmt(r.trainSamplesPerSec)}/s)`);
    }
  }
  const cores = os.cpus().length;
  const torchEnv = ensureTorch();
  let torchRows: (Row & { threads: number })[] = [];
  let torchNote: string;
  if ('python' in torchEnv) {
    try {
      const t = runTorch(torchEnv.python, cores > 1 ? [cores, 1] : [1]);
      torchRows = t.rows;
      torchNote = `PyTorch ${t.version} (CPU, ${cores} threads and 1 thread)`;
    } catch (e) {
      torchNote = `PyTorch run failed: ${(e as Error).message}`;
    }
  } else {
    torchNote = `no PyTorch here: ${torchEnv.error}; TF.js figures only`;
  }

  for (const t of torchRows) {
    const mine = rows.find((r) => r.arch === t.arch && r.size === t.size);
    if (mine && mine.params !== t.params) console.error(`warning: ${t.arch} ${t.size}: PyTorch peer has ${t.params} parameters, Plume ${mine.params}`);
  }
  const find = (bk: string, c: Case) => rows.find((r) => r.backend === bk && r.arch === c.arch && r.size === c.size);
  const findT = (th: number, c: Case) => torchRows.find((r) => r.threads === th && r.arch === c.arch && r.size === c.size);
  console.log(`\nML throughput, samples per CPU-second (wall samples/s in brackets); batch ${SIZES.map((s) => `${s.size} ${s.batch}`).join(', ')}; ${torchNote}`);
  console.log('sizes: ' + SIZES.map((s) => `${s.size} t=${s.t} h=${s.h} w=${s.w} -> w=${s.w * 10}, widths 10W/40W/10W`).join('; '));
  const header = ['arch', 'size', 'params', 'phase', 'wasm', 'cpu', 'torch 1t', `torch ${cores}t (wall/s)`, 'wasm/torch1t', 'wasm/cpu'];
  const table: string[][] = [header];
  const both = (r: Row | undefined, k: 'forward' | 'train') =>
    r ? `${fmt(k === 'forward' ? r.forwardSamplesPerCpuSec : r.trainSamplesPerCpuSec)} (${fmt(k === 'forward' ? r.forwardSamplesPerSec : r.trainSamplesPerSec)})` : '-';
  for (const c of CASES) {
    const w = find('wasm', c);
    const cp = find('cpu', c);
    const tn = find('tensorflow', c);
    const tN = findT(cores, c);
    const t1 = findT(1, c);
    for (const phase of ['forward', 'train'] as const) {
      const k = phase === 'forward' ? 'forwardSamplesPerCpuSec' : 'trainSamplesPerCpuSec';
      const kw = phase === 'forward' ? 'forwardSamplesPerSec' : 'trainSamplesPerSec';
      table.push([
        c.arch,
        c.size,
        String(w?.params ?? cp?.params ?? ''),
        phase + (tn ? ` (tfjs-node ${fmt(tn[k])})` : ''),
        both(w, phase),
        both(cp, phase),
        both(t1, phase),
        cores > 1 ? fmt(tN?.[kw]) : '-',
        ratio(w?.[k], t1?.[k]),
        ratio(w?.[k], cp?.[k]),
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  '));
  console.log('\nratios > 1 mean Plume (wasm) is faster. Goal: train ratio >= 0.33 and forward ratio >= 0.5 against PyTorch CPU (1 thread, CPU time).');
}

await main();
