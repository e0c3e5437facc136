"""Dead ReLU units: killed by a large learning rate, and born dead in narrow deep nets."""

from __future__ import annotations

import numpy as np

import actlab as al

from ... import nn
from .._core import Claim, Result, check_choice, check_range, experiment, figure
from ._train import DATASETS, dataset, mlp

COLORS = {"relu": "#d62728", "leaky_relu": "#1f77b4", "prelu": "#2ca02c", "elu": "#9467bd", "gelu": "#ff7f0e"}


def never_firing(model, X):
    """Fraction of hidden units whose pre-activation is <= 0 on every row of X."""
    model.predict(X)
    dead = [np.all(layer._z <= 0, axis=0) for layer in model.layers
            if isinstance(layer, nn.Dense) and layer.act is not None]
    return float(np.mean(np.concatenate(dead)))


def dead_cell(cell):
    """Train one MLP at a large learning rate; the fraction of
    never-firing units after each epoch and the final test accuracy."""
    Xtr, ytr, Xte, yte, classes = dataset(cell["dataset"], seed=0)
    widths = [Xtr.shape[1]] + [cell["width"]] * cell["depth"] + [classes]
    model = mlp(widths, cell["activation"], cell["seed"])
    opt = getattr(nn.optim, cell["optimizer"])(model.params, lr=cell["lr"])
    rng = np.random.default_rng(cell["seed"])
    curve = [never_firing(model, Xtr)]
    for _ in range(cell["epochs"]):
        order = rng.permutation(len(Xtr))
        for i in range(0, len(order), cell["batch"]):
            idx = order[i:i + cell["batch"]]
            _, dout = nn.losses.cross_entropy(model(Xtr[idx], training=True), ytr[idx])
            model.backward(dout)
            opt.step(model.grads)
        curve.append(never_firing(model, Xtr))
    return {"curve": curve, "accuracy": float(np.mean(np.argmax(model.predict(Xte), axis=1) == yte))}


def born_dead(width, depth, trials, rng):
    """Monte Carlo: the fraction of ReLU nets (weights and biases N(0, 1), one
    input x = 1) in which some layer outputs all zeros, i.e. the net is constant."""
    h = np.ones((trials, 1))
    alive = np.ones(trials, dtype=bool)
    for layer in range(depth):
        fan_in = h.shape[1]
        W = rng.standard_normal((trials, fan_in, width))
        b = rng.standard_normal((trials, width))
        h = np.maximum(np.einsum("ti,tij->tj", h, W) + b, 0.0)
        alive &= h.any(axis=1)
    return 1 - alive.mean()


def _validate(cfg):
    check_choice("activation", cfg["activations"], al.names())
    check_choice("dataset", [cfg["dataset"]], DATASETS)
    check_choice("optimizer", [cfg["optimizer"]], ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
    for k in ("depth", "width", "epochs", "seeds", "batch", "trials"):
        check_range(k, cfg[k], 1)
    for w in cfg["born_widths"]:
        check_range("born_widths", w, 1)
    for d in cfg["born_depths"]:
        check_range("born_depths", d, 1)


@experiment(
    "dead_units",
    "The fraction of ReLU units that never fire over the data, through training at a learning rate "
    "high enough to kill them, against leaky_relu, prelu, elu and gelu; and the probability that a "
    "narrow deep ReLU net is born dead, against 1 - (1 - 2^-N)^L (Lu et al. 2019).",
    presets={"quick": {}, "full": {"seeds": 10, "epochs": 40, "trials": 20000}},
    validate=_validate, grid=True,
    activations=["relu", "leaky_relu", "prelu", "elu", "gelu"], dataset="moons", depth=3, width=32,
    optimizer="Adam", lr=0.03, epochs=15, batch=32, seeds=4, born_widths=[2, 3, 4], born_depths=[5, 10, 20], trials=4000,
)
def dead_units(cfg, cells):
    grid = [{"activation": a, "seed": s, **{k: cfg[k] for k in ("dataset", "depth", "width", "optimizer", "lr", "epochs", "batch")}}
            for a in cfg["activations"] for s in range(cfg["seeds"])]
    out = cells.run(dead_cell, grid)
    curves = {a: np.mean([o["curve"] for c, o in zip(grid, out) if c["activation"] == a], axis=0)
              for a in cfg["activations"]}
    rows = [{"activation": a, "never firing at init": float(curves[a][0]), "never firing after training":
             float(curves[a][-1]), "test accuracy": float(np.mean([o["accuracy"] for c, o in zip(grid, out)
                                                                  if c["activation"] == a]))}
            for a in cfg["activations"]]
    rng = np.random.default_rng(0)
    born = [{"width N": n, "depth L": L, "measured": born_dead(n, L, cfg["trials"], rng),
             "1 - (1 - 2^-N)^L": 1 - (1 - 2.0 ** -n) ** L} for n in cfg["born_widths"] for L in cfg["born_depths"]]
    for r in born:
        p = r["1 - (1 - 2^-N)^L"]
        r["within 4 sigma"] = bool(abs(r["measured"] - p) <= 4 * np.sqrt(p * (1 - p) / cfg["trials"]) + 1e-12)
    by = {r["activation"]: r for r in rows}
    claims = []
    if "relu" in by and len(by) > 1:
        relu = by["relu"]["never firing after training"]
        others = {a: r["never firing after training"] for a, r in by.items() if a != "relu"}
        claims.append(Claim(f"with {cfg['optimizer']} at lr {cfg['lr']} training leaves more never-firing units with relu than with "
                            + ", ".join(others), all(relu > v for v in others.values()),
                            f"relu {relu:.1%}; " + ", ".join(f"{a} {v:.1%}" for a, v in others.items())))
    claims.append(Claim("the born-dead probability of a narrow deep ReLU net matches 1 - (1 - 2^-N)^L "
                        f"(within 4 standard errors of {cfg['trials']} nets)", all(r["within 4 sigma"] for r in born),
                        "; ".join(f"N={r['width N']} L={r['depth L']}: {r['measured']:.3f} vs "
                                  f"{r['1 - (1 - 2^-N)^L']:.3f}" for r in born)))
    fig = figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    for a, c in curves.items():
        ax1.plot(range(len(c)), c, color=COLORS.get(a), label=a)
    ax1.set(xlabel="epoch", ylabel="fraction of units never firing", title=f"training at lr {cfg['lr']}")
    ax1.legend()
    for n in cfg["born_widths"]:
        rs = [r for r in born if r["width N"] == n]
        L = np.arange(1, max(cfg["born_depths"]) + 1)
        line = ax2.plot(L, 1 - (1 - 2.0 ** -n) ** L, label=f"N = {n}: closed form")[0]
        ax2.plot([r["depth L"] for r in rs], [r["measured"] for r in rs], "o", color=line.get_color())
    ax2.set(xlabel="depth L", ylabel="P(born dead)", title="born dead at initialization (dots: measured)")
    ax2.legend(fontsize=8)
    return Result("dead_units", cfg, claims, {"after training": rows, "born dead": born}, {"dead_units": fig},
                  {"curves": {a: c.tolist() for a, c in curves.items()}})
