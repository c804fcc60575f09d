/**
 * Checkpointed surrogate training: a training stopped after a checkpoint and resumed from it (in a
 * freshly built model with other initial weights and other variable names) ends with the weights
 * of an uninterrupted training, and the checkpoint bytes round-trip.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { buildSurrogate } from '../../../models/surrogates/registry.js';
import {
  decodeSurrogateTrainingState,
  encodeSurrogateTrainingState,
  stateFitsModel,
  trainSurrogate,
  type SurrogateDataset,
  type SurrogateTrainingState,
} from '../../../models/surrogates/train-surrogate.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint } from '../../../models/training/training-checkpoint.js';
import { Rng } from '../../../numerics/rng.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

function dataset(n: number, d: number, m: number): SurrogateDataset {
  const rng = new Rng(3);
  const x = Float32Array.from({ length: n * d }, () => rng.next());
  // A smooth target the network can learn: y_j = sigmoid-ish mix of the inputs.
  const y = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Math.sin((j + 1) * (k + 1) * x[i * d + k]);
      y[i * m + j] = 0.5 + 0.4 * Math.tanh(s / d);
    }
  }
  return { x, y, n };
}

const weightsOf = (s: ReturnType<typeof buildSurrogate>): Float32Array[] => s.model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());

describe('surrogate training checkpoints', () => {
  it('encodes and decodes a checkpoint; refuses truncated bytes', () => {
    const arrays = [Float32Array.of(1, 2, 3), new Float32Array(0), Float32Array.of(-0.5)];
    const bytes = encodeTrainingCheckpoint({ meta: { epoch: 7, note: 'é' }, arrays });
    const back = decodeTrainingCheckpoint<{ epoch: number; note: string }>(bytes);
    expect(back.meta).toEqual({ epoch: 7, note: 'é' });
    expect(back.arrays.map((a) => Array.from(a))).toEqual([[1, 2, 3], [], [-0.5]]);
    // Decoding an unaligned copy works too (arrays are copied out).
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Array.from(decodeTrainingCheckpoint(shifted.subarray(1)).arrays[0])).toEqual([1, 2, 3]);
    expect(() => decodeTrainingCheckpoint(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated data/);
    expect(() => decodeTrainingCheckpoint(new Uint8Array(20))).toThrow(/not a Plume training checkpoint: bad magic/);
  });

  for (const arch of ['fcdnn', 'lenet'] as const) {
    it(`${arch}: stopped at epoch 3 of 6 and resumed, it ends where an uninterrupted training ends`, async () => {
      const data = dataset(40, 9, 12);
      const options = arch === 'fcdnn' ? { units: 16, hiddenLayers: 2 } : { filters: [2, 4], denseUnits: [16, 8], frontEndShape: [8, 8] };
      // LeNet trains with a cosine schedule: the learning rate is a function of the epoch, so it resumes too.
      const schedule = arch === 'lenet' ? { schedule: { kind: 'cosine_warm_restarts' as const, t0: 6 } } : {};
      const training = { epochs: 6, batchSize: 8, learningRate: 3e-3, weightDecay: 1e-4, seed: 5, ...schedule };

      const straight = buildSurrogate(arch, 9, 12, { ...options, seed: 1 });
      const full = await trainSurrogate(straight, data, training);
      const expected = weightsOf(straight);
      straight.dispose();

      // First attempt: checkpoint every epoch, stopped (like a killed worker) after epoch 3.
      const saved: Uint8Array[] = [];
      const stop = new AbortController();
      const first = buildSurrogate(arch, 9, 12, { ...options, seed: 1 });
      const part = await trainSurrogate(first, data, {
        ...training,
        signal: stop.signal,
        onEpoch: (e) => {
          if (e.epoch === 2) stop.abort();
        },
        checkpoint: {
          everyMs: 0,
          save: (state: SurrogateTrainingState) => {
            saved.push(encodeSurrogateTrainingState(state));
            return Promise.resolve();
          },
        },
      });
      first.dispose();
      expect(part.aborted).toBe(true);
      expect(saved).toHaveLength(3);
      const state = decodeSurrogateTrainingState(saved[2]);
      expect(state.epoch).toBe(3);
      expect(state.optimizer.step).toBe(3 * 5); // 40 samples / batch 8 = 5 steps per epoch

      // Second attempt: another model (other seed, other variable names), resumed from the checkpoint.
      const second = buildSurrogate(arch, 9, 12, { ...options, seed: 99 });
      const resumed = await trainSurrogate(second, data, { ...training, checkpoint: { everyMs: 3_600_000, save: () => Promise.resolve(), resume: state } });
      expect(resumed.resumedFromEpoch).toBe(3);
      expect(resumed.epochs).toBe(6);
      expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(resumed.history.map((h) => h.learningRate)).toEqual(full.history.map((h) => h.learningRate));
      expect(resumed.history[5].trainLoss).toBeCloseTo(full.history[5].trainLoss, 6);
      const got = weightsOf(second);
      second.dispose();
      expect(got.length).toBe(expected.length);
      let maxDiff = 0;
      got.forEach((w, i) => w.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - expected[i][k])))));
      expect(maxDiff).toBeLessThan(1e-6);
    }, 60_000);
  }

  it('refuses a checkpoint of another model', async () => {
    const data = dataset(20, 9, 12);
    const small = buildSurrogate('fcdnn', 9, 12, { units: 8, hiddenLayers: 2, seed: 1 });
    const saved: SurrogateTrainingState[] = [];
    await trainSurrogate(small, data, { epochs: 2, batchSize: 10, checkpoint: { everyMs: 0, save: (s) => Promise.resolve(void saved.push(s)) } });
    small.dispose();
    const other = buildSurrogate('fcdnn', 9, 12, { units: 16, hiddenLayers: 2, seed: 1 });
    const same = buildSurrogate('fcdnn', 9, 12, { units: 8, hiddenLayers: 2, seed: 7 });
    expect(stateFitsModel(same, saved[0])).toBe(true);
    expect(stateFitsModel(other, saved[0])).toBe(false);
    same.dispose();
    await expect(
      trainSurrogate(other, data, { epochs: 2, batchSize: 10, checkpoint: { everyMs: 0, save: () => Promise.resolve(), resume: saved[0] } }),
    ).rejects.toThrow(/checkpoint weight 0 has \d+ values, the model's \d+/);
    other.dispose();
  });
});
