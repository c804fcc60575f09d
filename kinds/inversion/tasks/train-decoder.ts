/**
 * Compute task: train case 3's adversarial-autoencoder decoder on the channelized training fields
 * of a case dataset (artifact store), save the decoder, and report reconstruction accuracy and the
 * facies proportion of prior draws. Runs in a worker thread with its own TF.js backend.
 */
import { ArtifactStore, type ArtifactRef } from '../../../artifacts/store.js';
import { progressPoster } from '../../../compute/progress.js';
import { threadBackend } from '../../../compute/thread-backend.js';
import {
  buildAdversarialAutoencoder,
  decodedFaciesProportion,
  reconstructionAccuracy,
  saveDecoder,
  trainAdversarialAutoencoder,
} from '../../../models/inversion/adversarial-autoencoder.js';

export interface TrainDecoderTaskInput {
  artifactRoot: string;
  /** Stacked `[n, ny, nx]` training fields and how many to use. */
  fields: string;
  n: number;
  testFields: string | null;
  testN: number;
  height: number;
  width: number;
  latentDim: number;
  filters: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs of binary cross-entropy before the L1 reconstruction loss (default 20 % of epochs). */
  bceWarmupEpochs?: number;
  seed: number;
  progressChannel?: string;
}

export interface TrainDecoderTaskOutput {
  artifactId: string;
  refs: ArtifactRef[];
  trainAccuracy: number;
  testAccuracy: number | null;
  priorChannelProportion: number;
  trainProportion: number;
  binaryFraction: number;
  trainSeconds: number;
  backend: string;
}

export async function run(input: TrainDecoderTaskInput): Promise<TrainDecoderTaskOutput> {
  const backend = (await threadBackend()).name;
  const store = new ArtifactStore(input.artifactRoot);
  const progress = progressPoster(input.progressChannel, 1000);
  const size = input.height * input.width;
  const all = (await store.getTensor(input.fields)).data as Float32Array;
  const fields = Float32Array.from(all.subarray(0, input.n * size));
  const aae = buildAdversarialAutoencoder({ height: input.height, width: input.width, latentDim: input.latentDim, filters: input.filters, seed: input.seed });
  try {
    const res = await trainAdversarialAutoencoder(
      aae,
      { fields, n: input.n },
      {
        epochs: input.epochs,
        batchSize: input.batchSize,
        learningRate: input.learningRate,
        ...(input.bceWarmupEpochs !== undefined ? { bceWarmupEpochs: input.bceWarmupEpochs } : {}),
        seed: input.seed,
        onEpoch: (e) => progress.post({ step: 'decoder', epoch: e.epoch + 1, reconstruction: e.reconstruction }),
      },
    );
    const ref = await saveDecoder(store, aae);
    const nAcc = Math.min(input.n, 200);
    const trainAccuracy = reconstructionAccuracy(aae, { fields: fields.subarray(0, nAcc * size), n: nAcc });
    let testAccuracy: number | null = null;
    if (input.testFields) {
      const t = (await store.getTensor(input.testFields)).data as Float32Array;
      const nt = Math.min(input.testN, 200);
      testAccuracy = reconstructionAccuracy(aae, { fields: Float32Array.from(t.subarray(0, nt * size)), n: nt });
    }
    const prior = decodedFaciesProportion(aae, 64, input.seed);
    let ones = 0;
    for (const v of fields) if (v > 0.5) ones++;
    return {
      artifactId: ref.id,
      refs: [ref],
      trainAccuracy,
      testAccuracy,
      priorChannelProportion: prior.meanProportion,
      trainProportion: ones / fields.length,
      binaryFraction: prior.binaryFraction,
      trainSeconds: res.wallMs / 1000,
      backend,
    };
  } finally {
    aae.dispose();
    progress.close();
  }
}
