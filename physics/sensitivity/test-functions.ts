/**
 * Analytic test functions for global sensitivity analysis, with their exact Sobol indices, so the
 * estimators (and the whole fan-out engine) can be checked against known answers.
 * Inputs are in the unit cube; each function maps them to its own domain.
 */

/** Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi). */
export function ishigami(u: ArrayLike<number>, a = 7, b = 0.1): number {
  const x1 = -Math.PI + 2 * Math.PI * u[0];
  const x2 = -Math.PI + 2 * Math.PI * u[1];
  const x3 = -Math.PI + 2 * Math.PI * u[2];
  const s2 = Math.sin(x2);
  return Math.sin(x1) + a * s2 * s2 + b * x3 ** 4 * Math.sin(x1);
}

export interface AnalyticIndices {
  S1: number[];
  ST: number[];
}

export function ishigamiIndices(a = 7, b = 0.1): AnalyticIndices {
  const pi4 = Math.PI ** 4;
  const pi8 = Math.PI ** 8;
  const V1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
  const V2 = (a * a) / 8;
  const V13 = pi8 * b * b * (1 / 18 - 1 / 50);
  const V = V1 + V2 + V13;
  return { S1: [V1 / V, V2 / V, 0], ST: [(V1 + V13) / V, V2 / V, V13 / V] };
}

/** Sobol' G function: prod (|4u - 2| + a_i) / (1 + a_i), u ~ U(0, 1)^d. */
export function sobolG(u: ArrayLike<number>, a: readonly number[]): number {
  let f = 1;
  for (let i = 0; i < a.length; i++) f *= (Math.abs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
  return f;
}

export function sobolGIndices(a: readonly number[]): AnalyticIndices {
  const Vi = a.map((ai) => 1 / (3 * (1 + ai) ** 2));
  const prod = Vi.reduce((p, v) => p * (1 + v), 1);
  const V = prod - 1;
  return {
    S1: Vi.map((v) => v / V),
    ST: Vi.map((v) => (v * (prod / (1 + v))) / V),
  };
}
