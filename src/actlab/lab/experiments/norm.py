"""Batch normalization on the notes' small Keras model, with and without it."""

from __future__ import annotations

import numpy as np

from ... import nn
from .._core import Claim, Result, check_positive, check_range, experiment, figure
from ._train import epochs_to


def keras_model(batchnorm, seed):
    """Dense 3 relu, [BatchNorm], Dense 2 relu, [BatchNorm], Dense 1 (sigmoid in the loss)."""
    layers = [nn.Dense(2, 3, activation="relu")]
    layers += [nn.BatchNorm(3)] if batchnorm else []
    layers += [nn.Dense(3, 2, activation="relu")]
    layers += [nn.BatchNorm(2)] if batchnorm else []
    layers += [nn.Dense(2, 1)]
    return nn.Sequential(*layers, seed=seed, dtype=np.float64)


def _validate(cfg):
    for k in ("seeds", "epochs", "batch", "n"):
        check_range(k, cfg[k], 1)
    check_range("target", cfg["target"], 0.0, 1.0)
    check_range("noise", cfg["noise"], 0.0)
    check_positive("lr", cfg["lr"])


@experiment(
    "batchnorm",
    "The notes' Keras model (Dense 3 relu, BatchNorm, Dense 2 relu, BatchNorm, Dense 1 sigmoid) on "
    "concentric circles, trained with and without BatchNorm over many seeds: batch normalization "
    "makes training faster and more stable (Ioffe and Szegedy 2015).",
    presets={"quick": {}, "full": {"seeds": 50, "epochs": 100}},
    validate=_validate,
    seeds=20, epochs=40, batch=32, lr=0.01, n=600, noise=0.1, target=0.9,
)
def batchnorm(cfg, cells):
    X, y = nn.datasets.circles(n=cfg["n"], noise=cfg["noise"], factor=0.5, seed=0)
    Xtr, Xte, ytr, yte = nn.datasets.train_test_split(X, y[:, None].astype(np.float64), test=0.25,
                                                      seed=0, stratify=y)
    runs = {}
    for bn, s in cells.track([(bn, s) for bn in (False, True) for s in range(cfg["seeds"])], unit="model"):
        model = keras_model(bn, s)
        h = nn.fit(model, Xtr, ytr, loss="binary_cross_entropy",
                   optimizer=nn.optim.Adam(model.params, lr=cfg["lr"]), epochs=cfg["epochs"],
                   batch_size=cfg["batch"], validation=(Xte, yte), seed=s, progress=False)
        acc = h["val_accuracy"]
        runs.setdefault(bn, []).append({
            "accuracy": acc[-1], "loss": h["val_loss"][-1], "curve": acc,
            "epochs_to_target": epochs_to(acc, cfg["target"])})
    reach = f"reached {cfg['target']}"
    rows = []
    for bn, rs in runs.items():
        reached = [r["epochs_to_target"] for r in rs if r["epochs_to_target"] is not None]
        acc = np.array([r["accuracy"] for r in rs])
        rows.append({"model": "with BatchNorm" if bn else "without", "seeds": len(rs), reach: len(reached),
                     "median epochs to target": float(np.median(reached)) if reached else float("nan"),
                     "final accuracy mean": float(acc.mean()), "final accuracy std": float(acc.std()),
                     "worst seed": float(acc.min())})
    without, with_bn = rows
    claims = [
        Claim(f"more seeds reach {cfg['target']} test accuracy with BatchNorm (more stable)",
              with_bn[reach] > without[reach], f"{with_bn[reach]} of {cfg['seeds']} with, {without[reach]} without"),
        Claim("the seeds that reach it get there in fewer epochs with BatchNorm (faster; medians)",
              with_bn["median epochs to target"] < without["median epochs to target"],
              f"{with_bn['median epochs to target']:g} with, {without['median epochs to target']:g} without"),
        Claim("the final accuracy varies less from seed to seed with BatchNorm",
              with_bn["final accuracy std"] < without["final accuracy std"],
              f"std {with_bn['final accuracy std']:.3f} with, {without['final accuracy std']:.3f} without"),
    ]
    fig = figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    for bn, color in ((False, "#d62728"), (True, "#1f77b4")):
        curves = np.array([r["curve"] for r in runs[bn]])
        epochs = np.arange(1, curves.shape[1] + 1)
        for c in curves:
            ax1.plot(epochs, c, color=color, alpha=0.25, lw=0.8)
        ax1.plot(epochs, np.median(curves, axis=0), color=color, lw=2,
                 label=("with" if bn else "without") + " BatchNorm (median)")
    ax1.axhline(cfg["target"], color="k", lw=0.5)
    ax1.set(xlabel="epoch", ylabel="test accuracy", title="every seed (thin) and the median")
    ax1.legend(fontsize=8)
    ax2.boxplot([[r["accuracy"] for r in runs[False]], [r["accuracy"] for r in runs[True]]])
    ax2.set_xticks([1, 2], ["without", "with BatchNorm"])
    ax2.set(ylabel="final test accuracy", title=f"{cfg['seeds']} seeds")
    return Result("batchnorm", cfg, claims, {"with and without BatchNorm": rows}, {"batchnorm": fig},
                  {"runs": {("with" if bn else "without"): rs for bn, rs in runs.items()}})
