"""One neuron learns XOR with an oscillating activation (Noel et al. 2021)."""

from __future__ import annotations

import numpy as np

import actlab as al

from .._core import Claim, Result, check_choice, check_range, experiment, figure

X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])  # XOR's corners, centred
Y = np.array([0.0, 1.0, 1.0, 0.0])


def train(name, seeds, steps, lr):
    """One neuron a = f(w . x + b) per seed, read out as sigmoid(a - c) with a
    learned threshold c, trained on the four points by Adam on the binary
    cross-entropy, all seeds at once. Returns the parameters (seeds, 4) as
    (w1, w2, b, c) and which seeds classify all four points."""
    f = al.get(name)
    start = np.stack([np.random.default_rng(s).standard_normal(3) for s in seeds])
    theta = np.concatenate([start, np.zeros((len(seeds), 1))], axis=1)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, steps + 1):
        z = theta[:, :2] @ X.T + theta[:, 2:3]          # (seeds, 4)
        a = f(z)
        with np.errstate(over="ignore"):
            p = 1 / (1 + np.exp(-(a - theta[:, 3:4])))
        da = (p - Y) / len(Y)
        dz = f.backward(z, da)
        g = np.concatenate([dz @ X, dz.sum(1, keepdims=True), -da.sum(1, keepdims=True)], axis=1)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        theta -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    a = f(theta[:, :2] @ X.T + theta[:, 2:3])
    return theta, np.all((a > theta[:, 3:4]) == (Y > 0.5), axis=1)


def _validate(cfg):
    check_choice("activation", cfg["activations"], al.names())
    for name in cfg["activations"]:
        if not al.get(name).spec.elementwise:
            raise ValueError(f"{name} is vector-valued; one neuron needs an elementwise activation")
    check_range("seeds", cfg["seeds"], 1)
    check_range("steps", cfg["steps"], 1)


@experiment(
    "xor_single_neuron",
    "One neuron with an oscillating activation (gcu, z cos z) learns XOR from random N(0, 1) starts "
    "in most seeds; a monotonic one (sigmoid, tanh) never can (Noel et al. 2021).",
    presets={"quick": {}, "full": {"seeds": 1000, "steps": 2000}},
    validate=_validate,
    activations=["gcu", "sinusoid", "sigmoid", "tanh", "relu"], seeds=100, steps=1000, lr=0.1,
)
def xor_single_neuron(cfg, cells):
    seeds = list(range(cfg["seeds"]))
    rows, params = [], {}
    for name in cells.track(cfg["activations"], unit="activation"):
        theta, ok = train(name, seeds, cfg["steps"], cfg["lr"])
        rows.append({"activation": name, "monotonic": bool(al.get(name).info.monotonic),
                     "solved": int(ok.sum()), "seeds": len(seeds), "success rate": float(ok.mean())})
        params[name] = (theta, ok)
    by = {r["activation"]: r for r in rows}
    claims = []
    if "gcu" in by:
        claims.append(Claim("one gcu neuron learns XOR in at least 80% of the seeds",
                            by["gcu"]["success rate"] >= 0.8, f"{by['gcu']['solved']} of {len(seeds)}"))
    mono = [r for r in rows if r["monotonic"]]
    if mono:
        claims.append(Claim("a monotonic activation never does (" + ", ".join(r["activation"] for r in mono) + ")",
                            all(r["solved"] == 0 for r in mono),
                            ", ".join(f"{r['activation']} {r['solved']}" for r in mono)))
    fig = figure(figsize=(3.2 * len(rows), 3.2))
    axes = np.atleast_1d(fig.subplots(1, len(rows)))
    g = np.linspace(-2, 2, 201)
    gx, gy = np.meshgrid(g, g)
    for ax, r in zip(axes, rows):
        theta, ok = params[r["activation"]]
        w1, w2, b, c = theta[int(np.argmax(ok))]  # a solving seed where there is one
        out = al.get(r["activation"])(w1 * gx + w2 * gy + b) - c
        ax.contourf(gx, gy, out > 0, levels=[-0.5, 0.5, 1.5], colors=["#f4cccc", "#cfe2f3"])
        ax.scatter(X[:, 0], X[:, 1], c=["#cc0000" if t == 0 else "#1155cc" for t in Y], s=60, zorder=3)
        ax.set(title=f"{r['activation']}: {r['solved']}/{len(seeds)}", xticks=[-1, 1], yticks=[-1, 1])
    return Result("xor_single_neuron", cfg, claims, {"success": rows}, {"decision_regions": fig},
                  {"success": {r["activation"]: r["success rate"] for r in rows}})
