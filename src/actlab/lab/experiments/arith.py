"""NAC and NALU against an MLP on simple arithmetic (Trask et al. 2018)."""

from __future__ import annotations

import numpy as np

import actlab as al

from ... import nn
from .._core import Claim, Result, check_choice, check_positive, check_range, experiment, figure

OPS = {
    "a + b": lambda a, b: a + b,
    "a - b": lambda a, b: a - b,
    "a * b": lambda a, b: a * b,
    "a / b": lambda a, b: a / b,
    "a^2": lambda a, b: a * a,
    "sqrt(a)": lambda a, b: np.sqrt(a),
}
MODELS = ("NAC", "NALU", "MLP")


def build(kind, inputs, hidden, seed, activation="relu6"):
    """Two layers of the kind: NAC and NALU with 2 hidden units, the MLP with ``hidden`` units of
    ``activation`` (the paper's baseline is relu6)."""
    if kind == "NAC":
        layers = [nn.NAC(inputs, 2), nn.NAC(2, 1)]
    elif kind == "NALU":
        layers = [nn.NALU(inputs, 2), nn.NALU(2, 1)]
    else:
        layers = [nn.Dense(inputs, hidden, activation=activation), nn.Dense(hidden, 1)]
    return nn.Sequential(*layers, seed=seed, dtype=np.float64)


def task(op, inputs, subset, low, high, n, rng, subsets):
    """x uniform in [low, high]^inputs; a and b are sums over two fixed disjoint subsets of x."""
    X = rng.uniform(low, high, (n, inputs))
    a, b = X[:, subsets[0]].sum(axis=1), X[:, subsets[1]].sum(axis=1)
    return X, OPS[op](a, b)[:, None]


def mse(model, X, y):
    with np.errstate(over="ignore", invalid="ignore"):   # a diverged NALU overflows: inf is the answer
        e = model.predict(X) - y
        v = float(np.mean(e * e))
    return v if np.isfinite(v) else float("inf")


def arith_cell(cell):
    """Train one model on one operation; its MSE in and beyond the training range, and at init."""
    rng = np.random.default_rng(cell["seed"])
    picks = rng.permutation(cell["inputs"])[:2 * cell["subset"]]
    subsets = (picks[:cell["subset"]], picks[cell["subset"]:])
    args = (cell["op"], cell["inputs"], cell["subset"])
    Xtr, ytr = task(*args, 0.0, 1.0, cell["train"], rng, subsets)
    Xin, yin = task(*args, 0.0, 1.0, cell["test"], rng, subsets)
    Xex, yex = task(*args, 0.0, cell["extrapolate"], cell["test"], rng, subsets)
    model = build(cell["model"], cell["inputs"], cell["hidden"], cell["seed"], cell["mlp_activation"])
    start = {"interpolation": mse(model, Xin, yin), "extrapolation": mse(model, Xex, yex)}
    opt = nn.optim.Adam(model.params, lr=cell["lr"])
    diverged = False
    for _ in range(cell["steps"]):
        idx = rng.integers(0, len(Xtr), cell["batch"])
        with np.errstate(over="ignore", invalid="ignore"):    # NALU's exp can overflow: caught below
            pred = model(Xtr[idx], training=True)
            if np.isfinite(pred).all():
                model.backward(nn.losses.mse(pred, ytr[idx])[1])
        if not (np.isfinite(pred).all() and all(np.isfinite(g).all() for g in model.grads.values())):
            diverged = True
            break
        opt.step(model.grads)
    end = {"interpolation": mse(model, Xin, yin), "extrapolation": mse(model, Xex, yex)}
    return {"start": start, "end": end, "diverged": diverged}


def _validate(cfg):
    check_choice("operation", cfg["ops"], list(OPS))
    check_choice("model", cfg["models"], list(MODELS))
    check_choice("activation", [cfg["mlp_activation"]], al.names())
    for k in ("inputs", "subset", "hidden", "steps", "batch", "seeds", "train", "test"):
        check_range(k, cfg[k], 1)
    if 2 * cfg["subset"] > cfg["inputs"]:
        raise ValueError(f"two disjoint subsets of {cfg['subset']} need inputs >= {2 * cfg['subset']}, "
                         f"got {cfg['inputs']}")
    check_range("extrapolate", cfg["extrapolate"], 1.0)
    check_positive("lr", cfg["lr"])


def normalized(cell_out, where):
    """100 * MSE / MSE of the same model at initialization (the random baseline is 100)."""
    base, err = cell_out["start"][where], cell_out["end"][where]
    if not np.isfinite(err):
        return float("inf")
    return 100.0 * err / base if base > 0 and np.isfinite(base) else float("nan")


@experiment(
    "nalu",
    "NAC and NALU against an MLP on a + b, a - b, a * b, a / b, a^2 and sqrt(a), where a and b are sums "
    "of two subsets of the inputs, with interpolation and extrapolation errors normalized so that the "
    "untrained model scores 100: NAC extrapolates + and - almost exactly, the MLP does not "
    "(Trask et al. 2018).",
    presets={"quick": {}, "full": {"seeds": 10, "steps": 20000, "inputs": 100, "subset": 10}},
    validate=_validate, grid=True,
    ops=list(OPS), models=list(MODELS), mlp_activation="relu6", inputs=20, subset=4, hidden=16, steps=3000, batch=64,
    lr=0.01, seeds=3, train=2000, test=1000, extrapolate=5.0,
)
def nalu(cfg, cells):
    shared = {k: cfg[k] for k in ("inputs", "subset", "hidden", "steps", "batch", "lr", "train", "test",
                                  "extrapolate", "mlp_activation")}
    grid = [{"op": op, "model": m, "seed": s, **shared}
            for op in cfg["ops"] for m in cfg["models"] for s in range(cfg["seeds"])]
    out = cells.run(arith_cell, grid)
    rows = []
    scores = {}
    for op in cfg["ops"]:
        for m in cfg["models"]:
            runs = [o for c, o in zip(grid, out) if c["op"] == op and c["model"] == m]
            inter = [normalized(o, "interpolation") for o in runs]
            extra = [normalized(o, "extrapolation") for o in runs]
            scores[(op, m)] = (float(np.median(inter)), float(np.median(extra)))
            rows.append({"operation": op, "model": m, "interpolation": scores[(op, m)][0],
                         "extrapolation": scores[(op, m)][1], "diverged": sum(o["diverged"] for o in runs),
                         "seeds": len(runs)})
    claims = []
    for op in ("a + b", "a - b"):
        if op in cfg["ops"] and "NAC" in cfg["models"]:
            e = scores[(op, "NAC")][1]
            claims.append(Claim(f"NAC extrapolates {op} almost exactly (normalized error < 1, median over "
                                "seeds)", e < 1, f"{e:.3g}"))
        if op in cfg["ops"] and "MLP" in cfg["models"] and "NAC" in cfg["models"]:
            e, n = scores[(op, "MLP")][1], scores[(op, "NAC")][1]
            claims.append(Claim(f"the MLP ({cfg['mlp_activation']}) does not extrapolate {op}: its error is over "
                                "10 times NAC's and above 1",
                                e > max(10 * n, 1), f"MLP {e:.3g}, NAC {n:.3g}"))
    for op in ("a * b", "a / b"):
        if op in cfg["ops"] and "NALU" in cfg["models"]:
            e = scores[(op, "NALU")][1]
            claims.append(Claim(f"NALU extrapolates {op} (normalized error < 1, as the paper reports); "
                                "later work found NALU's training unstable on these", e < 1, f"{e:.3g}"))
    fig = figure(figsize=(11, 3.8))
    axes = fig.subplots(1, 2, sharey=True)
    x = np.arange(len(cfg["ops"]))
    w = 0.8 / len(cfg["models"])
    for ax, (i, where) in zip(axes, enumerate(("interpolation", "extrapolation"))):
        for j, m in enumerate(cfg["models"]):
            v = [min(scores[(op, m)][i], 1e4) for op in cfg["ops"]]
            ax.bar(x + (j - (len(cfg["models"]) - 1) / 2) * w, np.maximum(v, 1e-4), w, label=m)
        ax.axhline(100, color="k", lw=0.6)
        ax.set_xticks(x, cfg["ops"])
        ax.set(yscale="log", title=f"{where} (100 = untrained model; median over seeds)",
               ylabel="normalized MSE")
    axes[0].legend()
    return Result("nalu", cfg, claims, {"normalized error": rows}, {"nalu": fig},
                  {"cells": [{"cell": c, **o} for c, o in zip(grid, out)]})
