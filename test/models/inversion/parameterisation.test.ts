import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { buildAdversarialAutoencoder } from '../../../models/inversion/adversarial-autoencoder.js';
import { boundedIdentity, CASE1_BOUNDS, decoderParameterisation, kleParameterisation } from '../../../models/inversion/parameterisation.js';
import { tf } from '../../../models/tf.js';
import { buildKle, kleField } from '../../../physics/fields/kle.js';
import { normalQuantile } from '../../../numerics/normal-quantile.js';
import { probitTensor } from '../../../models/inversion/probit.js';

beforeAll(async () => {
  await initBackend('tensorflow');
});

describe('probitTensor', () => {
  it('matches AS 241 to ~1e-5 over [1e-6, 1 - 1e-6] and has gradient 1 / phi(z)', () => {
    const us = [1e-6, 1e-4, 0.003, 0.02, 0.1, 0.3, 0.5, 0.62, 0.9, 0.99, 0.9999];
    const z = probitTensor(tf.tensor1d(us)).dataSync();
    us.forEach((u, i) => expect(Math.abs(z[i] - normalQuantile(u))).toBeLessThan(2e-5 * Math.max(1, Math.abs(normalQuantile(u)))));
    const g = tf
      .grad((x: tf.Tensor) => probitTensor(x).sum())(tf.tensor1d([0.2, 0.5, 0.97]))
      .dataSync();
    [0.2, 0.5, 0.97].forEach((u, i) => {
      const q = normalQuantile(u);
      expect(g[i]).toBeCloseTo(Math.sqrt(2 * Math.PI) * Math.exp((q * q) / 2), 2);
    });
  });
});

describe('boundedIdentity (case 1)', () => {
  it('maps [0,1] to linear and log bounds, identity for a normalised surrogate', () => {
    const p = boundedIdentity({ lower: [1, 1e-3], upper: [3, 1], scale: ['linear', 'log'] });
    expect(p.dim).toBe(2);
    expect(Array.from(p.toSurrogateInput([0.25, 0.5]))).toEqual([0.25, 0.5]);
    const phys = p.toPhysical([0.25, 0.5]);
    expect(phys[0]).toBeCloseTo(1.5, 6);
    expect(phys[1]).toBeCloseTo(Math.sqrt(1e-3), 6); // geometric mean of the log bounds
    const c1 = boundedIdentity({ ...CASE1_BOUNDS, surrogateInput: 'physical' });
    const k = c1.toSurrogateInput(new Array(9).fill(1));
    expect(k[0]).toBeCloseTo(9.9e-12, 17);
    expect(k[8]).toBeCloseTo(1, 6);
    p.dispose();
    c1.dispose();
  });

  it('gradients flow: d physical / d u = (hi - lo) linear, b * value for log', () => {
    const p = boundedIdentity({ lower: [1, 1e-3], upper: [3, 1], scale: ['linear', 'log'] });
    const u = tf.tensor2d([[0.25, 0.5]]);
    const g = tf
      .grad((x: tf.Tensor) => p.physical(x as tf.Tensor2D).sum())(u)
      .dataSync();
    expect(g[0]).toBeCloseTo(2, 5);
    expect(g[1]).toBeCloseTo(Math.log(1000) * Math.sqrt(1e-3), 5);
    expect(() => boundedIdentity({ lower: [0], upper: [1], scale: 'log' })).toThrow(/scale 'log'.*lower bound/);
    p.dispose();
  });
});

describe('kleParameterisation (case 2)', () => {
  const kle = buildKle({ nx: 8, ny: 6, dx: 1, dy: 1 }, { variance: 2, lx: 2.5, ly: 2.5, terms: 5 });
  const mean = Math.log(2e-13);

  it('ln k equals kleField of xi = -3 + 6u; image output normalised', () => {
    const p = kleParameterisation({ basis: kle.basis, terms: 5, ny: 6, nx: 8, mean, coefficientMap: 'linear', normalise: { min: mean - 5, max: mean + 5 } });
    const u = [0.1, 0.9, 0.5, 0.3, 0.7];
    const want = kleField(
      kle,
      u.map((v) => -3 + 6 * v),
      mean,
    );
    const got = p.toPhysical(u);
    for (let c = 0; c < 48; c++) expect(got[c]).toBeCloseTo(want[c], 3);
    expect(p.outputShape).toEqual([6, 8, 1]);
    const img = p.toSurrogateInput(u);
    expect(img[7]).toBeCloseTo((want[7] - (mean - 5)) / 10, 5);
    p.dispose();
  });

  it('default probit map gives xi = Phi^{-1}(u), as the case datasets do', () => {
    const p = kleParameterisation({ basis: kle.basis, terms: 5, ny: 6, nx: 8, mean: 0, layout: 'vector' });
    const u = [0.1, 0.9, 0.5, 0.3, 0.975];
    const want = kleField(kle, u.map(normalQuantile), 0);
    const got = p.toPhysical(u);
    for (let c = 0; c < 48; c++) expect(got[c]).toBeCloseTo(want[c], 4);
    p.dispose();
  });

  it('gradients w.r.t. u are non-zero and match B (hi - lo) for a linear read-out', () => {
    const p = kleParameterisation({ basis: kle.basis, terms: 5, ny: 6, nx: 8, mean, layout: 'vector', coefficientMap: 'linear' });
    const u = tf.tensor2d([[0.2, 0.4, 0.6, 0.8, 0.5]]);
    // d/du of ln k at cell 10 = 6 * basis[:, 10]
    const g = tf
      .grad((x: tf.Tensor) =>
        p
          .physical(x as tf.Tensor2D)
          .slice([0, 10], [1, 1])
          .sum(),
      )(u)
      .dataSync();
    for (let k = 0; k < 5; k++) expect(g[k]).toBeCloseTo(6 * kle.basis[k * 48 + 10], 4);
    expect(Math.max(...Array.from(g).map(Math.abs))).toBeGreaterThan(0.01);
    p.dispose();
  });
});

describe('decoderParameterisation (case 3)', () => {
  it('maps u through the frozen decoder with non-zero gradients and unchanged weights', () => {
    const aae = buildAdversarialAutoencoder({ height: 8, width: 8, latentDim: 4, filters: [2, 2], discriminatorUnits: 2, seed: 3 });
    const p = decoderParameterisation({ decoder: aae.decoder });
    expect(p.dim).toBe(4);
    expect(p.outputShape).toEqual([8, 8, 1]);
    const before = aae.decoder.getWeights().map((w) => Array.from(w.dataSync()));
    const u = tf.tensor2d([[0.2, 0.7, 0.5, 0.9]]);
    const g = tf
      .grad((x: tf.Tensor) =>
        p
          .apply(x as tf.Tensor2D)
          .square()
          .sum(),
      )(u)
      .dataSync();
    expect(Array.from(g).some((v) => Math.abs(v) > 1e-6)).toBe(true);
    const lnk = p.toPhysical([0.2, 0.7, 0.5, 0.9]);
    for (const v of lnk) {
      expect(v).toBeGreaterThanOrEqual(Math.log(1e-13) - 1e-4);
      expect(v).toBeLessThanOrEqual(Math.log(5.46e-12) + 1e-4);
    }
    expect(aae.decoder.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    aae.dispose();
  });
});
