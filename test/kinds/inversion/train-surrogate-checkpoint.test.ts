/**
 * The surrogate-training task checkpoints into the artifact store under a key derived from its
 * input: an attempt that stops after a checkpoint (here: the last checkpoint is left behind, as
 * when the worker dies before finishing) is resumed by the next attempt with the same input, which
 * gives the same test scores and removes the checkpoint when it is done. And a U-Net whose maps are
 * in physical units starts its output affine at the training bounds' normalisation.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { run, trainingCheckpointKey, type TrainSurrogateTaskInput } from '../../../kinds/inversion/tasks/train-surrogate.js';
import { loadSurrogate } from '../../../models/surrogates/layers-model-store.js';
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

describe('surrogate-training task, U-Net maps in physical units', () => {
  it("starts a 'breakthrough' U-Net's output affine at the training bounds' normalisation, a 'normalised' one at the identity", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'plume-unet-task-'));
    const store = new ArtifactStore(root);
    const m = 81 * 31;
    const split = async (n: number, seed: number) => {
      const rng = new Rng(seed);
      const params = Float64Array.from({ length: n * 100 }, () => rng.normal());
      const field = Float32Array.from({ length: n * 64 * 64 }, () => rng.normal());
      const obs = Float32Array.from({ length: n * m }, (_, i) => (i % m < 81 ? rng.uniform(0.2, 0.8) : rng.uniform(0, 1)));
      const ids = await Promise.all([
        store.putTensor('params', params, [n, 100]),
        store.putTensor('obs', obs, [n, m]),
        store.putTensor('field', field, [n, 64 * 64]),
      ]);
      return { params: ids[0].id, obs: ids[1].id, field: ids[2].id, n };
    };
    const min = Array.from({ length: m }, (_, j) => (j < 81 ? 0.1 + j / 1000 : 0));
    const max = Array.from({ length: m }, (_, j) => (j < 81 ? 0.9 : 0.5 + (j % 7) / 10));
    const input: TrainSurrogateTaskInput = {
      artifactRoot: root,
      caseName: 'case2',
      arch: 'unet',
      inputKind: 'field',
      options: { baseFilters: 2, maps: 'breakthrough', breakthroughComponents: 2 },
      training: { epochs: 1, batchSize: 4, learningRate: 1e-7 },
      seed: 3,
      d: 100,
      m,
      stacked: { train: await split(4, 1), test: await split(2, 2) },
      obsBounds: { min, max },
      msvr: { C: [1], sigmaScale: [1], epsilon: [0.01] },
      nHeads: 81,
    };
    const scaleOf = async (id: string, maps: string) => {
      const s = await loadSurrogate(store, id);
      const scale = Array.from(s.model.getLayer('output').getWeights()[0].dataSync());
      expect(s.options).toMatchObject({ maps });
      s.dispose();
      return scale;
    };
    const curves = await run(input);
    const scale = await scaleOf(curves.artifactId, 'breakthrough');
    for (const j of [0, 80, 81, 500, m - 1]) expect(scale[j]).toBeCloseTo(1 / (max[j] - min[j]), 3);
    const plain = await run({ ...input, options: { baseFilters: 2, maps: 'normalised' } });
    for (const v of (await scaleOf(plain.artifactId, 'normalised')).slice(0, 100)) expect(v).toBeCloseTo(1, 3);
  }, 120_000);
});
