/**
 * Plume's GA / PSO / DE / SA against scikit-opt (the package the paper used) on the analytic
 * functions of inversion/objective/analytic-functions.ts, d = 5 and 10, same budgets, 20 seeds.
 *
 *   npx tsx bench/inversion-optimizers.ts [--seeds 20] [--pop 50] [--iters 200] [--dims 5,10]
 *
 * Prints, per function x d x method: the final best objective (median [q1, q3]) of Plume and of
 * scikit-opt, a two-sided Mann-Whitney U p-value (same distribution?), forward calls of each
 * (Plume: the objective's counter; scikit-opt: a counting wrapper), and the median wall time per run
 * with the Plume / scikit-opt ratio. Both sides report the lowest objective among all evaluations.
 * SA runs L = pop and `iters` chains (scikit-opt: T_min placed so it stops after exactly that many).
 *
 * The Python peer runs in ${PLUME_HOME:-~/.plume}/bench-venv, created (python3 -m venv) and given
 * scikit-opt (pip) by this script if missing. Timings: peer first, then Plume, never concurrently.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPython } from './bench-venv.js';
import { normalisedAnalytic, type AnalyticName } from '../inversion/objective/analytic-functions.js';
import { FunctionObjective } from '../inversion/objective/function-objective.js';
import type { Objective } from '../inversion/objective/objective.js';
import { runDE } from '../inversion/optimizers/de.js';
import { runGA } from '../inversion/optimizers/ga.js';
import type { OptimizerMethod, OptimizerResult } from '../inversion/optimizers/optimizer-result.js';
import { runPSO } from '../inversion/optimizers/pso.js';
import { runSA } from '../inversion/optimizers/sa.js';
import { erfc } from '../numerics/error-function.js';
import { quantileSorted } from '../numerics/statistics.js';
import { argNumber, argText } from './bench-args.js';

const here = dirname(fileURLToPath(import.meta.url));

const nSeeds = argNumber('seeds', 20);
const pop = argNumber('pop', 50);
const iters = argNumber('iters', 200);
const dims = argText('dims', '5,10').split(',').map(Number);
const functions: AnalyticName[] = ['sphere', 'rosenbrock', 'rastrigin'];
const methods: OptimizerMethod[] = ['GA', 'PSO', 'DE', 'SA'];
const seeds = Array.from({ length: nSeeds }, (_, i) => i + 1);

interface RunRecord {
  method: OptimizerMethod;
  fn: AnalyticName;
  d: number;
  seed: number;
  best: number;
  calls: number;
  batches: number;
  wallMs: number;
}

function runPeer(py: string): RunRecord[] {
  const version = spawnSync(py, ['-c', 'import importlib.metadata as m; print(m.version("scikit-opt"))'], { encoding: 'utf8' }).stdout.trim();
  console.log(`scikit-opt ${version} peer: ${functions.length * dims.length * methods.length * seeds.length} runs ...`);
  const r = spawnSync(py, [join(here, 'python', 'scikit_opt_peer.py')], {
    input: JSON.stringify({ functions, dims, seeds, methods, pop, iters }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`scikit-opt peer failed:\n${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunRecord);
}

// ---------- Plume ----------
function batched(fn: AnalyticName, d: number): Objective {
  const f = normalisedAnalytic(fn);
  return new FunctionObjective(d, (X) => {
    const out = new Float64Array(X.length);
    for (let r = 0; r < X.length; r++) out[r] = f(X[r]);
    return out;
  });
}

async function runPlume(method: OptimizerMethod, fn: AnalyticName, d: number, seed: number): Promise<OptimizerResult & { objCalls: number }> {
  const obj = batched(fn, d);
  const o = { seed, popSize: pop, maxIter: iters };
  const r =
    method === 'GA'
      ? await runGA(obj, o)
      : method === 'PSO'
        ? await runPSO(obj, o)
        : method === 'DE'
          ? await runDE(obj, o)
          : await runSA(obj, { seed, chainLength: pop, maxIter: iters });
  return { ...r, objCalls: obj.forwardCalls };
}

// ---------- statistics ----------
const quantile = (sorted: number[], p: number): number => quantileSorted(sorted, p) ?? NaN;
function summary(v: number[]): [number, number, number] {
  const s = [...v].sort((a, b) => a - b);
  return [quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75)];
}
/** Two-sided Mann-Whitney U test, normal approximation with tie correction. */
function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Float64Array(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  let r1 = 0;
  for (let k = 0; k < all.length; k++) if (all[k].g === 0) r1 += ranks[k];
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sd === 0) return 1;
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / sd;
  return Math.min(1, erfc(Math.max(z, 0) / Math.SQRT2));
}

const fmt = (x: number) => (x === 0 ? '0' : Math.abs(x) < 1e-2 || Math.abs(x) >= 1e4 ? x.toExponential(1) : x.toPrecision(3));
const q3 = ([a, m, b]: [number, number, number]) => `${fmt(m)} [${fmt(a)}, ${fmt(b)}]`;

async function main() {
  const py = benchPython('sko', 'scikit-opt');
  const peer = runPeer(py);
  // JIT warm-up so the first timed configuration is not charged for compilation.
  for (const method of methods) for (const fn of functions) await runPlume(method, fn, dims[0], 999);
  console.log(`Plume: ${peer.length} runs ...`);
  const rows: string[][] = [];
  const notes: string[] = [];
  let totalP = 0;
  let totalS = 0;
  for (const fn of functions) {
    for (const d of dims) {
      for (const method of methods) {
        const plume: RunRecord[] = [];
        for (const seed of seeds) {
          const r = await runPlume(method, fn, d, seed);
          if (r.objCalls !== r.forwardCalls) throw new Error('objective counter and result disagree');
          plume.push({ method, fn, d, seed, best: r.bestObjective, calls: r.forwardCalls, batches: r.batches, wallMs: r.wallMs });
        }
        const sko = peer.filter((p) => p.fn === fn && p.d === d && p.method === method);
        const pv = mannWhitneyP(
          plume.map((r) => r.best),
          sko.map((r) => r.best),
        );
        const callsP = new Set(plume.map((r) => r.calls));
        const callsS = new Set(sko.map((r) => r.calls));
        const wallP = summary(plume.map((r) => r.wallMs))[1];
        const wallS = summary(sko.map((r) => r.wallMs))[1];
        totalP += plume.reduce((s, r) => s + r.wallMs, 0);
        totalS += sko.reduce((s, r) => s + r.wallMs, 0);
        rows.push([
          fn,
          String(d),
          method,
          q3(summary(plume.map((r) => r.best))),
          q3(summary(sko.map((r) => r.best))),
          pv.toFixed(3) + (pv < 0.01 ? ' *' : ''),
          `${[...callsP].join('/')} | ${[...callsS].join('/')}`,
          `${plume[0].batches} | ${sko[0].batches}`,
          `${wallP.toFixed(1)} | ${wallS.toFixed(1)}`,
          (wallP / wallS).toFixed(2),
        ]);
        if (pv < 0.01) notes.push(`${fn} d=${d} ${method}: distributions differ (p = ${pv.toExponential(2)})`);
      }
    }
  }
  const head = [
    'function',
    'd',
    'method',
    'Plume best: median [q1, q3]',
    'scikit-opt best: median [q1, q3]',
    'MW p',
    'calls Plume | sko',
    'batches P | S',
    'wall ms/run P | S',
    'P/S',
  ];
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => v.padEnd(width[c])).join('  ');
  console.log(`\npop ${pop}, ${iters} iterations (SA: L = ${pop}, ${iters} chains), ${nSeeds} seeds; * = Mann-Whitney p < 0.01`);
  console.log(line(head));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(`\ntotal wall: Plume ${(totalP / 1000).toFixed(1)} s, scikit-opt ${(totalS / 1000).toFixed(1)} s, ratio ${(totalP / totalS).toFixed(2)}`);
  console.log(notes.length ? notes.join('\n') : 'no configuration differs at p < 0.01');

  // SA speculative batching: same trajectory, what it costs in extra calls and saves in batches.
  console.log('\nSA speculative batching (seed 1; identical result to sequential):');
  for (const fn of functions) {
    for (const d of dims) {
      const seq = await runSA(batched(fn, d), { seed: 1, chainLength: pop, maxIter: iters });
      const spec = await runSA(batched(fn, d), { seed: 1, chainLength: pop, maxIter: iters, batchMode: 'speculative' });
      const same = spec.bestObjective === seq.bestObjective;
      console.log(
        `  ${fn} d=${d}: calls ${seq.forwardCalls} -> ${spec.forwardCalls} (+${((100 * spec.wastedCalls) / seq.forwardCalls).toFixed(0)}%), batches ${seq.batches} -> ${spec.batches}, same result: ${same}`,
      );
    }
  }
}

await main();
