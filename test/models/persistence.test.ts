import { mkdtemp, rm } from 'node:fs/promises';
import { physicalLowerBound } from '../../physics/bioremediation/simulate.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../artifacts/store.js';
import { Rng } from '../../numerics/rng.js';
import { initBackend } from '../../models/backend.js';
import { loadManifest, loadModel, MODEL_FORMAT, predict, saveModel } from '../../models/persistence.js';
import { trainModel } from '../../models/training/train-model.js';
import { buildModel } from '../../models/upscaling/registry.js';

let dir: string;
let store: ArtifactStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'plume-models-'));
  store = new ArtifactStore(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function data(n: number) {
  const rng = new Rng(21);
  const x = new Float32Array(n * 3 * 4 * 4).map(() => rng.uniform(5, 80));
  const y = new Float32Array(x.length * 10);
  for (let i = 0; i < x.length; i++) for (let k = 0; k < 10; k++) y[i * 10 + k] = x[i] * (1 - 0.03 * k);
  return { x, y, shapeX: [n, 3, 4, 4] as [number, number, number, number], shapeY: [n, 3, 4, 40] as [number, number, number, number] };
}

describe('persistence', () => {
  it('round-trips a STAMNet trained on wasm and predicts the same on cpu', async () => {
    await initBackend('wasm');
    const d = data(4);
    const trained = await trainModel({
      arch: 'stamnet_upscale',
      options: { hiddenMultipliers: [2, 4, 2] },
      train: d,
      epochs: 3,
      batchSize: 2,
      lr: 1e-3,
      seed: 4,
    });
    const onWasm = predict(trained, d.x, { batchSize: 3 });
    expect(onWasm.shape).toEqual([4, 3, 4, 40]);
    const id = await saveModel(store, trained, { meta: { epochs: 3 } });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    // Same model saved twice: same content address.
    expect(await saveModel(store, trained, { meta: { epochs: 3 } })).toBe(id);
    const manifest = await loadManifest(store, id);
    expect(manifest).toMatchObject({ format: MODEL_FORMAT, arch: 'stamnet_upscale', backend: 'wasm', paramsCount: trained.paramsCount, meta: { epochs: 3 } });
    expect(manifest.normalisation).toEqual(trained.normalisation);
    // weights are numpy-readable .npy artifacts
    const w0 = await store.getTensor(manifest.weights[0].artifactId);
    expect(w0.shape).toEqual(trained.model.parameters[0].variable.shape);
    trained.model.dispose();

    await initBackend('cpu');
    const loaded = await loadModel(store, id);
    expect(loaded.model.arch).toBe('stamnet_upscale');
    const onCpu = predict(loaded, d.x, { batchSize: 4 });
    let maxRel = 0;
    for (let i = 0; i < onCpu.y.length; i++) maxRel = Math.max(maxRel, Math.abs(onCpu.y[i] - onWasm.y[i]) / (Math.abs(onWasm.y[i]) + 1));
    expect(maxRel).toBeLessThan(1e-4);
    loaded.model.dispose();
  });

  it("round-trips a model with skip 'interpolation' (the skip is part of the stored options)", async () => {
    await initBackend('cpu');
    const d = data(4);
    const trained = await trainModel({ arch: 'simple_mlp', options: { skip: 'interpolation' }, train: d, epochs: 2, batchSize: 2, lr: 1e-3, seed: 4 });
    const before = predict(trained, d.x);
    const loaded = await loadModel(store, await saveModel(store, trained));
    expect(loaded.model.options.skip).toBe('interpolation');
    const after = predict(loaded, d.x);
    Array.from(after.y).forEach((v, i) => expect(v).toBeCloseTo(before.y[i], 3));
    trained.model.dispose();
    loaded.model.dispose();
  });

  it('predict de-normalises to physical units (interpolation reproduces the raw input exactly)', async () => {
    await initBackend('cpu');
    const model = buildModel('interpolation', { t: 1, h: 1, w: 2 }, { scale: 2 });
    const norm = { kind: 'minmax' as const, variables: 1, min: [10], max: [110] };
    const out = predict({ model, normalisation: norm }, Float32Array.from([10, 60, 35, 110]), { batchSize: 1 });
    expect(out.shape).toEqual([2, 1, 1, 4]);
    Array.from(out.y).forEach((v, i) => expect(v).toBeCloseTo([10, 10, 60, 60, 35, 35, 110, 110][i], 4));
    expect(() => predict({ model, normalisation: norm }, new Float32Array(3))).toThrow(/n samples of \[1,1,2\]/);
  });

  it('predict clamps non-negative fields at 0 and leaves signed ones alone', async () => {
    await initBackend('cpu');
    const model = buildModel('interpolation', { t: 1, h: 1, w: 2 }, { scale: 2 });
    const norm = { kind: 'minmax' as const, variables: 1, min: [-1], max: [1] };
    const x = Float32Array.from([-0.5, 0.25]);
    expect(Array.from(predict({ model, normalisation: norm }, x, { lowerBound: physicalLowerBound('B') }).y)).toEqual([0, 0, 0.25, 0.25]);
    expect(Array.from(predict({ model, normalisation: norm }, x, { lowerBound: physicalLowerBound('Vx') }).y)).toEqual([-0.5, -0.5, 0.25, 0.25]);
    expect([physicalLowerBound('Cr'), physicalLowerBound('k'), physicalLowerBound('P'), physicalLowerBound('unknown')]).toEqual([0, 0, undefined, undefined]);
  });

  it('refuses artifacts that are not Plume models', async () => {
    const ref = await store.putJson('other', { hello: 1 });
    await expect(loadModel(store, ref.id)).rejects.toThrow(/is not a Plume upscaling model/);
  });
});
