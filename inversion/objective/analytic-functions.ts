/**
 * Analytic test functions for the optimisers, defined on the normalised box [0,1]^d through an
 * affine map to a physical box. The boxes are deliberately asymmetric so the optimum is not at the
 * centre (scikit-opt's PSO starts its global best at the swarm mean, which would otherwise sit on
 * the optimum of a centred sphere):
 *
 * | name       | physical box       | optimum (physical) | optimum (normalised) | min |
 * | ---------- | ------------------ | ------------------ | -------------------- | --- |
 * | sphere     | [-4, 6]^d          | 0                  | 0.4                  | 0   |
 * | rosenbrock | [-2.048, 2.048]^d  | 1                  | 0.744140625          | 0   |
 * | rastrigin  | [-4.12, 6.12]^d    | 0                  | 0.40234375           | 0   |
 *
 * The same definitions are used by the Python peer (`bench/python/scikit_opt_peer.py`).
 */
export type AnalyticName = 'sphere' | 'rosenbrock' | 'rastrigin';

const ANALYTIC_BOXES: Record<AnalyticName, readonly [number, number]> = {
  sphere: [-4, 6],
  rosenbrock: [-2.048, 2.048],
  rastrigin: [-4.12, 6.12],
};

function sphere(z: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i] * z[i];
  return s;
}

export function rosenbrock(z: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i + 1 < z.length; i++) {
    const a = z[i + 1] - z[i] * z[i];
    const b = 1 - z[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

export function rastrigin(z: ArrayLike<number>): number {
  let s = 10 * z.length;
  for (let i = 0; i < z.length; i++) s += z[i] * z[i] - 10 * Math.cos(2 * Math.PI * z[i]);
  return s;
}

const FUNCTIONS: Record<AnalyticName, (z: ArrayLike<number>) => number> = { sphere, rosenbrock, rastrigin };

/** The named function as f(u) with u in [0,1]^d mapped affinely onto its physical box. */
export function normalisedAnalytic(name: AnalyticName): (u: Float64Array) => number {
  const f = FUNCTIONS[name];
  if (!f) throw new Error(`analytic function name must be one of ${Object.keys(FUNCTIONS).join(', ')}, got ${name}`);
  const [lo, hi] = ANALYTIC_BOXES[name];
  return (u) => {
    const z = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) z[i] = lo + (hi - lo) * u[i];
    return f(z);
  };
}

/** Normalised location of the optimum of the named function (same in every coordinate). */
export function normalisedOptimum(name: AnalyticName): number {
  const [lo, hi] = ANALYTIC_BOXES[name];
  const zStar = name === 'rosenbrock' ? 1 : 0;
  return (zStar - lo) / (hi - lo);
}
