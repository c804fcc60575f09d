/**
 * Creates a model's trainable variables with PyTorch's default initialisation (kaiming-uniform
 * with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases of Linear and
 * Conv layers), drawn from Plume's seeded `Rng` in creation order: the same seed gives the same
 * weights on every backend.
 */
import type { Rng } from '../../numerics/rng.js';
import { tf } from '../tf.js';
import type { NamedVariable } from './model.js';

export interface DenseParams {
  w: tf.Variable; // [in, out]
  b: tf.Variable | null; // [out]
}

export interface Conv2dParams {
  w: tf.Variable; // [kh, kw, cin, cout]
  b: tf.Variable | null; // [cout]
}

export class ParameterSet {
  readonly entries: NamedVariable[] = [];
  constructor(private readonly rng: Rng) {}

  uniform(name: string, shape: number[], bound: number): tf.Variable {
    if (this.entries.some((e) => e.name === name)) throw new Error(`duplicate parameter name '${name}'`);
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (2 * this.rng.next() - 1) * bound;
    // Unnamed tf variables: tf's variable registry is global, model-local names live here.
    const variable = tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true));
    this.entries.push({ name, variable });
    return variable;
  }

  dense(name: string, inFeatures: number, outFeatures: number, bias = true): DenseParams {
    const bound = 1 / Math.sqrt(inFeatures);
    const w = this.uniform(`${name}.weight`, [inFeatures, outFeatures], bound);
    const b = bias ? this.uniform(`${name}.bias`, [outFeatures], bound) : null;
    return { w, b };
  }

  conv2d(name: string, kh: number, kw: number, cin: number, cout: number, bias = true): Conv2dParams {
    const bound = 1 / Math.sqrt(kh * kw * cin);
    const w = this.uniform(`${name}.weight`, [kh, kw, cin, cout], bound);
    const b = bias ? this.uniform(`${name}.bias`, [cout], bound) : null;
    return { w, b };
  }
}
