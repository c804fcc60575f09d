"""PyTorch peer of bench/ml-throughput.ts: the same STAMNet-family architectures (optimal MLP,
MLP+ECA, STAMNet-Upscale, as defined in models/upscaling/), timed the same way: forward passes in
eval mode under no_grad, and training steps (forward, MSE + 0.6*MAE, backward, AdamW step) in
train mode. Reads a JSON config from argv[1], prints one JSON object on stdout.

Run by the TypeScript bench inside ${PLUME_HOME:-~/.plume}/bench-venv; not part of the product.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Stam(nn.Module):
    """Four-branch STAM on [b, c, h, w] (c = time); see models/upscaling/blocks/stam.ts."""

    def __init__(self, c, h, w, hidden, k=5, slope=0.01, branch_dropout=0.2):
        super().__init__()
        self.c, self.h, self.w = c, h, w
        self.slope = slope
        spec = {"M1": (c, w, c), "M2": (w, c, w), "M3": (h, w, h), "M4": (c, h, c)}
        self.branches = nn.ModuleDict()
        for name, (ch, lin_in, lin_out) in spec.items():
            self.branches[name] = nn.ModuleDict(
                {
                    "conv1": nn.Conv2d(ch, hidden[name], k, padding=k // 2),
                    "conv2": nn.Conv2d(hidden[name], 1, 1),
                    "linear": nn.Linear(lin_in, lin_out),
                }
            )
        self.drop = nn.Dropout(branch_dropout)

    def _map(self, x, name):
        b, c, h, w = x.shape
        p = self.branches[name]
        # NCHW with the branch's channel axis in position 1
        z = x if name in ("M1", "M4") else (x.permute(0, 3, 1, 2) if name == "M2" else x.permute(0, 2, 1, 3))
        z = F.leaky_relu(p["conv1"](z), self.slope)
        if name == "M2":
            z = self.drop(z)
        z = F.leaky_relu(p["conv2"](z), self.slope)[:, 0]  # [b, A, B]
        if name == "M1":  # [b, h, w] -> lin over w -> [b, h, c] -> [b, c, h, 1]
            m = p["linear"](z).permute(0, 2, 1).unsqueeze(-1)
        elif name == "M2":  # [b, c, h] -> [b, h, c] -> lin -> [b, h, w] -> [b, 1, h, w]
            m = p["linear"](z.permute(0, 2, 1)).unsqueeze(1)
        elif name == "M3":  # [b, c, w] -> lin over w -> [b, c, h] -> [b, c, h, 1]
            m = p["linear"](z).unsqueeze(-1)
        else:  # M4: [b, h, w] -> [b, w, h] -> lin -> [b, w, c] -> [b, c, 1, w]
            m = p["linear"](z.permute(0, 2, 1)).permute(0, 2, 1).unsqueeze(2)
        return torch.sigmoid(m)

    def forward(self, x):
        outs = [x * self._map(x, n) + x for n in ("M1", "M2", "M3", "M4")]
        avg = sum(outs) / len(outs)
        return x * torch.sigmoid(avg) + x


class Eca(nn.Module):
    def __init__(self, k=3):
        super().__init__()
        self.conv = nn.Conv1d(1, 1, k, padding=k // 2, bias=False)

    def forward(self, x):
        b, c = x.shape[:2]
        g = x.mean(dim=(2, 3)).view(b, 1, c)
        g = torch.sigmoid(self.conv(g)).view(b, c, 1, 1)
        return x * g


class MlpFamily(nn.Module):
    def __init__(self, t, h, w, scale, mult, attention, dropout=0.2):
        super().__init__()
        w1, w2, w3 = (max(1, round(w * m)) for m in mult)
        self.fc1 = nn.Linear(w, w1)
        self.att = None
        if attention == "eca":
            self.att = Eca(3)
        elif attention == "stam":
            hidden = {
                "M1": max(1, round(t * 20 / 114)),
                "M2": max(1, round(w1 / 20)),
                "M3": max(1, round(h / 10)),
                "M4": max(1, round(t * 20 / 114)),
            }
            self.att = Stam(t, h, w1, hidden)
        self.drop = nn.Dropout(dropout)
        self.fc2 = nn.Linear(w1, w2)
        self.fc3 = nn.Linear(w2, w3)
        self.fc4 = nn.Linear(w3, w * scale)

    def forward(self, x):
        z = F.silu(self.fc1(x))
        if self.att is not None:
            z = self.att(z)
        z = self.drop(z)
        z = F.silu(self.fc2(z))
        z = F.silu(self.fc3(z))
        return self.fc4(z)


ATTENTION = {"optimal_mlp": None, "mlp_eca": "eca", "stamnet_upscale": "stam"}


def timed(fn, min_iters, budget_s):
    """Seconds per call: (wall, process CPU time)."""
    fn()  # warm-up
    n = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    while True:
        fn()
        n += 1
        el = time.perf_counter() - t0
        if (n >= min_iters and el >= budget_s * 0.2) or el >= budget_s:
            return el / n, (time.process_time() - c0) / n


def run_case(case, threads):
    torch.manual_seed(0)
    t, h, w, b = case["t"], case["h"], case["w"], case["batch"]
    model = MlpFamily(t, h, w, case["scale"], case["mult"], ATTENTION[case["arch"]])
    params = sum(p.numel() for p in model.parameters())
    x = torch.rand(b, t, h, w)
    y = torch.rand(b, t, h, w * case["scale"])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)

    def fwd():
        model.eval()
        with torch.no_grad():
            model(x)

    def step():
        model.train()
        opt.zero_grad(set_to_none=True)
        p = model(x)
        d = p - y
        loss = (d * d).mean() + 0.6 * d.abs().mean()
        loss.backward()
        opt.step()

    fw, fc = timed(fwd, case["minIters"], case["budgetSeconds"])
    sw, sc = timed(step, case["minIters"], case["budgetSeconds"])
    return {
        "arch": case["arch"],
        "size": case["size"],
        "threads": threads,
        "params": params,
        "forwardSamplesPerSec": b / fw,
        "trainSamplesPerSec": b / sw,
        "forwardSamplesPerCpuSec": b / fc,
        "trainSamplesPerCpuSec": b / sc,
    }


def main():
    cfg = json.loads(sys.argv[1])
    out = {"torch": torch.__version__, "results": []}
    for threads in cfg["threads"]:
        torch.set_num_threads(threads)
        for case in cfg["cases"]:
            out["results"].append(run_case(case, threads))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
