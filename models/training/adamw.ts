/**
 * AdamW (Loshchilov & Hutter, decoupled weight decay) as a tf.js `Optimizer`, matching PyTorch's
 * `torch.optim.AdamW` update exactly:
 *
 *   p <- p * (1 - lr * wd)
 *   m <- b1 m + (1 - b1) g ;  v <- b2 v + (1 - b2) g^2
 *   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *
 * `learningRate` is a public field so schedulers can change it between steps. Moments are kept
 * per variable name; `getWeights`/`setWeights` save and restore them (for resumable training).
 */
import { tf } from '../tf.js';

/** tfjs-core's NamedTensor (not re-exported by @tensorflow/tfjs). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface AdamWConfig {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export class AdamW extends tf.Optimizer {
  static get className(): string {
    return 'AdamW';
  }

  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  weightDecay: number;
  private step = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private scalars: { beta1: tf.Scalar; oneMinusBeta1: tf.Scalar; beta2: tf.Scalar; oneMinusBeta2: tf.Scalar; epsilon: tf.Scalar } | null = null;

  /** The step-independent scalars, created once (kept outside tidy scopes). */
  private constants(): NonNullable<AdamW['scalars']> {
    this.scalars ??= tf.tidy(() => {
      const k = {
        beta1: tf.scalar(this.beta1),
        oneMinusBeta1: tf.scalar(1 - this.beta1),
        beta2: tf.scalar(this.beta2),
        oneMinusBeta2: tf.scalar(1 - this.beta2),
        epsilon: tf.scalar(this.epsilon),
      };
      for (const t of Object.values(k)) tf.keep(t);
      return k;
    });
    return this.scalars;
  }

  constructor(config: AdamWConfig) {
    super();
    const { learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.01 } = config;
    if (!(learningRate > 0)) throw new Error(`AdamW: learningRate must be > 0, got ${learningRate}`);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new Error(`AdamW: beta1/beta2 must be in [0, 1), got ${beta1}, ${beta2}`);
    if (!(weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be >= 0, got ${weightDecay}`);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list: NamedTensor[] = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    this.step += 1;
    const t = this.step;
    const lr = this.learningRate;
    const bc1 = 1 - Math.pow(this.beta1, t);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(this.beta2, t));
    const stepSize = lr / bc1;
    const decay = 1 - lr * this.weightDecay;
    const registered = tf.engine().registeredVariables;
    // Scalars are created once per step and shared by every variable: on the native backend each
    // scalar is a tensor handle, and creating eight per variable per step dominated small models.
    const c = this.constants();
    tf.tidy(() => {
      const stepScalar = tf.scalar(stepSize);
      const bc2Scalar = tf.scalar(sqrtBc2);
      const decayScalar = decay === 1 ? null : tf.scalar(decay);
      for (const { name, tensor: g } of list) {
        if (g == null) continue;
        const p = registered[name];
        if (!p) throw new Error(`AdamW: gradient for unknown variable '${name}'`);
        let mom = this.moments.get(name);
        if (!mom) {
          mom = { m: tf.variable(tf.zerosLike(p), false), v: tf.variable(tf.zerosLike(p), false) };
          this.moments.set(name, mom);
        }
        const m = tf.add(tf.mul(mom.m, c.beta1), tf.mul(g, c.oneMinusBeta1));
        const v = tf.add(tf.mul(mom.v, c.beta2), tf.mul(tf.square(g), c.oneMinusBeta2));
        mom.m.assign(m);
        mom.v.assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Scalar), c.epsilon);
        const decayed = decayScalar ? tf.mul(p, decayScalar) : p;
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepScalar)));
      }
    });
    this.incrementIterations();
  }

  override dispose(): void {
    if (this.scalars) tf.dispose(Object.values(this.scalars));
    this.scalars = null;
    for (const { m, v } of this.moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.moments.clear();
  }

  override getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [{ name: 'iter', tensor: tf.scalar(this.step, 'int32') }];
    for (const [name, { m, v }] of this.moments) {
      out.push({ name: `${name}/m`, tensor: m.clone() }, { name: `${name}/v`, tensor: v.clone() });
    }
    return Promise.resolve(out);
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    this.dispose();
    for (const { name, tensor } of weightValues) {
      if (name === 'iter') {
        this.step = (await tensor.data())[0];
        this.iterations_ = this.step;
        continue;
      }
      const base = name.slice(0, -2);
      const kind = name.slice(-1);
      const mom = this.moments.get(base) ?? { m: null as unknown as tf.Variable, v: null as unknown as tf.Variable };
      if (kind === 'm') mom.m = tf.variable(tensor.clone(), false);
      else mom.v = tf.variable(tensor.clone(), false);
      this.moments.set(base, mom);
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new (cls as unknown as new (c: AdamWConfig) => T)(config as unknown as AdamWConfig);
  }
}

tf.serialization.registerClass(AdamW);
