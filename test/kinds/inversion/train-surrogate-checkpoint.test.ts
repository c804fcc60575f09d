/**
 * The surrogate-training task checkpoints into the artifact store under a key derived from its
 * input: an attempt that stops after a checkpoint (here: the last checkpoint is left behind, as
 * when the worker dies before finishing) is resumed by the next attempt with the same input, which
 * gives the same test scores and removes the checkpoint when it is done.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { run, trainingCheckpointKey, type TrainSurrogateTaskInput } from '../../../kinds/inversion/tasks/train-surrogate.js';
import { getCase } from '../../../physics/groundwater/case-registry.js';
import { Rng } from '../../../numerics/rng.js';

afterEach(() => {
  vi.restoreAllMocks();
});

async function caseOneSplit(store: ArtifactStore, n: number, seed: number) {
  const c = getCase('case1');
  const rng = new Rng(seed);
  const d = c.sampling.designDimension;
  const m = 30;
  const params = new Float64Array(n * d);
  const obs = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const p = c.sampling.fromUnit(
      Array.from({ length: d }, () => rng.uniform(0.05, 0.95)),
      1e-6,
    );
    params.set(p, i * d);
    for (let j = 0; j < m; j++) obs[i * m + j] = Math.sin(j + p[j % d]) + 2;
  }
  const pr = await store.putTensor('params', params, [n, d]);
  const ob = await store.putTensor('obs', obs, [n, m]);
  return { split: { params: pr.id, obs: ob.id, field: null, n }, d, m };
}

describe('surrogate-training task checkpoints', () => {
  it('resumes from the checkpoint an earlier attempt left, with the same scores, and cleans it up', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'plume-ckpt-'));
    const store = new ArtifactStore(root);
    const train = await caseOneSplit(store, 30, 1);
    const test = await caseOneSplit(store, 10, 2);
    const input: TrainSurrogateTaskInput = {
      artifactRoot: root,
      caseName: 'case1',
      arch: 'fcdnn',
      inputKind: 'parameters',
      options: { units: 16, hiddenLayers: 2 },
      training: { epochs: 4, batchSize: 10, learningRate: 3e-3 },
      seed: 3,
      d: train.d,
      m: train.m,
      stacked: { train: train.split, test: test.split },
      obsBounds: { min: new Array<number>(train.m).fill(1), max: new Array<number>(train.m).fill(3) },
      msvr: { C: [1], sigmaScale: [1], epsilon: [0.01] },
      nHeads: 10,
      checkpointSeconds: 0,
    };
    const key = trainingCheckpointKey(input);
    // Where it lives and what does not change the key (store location, progress channel, cadence).
    expect(trainingCheckpointKey({ ...input, artifactRoot: '/elsewhere', progressChannel: 'x', checkpointSeconds: 60 })).toBe(key);
    expect(trainingCheckpointKey({ ...input, seed: 4 })).not.toBe(key);
    const file = path.join(root, 'checkpoints', `${key}.ckpt`);

    // First attempt: finishes, but "dies" before removing its checkpoint (saved after epoch 3 of 4).
    const keep = vi.spyOn(ArtifactStore.prototype, 'deleteCheckpoint').mockResolvedValue(undefined);
    const first = await run(input);
    expect(first.resumedFromEpoch).toBeNull();
    expect(existsSync(file)).toBe(true);
    keep.mockRestore();

    // Second attempt with the same input: resumes after epoch 3, ends with the same model.
    const second = await run({ ...input, progressChannel: undefined });
    expect(second.resumedFromEpoch).toBe(3);
    expect(second.history).toHaveLength(4);
    expect(second.history.slice(0, 3)).toEqual(first.history.slice(0, 3));
    expect(second.test.all.rmse).toBeCloseTo(first.test.all.rmse, 6);
    expect(second.artifactId).toBe(first.artifactId); // same weights, same content hash
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(path.join(root, 'checkpoints'))).toEqual([]);
  }, 60_000);
});
