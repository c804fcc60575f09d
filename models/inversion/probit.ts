/**
 * Differentiable standard-normal quantile `Phi^{-1}(u) = sqrt(2) erfinv(2u - 1)` in TF.js ops, so a
 * parameterisation can map the unit box to N(0, 1) coefficients the same way the datasets do
 * (`physics/groundwater/case-dataset.ts` uses `normalQuantile` for case 2's KL coefficients).
 *
 * erfinv: M. Giles, "Approximating the erfinv function" (GPU Gems, 2012), single-precision
 * polynomial in w = -ln(1 - x^2) = -ln(4u(1 - u)) (two branches, w < 5 and w >= 5; relative error
 * about 4e-7 before float32 rounding). u is clipped to [eps, 1 - eps] (default 1e-6, i.e.
 * |z| <= 4.75) so the log stays finite; the gradient is zero outside that range.
 */
import { tf } from '../tf.js';

const CENTRAL = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941];
const TAIL = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682];

function horner(coeffs: number[], w: tf.Tensor): tf.Tensor {
  let p: tf.Tensor = tf.scalar(coeffs[0]);
  for (let i = 1; i < coeffs.length; i++) p = p.mul(w).add(coeffs[i]);
  return p;
}

/** sqrt(2) erfinv(2u - 1) for u in (0, 1), forward values only (w from 4u(1-u), exact in float32). */
function probitValue(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const w = tf.neg(tf.log(u.mul(tf.sub(1, u)).mul(4)));
    const central = horner(CENTRAL, w.sub(2.5));
    const tail = horner(TAIL, tf.sqrt(tf.maximum(w, 5)).sub(3));
    return tf.where(w.less(5), central, tail).mul(u.mul(2).sub(1)).mul(Math.SQRT2);
  });
}

/**
 * Phi^{-1} with its exact gradient `d z / d u = 1 / phi(z) = sqrt(2 pi) exp(z^2 / 2)` (a custom
 * gradient, so the branch selection never enters the tape).
 */
const probitWithGrad = tf.customGrad((...args: (tf.Tensor | ((ts: tf.Tensor[]) => void))[]) => {
  const u = args[0] as tf.Tensor;
  const save = args[1] as (ts: tf.Tensor[]) => void;
  const z = probitValue(u);
  save([z]);
  return {
    value: z,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
      (dy as tf.Tensor).mul(
        saved[0]
          .square()
          .div(2)
          .exp()
          .mul(Math.sqrt(2 * Math.PI)),
      ),
  };
});

/** Standard-normal quantile of u, elementwise, u clipped to [eps, 1 - eps] (zero gradient outside). */
export function probitTensor(u: tf.Tensor, eps = 1e-6): tf.Tensor {
  return tf.tidy(() => probitWithGrad(tf.clipByValue(u, eps, 1 - eps)));
}
