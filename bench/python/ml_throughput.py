"""PyTorch peer of bench/ml-throughput.ts: the same STAMNet-family architectures (optimal MLP,
MLP+ECA, STAMNet-Upscale, as defined in models/upscaling/) and the same surrogates (FC-DNN, LeNet,
ResNet, as defined in models/surrogates/: same layers, same parameter count), timed the same way:
forward passes in eval mode under no_grad, and training steps in train mode (upscaling: forward,
MSE + 0.6*MAE, backward, AdamW step; surrogates: forward, L1, backward, AdamW step). Reads a JSON
config from argv[1], prints one JSON object on stdout.

Run by the TypeScript bench inside ${PLUME_HOME:-~/.plume}/bench-venv; not part of the product.
"""
import json
import math
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


def js_round(v):
    """Math.round of JavaScript (halves up); Python's round() rounds halves to even."""
    return math.floor(v + 0.5)


class MlpFamily(nn.Module):
    def __init__(self, t, h, w, scale, mult, attention, dropout=0.2):
        super().__init__()
        w1, w2, w3 = (max(1, js_round(w * m)) for m in mult)
        self.fc1 = nn.Linear(w, w1)
        self.att = None
        if attention == "eca":
            self.att = Eca(3)
        elif attention == "stam":
            hidden = {
                "M1": max(1, js_round(t * 20 / 114)),
                "M2": max(1, js_round(w1 / 20)),
                "M3": max(1, js_round(h / 10)),
                "M4": max(1, js_round(t * 20 / 114)),
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


def _same(k):
    return k // 2


class Fcdnn(nn.Module):
    """models/surrogates/fcdnn.ts: flatten, `hidden` x (Linear(units) + Swish), Linear + sigmoid."""

    def __init__(self, in_size, out_dim, hidden=3, units=512):
        super().__init__()
        layers, d = [], in_size
        for _ in range(hidden):
            layers += [nn.Linear(d, units), nn.SiLU()]
            d = units
        self.body = nn.Sequential(nn.Flatten(), *layers, nn.Linear(d, out_dim), nn.Sigmoid())

    def forward(self, x):
        return self.body(x)


class FrontEnd(nn.Module):
    """models/surrogates/surrogate-input.ts vectorFrontEnd: Linear(h*w) + ReLU, reshape [1, h, w]."""

    def __init__(self, d, shape=(16, 16)):
        super().__init__()
        self.shape = shape
        self.fc = nn.Linear(d, shape[0] * shape[1])

    def forward(self, x):
        return F.relu(self.fc(x)).view(x.shape[0], 1, *self.shape)


def _image_in(inp):
    """(front end or None, channels, h, w) for a vector length or [h, w, c] image input."""
    if isinstance(inp, list):
        h, w, c = inp
        return None, c, h, w
    return FrontEnd(inp), 1, 16, 16


class Lenet(nn.Module):
    """models/surrogates/lenet.ts: 2 x (conv 5x5 same + ReLU, 2x2 max-pool same), FC 1024, FC 512
    (ReLU), Linear + sigmoid. Inputs are NCHW here (NHWC in TF.js): same arithmetic."""

    def __init__(self, inp, out_dim, filters=(6, 16), k=5, dense=(1024, 512)):
        super().__init__()
        self.front, c, h, w = _image_in(inp)
        self.c1 = nn.Conv2d(c, filters[0], k, padding=_same(k))
        self.c2 = nn.Conv2d(filters[0], filters[1], k, padding=_same(k))
        h, w = -(-h // 2), -(-w // 2)
        h, w = -(-h // 2), -(-w // 2)
        self.f1 = nn.Linear(filters[1] * h * w, dense[0])
        self.f2 = nn.Linear(dense[0], dense[1])
        self.out = nn.Linear(dense[1], out_dim)

    def forward(self, x):
        if self.front is not None:
            x = self.front(x)
        x = F.max_pool2d(F.relu(self.c1(x)), 2, ceil_mode=True)
        x = F.max_pool2d(F.relu(self.c2(x)), 2, ceil_mode=True)
        x = F.relu(self.f1(x.flatten(1)))
        x = F.relu(self.f2(x))
        return torch.sigmoid(self.out(x))


class Unit(nn.Module):
    def __init__(self, cin, cout, down):
        super().__init__()
        s = 2 if down else 1
        self.a = nn.Conv2d(cin, cout, 3, stride=s, padding=1)
        self.b = nn.Conv2d(cout, cout, 3, padding=1)
        self.proj = nn.Conv2d(cin, cout, 1, stride=s) if down or cin != cout else None

    def forward(self, x):
        y = self.b(F.relu(self.a(x)))
        return F.relu(y + (self.proj(x) if self.proj is not None else x))


class Resnet(nn.Module):
    """models/surrogates/resnet.ts: 3x3 stem + ReLU, stage 1 two plain units, stages 2-4 a
    down-sampling unit (stride 2, 2x filters, 1x1 projection) and a plain unit, GAP, Linear +
    sigmoid. No batch norm."""

    def __init__(self, inp, out_dim, base=16):
        super().__init__()
        self.front, c, _, _ = _image_in(inp)
        self.stem = nn.Conv2d(c, base, 3, padding=1)
        units, f = [Unit(base, base, False), Unit(base, base, False)], base
        for s in range(2, 5):
            units += [Unit(f, base * 2 ** (s - 1), True), Unit(base * 2 ** (s - 1), base * 2 ** (s - 1), False)]
            f = base * 2 ** (s - 1)
        self.units = nn.Sequential(*units)
        self.out = nn.Linear(f, out_dim)

    def forward(self, x):
        if self.front is not None:
            x = self.front(x)
        x = self.units(F.relu(self.stem(x)))
        return torch.sigmoid(self.out(x.mean(dim=(2, 3))))


SURROGATES = {"fcdnn": Fcdnn, "lenet": Lenet, "resnet": Resnet}


def surrogate_input(inp, b):
    """A random batch in PyTorch layout: [b, d] for vectors, [b, c, h, w] for images."""
    if isinstance(inp, list):
        h, w, c = inp
        return torch.rand(b, c, h, w)
    return torch.rand(b, inp)


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
    b = case["batch"]
    if case["arch"] in SURROGATES:
        inp = case["input"]
        size = 1
        for v in inp if isinstance(inp, list) else [inp]:
            size *= v
        model = SURROGATES[case["arch"]](inp if case["arch"] != "fcdnn" else size, case["outputDim"])
        x = surrogate_input(inp, b)
        y = torch.rand(b, case["outputDim"])
        loss_fn = lambda p, y: (p - y).abs().mean()  # noqa: E731
    else:
        t, h, w = case["t"], case["h"], case["w"]
        model = MlpFamily(t, h, w, case["scale"], case["mult"], ATTENTION[case["arch"]])
        x = torch.rand(b, t, h, w)
        y = torch.rand(b, t, h, w * case["scale"])

        def loss_fn(p, y):
            d = p - y
            return (d * d).mean() + 0.6 * d.abs().mean()

    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)

    def fwd():
        model.eval()
        with torch.no_grad():
            model(x)

    def step():
        model.train()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    fw, fc = timed(fwd, case["minIters"], case["budgetSeconds"])
    sw, sc = timed(step, case["minIters"], case["budgetSeconds"])
    return {
        "id": case["id"],
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
