/**
 * Training wall time with the backend forced to wasm against `auto` placement (native TensorFlow +
 * wasm started, `trainModel(..., chooseBackend)` probes a few steps on each and trains on the
 * faster), in the same script, at three sizes of the optimal MLP (or `--arch`):
 *   small    the small preset as examples/train-small.yaml trains it: 12 x 10 x 20 -> x10, widths
 *            W -> 2W -> 8W -> 2W, batch 6, lr 3e-3, cosine over all epochs, wd 0.01, MSE + 0.6 MAE;
 *   wide4x   the same with 4x wider hidden layers (8W -> 32W -> 8W);
 *   quarter  a quarter of the paper's grid (28 x 25 x 50 -> x10) with the paper's widths (10W -> 40W
 *            -> 10W), batch 6.
 * The data is SYNTHETIC, of the small preset's shapes and pair count (32 training + 6 test pairs):
 * smooth random fields x and targets y = a nonlinear function of x interpolated 10x along w (a real
 * dataset campaign takes minutes of physics per pair). Each run validates on the test pairs every
 * epoch, as the train campaign does, and reports the final test MSE and R^2.
 *
 * Each run is a fresh process; runs are interleaved (wasm, auto, wasm, auto), the load average is
 * printed at each, and the faster of the two runs per variant is kept (the slower is shown too).
 * Wall time counts trainModel only (including auto's probe), not process start or backend start.
 *
 * Second table: the best thread split on this machine for native TensorFlow, by wall time of the
 * same total work: PLUME_COMPUTE_THREADS=1 (one process, TensorFlow intra-op = cores, the jobs one
 * after another) against PLUME_COMPUTE_THREADS=cores (that many processes at once, intra-op 1 each;
 * processes stand in for compute threads: the TF thread pools are per process; process start is
 * not timed), for training
 * (quarter size) and batched inference (quarter size, batch 48), interleaved A, B, A, B.
 *
 *   npx tsx bench/train-backends.ts [--arch optimal_mlp] [--sizes small,wide4x,quarter]
 *   PLUME_BENCH_QUICK=1 npx tsx bench/train-backends.ts     # fewer epochs, one run per variant
 *   PLUME_BENCH_REPS=3 ...                                   # runs per variant (default 2, quick 1)
 */
import { printTable } from './text-table.js';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../models/backend.js';
import { predict } from '../models/predict.js';
import { tf } from '../models/tf.js';
import { trainModel } from '../models/training/train-model.js';
import type { TensorData } from '../models/training/tensor-dataset.js';
import type { UpscalingArch } from '../models/upscaling/registry.js';
import { Rng } from '../numerics/rng.js';
import { argText } from './bench-args.js';

const quick = process.env.PLUME_BENCH_QUICK === '1';
const cores = os.availableParallelism();

interface Size {
  name: string;
  t: number;
  h: number;
  w: number;
  mult: number[];
  batch: number;
  epochs: number;
}
const SIZES: Size[] = [
  { name: 'small', t: 12, h: 10, w: 20, mult: [2, 8, 2], batch: 6, epochs: quick ? 30 : 120 },
  { name: 'wide4x', t: 12, h: 10, w: 20, mult: [8, 32, 8], batch: 6, epochs: quick ? 15 : 60 },
  { name: 'quarter', t: 28, h: 25, w: 50, mult: [10, 40, 10], batch: 6, epochs: quick ? 4 : 12 },
];
const SCALE = 10;
const N_TRAIN = 32;
const N_TEST = 6;

/** Smooth random input fields and a nonlinear 10x-along-w target; same seed, same data. */
function syntheticPairs(s: Size, n: number, seed: number): TensorData {
  const rng = new Rng(seed);
  const W = s.w * SCALE;
  const x = new Float32Array(n * s.t * s.h * s.w);
  const y = new Float32Array(n * s.t * s.h * W);
  for (let i = 0; i < n; i++) {
    const [a, b, c, ph1, ph2, k] = [rng.uniform(0.5, 2), rng.uniform(0, 1), rng.uniform(0, 0.5), rng.uniform(0, 6.28), rng.uniform(0, 6.28), rng.uniform(1, 3)];
    const field = (t: number, r: number, col: number) =>
      a * Math.exp(-((col / s.w - 0.3 - 0.4 * (t / s.t)) ** 2) * 8 * k) * (1 + 0.3 * Math.sin(ph1 + (6 * r) / s.h)) +
      b * (t / s.t) +
      c * Math.sin(ph2 + (9 * col) / s.w);
    for (let t = 0; t < s.t; t++)
      for (let r = 0; r < s.h; r++) {
        for (let col = 0; col < s.w; col++) x[((i * s.t + t) * s.h + r) * s.w + col] = field(t, r, col) + 0.02 * rng.normal();
        for (let col = 0; col < W; col++) {
          const v = field(t, r, (col + 0.5) / SCALE - 0.5);
          y[((i * s.t + t) * s.h + r) * W + col] = v * v + 0.1 * Math.sin(13 * v) + 0.02 * rng.normal();
        }
      }
  }
  return { x, y, shapeX: [n, s.t, s.h, s.w], shapeY: [n, s.t, s.h, W] };
}

interface TrainOutcome {
  seconds: number;
  /** user + system CPU seconds of the process over the same span (all threads) */
  cpuSeconds: number;
  backend: string;
  reason: string;
  testMse: number;
  testR2: number;
  /** tensorflow's intra-op threads in that process (absent on wasm-only). */
  tfIntraOp?: number;
}
interface ChildJob {
  job: 'train' | 'infer';
  size: string;
  arch: UpscalingArch;
  /** 'wasm' forces wasm; 'auto' starts tensorflow + wasm and lets trainModel choose; 'tensorflow' forces native. */
  backend: 'wasm' | 'auto' | 'tensorflow';
  repeat: number;
}

async function childRun(j: ChildJob): Promise<TrainOutcome[]> {
  const info = await initBackend(j.backend);
  const tfIntraOp = info.tensorflowThreads?.intraOp;
  const s = SIZES.find((q) => q.name === j.size)!;
  const train = syntheticPairs(s, N_TRAIN, 1);
  const test = syntheticPairs(s, N_TEST, 2);
  const out: TrainOutcome[] = [];
  for (let r = 0; r < j.repeat; r++) {
    if (j.job === 'train') {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = await trainModel({
        arch: j.arch,
        options: { scale: SCALE, hiddenMultipliers: s.mult },
        train,
        val: test,
        epochs: s.epochs,
        batchSize: s.batch,
        lr: 3e-3,
        weightDecay: 0.01,
        schedule: { kind: 'cosine_warm_restarts', t0: s.epochs, tMult: 1 },
        seed: 3,
        chooseBackend: j.backend === 'auto' ? {} : undefined,
      });
      const seconds = (performance.now() - t0) / 1000;
      const cu = process.cpuUsage(c0);
      const cpuSeconds = (cu.user + cu.system) / 1e6;
      const last = res.history[res.history.length - 1];
      out.push({
        seconds,
        cpuSeconds,
        backend: res.backend,
        reason: res.backendReason,
        testMse: last.valMetrics!.mse,
        testR2: last.valMetrics!.r2_whole,
        tfIntraOp,
      });
      res.model.dispose();
    } else {
      // batched inference: an untrained model (same seed) over 96 samples, 5 passes, batch 48
      const res = await trainModel({ arch: j.arch, options: { scale: SCALE, hiddenMultipliers: s.mult }, train, epochs: 0, seed: 3 });
      const xs = new Float32Array(96 * s.t * s.h * s.w);
      for (let k = 0; k < xs.length; k++) xs[k] = train.x[k % train.x.length];
      predict(res, xs.subarray(0, 48 * s.t * s.h * s.w), { batchSize: 48 }); // warm-up
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let p = 0; p < 5; p++) predict(res, xs, { batchSize: 48 });
      const cu = process.cpuUsage(c0);
      out.push({
        seconds: (performance.now() - t0) / 1000,
        cpuSeconds: (cu.user + cu.system) / 1e6,
        backend: tf.getBackend(),
        reason: 'forced',
        testMse: NaN,
        testR2: NaN,
        tfIntraOp,
      });
      res.model.dispose();
    }
  }
  return out;
}

function runChild(j: ChildJob, env: NodeJS.ProcessEnv = {}): Promise<TrainOutcome[]> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...env, PLUME_TRAIN_BENCH_CHILD: JSON.stringify(j) };
    delete e.PLUME_BACKEND;
    if (!env.TF_NUM_INTRAOP_THREADS) delete e.TF_NUM_INTRAOP_THREADS;
    if (!env.TF_NUM_INTEROP_THREADS) delete e.TF_NUM_INTEROP_THREADS;
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child ${JSON.stringify(j)} exited ${code}: ${err.trim().split('\n').slice(-4).join(' | ')}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as TrainOutcome[]);
    });
  });
}

const load = () => os.loadavg()[0].toFixed(1);
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2) : '-');

async function parent(): Promise<void> {
  const arch = argText('arch', 'optimal_mlp') as UpscalingArch;
  const sizes = argText('sizes', SIZES.map((s) => s.name).join(',')).split(',');
  const reps = Number(process.env.PLUME_BENCH_REPS) > 0 ? Number(process.env.PLUME_BENCH_REPS) : quick ? 1 : 2;
  const goal: Record<string, string> = { small: '<= 1.1', wide4x: '<= 0.5', quarter: '<= 0.33' };
  console.log(
    `train-backends: ${arch}, synthetic data of the small preset's shapes (${N_TRAIN} train + ${N_TEST} test pairs), ${cores} cores, ${reps} interleaved run(s) per variant`,
  );
  const tfThreads: number[] = [];
  const t1: string[][] = [
    [
      'size',
      'params-shape',
      'epochs',
      'batch',
      'wasm s',
      'auto s',
      'auto/wasm',
      'goal',
      'cpu-s wasm/auto',
      'cpu auto/wasm',
      'auto chose',
      'probe',
      'test R2 wasm/auto',
      'test MSE wasm/auto',
      'load (1 min) per run',
    ],
  ];
  for (const name of sizes) {
    const s = SIZES.find((q) => q.name === name);
    if (!s) throw new Error(`--sizes: unknown size '${name}' (use ${SIZES.map((q) => q.name).join(', ')})`);
    const runs: Record<'wasm' | 'auto', TrainOutcome[]> = { wasm: [], auto: [] };
    const loads: string[] = [];
    for (let r = 0; r < reps; r++) {
      for (const backend of ['wasm', 'auto'] as const) {
        loads.push(`${backend[0]}${load()}`);
        process.stderr.write(`${name} ${backend} run ${r + 1} (load ${load()}) ... `);
        const [o] = await runChild({ job: 'train', size: name, arch, backend, repeat: 1 });
        process.stderr.write(`${o.seconds.toFixed(1)} s on ${o.backend}\n`);
        runs[backend].push(o);
        if (o.tfIntraOp !== undefined && !tfThreads.includes(o.tfIntraOp)) tfThreads.push(o.tfIntraOp);
      }
    }
    const bestOf = (v: TrainOutcome[]) => v.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const [w, a] = [bestOf(runs.wasm), bestOf(runs.auto)];
    const all = (v: TrainOutcome[]) => v.map((o) => f2(o.seconds)).join('/');
    t1.push([
      name,
      `${s.t}x${s.h}x${s.w} ${s.mult.join('-')}`,
      String(s.epochs),
      String(s.batch),
      all(runs.wasm),
      all(runs.auto),
      (a.seconds / w.seconds).toFixed(2),
      goal[name],
      `${f2(w.cpuSeconds)}/${f2(a.cpuSeconds)}`,
      (a.cpuSeconds / w.cpuSeconds).toFixed(2),
      a.backend,
      a.reason.replace(/^probe: /, ''),
      `${w.testR2.toFixed(4)}/${a.testR2.toFixed(4)}`,
      `${w.testMse.toPrecision(4)}/${a.testMse.toPrecision(4)}`,
      loads.join(' '),
    ]);
    console.error(`row: ${t1[0].map((h, i) => `${h}=${t1[t1.length - 1][i]}`).join(' | ')}`);
  }
  console.log(`TensorFlow intra-op threads in the auto runs: ${tfThreads.join(', ') || '-'} (cores / PLUME_COMPUTE_THREADS, default ${cores} compute threads)`);
  console.log(
    '\nA. training wall time, wasm forced vs auto placement (seconds of each run; ratio of the best runs; < 1: auto faster; CPU seconds of the best runs beside)',
  );
  printTable(t1);

  if (argText('split', 'yes') !== 'no' && cores > 1) {
    const t2: string[][] = [
      [
        'workload',
        `PLUME_COMPUTE_THREADS=1 (1 x intra-op ${cores})`,
        `PLUME_COMPUTE_THREADS=${cores} (${cores} x intra-op 1)`,
        'ratio split/single',
        'load (1 min) per run',
      ],
    ];
    for (const job of ['train', 'infer'] as const) {
      const single: number[] = [];
      const split: number[] = [];
      const loads: string[] = [];
      const intra: { single?: number; split?: number } = {};
      for (let r = 0; r < reps; r++) {
        loads.push(`A${load()}`);
        process.stderr.write(`split ${job} 1x${cores} ... `);
        const one = await runChild({ job, size: 'quarter', arch, backend: 'tensorflow', repeat: cores }, { PLUME_COMPUTE_THREADS: '1' });
        intra.single = one[0].tfIntraOp;
        single.push(one.reduce((a, o) => a + o.seconds, 0));
        loads.push(`B${load()}`);
        process.stderr.write(`${single.at(-1)!.toFixed(1)} s; ${cores}x1 ... `);
        const many = (
          await Promise.all(
            Array.from({ length: cores }, () =>
              runChild({ job, size: 'quarter', arch, backend: 'tensorflow', repeat: 1 }, { PLUME_COMPUTE_THREADS: String(cores) }),
            ),
          )
        ).flat();
        intra.split = many[0].tfIntraOp;
        split.push(Math.max(...many.map((o) => o.seconds)));
        process.stderr.write(`${split.at(-1)!.toFixed(1)} s\n`);
      }
      const what =
        job === 'train' ? `train quarter x${cores} (${SIZES[2].epochs} epochs each)` : `inference quarter x${cores} (5 x 96 samples, batch 48, each)`;
      if (intra.single !== cores || intra.split !== 1)
        throw new Error(`thread split: expected intra-op ${cores} and 1, got ${intra.single} and ${intra.split}`);
      t2.push([what, single.map(f2).join('/'), split.map(f2).join('/'), (Math.min(...split) / Math.min(...single)).toFixed(2), loads.join(' ')]);
    }
    console.log(
      `\nB. thread split for native TensorFlow on ${cores} cores: wall seconds for the same total work, single: sum of the jobs' times in one process; split: the slowest of the concurrent processes (started together); process and backend start excluded; < 1: the split is faster`,
    );
    printTable(t2);
  }
}

const childJob = process.env.PLUME_TRAIN_BENCH_CHILD;
if (childJob) console.log(JSON.stringify(await childRun(JSON.parse(childJob) as ChildJob)));
else await parent();
