"""Gradient flow through deep MLPs: vanishing and exploding gradients, per layer."""

from __future__ import annotations

import numpy as np

import actlab as al

from ... import nn
from .._core import Claim, Result, check_choice, check_range, experiment, figure
from ._train import DATASETS, dataset, mlp


def layer_stats(model, X, y):
    """Per hidden layer: the gradient norm of W, and the mean and std of the activations."""
    out = model(X, training=True)
    model.backward(nn.losses.cross_entropy(out, y)[1])
    dense = [(i, l) for i, l in enumerate(model.layers) if isinstance(l, nn.Dense)]
    grads = [float(np.linalg.norm(model.grads[f"{i}.W"])) for i, _ in dense]
    acts = [l.act.forward(l._z) if l.act is not None else l._z for _, l in dense[:-1]]
    return grads, [float(a.mean()) for a in acts], [float(a.std()) for a in acts]


def flow_ratio(grad_norms):
    """First over last gradient norm of the hidden width x width layers.

    The input layer (fan-in = the data's features) and the output layer (fan-out = the
    classes) differ in shape from the rest, so their norms differ even when the signal is
    perfectly preserved; they are left out wherever the net has two square layers.
    """
    g = grad_norms[1:-1] if len(grad_norms) >= 4 else grad_norms
    return g[0] / g[-1] if g[-1] else float("inf")


def flow_cell(cell):
    Xtr, ytr, _, _, classes = dataset(cell["dataset"], seed=0)
    widths = [Xtr.shape[1]] + [cell["width"]] * cell["depth"] + [classes]
    model = mlp(widths, cell["activation"], cell["seed"], init=cell["init"])
    rng = np.random.default_rng(cell["seed"])
    batch = rng.choice(len(Xtr), size=min(cell["batch"], len(Xtr)), replace=False)
    init = layer_stats(model, Xtr[batch], ytr[batch])
    opt = nn.optim.Adam(model.params, lr=cell["lr"])
    for _ in range(cell["steps"]):
        idx = rng.choice(len(Xtr), size=min(cell["batch"], len(Xtr)), replace=False)
        _, dout = nn.losses.cross_entropy(model(Xtr[idx], training=True), ytr[idx])
        model.backward(dout)
        opt.step(model.grads)
    after = layer_stats(model, Xtr[batch], ytr[batch])
    keys = ("grad_norm", "act_mean", "act_std")
    return {"init": dict(zip(keys, init)), "trained": dict(zip(keys, after))}


def _validate(cfg):
    check_choice("activation", cfg["activations"], al.names())
    check_choice("initializer", cfg["inits"], nn.init.names())
    check_choice("dataset", [cfg["dataset"]], DATASETS)
    for d in cfg["depths"]:
        check_range("depths", d, 1)
    for k in ("width", "batch", "seed"):
        check_range(k, cfg[k], 0 if k == "seed" else 1)
    check_range("steps", cfg["steps"], 0)


@experiment(
    "gradient_flow",
    "Deep MLPs (depth 10 to 50): per-layer gradient norms and activation statistics at "
    "initialization and after training steps, for activation x initializer; the vanishing and "
    "exploding picture as a heat map.",
    presets={"quick": {"batch": 64}, "full": {"depths": [10, 20, 30, 40, 50], "steps": 100, "width": 128}},
    validate=_validate, grid=True,
    activations=["sigmoid", "tanh", "relu", "selu", "gelu"], inits=["glorot_normal", "he_normal", "lecun_normal"],
    depths=[10, 50], width=64, batch=128, steps=20, lr=1e-3, dataset="spirals", seed=0,
)
def gradient_flow(cfg, cells):
    grid = [{"activation": a, "init": i, "depth": d, **{k: cfg[k] for k in
             ("width", "batch", "steps", "lr", "dataset", "seed")}}
            for d in cfg["depths"] for a in cfg["activations"] for i in cfg["inits"]]
    out = cells.run(flow_cell, grid)
    rows = [{"activation": c["activation"], "init": c["init"], "depth": c["depth"],
             "first/last grad norm at init": flow_ratio(o["init"]["grad_norm"]),
             "first/last after training": flow_ratio(o["trained"]["grad_norm"])}
            for c, o in zip(grid, out)]
    deep = max(cfg["depths"])
    ratio = {(r["activation"], r["init"]): r["first/last grad norm at init"] for r in rows if r["depth"] == deep}
    claims = []
    if ("sigmoid", "glorot_normal") in ratio:
        v = ratio[("sigmoid", "glorot_normal")]
        claims.append(Claim(f"sigmoid's gradients vanish: at depth {deep} (Glorot init) the first hidden layer's "
                            "gradient is below 1e-3 of the last one's", v < 1e-3, f"ratio {v:.2e}"))
    for act, init in (("relu", "he_normal"), ("selu", "lecun_normal")):
        if (act, init) in ratio:
            v = ratio[(act, init)]
            claims.append(Claim(f"{act} with {init} keeps the gradient flowing at depth {deep} "
                                "(first/last hidden layer's gradient norm in [0.1, 10])", 0.1 <= v <= 10, f"ratio {v:.3g}"))
    fig = figure(figsize=(11, 0.32 * len(grid) + 1.8))
    axes = fig.subplots(1, 2, sharey=True)
    labels = [f"{c['activation']} / {c['init'].replace('_normal', '')} / {c['depth']}" for c in grid]
    for ax, when in zip(axes, ("init", "trained")):
        L = max(cfg["depths"]) + 1
        img = np.full((len(grid), L), np.nan)
        for r, o in enumerate(out):
            g = np.asarray(o[when]["grad_norm"], dtype=float)
            img[r, :len(g)] = np.log10(np.maximum(g, 1e-30))
        im = ax.imshow(img, aspect="auto", cmap="viridis", interpolation="nearest")
        ax.set(title=f"log10 |dL/dW| per layer ({'at init' if when == 'init' else 'after training'})",
               xlabel="layer")
        fig.colorbar(im, ax=ax, shrink=0.8)
    axes[0].set_yticks(range(len(grid)), labels, fontsize=7)
    return Result("gradient_flow", cfg, claims, {"gradient ratio": rows}, {"gradient_flow": fig},
                  {"cells": [{"cell": c, **o} for c, o in zip(grid, out)]})
