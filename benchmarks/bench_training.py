"""Training throughput of actlab.nn against PyTorch (CPU), same threads.

The same MLPs in float32 with Adam (lr 1e-3) and cross-entropy:
  digits  64-128-128-10 at batch 64 (scikit-learn's digits, 1797 samples)
  wide    1024-1024-1024-1024-10 (4 dense layers) at batch 256 (4096 random samples)
each with relu, gelu (exact) and silu. Throughput is samples per second, the
median over repeated epochs (the two timed in turns), after one warm-up epoch. ``--profile`` splits
actlab's epoch into matmuls, activations, the optimizer and the rest (Python
overhead), each timed alone on the same shapes.

Where OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE are set they slow NumPy's BLAS:
run with both unset, e.g. ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
python benchmarks/bench_training.py``; the BLAS kernel that ran is printed.

    python benchmarks/bench_training.py [--threads N] [--epochs 7] [--profile] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

import actlab
from actlab import nn

ACTIVATIONS = ("relu", "gelu", "silu")


def cpu_line():
    model, flags = platform.processor() or "?", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model in ("?", ""):
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        pass
    vec = [v for v in ("avx2", "fma", "avx512f") if v in flags] or ["no AVX2"]
    return f"{model}; {os.cpu_count()} cores; vector: {' '.join(vec)}; load {os.getloadavg()[0]:.2f}"


def blas_line():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS: threadpoolctl not installed"
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(f"BLAS {i.get('internal_api')} {i.get('version')} kernel {i.get('architecture')}, "
                     f"{i.get('num_threads')} threads" for i in infos) or "BLAS: none found"


def datasets(which, rng):
    if which == "digits":
        X, y = nn.datasets.digits(seed=0)
        return X.astype(np.float32), y, (64, 128, 128, 10), 64
    X = rng.standard_normal((4096, 1024)).astype(np.float32)
    return X, rng.integers(0, 10, 4096), (1024, 1024, 1024, 1024, 10), 256


def actlab_model(widths, act):
    layers = [nn.Dense(a, b, activation=act if i < len(widths) - 2 else None, trainable=False)
              for i, (a, b) in enumerate(zip(widths, widths[1:]))]
    return nn.Sequential(*layers, seed=0, dtype=np.float32)


def torch_model(torch, widths, act):
    mods = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        mods.append(torch.nn.Linear(a, b))
        if i < len(widths) - 2:
            mods.append({"relu": torch.nn.ReLU, "gelu": torch.nn.GELU, "silu": torch.nn.SiLU}[act]())
    return torch.nn.Sequential(*mods)


def epoch_actlab(X, y, widths, act, batch):
    """A function that trains actlab's model for one epoch."""
    model = actlab_model(widths, act)
    opt = nn.optim.Adam(model.params, lr=1e-3)

    def epoch():
        for i in range(0, len(X) - batch + 1, batch):
            _, dout = nn.losses.cross_entropy(model(X[i:i + batch], training=True), y[i:i + batch])
            model.backward(dout)
            opt.step(model.grads)
    return epoch


def epoch_torch(torch, X, y, widths, act, batch):
    """A function that trains torch's twin for one epoch."""
    model = torch_model(torch, widths, act)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch():
        for i in range(0, len(X) - batch + 1, batch):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(Xt[i:i + batch]), yt[i:i + batch]).backward()
            opt.step()
    return epoch


def epoch_times(contenders, epochs):
    """Seconds per epoch of each contender, timed in turns (one epoch each, repeated) so
    that the machine's load falls on all alike; one warm-up epoch each first."""
    for run in contenders:
        run()
    times = [[] for _ in contenders]
    for _ in range(epochs):
        for run, ts in zip(contenders, times):
            t = time.perf_counter()
            run()
            ts.append(time.perf_counter() - t)
    return times


def median_time(fn, repeat=30):
    fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def profile(X, y, widths, act, batch):
    """Per-step seconds of actlab's parts, each timed alone on the step's shapes."""
    model = actlab_model(widths, act)
    opt = nn.optim.Adam(model.params, lr=1e-3)
    xb, yb = X[:batch], y[:batch]
    step = median_time(lambda: (model.backward(nn.losses.cross_entropy(model(xb, training=True), yb)[1]),
                                opt.step(model.grads)))
    rng = np.random.default_rng(0)
    mats = [(rng.standard_normal((batch, a), dtype=np.float32), rng.standard_normal((a, b), dtype=np.float32),
             rng.standard_normal((batch, b), dtype=np.float32)) for a, b in zip(widths, widths[1:])]
    matmul = median_time(lambda: [(x @ W, x.T @ d, d @ W.T) for x, W, d in mats])
    f = actlab.get(act)
    zs = [d for _, _, d in mats[:-1]]
    activation = median_time(lambda: [(f(z), f.backward(z, z)) for z in zs])
    grads = {k: np.ones_like(v) for k, v in model.params.items()}
    optimizer = median_time(lambda: opt.step(grads))
    return {"step": step, "matmul": matmul, "activation": activation, "optimizer": optimizer,
            "other": max(step - matmul - activation - optimizer, 0.0)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--epochs", type=int, default=7, help="timed epochs per run (median)")
    ap.add_argument("--nets", default="digits,wide")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(args.threads)
    actlab.set_num_threads(args.threads)
    print(cpu_line())
    with threadpool_limits(args.threads, user_api="blas"):
        print(blas_line())
        print(f"torch {torch.__version__}, numpy {np.__version__}, {args.threads} threads, float32, Adam")
        print(f"{'net':8} {'act':5} {'actlab samples/s':>17} {'torch samples/s':>16} {'ratio':>6}")
        rows = []
        rng = np.random.default_rng(0)
        for net in args.nets.split(","):
            X, y, widths, batch = datasets(net, rng)
            n = (len(X) // batch) * batch
            for act in ACTIVATIONS:
                ta, tt = epoch_times([epoch_actlab(X, y, widths, act, batch),
                                      epoch_torch(torch, X, y, widths, act, batch)], args.epochs)
                ours, theirs = n / statistics.median(ta), n / statistics.median(tt)
                row = {"net": net, "activation": act, "batch": batch, "actlab": ours, "torch": theirs,
                       "ratio": ours / theirs}
                if args.profile:
                    row["profile"] = profile(X, y, widths, act, batch)
                rows.append(row)
                print(f"{net:8} {act:5} {ours:17,.0f} {theirs:16,.0f} {ours / theirs:6.2f}", flush=True)
                if args.profile:
                    p = row["profile"]
                    print("         per step: " + ", ".join(
                        f"{k} {1e6 * v:,.0f} us ({100 * v / p['step']:.0f}%)" if k != "step" else f"{k} {1e6 * v:,.0f} us"
                        for k, v in p.items()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": cpu_line(), "blas": blas_line(), "threads": args.threads, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
