"""Activations side by side: activations x data sets x seeds, trained alike."""

from __future__ import annotations

import math
import time

import numpy as np

import actlab as al

from ... import nn
from .._core import Claim, Result, check_choice, check_positive, check_range, experiment, figure
from ._train import DATASETS, dataset, epochs_to, mlp

DEFAULT = ["relu", "leaky_relu", "prelu", "elu", "selu", "gelu", "silu", "mish", "softplus", "tanh",
           "sigmoid", "gcu"]


def compare_cell(cell):
    """Train one MLP with Adam; per-epoch validation curves, final test accuracy and loss."""
    Xtr, ytr, Xte, yte, classes = dataset(cell["dataset"], seed=0)
    widths = [Xtr.shape[1]] + [cell["width"]] * cell["depth"] + [classes]
    model = mlp(widths, cell["activation"], cell["seed"])
    opt = nn.optim.Adam(model.params, lr=cell["lr"])
    t = time.perf_counter()
    h = nn.fit(model, Xtr, ytr, loss="cross_entropy", optimizer=opt, epochs=cell["epochs"],
               batch_size=cell["batch"], validation=(Xte, yte), seed=cell["seed"], progress=False)
    seconds = time.perf_counter() - t
    acc = h["val_accuracy"]
    reached = epochs_to(acc, cell["target"])
    return {"accuracy": acc[-1], "loss": h["val_loss"][-1], "curve": acc, "loss_curve": h["val_loss"],
            "epochs_to_target": reached, "seconds": seconds, "n_test": len(yte)}


def _validate(cfg):
    check_choice("activation", cfg["activations"], al.names())
    for name in cfg["activations"]:
        if not al.get(name).spec.elementwise:
            raise ValueError(f"{name} is vector-valued; compare trains elementwise activations in Dense layers")
    check_choice("dataset", cfg["datasets"], DATASETS)
    for k in ("seeds", "epochs", "width", "depth", "batch"):
        check_range(k, cfg[k], 1)
    check_range("target", cfg["target"], 0.0, 1.0)
    check_positive("lr", cfg["lr"])


def within_noise(a, b, n):
    """Whether two mean accuracies over n seeds, given as (mean, spread), differ by less than
    2 standard errors of their difference."""
    (ma, sa), (mb, sb) = a, b
    return abs(ma - mb) <= 2 * math.sqrt((sa ** 2 + sb ** 2) / n)


def spread(acc, n_test):
    """The seed-to-seed std of a test accuracy, at least the binomial std of one run on n_test points:
    with few seeds the sample std can come out 0, which is not the absence of noise."""
    p = float(np.mean(acc))
    sample = float(np.std(acc, ddof=1)) if len(acc) > 1 else 0.0
    return max(sample, math.sqrt(p * (1 - p) / n_test))


@experiment(
    "compare",
    "Activations x data sets x seeds, trained alike (Adam, same MLP): test accuracy and loss "
    "(mean +- std over seeds), epochs to a target accuracy, wall time and learning curves, ranked, "
    "with the differences that are within noise marked (2 standard errors; the noise of one run is "
    "at least the binomial std of its test accuracy).",
    presets={"quick": {"activations": ["relu", "leaky_relu", "gelu", "silu", "elu", "tanh", "sigmoid"],
                       "seeds": 2, "epochs": 15},
             "full": {"seeds": 5, "epochs": 60}},
    validate=_validate, grid=True,
    activations=DEFAULT, datasets=["moons", "spirals", "digits"], seeds=3, epochs=30, width=32,
    depth=2, lr=0.01, batch=32, target=0.9,
)
def compare(cfg, cells):
    shared = {k: cfg[k] for k in ("epochs", "width", "depth", "lr", "batch", "target")}
    grid = [{"activation": a, "dataset": d, "seed": s, **shared}
            for d in cfg["datasets"] for a in cfg["activations"] for s in range(cfg["seeds"])]
    out = cells.run(compare_cell, grid)
    n = cfg["seeds"]
    stats = {}
    for c, o in zip(grid, out):
        stats.setdefault((c["dataset"], c["activation"]), []).append(o)
    rows, ranks = [], {}
    for d in cfg["datasets"]:
        summary = []
        for a in cfg["activations"]:
            runs = stats[(d, a)]
            acc = np.array([r["accuracy"] for r in runs])
            reached = [r["epochs_to_target"] for r in runs]
            summary.append({"dataset": d, "activation": a, "accuracy": float(acc.mean()),
                            "accuracy std": float(acc.std(ddof=1)) if n > 1 else 0.0,
                            "noise": spread(acc, runs[0]["n_test"]),
                            "loss": float(np.mean([r["loss"] for r in runs])),
                            "epochs to target": (float(np.mean(reached)) if all(e is not None for e in reached)
                                                 else f"not in {cfg['epochs']} ({sum(e is None for e in reached)} of {n})"),
                            "seconds": float(np.mean([r["seconds"] for r in runs]))})
        summary.sort(key=lambda r: -r["accuracy"])
        best = summary[0]
        for rank, r in enumerate(summary, 1):
            r["rank"] = rank
            r["within noise of best"] = within_noise((r["accuracy"], r["noise"]), (best["accuracy"], best["noise"]), n)
        ranks[d] = [r["activation"] for r in summary]
        rows += summary
    by = {(r["dataset"], r["activation"]): r for r in rows}
    claims = []
    acts = cfg["activations"]
    if "relu" in acts and "silu" in acts:
        ok = [d for d in cfg["datasets"] if by[(d, "silu")]["accuracy"] >= by[(d, "relu")]["accuracy"]
              or within_noise(*((by[(d, a)]["accuracy"], by[(d, a)]["noise"]) for a in ("silu", "relu")), n)]
        claims.append(Claim("silu (swish) is as accurate as relu or better, within noise, on every data set "
                            "(Ramachandran et al. 2017)", len(ok) == len(cfg["datasets"]),
                            "; ".join(f"{d}: silu {by[(d, 'silu')]['accuracy']:.3f}, relu "
                                      f"{by[(d, 'relu')]['accuracy']:.3f}" for d in cfg["datasets"])))
    if "sigmoid" in acts and len(acts) > 1:
        def speed(r):
            e = r["epochs to target"]
            return e if isinstance(e, float) else math.inf
        slowest = [d for d in cfg["datasets"]
                   if all(speed(by[(d, "sigmoid")]) >= speed(by[(d, a)]) for a in acts)]
        claims.append(Claim("sigmoid, which saturates, learns slowest: the most epochs to the target "
                            f"accuracy {cfg['target']} on every data set (Glorot and Bengio 2010)",
                            len(slowest) == len(cfg["datasets"]),
                            "; ".join(f"{d}: sigmoid {by[(d, 'sigmoid')]['epochs to target']}, fastest "
                                      f"{min(acts, key=lambda a: speed(by[(d, a)]))} "
                                      f"{min(speed(by[(d, a)]) for a in acts):g}" for d in cfg["datasets"])))
    fig = figure(figsize=(4.2 * len(cfg["datasets"]), 3.6))
    axes = np.atleast_1d(fig.subplots(1, len(cfg["datasets"]), sharey=False))
    colors = {a: f"C{i % 10}" for i, a in enumerate(acts)}
    styles = {a: "-" if i < 10 else "--" for i, a in enumerate(acts)}
    for ax, d in zip(axes, cfg["datasets"]):
        for a in acts:
            curve = np.mean([r["curve"] for r in stats[(d, a)]], axis=0)
            ax.plot(range(1, len(curve) + 1), curve, styles[a], color=colors[a], label=a, lw=1.2)
        ax.axhline(cfg["target"], color="k", lw=0.5)
        ax.set(title=d, xlabel="epoch", ylabel="test accuracy (mean over seeds)")
    axes[-1].legend(fontsize=7, ncol=2)
    fig.tight_layout()
    bars = figure(figsize=(4.2 * len(cfg["datasets"]), 0.28 * len(acts) + 1.4))
    baxes = np.atleast_1d(bars.subplots(1, len(cfg["datasets"])))
    for ax, d in zip(baxes, cfg["datasets"]):
        rs = [r for r in rows if r["dataset"] == d][::-1]
        ax.barh([r["activation"] for r in rs], [r["accuracy"] for r in rs], xerr=[r["accuracy std"] for r in rs],
                color=["#4c72b0" if r["within noise of best"] else "#bbbbbb" for r in rs])
        lo = min(r["accuracy"] - r["accuracy std"] for r in rs)
        ax.set(title=f"{d} (blue: within noise of the best)", xlabel="test accuracy", xlim=(max(0, lo - 0.02), 1))
    bars.tight_layout()
    return Result("compare", cfg, claims, {"ranking": rows}, {"curves": fig, "accuracy": bars},
                  {"ranks": ranks, "cells": [{"cell": c, **o} for c, o in zip(grid, out)]})
