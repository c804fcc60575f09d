/**
 * A trainable scale and shift per feature of the last axis, `y = x * scale + shift` (initialised
 * to the identity). Written as a layer because no standard TF.js layer does it on every backend
 * (a 1 x 1 depthwise convolution does, but wasm has no kernel for its input gradient). Registered
 * for serialisation on import: the model store imports this module, so saved models load anywhere.
 */
import { tf } from '../tf.js';

export class PerOutputAffine extends tf.layers.Layer {
  static readonly className = 'PerOutputAffine';
  private scale: tf.LayerVariable | null = null;
  private shift: tf.LayerVariable | null = null;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1];
    if (features === null) throw new Error('PerOutputAffine needs a known last dimension');
    this.scale = this.addWeight('scale', [features], 'float32', tf.initializers.ones());
    this.shift = this.addWeight('shift', [features], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!this.scale || !this.shift) throw new Error('PerOutputAffine called before it was built');
    return tf.add(tf.mul(x, this.scale.read()), this.shift.read());
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
}

tf.serialization.registerClass(PerOutputAffine);
