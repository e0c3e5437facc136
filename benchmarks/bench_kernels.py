"""Benchmark the kernels against PyTorch (CPU), the NumPy reference and a copy.

For each function with a kernel, each dtype and size: the median time of
``act(x)`` (forward) and of ``act(x); act.backward(x, g)`` (forward+backward),
of the same in torch with the same number of threads (``y = f(x);
torch.autograd.grad(y, x, g)``), of the NumPy reference formulas, and of
``x.copy()``. Prints the CPU and its vector features, the ratios torch/actlab
and the fraction of copy bandwidth reached (bytes the operation must move, at
the copy's rate), a summary against the targets (every function >= 1.0x
torch, geometric mean >= 1.5x, piecewise-linear functions >= 70% of the copy
bandwidth at the largest size), and writes the raw times to JSON. ``--cold``
also times each function's first call in a fresh process with an empty
kernel cache (target: <= 1 s).

    python benchmarks/bench_kernels.py --functions sigmoid,relu --sizes 2^10,2^24
    actlab bench ...   (the same, from a source checkout)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import actlab
from actlab import kernels

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_training import cpu_line  # noqa: E402  (a sibling script)

SIZES = (2 ** 10, 2 ** 17, 2 ** 24)
DTYPES = ("float32", "float64")
MODES = ("forward", "forward+backward")
# Bytes moved per element, in units of the dtype: forward reads x and writes y;
# forward+backward adds a pass that reads x and g and writes dx. A copy moves 2.
_TRAFFIC = {"forward": 2, "forward+backward": 5}


def _torch_rational(t):
    """The default Padé unit, P and the safe Q = 1 + sum |b_k| |x|^k by Horner's rule."""
    from actlab.catalog.learnable import LEAKY_DENOMINATOR, LEAKY_NUMERATOR

    p = LEAKY_NUMERATOR[-1]
    for c in LEAKY_NUMERATOR[-2::-1]:
        p = p * t + c
    a = t.abs()
    q = abs(LEAKY_DENOMINATOR[-1])
    for c in LEAKY_DENOMINATOR[-2::-1]:
        q = q * a + abs(c)
    return p / (q * a + 1.0)


def _torch_functions():
    """What a torch user writes for each function (for the few torch lacks, an expression)."""
    import torch
    import torch.nn.functional as F

    return {
        "identity": lambda t: t + 0.0,
        "binary_step": lambda t: (t >= 0).to(t.dtype) + 0.0 * t,  # + 0*t: a graph for autograd
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
        "prelu": lambda t: F.leaky_relu(t, 0.25),  # a scalar, fixed slope: prelu's forward
        "elu": F.elu,
        "selu": F.selu,
        "celu": F.celu,
        "softplus": F.softplus,
        "softsign": F.softsign,
        "relu6": F.relu6,
        "clipped_relu": lambda t: torch.clamp(t, 0.0, 6.0),
        "elliot_sigmoid": lambda t: 0.5 * t / (1 + t.abs()) + 0.5,
        "square": torch.square,
        "gcu": lambda t: t * torch.cos(t),
        "multiquadratic": lambda t: torch.sqrt(t * t + 1.0),
        "inverse_multiquadratic": lambda t: torch.rsqrt(t * t + 1.0),
        "gaussian": lambda t: torch.exp(-t * t),
        "gelu": F.gelu,
        "silu": F.silu,
        "mish": F.mish,
        "hard_swish": F.hardswish,
        "hard_sigmoid": F.hardsigmoid,
        "hard_tanh": F.hardtanh,
        "log_sigmoid": F.logsigmoid,
        "tanh_shrink": F.tanhshrink,
        "soft_shrink": F.softshrink,
        "hard_shrink": F.hardshrink,
        "sparse_sigmoid": lambda t: 0.5 * torch.clamp(t + 1.0, 0.0, 2.0),
        "threshold": lambda t: F.threshold(t, 0.0, 0.0),
        "thresholded_relu": lambda t: F.threshold(t, 1.0, 0.0),
        "squared_relu": lambda t: torch.square(torch.relu(t)),
        "sparse_plus": lambda t: torch.where(t <= -1, 0.0, torch.where(t >= 1, t, 0.25 * (t + 1) ** 2)),
        "sqnl": lambda t: (c := torch.clamp(t, -2.0, 2.0)) - c * c.abs() * 0.25,
        "squareplus": lambda t: 0.5 * (t + torch.sqrt(t * t + 4.0)),
        "exponential": torch.exp,
        "arctan": torch.atan,
        "lisht": lambda t: t * torch.tanh(t),
        "bent_identity": lambda t: (torch.sqrt(t * t + 1.0) - 1.0) / 2.0 + t,
        "isru": lambda t: t * torch.rsqrt(1.0 + t * t),
        "isrlu": lambda t: torch.where(t >= 0, t, t * torch.rsqrt(1.0 + t * t)),
        "logcosh": lambda t: torch.log(torch.cosh(t)),
        "soft_clipping": lambda t: (F.softplus(0.5 * t) - F.softplus(0.5 * (t - 1.0))) / 0.5,
        "smht": lambda t: (torch.exp(t) - torch.exp(-t)) / (torch.exp(t) + torch.exp(-t)),
        "soft_exponential": lambda t: t * 1.0,  # alpha = 0, the default: the identity
        "sinusoid": torch.sin,
        "elish": lambda t: torch.where(t >= 0, t * torch.sigmoid(t), torch.expm1(t) * torch.sigmoid(t)),
        "hard_elish": lambda t: torch.where(t >= 0, t, torch.expm1(t)) * torch.clamp((t + 1) / 2, 0, 1),
        "tanhexp": lambda t: t * torch.tanh(torch.exp(t)),
        # learnable.py and sinc/sine at their defaults
        "apl": lambda t: torch.relu(t) - 0.25 * torch.relu(-t),
        "srelu": lambda t: torch.where(t >= 1.0, t, torch.where(t > 0.0, t, 0.01 * t)),
        "star_relu": lambda t: 0.8944 * torch.relu(t) ** 2 - 0.4472,
        "snake": lambda t: t + torch.sin(t) ** 2,
        "rational": _torch_rational,
        "sinc": lambda t: torch.sinc(t / math.pi),
        "sine": lambda t: torch.sin(30.0 * t),
    }


def _median_times(fns, size, rounds=7, budget=2.0):
    """Median seconds per call of each function. The machine is shared and
    noisy: the contenders are timed in turns (round-robin batches), so that
    load changes hit them alike, and medians are taken, not means."""
    number = max(1, int(2e5 // max(size, 1)))  # ~10 ms batches
    for fn in fns.values():
        fn()  # warm-up: compilation, the first allocation's page faults
    samples = {k: [] for k in fns}
    for _ in range(rounds):
        for key, fn in fns.items():
            if sum(samples[key]) * number > budget and len(samples[key]) >= 3:
                continue  # a slow contender (NumPy's reference at 1.6e7): three samples do
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            samples[key].append((time.perf_counter() - t0) / number)
    return {k: statistics.median(v) for k, v in samples.items()}


def _contenders(name, x, g, torch_fns, torch):
    act = actlab.get(name)
    out = {
        "actlab": {"forward": lambda: act(x),
                   "forward+backward": lambda: (act(x), act.backward(x, g))},
        "numpy": {"forward": lambda: act.reference("forward", x),  # the reference formulas (no kernel)
                  "forward+backward": lambda: (act.reference("forward", x), act.reference("backward", x, g))},
    }
    tf = torch_fns.get(name)
    if tf is not None:
        tx = torch.from_numpy(x)
        tg = torch.from_numpy(g)

        def fwd_bwd():
            xr = tx.detach().requires_grad_()
            return torch.autograd.grad(tf(xr), xr, tg)

        def fwd():
            with torch.no_grad():
                return tf(tx)

        out["torch"] = {"forward": fwd, "forward+backward": fwd_bwd}
    return out


def run(functions, sizes, dtypes, modes, threads, on_row=None, contenders=("actlab", "torch", "numpy")):
    import torch

    torch.set_num_threads(threads)
    kernels.set_num_threads(threads)
    torch_fns = _torch_functions()
    rng = np.random.default_rng(0)
    results = []
    for dtype in dtypes:
        for size in sizes:
            x = (rng.standard_normal(size) * 3).astype(dtype)
            g = rng.standard_normal(size).astype(dtype)
            for name in functions:
                cont = _contenders(name, x, g, torch_fns, torch)
                for mode in modes:
                    fns = {who: f[mode] for who, f in cont.items() if who in contenders}
                    fns["copy"] = x.copy
                    times = _median_times(fns, size, rounds=7 if size >= 10**6 else 15)
                    row = {"function": name, "dtype": dtype, "size": size, "mode": mode, "threads": threads,
                           "load_average": os.getloadavg()[0], **{f"{k}_s": v for k, v in times.items()}}
                    results.append(row)
                    _print_row(row)
                    if on_row is not None:
                        on_row(results)
    return results


_HEADER = (f"{'function':16s} {'dtype':7s} {'size':>9s} {'mode':16s} {'actlab us':>10s} {'torch us':>10s} "
           f"{'numpy us':>10s} {'torch/al':>8s} {'numpy/al':>8s} {'copy bw':>7s} {'load':>5s}")


def _print_row(row):
    al = row["actlab_s"]
    torch_s = row.get("torch_s")
    ratio = f"{torch_s / al:8.2f}" if torch_s else f"{'n/a':>8s}"
    bw = row["copy_s"] * _TRAFFIC[row["mode"]] / 2 / al
    print(f"{row['function']:16s} {row['dtype']:7s} {row['size']:9d} {row['mode']:16s} {al * 1e6:10.1f} "
          f"{(torch_s or math.nan) * 1e6:10.1f} {row.get('numpy_s', math.nan) * 1e6:10.1f} {ratio} "
          f"{row.get('numpy_s', math.nan) / al:8.2f} {bw:7.0%} {row['load_average']:5.1f}", flush=True)


def _piecewise_linear(name):
    """f'' is 0 wherever the reference is sampled: no arithmetic beyond a select or a multiply."""
    x = np.linspace(-8.0, 8.0, 4001)
    return bool(np.all(actlab.get(name).second_derivative(x) == 0))


def _summary(results):
    """Per (dtype, size, mode): the geometric mean of torch/actlab, the worst
    function, and whether the targets hold; the copy bandwidth of the
    piecewise-linear functions at the largest size. True if every target held."""
    groups = {}
    for r in results:
        if r.get("torch_s"):
            groups.setdefault((r["dtype"], r["size"], r["mode"]), []).append((r["torch_s"] / r["actlab_s"], r["function"]))
    held = True
    print("\ntorch/actlab: geometric mean and minimum (targets: >= 1.5 and >= 1.0)")
    for (dtype, size, mode), vals in groups.items():
        gm = math.exp(sum(math.log(v) for v, _ in vals) / len(vals))
        worst = min(vals)
        below = sorted(f for v, f in vals if v < 1.0)
        ok = gm >= 1.5 and not below
        held &= ok
        print(f"  {dtype:7s} {size:9d} {mode:16s} geomean {gm:5.2f}  min {worst[0]:5.2f} ({worst[1]})  "
              + ("met" if ok else f"MISSED ({len(below)} below 1.0{': ' + ', '.join(below) if below else ''})"))
    largest = max((r["size"] for r in results), default=0)
    linear = {}
    for r in results:
        if r["size"] == largest and r["size"] >= 2 ** 24:
            if r["function"] not in linear:
                linear[r["function"]] = _piecewise_linear(r["function"])
            if linear[r["function"]]:
                bw = r["copy_s"] * _TRAFFIC[r["mode"]] / 2 / r["actlab_s"]
                held &= bw >= 0.7
                if bw < 0.7:
                    print(f"  {r['function']} {r['dtype']} {r['mode']}: {bw:.0%} of the copy bandwidth (target 70%)")
    if any(linear.values()):
        print(f"piecewise-linear at {largest}: {sum(linear.values())} functions checked against 70% of the copy "
              "bandwidth (failures listed above)")
    return held


_COLD = """
import time, numpy as np
t0 = time.perf_counter()
import actlab
t1 = time.perf_counter()
act = actlab.get({name!r})
x = np.linspace(-3, 3, 1000, dtype={dtype!r})
t2 = time.perf_counter()
act(x)
t3 = time.perf_counter()
act.backward(x, x)
t4 = time.perf_counter()
print(t1 - t0, t3 - t2, t4 - t3)
"""


def cold(functions, dtypes):
    """Each function's first forward and first backward call in a fresh process with an empty kernel cache
    (and the import's time): the worst first call, to hold against 1 s."""
    worst = (0.0, "")
    print(f"\ncold first call (fresh process, empty cache): {'function':16s} {'dtype':7s} import  forward  backward")
    for dtype in dtypes:
        for name in functions:
            with tempfile.TemporaryDirectory() as cache:
                env = {**os.environ, "ACTLAB_CACHE_DIR": cache}
                out = subprocess.run([sys.executable, "-c", _COLD.format(name=name, dtype=dtype)], env=env,
                                     capture_output=True, text=True, check=True).stdout
            imp, fwd, bwd = map(float, out.split())
            worst = max(worst, (fwd, f"{name} {dtype} forward"), (bwd, f"{name} {dtype} backward"))
            print(f"{'':47s} {name:16s} {dtype:7s} {imp:6.2f}s {fwd:6.2f}s {bwd:6.2f}s", flush=True)
    print(f"slowest first call: {worst[0]:.2f} s ({worst[1]}); target <= 1 s: {'met' if worst[0] <= 1 else 'MISSED'}")
    return worst[0] <= 1


def _sizes(text):
    """1024, 1e3 or 2^10."""
    return [2 ** int(s.strip()[2:]) if s.strip().startswith("2^") else int(float(s)) for s in text.split(",")]


def main(argv=None):
    p = argparse.ArgumentParser(prog="actlab bench", description=__doc__.splitlines()[0])
    p.add_argument("--functions", help="comma-separated names (default: every function with a kernel)")
    p.add_argument("--sizes", type=_sizes, default=list(SIZES),
                   help="comma-separated element counts (2^10,1e5,16777216)")
    p.add_argument("--dtypes", default=",".join(DTYPES), help="float32,float64")
    p.add_argument("--modes", default=",".join(MODES), help="forward,forward+backward")
    p.add_argument("--threads", type=int, default=kernels.get_num_threads(),
                   help="threads for actlab and torch (default: actlab's, i.e. the cores available)")
    p.add_argument("--json", default="bench_kernels.json", help="where to write the raw times")
    p.add_argument("--skip-numpy", action="store_true",
                   help="leave out NumPy's reference (gelu's takes ~30 s per call at 1.6e7)")
    p.add_argument("--cold", action="store_true", help="also time each function's first call in a fresh process")
    args = p.parse_args(argv)
    functions = args.functions.split(",") if args.functions else kernels.names()
    unknown = sorted(set(functions) - set(kernels.names()))
    if unknown:
        p.error(f"no kernel for {', '.join(unknown)} (functions with kernels: {', '.join(kernels.names())})")
    modes = args.modes.split(",")
    if set(modes) - set(MODES):
        p.error(f"--modes must be among {', '.join(MODES)}")
    cpu = cpu_line()
    print(f"CPU: {cpu}; {args.threads} threads for actlab and torch")
    meta = {"cpu": cpu, "machine": platform.machine(), "python": platform.python_version(),
            "numpy": np.__version__, "threads": args.threads, "cpus": os.cpu_count()}
    try:
        import numba
        import torch
        meta.update(numba=numba.__version__, torch=torch.__version__)
    except ImportError:
        pass

    def save(results):  # after every row: a long run stopped early keeps what it measured
        with open(args.json, "w") as fh:
            json.dump({"meta": meta, "results": results}, fh, indent=1)

    print(_HEADER)
    contenders = ("actlab", "torch") if args.skip_numpy else ("actlab", "torch", "numpy")
    results = run(functions, args.sizes, args.dtypes.split(","), modes, args.threads, on_row=save,
                  contenders=contenders)
    held = _summary(results)
    if args.cold:
        held &= cold(functions, args.dtypes.split(","))
    print(f"\nraw times: {args.json}\ntargets: {'all met' if held else 'some missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
