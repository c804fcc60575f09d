/** Training loss of the STAMNet papers: MSE + w * MAE (paper w = 0.6; older code 0.5). */
import { tf } from '../tf.js';

export function mseMaeLoss(pred: tf.Tensor, target: tf.Tensor, maeWeight = 0.6): tf.Scalar {
  return tf.tidy(() => {
    const diff = tf.sub(pred, target);
    const mse = tf.mean(tf.square(diff));
    return (maeWeight === 0 ? mse : tf.add(mse, tf.mul(tf.mean(tf.abs(diff)), maeWeight))) as tf.Scalar;
  });
}
