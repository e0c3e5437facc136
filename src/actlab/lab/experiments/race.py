"""The optimizer race on a loss contour (the notes' figures)."""

from __future__ import annotations

import numpy as np

from ... import nn
from .._core import Claim, Result, check_range, experiment, figure

# (label, optimizer, keywords); the learning rate of each is the config's lr unless given
RACERS = (
    ("gradient descent", "SGD", {}),
    ("momentum 0.5", "SGD", {"momentum": 0.5}),
    ("momentum 0.8", "SGD", {"momentum": 0.8}),
    ("momentum 0.9", "SGD", {"momentum": 0.9}),
    ("nesterov 0.9", "SGD", {"momentum": 0.9, "nesterov": True}),
    ("adagrad", "Adagrad", {"lr": 1.0}),
    ("rmsprop", "RMSprop", {"lr": 0.1}),
    ("adam", "Adam", {"lr": 0.3}),
)
COLORS = ("#000000", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")


def _validate(cfg):
    check_range("epochs", cfg["epochs"], 1)
    check_range("n", cfg["n"], 2)
    check_range("lr", cfg["lr"], 0.0)
    check_range("tol", cfg["tol"], 0.0, 1.0)


@experiment(
    "optimizer_race",
    "Linear regression y = w x + b with known weights: the loss contour with the path of gradient "
    "descent, momentum 0.5 / 0.8 / 0.9, Nesterov, Adagrad, RMSProp and Adam, and the epochs each "
    "needs to converge (the notes: momentum 0.5 is fastest, 0.9 overshoots).",
    presets={"quick": {}, "full": {"n": 2000, "epochs": 500}},
    validate=_validate,
    n=200, w=3.0, b=2.0, noise=0.5, start=[-4.0, -4.0], lr=0.1, epochs=300, tol=1e-3, seed=0,
)
def optimizer_race(cfg, cells):
    X, y = nn.datasets.linear(n=cfg["n"], features=1, weights=[cfg["w"]], bias=cfg["b"],
                              noise=cfg["noise"], seed=cfg["seed"])
    A, y = np.c_[X[:, 0], np.ones(len(X))], y.reshape(-1)
    best = np.linalg.lstsq(A, y, rcond=None)[0]

    def loss(theta):  # mean squared error / 2 over a (2,) or (..., 2) array of (w, b)
        r = theta @ A.T - y
        return 0.5 * np.mean(r * r, axis=-1)

    l0, lmin = loss(np.array(cfg["start"])), loss(best)
    paths, rows = {}, []
    for label, opt, kw in cells.track(RACERS, unit="optimizer"):
        p = {"theta": np.array(cfg["start"], dtype=float)}
        o = getattr(nn.optim, opt)(p, **{"lr": cfg["lr"], **kw})
        path = [p["theta"].copy()]
        for _ in range(cfg["epochs"]):
            o.step({"theta": A.T @ (A @ p["theta"] - y) / len(y)})
            path.append(p["theta"].copy())
        path = np.array(path)
        gap = (loss(path) - lmin) / (l0 - lmin)
        above = np.nonzero(gap >= cfg["tol"])[0]
        converged = 0 if not len(above) else None if above[-1] == cfg["epochs"] else int(above[-1] + 1)
        paths[label] = path
        rows.append({"optimizer": label, "epochs to converge": converged if converged is not None else "not within "
                     f"{cfg['epochs']}", "final w": path[-1, 0], "final b": path[-1, 1]})
    ep = {r["optimizer"]: r["epochs to converge"] for r in rows}
    num = lambda k: ep[k] if isinstance(ep[k], int) else np.inf
    claims = [
        Claim("momentum 0.5 converges in fewer epochs than plain gradient descent",
              num("momentum 0.5") < num("gradient descent"), f"{ep['momentum 0.5']} against {ep['gradient descent']}"),
        Claim("too much momentum overshoots: 0.9 needs more epochs than 0.5 and 0.8",
              num("momentum 0.9") > max(num("momentum 0.5"), num("momentum 0.8")),
              f"0.9: {ep['momentum 0.9']}, 0.8: {ep['momentum 0.8']}, 0.5: {ep['momentum 0.5']}"),
        Claim("Nesterov's look-ahead damps the overshoot of momentum 0.9",
              num("nesterov 0.9") < num("momentum 0.9"), f"{ep['nesterov 0.9']} against {ep['momentum 0.9']}"),
        Claim("every optimizer reaches the least-squares weights",
              all(np.allclose(p[-1], best, atol=0.05) for p in paths.values()),
              f"least squares (w, b) = ({best[0]:.3f}, {best[1]:.3f}); true ({cfg['w']}, {cfg['b']})"),
    ]
    lo = np.minimum(np.min([p.min(0) for p in paths.values()], axis=0), best) - 1
    hi = np.maximum(np.max([p.max(0) for p in paths.values()], axis=0), best) + 1
    gw, gb = np.meshgrid(np.linspace(lo[0], hi[0], 160), np.linspace(lo[1], hi[1], 160))
    surface = loss(np.stack([gw, gb], axis=-1))

    def draw(upto=None):
        fig = figure(figsize=(7, 5.5))
        ax = fig.subplots()
        ax.contour(gw, gb, surface, levels=np.geomspace(lmin + 1e-3, surface.max(), 18), colors="#bbbbbb",
                   linewidths=0.7)
        lines = []
        for (label, path), c in zip(paths.items(), COLORS):
            seg = path if upto is None else path[: upto + 1]
            lines.append(ax.plot(seg[:, 0], seg[:, 1], ".-", color=c, ms=3, lw=1,
                                 label=f"{label} ({ep[label]})")[0])
        ax.plot(*best, "*", color="gold", ms=14, mec="k", zorder=5)
        ax.set(xlabel="w", ylabel="b", title="loss contour and optimizer paths (epochs to converge)")
        ax.legend(fontsize=7, loc="lower right")
        return fig, lines

    still, _ = draw()

    def animate(path, frames=60):
        from matplotlib.animation import FuncAnimation, PillowWriter
        fig, lines = draw(0)
        steps = np.unique(np.geomspace(1, cfg["epochs"], frames).astype(int))

        def update(k):
            for line, p in zip(lines, paths.values()):
                line.set_data(p[: k + 1, 0], p[: k + 1, 1])
            return lines
        FuncAnimation(fig, update, frames=steps).save(path, writer=PillowWriter(fps=12), dpi=70)

    return Result("optimizer_race", cfg, claims, {"epochs to converge": rows}, {"race": still},
                  {"paths": {k: v.tolist() for k, v in paths.items()}, "least_squares": best.tolist()},
                  animations={"race": animate})
