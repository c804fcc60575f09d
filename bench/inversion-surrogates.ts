/**
 * Surrogate evaluation throughput (samples/s, inference only) of the paper-size FC-DNN, LeNet and
 * ResNet on each available TF.js backend, and of MSVR (inversion/msvr, plain JS, no backend), for a
 * case-1-like vector input (9 parameters -> 50 outputs) and a case-2-like field input
 * (64 x 64 image -> 100 outputs).
 *
 *   npx tsx bench/inversion-surrogates.ts [--batch 100] [--seconds 1.5] [--backends wasm,cpu]
 *
 * Each cell: a fresh model built on that backend (fixed seed), one warm-up batch, then batches of
 * `--batch` samples until `--seconds` have passed; samples/s = samples / wall time (read back to
 * the host each batch, as the inversion loop does). Ratios: each backend against cpu, and each
 * surrogate against FC-DNN on the same backend. No Python peer here (no PyTorch in the bench venv).
 * MSVR is fitted on 200 random samples (C = 100, sigma = 1, eps = 0.01; fitting not timed);
 * its cost is linear in the number of support vectors.
 */
import { initBackend, type BackendPreference } from '../models/backend.js';
import { buildSurrogate } from '../models/surrogates/registry.js';
import type { SurrogateInputSpec } from '../models/surrogates/surrogate-input.js';
import type { SurrogateArch } from '../models/surrogates/surrogate.js';
import { MSVR } from '../inversion/msvr/msvr.js';
import { rowMatrix } from '../inversion/msvr/row-matrix.js';
import { Rng } from '../numerics/rng.js';
import { argNumber, argText } from './bench-args.js';

const batch = argNumber('batch', 100);
const seconds = argNumber('seconds', 1.5);
const backends = argText('backends', 'wasm,cpu').split(',') as BackendPreference[];

const inputs: { name: string; input: SurrogateInputSpec; outputDim: number }[] = [
  { name: 'case1 [9] -> 50', input: 9, outputDim: 50 },
  { name: 'case2 [64x64] -> 100', input: [64, 64, 1], outputDim: 100 },
];
const archs: SurrogateArch[] = ['fcdnn', 'lenet', 'resnet'];

function randomInputs(n: number, size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * size }, () => rng.next());
}

function timeLoop(run: () => void): number {
  run(); // warm-up
  let samples = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    run();
    samples += batch;
  }
  return samples / ((performance.now() - t0) / 1000);
}

type Row = { input: string; surrogate: string; backend: string; samplesPerSec: number };
const rows: Row[] = [];

for (const b of backends) {
  let info;
  try {
    info = await initBackend(b);
  } catch (e) {
    console.log(`skipping backend ${b}: ${(e as Error).message.split('\n')[0]}`);
    continue;
  }
  for (const inp of inputs) {
    const size = Array.isArray(inp.input) ? inp.input[0] * inp.input[1] * inp.input[2] : (inp.input as number);
    const x = randomInputs(batch, size, 1);
    for (const arch of archs) {
      const s = buildSurrogate(arch, inp.input, inp.outputDim, { seed: 1 });
      const sps = timeLoop(() => void s.predict(x, batch, batch));
      s.dispose();
      rows.push({ input: inp.name, surrogate: arch, backend: info.name + (info.simd ? '+simd' : ''), samplesPerSec: sps });
      console.log(`  ${inp.name.padEnd(22)} ${arch.padEnd(7)} ${rows[rows.length - 1].backend.padEnd(10)} ${sps.toFixed(0)} samples/s`);
    }
  }
}

for (const inp of inputs) {
  const size = Array.isArray(inp.input) ? inp.input[0] * inp.input[1] * inp.input[2] : (inp.input as number);
  const n = 200;
  const rng = new Rng(2);
  const X = Float64Array.from({ length: n * size }, () => rng.next());
  const Y = Float64Array.from({ length: n * inp.outputDim }, (_, i) => 0.5 + 0.4 * Math.sin(X[Math.floor(i / inp.outputDim) * size + (i % size)] * 3));
  const model = MSVR.fit(rowMatrix(X, n, size), rowMatrix(Y, n, inp.outputDim), { C: 100, sigma: Math.sqrt(size / 6), epsilon: 0.01, maxIter: 20 });
  const Xq = rowMatrix(Float64Array.from(randomInputs(batch, size, 3)), batch, size);
  const sps = timeLoop(() => void model.predict(Xq));
  rows.push({ input: inp.name, surrogate: `msvr(${model.info.supportVectors}sv)`, backend: 'js', samplesPerSec: sps });
  console.log(`  ${inp.name.padEnd(22)} msvr    js         ${sps.toFixed(0)} samples/s`);
}

const cpuOf = (r: Row) => rows.find((q) => q.input === r.input && q.surrogate === r.surrogate && q.backend === 'cpu')?.samplesPerSec;
const fcOf = (r: Row) => rows.find((q) => q.input === r.input && q.surrogate === 'fcdnn' && q.backend === r.backend)?.samplesPerSec;
console.log(`\nSurrogate evaluation throughput (batch ${batch}, ${seconds} s per cell)\n`);
console.log('| input | surrogate | backend | samples/s | vs cpu | vs fcdnn |');
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  const c = cpuOf(r);
  const f = fcOf(r);
  console.log(
    `| ${r.input} | ${r.surrogate} | ${r.backend} | ${r.samplesPerSec.toFixed(0)} | ${c ? (r.samplesPerSec / c).toFixed(2) + 'x' : '-'} | ${f ? (r.samplesPerSec / f).toFixed(2) + 'x' : '-'} |`,
  );
}
