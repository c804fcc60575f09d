"""Ray peer for bench/million-runs.ts: the same Ishigami evaluations on a local Ray cluster.

The TypeScript bench writes the campaign's design points (unit cube, run-index order, float64,
three per run) to a file and runs this script with the bench venv's Python. It starts a local Ray
cluster on 127.0.0.1 (no dashboard, no usage stats), warms its workers up, then times two fan-outs
of the same points, nothing persisted (results are only summed, to check they match Plume's):

  per-run   one Ray task per run
  batched   one Ray task per batch of `batch` runs, like a Plume batch activity

Input: one JSON argument {"points": path, "batch": 500, "num_cpus": 2, "modes": ["batched", "per-run"],
"per_run_runs": n (optional: per-run mode times only the first n runs)}
Output: one JSON line on stdout {"ray": version, "init_s": s, "runs": n, "modes": [{"mode", "runs", "wall_s", "sum"}]}
"""
import json
import math
import os
import sys
import time
from array import array

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
import ray  # noqa: E402


def ishigami(u1, u2, u3, a=7.0, b=0.1):
    """physics/sensitivity/test-functions.ts ishigami: inputs on [0, 1] mapped to [-pi, pi]."""
    x1 = -math.pi + 2 * math.pi * u1
    x2 = -math.pi + 2 * math.pi * u2
    x3 = -math.pi + 2 * math.pi * u3
    s2 = math.sin(x2)
    return math.sin(x1) + a * s2 * s2 + b * x3**4 * math.sin(x1)


@ray.remote
def one_run(u1, u2, u3):
    return ishigami(u1, u2, u3)


@ray.remote
def one_batch(points):
    return [ishigami(points[k], points[k + 1], points[k + 2]) for k in range(0, len(points), 3)]


# Tasks in flight at once in per-run mode (bounds the driver's memory for a million runs).
WINDOW = 20_000


def per_run(points, runs):
    total = 0.0
    for start in range(0, runs, WINDOW):
        refs = [one_run.remote(points[3 * i], points[3 * i + 1], points[3 * i + 2]) for i in range(start, min(runs, start + WINDOW))]
        total += sum(ray.get(refs))
    return total


def batched(points, runs, batch):
    refs = [one_batch.remote(points[3 * s : 3 * min(runs, s + batch)]) for s in range(0, runs, batch)]
    return sum(sum(ys) for ys in ray.get(refs))


def main():
    cfg = json.loads(sys.argv[1])
    points = array("d")
    with open(cfg["points"], "rb") as f:
        points.frombytes(f.read())
    runs = len(points) // 3
    batch = int(cfg.get("batch", 500))
    t0 = time.perf_counter()
    ray.init(
        num_cpus=int(cfg.get("num_cpus", 2)),
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        object_store_memory=512 * 1024 * 1024,
        log_to_driver=False,
        logging_level="ERROR",
    )
    # Start every worker process before timing (Ray starts them lazily).
    ray.get([one_batch.remote(points[:3]) for _ in range(4 * int(cfg.get("num_cpus", 2)))])
    init_s = time.perf_counter() - t0
    out = []
    for mode in cfg.get("modes", ["batched", "per-run"]):
        t = time.perf_counter()
        n = min(runs, int(cfg.get("per_run_runs") or runs)) if mode == "per-run" else runs
        s = per_run(points, n) if mode == "per-run" else batched(points, n, batch)
        out.append({"mode": mode, "runs": n, "wall_s": time.perf_counter() - t, "sum": s})
    ray.shutdown()
    print(json.dumps({"ray": ray.__version__, "init_s": init_s, "runs": runs, "batch": batch, "modes": out}))


if __name__ == "__main__":
    main()
