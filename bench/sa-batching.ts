/**
 * SA's two batching modes on a neural surrogate, as an inversion campaign runs them: scikit-opt's
 * sequential chain (one candidate per surrogate call) against speculative batching
 * (`sa.batching: speculative`: the next candidates proposed assuming rejection, evaluated as one
 * batch, the rest discarded at an acceptance), same seed, same chain law.
 *
 *   npx tsx bench/sa-batching.ts [--npc 80] [--chains 200] [--scenarios 2] [--backend tensorflow]
 *                                [--surrogate <artifact root> <artifact id>]
 *
 * The objective is case 1's: J(u) = mean over the 150 calibration entries of (y_obs - F(u))^2, with
 * y_obs = F(u*) (1 + 1 % uniform noise) at a random u* per scenario. F is a paper-size case-1 ResNet
 * (9 -> 294): freshly initialised (seed 1) by default, or a trained one from an artifact store (an
 * inversion or surrogates campaign's `.plume/artifacts` and its model's artifact id). Prints, per
 * scenario and mode: wall time, chain calls, discarded calls, surrogate invocations, log10 J; then
 * the wall-time ratio sequential / speculative over all scenarios. The two modes' best J can differ
 * in the last digits: a batch and a single row are not computed with the same float32 kernels, so
 * a rare accept/reject decision goes the other way.
 */
import { ArtifactStore } from '../artifacts/store.js';
import { observationSplit } from '../kinds/inversion/problem.js';
import { loadInversionSurrogate, type InversionSurrogate } from '../kinds/inversion/surrogate.js';
import { BatchObjective } from '../inversion/objective/batch-objective.js';
import { runSA } from '../inversion/optimizers/sa.js';
import { initBackend, type BackendPreference } from '../models/backend.js';
import { buildSurrogate } from '../models/surrogates/registry.js';
import { tf } from '../models/tf.js';
import { Rng } from '../numerics/rng.js';
import { argNumber, argText } from './bench-args.js';

const npc = argNumber('npc', 80);
const chains = argNumber('chains', 200);
const scenarios = argNumber('scenarios', 2);
const backend = await initBackend(argText('backend', 'tensorflow') as BackendPreference);
const at = process.argv.indexOf('--surrogate');

const DIM = 9;
const OUTPUTS = 294;
let surrogate: InversionSurrogate;
let label: string;
if (at >= 0) {
  const [root, id] = process.argv.slice(at + 1, at + 3);
  if (!root || !id) throw new Error('--surrogate needs <artifact root> <artifact id>');
  surrogate = await loadInversionSurrogate(new ArtifactStore(root), id);
  label = `trained ${surrogate.arch} ${id.slice(0, 12)}`;
} else {
  surrogate = { ...buildSurrogate('resnet', DIM, OUTPUTS, { seed: 1 }), arch: 'resnet' };
  label = 'resnet, fresh weights (seed 1)';
}

const cal = observationSplit('case1', null).calibration;
const calIdx = tf.keep(tf.tensor1d(cal, 'int32'));
const forward = (X: Float64Array[]): Float64Array[] => {
  const flat = new Float32Array(X.length * DIM);
  X.forEach((r, i) => flat.set(r, i * DIM));
  const y = tf.tidy(() => tf.gather(surrogate.apply(tf.tensor2d(flat, [X.length, DIM])), calIdx, 1));
  const v = y.dataSync();
  y.dispose();
  return X.map((_, i) => Float64Array.from(v.subarray(i * cal.length, (i + 1) * cal.length)));
};

console.log(`SA on a case-1 surrogate (${label}), backend ${backend.name}, NPC ${npc} x ${chains} chains, ${scenarios} scenario(s)\n`);
const rng = new Rng(5);
const wall = { sequential: 0, speculative: 0 };
for (let s = 0; s < scenarios; s++) {
  const truth = Float64Array.from({ length: DIM }, () => rng.next());
  const observations = forward([truth])[0].map((v) => v * (1 + 0.01 * rng.uniform(-1, 1)));
  for (const mode of ['sequential', 'speculative'] as const) {
    const objective = new BatchObjective({ dim: DIM, forward, observations, sigma: cal.length });
    const t0 = performance.now();
    const r = await runSA(objective, { seed: 11 + s, chainLength: npc, maxIter: chains, batchMode: mode });
    const ms = performance.now() - t0;
    wall[mode] += ms;
    console.log(
      `scenario ${s} ${mode.padEnd(11)} ${(ms / 1000).toFixed(1).padStart(6)} s  chain calls ${r.forwardCalls - r.wastedCalls}  discarded ${r.wastedCalls}  surrogate invocations ${r.batches}  log10 J ${Math.log10(r.bestObjective).toFixed(4)}`,
    );
  }
}
console.log(`\nwall time sequential / speculative: ${(wall.sequential / wall.speculative).toFixed(2)}x`);
calIdx.dispose();
surrogate.dispose();
