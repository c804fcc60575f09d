/**
 * AAE on small (16 x 16) channel fields from the procedural generator. Runs on the wasm backend:
 * TF.js's cpu Conv2DBackpropFilter is ~400x slower than the wasm kernel Plume registers
 * (928 ms vs 2.2 ms for a 25 x 16 x 16 x 8 filter gradient), which makes conv training on cpu
 * impractical even at test sizes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../artifacts/store.js';
import { initBackend } from '../../../models/backend.js';
import {
  buildAdversarialAutoencoder,
  decodedFaciesProportion,
  decodeLatents,
  loadDecoder,
  reconstructFields,
  reconstructionAccuracy,
  saveDecoder,
  trainAdversarialAutoencoder,
  type FieldSet,
} from '../../../models/inversion/adversarial-autoencoder.js';
import { tf } from '../../../models/tf.js';
import { channelizedFieldSeeded, channelProportion } from '../../../physics/fields/channelized-field.js';

const S = 16;
const small = {
  nx: S,
  ny: S,
  width: [2, 4] as [number, number],
  count: [1, 2] as [number, number],
  amplitude: [1, 1.6] as [number, number],
  wavelength: [8, 24] as [number, number],
};

function fields(seed: number, n: number): FieldSet & { proportion: number } {
  const f = new Uint8Array(n * S * S);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const c = channelizedFieldSeeded(seed, i, small);
    f.set(c.facies, i * S * S);
    p += channelProportion(c.facies);
  }
  return { fields: f, n, proportion: p / n };
}

beforeAll(async () => {
  await initBackend('tensorflow');
});

describe('adversarial autoencoder', () => {
  it('has the paper-size shapes: 80 x 80 field <-> 100-d latent, discriminator logit', () => {
    const aae = buildAdversarialAutoencoder({ filters: [2, 2, 2], discriminatorUnits: 4 });
    expect(aae.encoder.outputs[0].shape).toEqual([null, 100]);
    expect(aae.decoder.outputs[0].shape).toEqual([null, 80, 80, 1]);
    expect(aae.discriminator.outputs[0].shape).toEqual([null, 1]);
    expect(() => buildAdversarialAutoencoder({ height: 20, width: 20, filters: [2, 2, 2] })).toThrow(/multiples of 2\^3/);
    aae.dispose();
  });

  it('learns binary-like channel fields: test accuracy > 0.82 (all-background gives ~0.72)', async () => {
    const train = fields(1, 200);
    const test = fields(2, 50);
    const aae = buildAdversarialAutoencoder({ height: S, width: S, latentDim: 16, filters: [8, 16], discriminatorUnits: 32, seed: 1 });
    const before = reconstructionAccuracy(aae, test);
    const res = await trainAdversarialAutoencoder(aae, train, { epochs: 40, batchSize: 25, learningRate: 1e-3, seed: 2 });
    expect(res.history.slice(0, 8).every((h) => h.reconstructionLoss === 'bce')).toBe(true);
    expect(res.history[8].reconstructionLoss).toBe('l1');
    const acc = reconstructionAccuracy(aae, test);
    expect(acc).toBeGreaterThan(0.82);
    expect(acc).toBeGreaterThan(before);
    expect(acc).toBeGreaterThan(1 - test.proportion + 0.08);
    // Binary-like output: reconstructed cells mostly near 0 or 1.
    const rec = reconstructFields(aae, test);
    let near = 0;
    for (const v of rec) if (v < 0.2 || v > 0.8) near++;
    expect(near / rec.length).toBeGreaterThan(0.8);
    // Random latents from the prior decode to fields with a non-trivial channel proportion.
    const st = decodedFaciesProportion(aae, 50, 3);
    expect(st.meanProportion).toBeGreaterThan(0.05);
    expect(st.meanProportion).toBeLessThan(0.6);

    const root = await mkdtemp(path.join(tmpdir(), 'plume-aae-'));
    try {
      const store = new ArtifactStore(root);
      const ref = await saveDecoder(store, aae);
      const { decoder, options } = await loadDecoder(store, ref.id);
      expect(options.latentDim).toBe(16);
      const z = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i));
      const a = decodeLatents(aae, z, 2);
      const b = tf.tidy(() => (decoder.apply(tf.tensor2d(z, [2, 16])) as tf.Tensor).dataSync());
      expect(Array.from(b)).toEqual(Array.from(a));
      decoder.dispose();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    aae.dispose();
  });
});
