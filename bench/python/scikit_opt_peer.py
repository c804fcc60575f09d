"""scikit-opt peer for bench/inversion-optimizers.ts.

Runs scikit-opt's GA, PSO, DE and SAFast on the analytic functions of
inversion/objective/analytic-functions.ts (same normalised [0,1]^d definitions, same asymmetric
physical boxes) and prints one JSON line per run on stdout.

Input: a JSON config on stdin:
  {"functions": [...], "dims": [...], "seeds": [...], "methods": [...], "pop": 50, "iters": 200}

Per run it reports the lowest objective value among ALL evaluations (a counting wrapper around
the function, the same quantity Plume reports as bestObjective), scikit-opt's own returned best_y,
the number of parameter vectors evaluated, the number of function invocations, and wall time.
"""
import json
import math
import sys
import time
import warnings

import numpy as np
from sko.DE import DE
from sko.GA import GA
from sko.PSO import PSO
from sko.SA import SAFast
from sko.tools import set_run_mode

warnings.filterwarnings("ignore")

BOXES = {"sphere": (-4.0, 6.0), "rosenbrock": (-2.048, 2.048), "rastrigin": (-4.12, 6.12)}


def physical(name, U):
    lo, hi = BOXES[name]
    return lo + (hi - lo) * U


def batch_value(name, U):
    """U: (n, d) normalised rows -> (n,) objective values."""
    Z = physical(name, np.atleast_2d(U))
    if name == "sphere":
        return np.sum(Z * Z, axis=1)
    if name == "rosenbrock":
        a = Z[:, 1:] - Z[:, :-1] ** 2
        b = 1.0 - Z[:, :-1]
        return np.sum(100.0 * a * a + b * b, axis=1)
    if name == "rastrigin":
        return 10.0 * Z.shape[1] + np.sum(Z * Z - 10.0 * np.cos(2.0 * np.pi * Z), axis=1)
    raise ValueError(name)


class Counted:
    """Counts evaluated vectors and invocations; tracks the minimum over all evaluations."""

    def __init__(self, name):
        self.name = name
        self.calls = 0
        self.batches = 0
        self.best = math.inf

    def batch(self, X):
        X = np.asarray(X, dtype=float)
        if X.min() < 0 or X.max() > 1:
            raise ValueError("scikit-opt evaluated a point outside [0,1]")
        y = batch_value(self.name, X)
        self.calls += X.shape[0]
        self.batches += 1
        self.best = min(self.best, float(y.min()))
        return y

    def single(self, x):
        return float(self.batch(np.asarray(x, dtype=float).reshape(1, -1))[0])


def run_one(method, name, d, seed, pop, iters):
    np.random.seed(seed)
    f = Counted(name)
    t0 = time.perf_counter()
    if method == "SA":
        # Paper setting: L = NPC, 200 chains. SAFast stops after the chain where T < T_min, so
        # T_min sits between T_(iters-1) and T_iters; the stay-counter stop is switched off.
        c = math.exp(-1.0)
        t_max = 100.0
        t_min = t_max * math.exp(-c * (iters - 0.5))
        x0 = np.random.rand(d)
        opt = SAFast(func=f.single, x0=x0, T_max=t_max, T_min=t_min, L=pop,
                     max_stay_counter=10 ** 9, lb=np.zeros(d), ub=np.ones(d))
        _, best_y = opt.run()
        chains = opt.iter_cycle
    else:
        def vec(X):
            return f.batch(X)

        set_run_mode(vec, "vectorization")
        if method == "GA":
            opt = GA(func=vec, n_dim=d, size_pop=pop, max_iter=iters, prob_mut=0.001,
                     lb=np.zeros(d), ub=np.ones(d), precision=1e-7)
        elif method == "PSO":
            opt = PSO(func=vec, n_dim=d, pop=pop, max_iter=iters, lb=np.zeros(d), ub=np.ones(d),
                      w=0.8, c1=0.5, c2=0.5)
        elif method == "DE":
            opt = DE(func=vec, n_dim=d, F=0.5, size_pop=pop, max_iter=iters, prob_mut=0.3,
                     lb=np.zeros(d), ub=np.ones(d))
        else:
            raise ValueError(method)
        _, best_y = opt.run()
        chains = iters
    wall_ms = (time.perf_counter() - t0) * 1e3
    return {
        "method": method, "fn": name, "d": d, "seed": seed,
        "best": f.best, "skoBest": float(np.ravel(best_y)[0]),
        "calls": f.calls, "batches": f.batches, "iterations": chains, "wallMs": wall_ms,
    }


def main():
    cfg = json.load(sys.stdin)
    for name in cfg["functions"]:
        for d in cfg["dims"]:
            for method in cfg["methods"]:
                for seed in cfg["seeds"]:
                    rec = run_one(method, name, d, seed, cfg["pop"], cfg["iters"])
                    print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
