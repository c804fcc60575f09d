/**
 * Seeded weight initialisers for TF.js layers. TF.js layers draw from `Math.random` unless an
 * initialiser gets an explicit seed, so every surrogate / network in Plume builds its layers with
 * initialisers from a `LayerSeeds` created from the run's seed: the same seed gives the same
 * initial weights on every machine.
 */
import { tf } from '../tf.js';
import { Rng } from '../../numerics/rng.js';

export class LayerSeeds {
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = Rng.derive(seed, 0x5eed);
  }

  /** A fresh integer seed for one initialiser. */
  next(): number {
    return this.rng.int(2 ** 31 - 1);
  }

  /** Glorot-uniform (Keras default, good for sigmoid/tanh/swish/linear layers). */
  glorot(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.next() });
  }

  /** He-normal (good for ReLU layers). */
  he(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.heNormal({ seed: this.next() });
  }
}
