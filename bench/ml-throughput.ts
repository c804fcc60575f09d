/**
 * ML throughput: forward (inference) and training-step samples per CPU-second and per wall second
 * of the upscaling models (optimal MLP, MLP+ECA, STAMNet-Upscale) at a small and a quarter-paper
 * size, and of the surrogates (FC-DNN, LeNet, ResNet) at a case-1 (vector) and a case-2 (64 x 64
 * field) size, on native TensorFlow (tfjs-node), wasm and PyTorch (bench/python/ml_throughput.py,
 * the same layers and parameter count, checked below, run in ${PLUME_HOME:-~/.plume}/bench-venv,
 * created and given torch if missing). Then a sweep of optimal-MLP widths and batches that finds
 * the crossover size where native starts to beat wasm, per training step and per inference batch.
 *
 *   npx tsx bench/ml-throughput.ts                        # full run (2 interleaved rounds)
 *   PLUME_BENCH_QUICK=1 npx tsx bench/ml-throughput.ts    # 1 round, shorter timings, smaller sweep
 *
 * Each variant runs in its own process, so TensorFlow's thread pools can be sized per variant
 * (they are fixed when the binding loads): `tensorflow 1t` (TF_NUM_INTRAOP_THREADS=1) and `torch 1t`
 * give the per-CPU-second figures, `tensorflow Nt` / `torch Nt` (N = cores) the wall-time figures
 * with all cores; wasm is single-threaded in Node (one figure for both). Per CPU-second counts the
 * process's user+system time, which stays comparable when the shared cores are busy; wall time does
 * not, so the variants run interleaved (round 1: tf 1t, tf Nt, wasm, torch; round 2: same) with the
 * load average printed per round, and each cell keeps its best round.
 *
 * Training step = forward (dropout on) + loss + backward + AdamW update, the loop of trainModel
 * (upscaling: MSE + 0.6 MAE) and trainSurrogate (surrogates: L1), with the loss read back each step
 * as those loops do. Forward = inference without dropout, output read back. Goal (issue 12):
 * tensorflow >= 0.8x PyTorch per CPU-second, training and inference, at the quarter/paper sizes.
 */
import { benchPython } from './bench-venv.js';
import { printTable } from './text-table.js';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../models/backend.js';
import { buildSurrogate } from '../models/surrogates/registry.js';
import { inputShapeOf, type SurrogateInputSpec } from '../models/surrogates/surrogate-input.js';
import type { SurrogateArch } from '../models/surrogates/surrogate.js';
import { createWeightDecayOptimizer } from '../models/surrogates/weight-decay-optimizer.js';
import { tf } from '../models/tf.js';
import { AdamW } from '../models/training/adamw.js';
import { mseMaeLoss } from '../models/training/loss.js';
import { buildModel } from '../models/upscaling/registry.js';
import { Rng } from '../numerics/rng.js';

type UpscalingArch = 'optimal_mlp' | 'mlp_eca' | 'stamnet_upscale';
interface Timing {
  minIters: number;
  budgetSeconds: number;
}
interface UpscalingCase extends Timing {
  id: string;
  kind: 'upscaling';
  arch: UpscalingArch;
  size: string;
  t: number;
  h: number;
  w: number;
  batch: number;
  scale: number;
  mult: number[];
}
interface SurrogateCase extends Timing {
  id: string;
  kind: 'surrogate';
  arch: SurrogateArch;
  size: string;
  input: SurrogateInputSpec;
  outputDim: number;
  batch: number;
}
type Case = UpscalingCase | SurrogateCase;
interface Row {
  id: string;
  params: number;
  /** seconds per call: wall and process CPU (user + system, all threads) */
  fwdWall: number;
  fwdCpu: number;
  trainWall: number;
  trainCpu: number;
}
interface Variant {
  name: string;
  /** 'tensorflow' | 'wasm' run as a child of this script; 'torch' runs bench/python. */
  engine: 'tensorflow' | 'wasm' | 'torch';
  threads: number;
}

const quick = process.env.PLUME_BENCH_QUICK === '1';
const cores = os.availableParallelism();
const ROUNDS = quick ? 1 : 2;
const UPSCALING: UpscalingArch[] = ['optimal_mlp', 'mlp_eca', 'stamnet_upscale'];
const SURROGATES: SurrogateArch[] = ['fcdnn', 'lenet', 'resnet'];
const t = (budgetSeconds: number, minIters = 3): Timing => ({ minIters, budgetSeconds: quick ? budgetSeconds / 2 : budgetSeconds });
// small: a coarse test grid (the small preset's 12 x 10 x 20 -> x10) with the paper's widths;
// quarter: a quarter of the paper's t, h, w (114 x 100 x 200) with the paper's widths (W -> 10W ->
// 40W -> 10W -> 10W) and batch.
const UPSCALING_SIZES = [
  { size: 'small', t: 12, h: 10, w: 20, batch: 6, ...t(3) },
  { size: 'quarter', t: 28, h: 25, w: 50, batch: 6, ...t(10) },
];
// case1: 9 zone parameters -> 50 outputs, the paper's batch 50; case2: a 64 x 64 field -> 100, batch 100.
const SURROGATE_SIZES = [
  { size: 'case1', input: 9 as SurrogateInputSpec, outputDim: 50, batch: 50, ...t(3) },
  { size: 'case2', input: [64, 64, 1] as SurrogateInputSpec, outputDim: 100, batch: 100, ...t(10) },
];
const MAIN_CASES: Case[] = [
  ...UPSCALING_SIZES.flatMap((s) => UPSCALING.map((arch): Case => ({ id: `${arch}/${s.size}`, kind: 'upscaling', arch, scale: 10, mult: [10, 40, 10], ...s }))),
  ...SURROGATE_SIZES.flatMap((s) => SURROGATES.map((arch): Case => ({ id: `${arch}/${s.size}`, kind: 'surrogate', arch, ...s }))),
];
// Crossover sweep: the optimal MLP on the small grid with train-small's widths (W -> 2W -> 8W -> 2W)
// times a width factor, at train-small's batch and at 8x it.
const SWEEP_FACTORS = quick ? [1, 4, 16] : [1, 2, 4, 8, 16];
const SWEEP_BATCHES = [6, 48];
const SWEEP_CASES: Case[] = SWEEP_BATCHES.flatMap((batch) =>
  SWEEP_FACTORS.map((f): Case => ({
    id: `sweep/x${f}/b${batch}`,
    kind: 'upscaling',
    arch: 'optimal_mlp',
    size: `x${f}`,
    t: 12,
    h: 10,
    w: 20,
    batch,
    scale: 10,
    mult: [2 * f, 8 * f, 2 * f],
    ...t(1.5),
  })),
);
const ALL_CASES = [...MAIN_CASES, ...SWEEP_CASES];

/** Seconds per call: [wall, cpu]; one warm-up call first. */
function timed(fn: () => void, { minIters, budgetSeconds }: Timing): [number, number] {
  fn();
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

function benchUpscaling(c: UpscalingCase): Row {
  const model = buildModel(c.arch, { t: c.t, h: c.h, w: c.w }, { scale: c.scale, hiddenMultipliers: c.mult, seed: 0 });
  const rng = new Rng(1);
  const x = tf.randomUniform<tf.Rank.R4>([c.batch, c.t, c.h, c.w], 0, 1, 'float32', 1);
  const y = tf.randomUniform<tf.Rank.R4>([c.batch, c.t, c.h, c.w * c.scale], 0, 1, 'float32', 2);
  const vars = model.parameters.map((p) => p.variable);
  const opt = new AdamW({ learningRate: 1e-4, weightDecay: 0.01 });
  try {
    const [fwdWall, fwdCpu] = timed(() => {
      const out = tf.tidy(() => model.apply(x));
      out.dataSync();
      out.dispose();
    }, c);
    const [trainWall, trainCpu] = timed(() => {
      const loss = opt.minimize(() => mseMaeLoss(model.apply(x, { training: true, rng }), y, 0.6), true, vars)!;
      loss.dataSync();
      loss.dispose();
    }, c);
    return { id: c.id, params: model.paramsCount, fwdWall, fwdCpu, trainWall, trainCpu };
  } finally {
    opt.dispose();
    model.dispose();
    tf.dispose([x, y]);
  }
}

function benchSurrogate(c: SurrogateCase): Row {
  const s = buildSurrogate(c.arch, c.input, c.outputDim, { seed: 0 });
  const x = tf.randomUniform([c.batch, ...inputShapeOf(c.input)], 0, 1, 'float32', 1);
  const y = tf.randomUniform([c.batch, c.outputDim], 0, 1, 'float32', 2);
  const vars = s.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = createWeightDecayOptimizer({ learningRate: 1e-4, weightDecay: 0.01 });
  try {
    const [fwdWall, fwdCpu] = timed(() => {
      const out = tf.tidy(() => s.apply(x));
      out.dataSync();
      out.dispose();
    }, c);
    const [trainWall, trainCpu] = timed(() => {
      opt.step(() => tf.losses.absoluteDifference<tf.Tensor, tf.Scalar>(y, s.model.apply(x, { training: true }) as tf.Tensor), vars);
    }, c);
    return { id: c.id, params: s.model.countParams(), fwdWall, fwdCpu, trainWall, trainCpu };
  } finally {
    opt.dispose();
    s.dispose();
    tf.dispose([x, y]);
  }
}

/** Child mode: run every case on one backend, print the rows as JSON on the last line. */
async function child(backend: 'tensorflow' | 'wasm'): Promise<void> {
  await initBackend(backend);
  const rows: Row[] = [];
  for (const c of ALL_CASES) {
    rows.push(c.kind === 'upscaling' ? benchUpscaling(c) : benchSurrogate(c));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  console.log(JSON.stringify(rows));
}

/** Runs a command, returns its last stdout line parsed as JSON. */
function runJson<T>(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (d.toString().trim() === '.' || /^\.+\n?$/.test(d.toString())) process.stderr.write(d);
    });
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${path.basename(cmd)} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
      } catch (e) {
        reject(new Error(`unparsable output: ${(e as Error).message}`));
      }
    });
  });
}

async function runVariant(v: Variant, python: string | null): Promise<Row[]> {
  if (v.engine === 'torch') {
    if (!python) throw new Error('no PyTorch');
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python', 'ml_throughput.py');
    const cases = MAIN_CASES.map((c) => ({ ...c, input: c.kind === 'surrogate' ? (typeof c.input === 'number' ? c.input : [...c.input]) : undefined }));
    const env = { ...process.env, OMP_NUM_THREADS: String(v.threads), PYTHONWARNINGS: 'ignore' };
    const r = await runJson<{
      torch: string;
      results: (Row & {
        forwardSamplesPerSec: number;
        trainSamplesPerSec: number;
        forwardSamplesPerCpuSec: number;
        trainSamplesPerCpuSec: number;
        id: string;
        params: number;
      })[];
    }>(python, [script, JSON.stringify({ cases, threads: [v.threads] })], env);
    torchVersion = r.torch;
    return r.results.map((q) => {
      const b = MAIN_CASES.find((c) => c.id === q.id)!.batch;
      return {
        id: q.id,
        params: q.params,
        fwdWall: b / q.forwardSamplesPerSec,
        fwdCpu: b / q.forwardSamplesPerCpuSec,
        trainWall: b / q.trainSamplesPerSec,
        trainCpu: b / q.trainSamplesPerCpuSec,
      };
    });
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PLUME_BENCH_CHILD: v.engine, TF_NUM_INTRAOP_THREADS: String(v.threads), TF_NUM_INTEROP_THREADS: '1' };
  delete env.PLUME_BACKEND;
  return runJson<Row[]>(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], env);
}

let torchVersion = '?';
const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '-');
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function parent(): Promise<void> {
  let python: string | null = null;
  try {
    // PyPI's Linux torch wheel pulls its CUDA runtime packages even for CPU use (several GB, once).
    python = benchPython('torch', 'torch');
  } catch (e) {
    console.error(`no PyTorch here: ${(e as Error).message}; TF.js figures only`);
  }
  const variants: Variant[] = [
    { name: 'tf 1t', engine: 'tensorflow', threads: 1 },
    { name: `tf ${cores}t`, engine: 'tensorflow', threads: cores },
    { name: 'wasm', engine: 'wasm', threads: 1 },
    ...(python
      ? [
          { name: 'torch 1t', engine: 'torch' as const, threads: 1 },
          { name: `torch ${cores}t`, engine: 'torch' as const, threads: cores },
        ]
      : []),
  ];
  // best (smallest) seconds per call for each variant and case, over the rounds
  const best = new Map<string, Row>();
  const loads: string[] = [];
  const failed = new Set<string>();
  for (let round = 1; round <= ROUNDS; round++) {
    loads.push(`round ${round}: ${loadAverage()}`);
    for (const v of variants) {
      if (failed.has(v.name)) continue;
      process.stderr.write(`round ${round} ${v.name} `);
      let rows: Row[];
      try {
        rows = await runVariant(v, python);
      } catch (e) {
        console.error(`\n${v.name}: not measured (${(e as Error).message})`);
        failed.add(v.name);
        continue;
      }
      for (const r of rows) {
        const k = `${v.name}|${r.id}`;
        const b = best.get(k);
        best.set(
          k,
          b
            ? {
                ...r,
                fwdWall: Math.min(b.fwdWall, r.fwdWall),
                fwdCpu: Math.min(b.fwdCpu, r.fwdCpu),
                trainWall: Math.min(b.trainWall, r.trainWall),
                trainCpu: Math.min(b.trainCpu, r.trainCpu),
              }
            : r,
        );
      }
    }
  }
  loads.push(`end: ${loadAverage()}`);
  const get = (v: string, id: string) => best.get(`${v}|${id}`);
  const tN = `tf ${cores}t`;
  const torchN = `torch ${cores}t`;

  // parameter counts: every PyTorch peer must match Plume's model
  const mismatches: string[] = [];
  for (const c of MAIN_CASES) {
    const a = get('tf 1t', c.id) ?? get('wasm', c.id);
    const b = get('torch 1t', c.id);
    if (a && b && a.params !== b.params) mismatches.push(`${c.id}: Plume ${a.params}, PyTorch ${b.params}`);
  }

  console.log(
    `\nML throughput, ${os.cpus()[0]?.model ?? '?'} x ${cores} cores; PyTorch ${python ? torchVersion : 'absent'}; ${ROUNDS} interleaved round(s), best kept`,
  );
  console.log(`load average (1, 5, 15 min): ${loads.join('; ')}`);
  console.log(
    `sizes: upscaling ${UPSCALING_SIZES.map((s) => `${s.size} ${s.t}x${s.h}x${s.w} -> x10, batch ${s.batch}`).join('; ')} (widths 10W/40W/10W); surrogates ${SURROGATE_SIZES.map((s) => `${s.size} [${typeof s.input === 'number' ? s.input : s.input.join(',')}] -> ${s.outputDim}, batch ${s.batch}`).join('; ')}`,
  );
  console.log(
    `PyTorch peers: ${mismatches.length ? `PARAMETER COUNTS DIFFER: ${mismatches.join('; ')}` : `same parameter count as Plume's model for all ${MAIN_CASES.length} cases`}`,
  );
  console.log('\nA. samples per CPU-second (1 thread each: tf = tensorflow TF_NUM_INTRAOP_THREADS=1, torch set_num_threads(1); wasm)');
  const a: string[][] = [['model', 'size', 'params', 'phase', 'tf', 'wasm', 'torch', 'tf/torch', 'tf/wasm']];
  const b: string[][] = [['model', 'size', 'phase', `tf ${cores}t`, 'wasm', `torch ${cores}t`, 'tf/torch', 'tf/wasm']];
  for (const c of MAIN_CASES) {
    for (const phase of ['train', 'forward'] as const) {
      const cpu = (r: Row | undefined) => (r ? c.batch / (phase === 'train' ? r.trainCpu : r.fwdCpu) : undefined);
      const wall = (r: Row | undefined) => (r ? c.batch / (phase === 'train' ? r.trainWall : r.fwdWall) : undefined);
      const [tf1, w, to1] = [get('tf 1t', c.id), get('wasm', c.id), get('torch 1t', c.id)];
      a.push([
        c.arch,
        c.size,
        String((tf1 ?? w)?.params ?? '-'),
        phase,
        fmt(cpu(tf1)),
        fmt(cpu(w)),
        fmt(cpu(to1)),
        ratio(cpu(tf1), cpu(to1)),
        ratio(cpu(tf1), cpu(w)),
      ]);
      const [tfn, toN] = [get(tN, c.id), get(torchN, c.id)];
      b.push([c.arch, c.size, phase, fmt(wall(tfn)), fmt(wall(w)), fmt(wall(toN)), ratio(wall(tfn), wall(toN)), ratio(wall(tfn), wall(w))]);
    }
  }
  printTable(a);
  console.log(
    `\nB. samples per wall second with all ${cores} cores (tf TF_NUM_INTRAOP_THREADS=${cores}, torch ${cores} threads; wasm is single-threaded in Node)`,
  );
  printTable(b);

  console.log(
    `\nC. crossover: optimal MLP on the small grid (12x10x20 -> x10), widths W -> 2fW -> 8fW -> 2fW; ms per step (per CPU-second basis: tf 1t; wall: tf ${cores}t) and wasm/tf (> 1: native wins)`,
  );
  const cRows: string[][] = [
    [
      'batch',
      'factor f',
      'params',
      'train tf1t',
      'train wasm',
      'wasm/tf1t',
      `wasm/tf${cores}t wall`,
      'fwd tf1t',
      'fwd wasm',
      'wasm/tf1t',
      `wasm/tf${cores}t wall`,
    ],
  ];
  const crossover: string[] = [];
  for (const batch of SWEEP_BATCHES) {
    const firstWin: Record<string, number | null> = { train: null, forward: null };
    for (const f of SWEEP_FACTORS) {
      const id = `sweep/x${f}/b${batch}`;
      const [t1, tn, w] = [get('tf 1t', id), get(tN, id), get('wasm', id)];
      const ms = (v: number | undefined) => fmt(v === undefined ? undefined : v * 1000);
      cRows.push([
        String(batch),
        String(f),
        String((t1 ?? w)?.params ?? '-'),
        ms(t1?.trainCpu),
        ms(w?.trainCpu),
        ratio(w?.trainCpu, t1?.trainCpu),
        ratio(w?.trainWall, tn?.trainWall),
        ms(t1?.fwdCpu),
        ms(w?.fwdCpu),
        ratio(w?.fwdCpu, t1?.fwdCpu),
        ratio(w?.fwdWall, tn?.fwdWall),
      ]);
      if (t1 && w) {
        if (firstWin.train === null && w.trainCpu > t1.trainCpu) firstWin.train = f;
        if (firstWin.forward === null && w.fwdCpu > t1.fwdCpu) firstWin.forward = f;
      }
    }
    crossover.push(
      `batch ${batch}: training from f=${firstWin.train ?? `>${SWEEP_FACTORS.at(-1)}`}, inference from f=${firstWin.forward ?? `>${SWEEP_FACTORS.at(-1)}`}`,
    );
  }
  printTable(cRows);
  console.log(`native beats wasm per CPU-second (smallest f in the sweep): ${crossover.join('; ')}`);
  console.log(
    '\nratios > 1: tensorflow faster. Goal (issue 12): tf/torch >= 0.8 per CPU-second for train and forward at the quarter (upscaling) and case2 (surrogate) sizes.',
  );
}

const childBackend = process.env.PLUME_BENCH_CHILD;
if (childBackend === 'tensorflow' || childBackend === 'wasm') await child(childBackend);
else await parent();
