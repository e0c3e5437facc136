"""Signal through depth at initialization: self-normalization, init, dead units, gradient flow."""

from __future__ import annotations

import numpy as np

import actlab as al

from ... import nn
from .._core import Claim, Result, check_choice, check_range, experiment, figure

LAYER_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _forward_stats(act, init, depth, width, x, rng):
    """Mean and variance of the activations after each of ``depth`` square layers."""
    f = al.get(act)
    draw = nn.init.resolve(init, f)
    means, variances = [], []
    for _ in range(depth):
        x = f(x @ draw(width, width, rng, dtype=np.float64))
        means.append(float(x.mean()))
        variances.append(float(x.var()))
    return means, variances


def _selu_map(mu, nu, points=120):
    """Klambauer et al.'s moment map for SELU with normalized weights
    (sum w = 0, sum w^2 = 1): (mu, nu) -> mean and variance of selu(z),
    z ~ N(0, nu), by Gauss-Hermite quadrature."""
    t, w = np.polynomial.hermite.hermgauss(points)
    z = np.sqrt(2 * nu) * t
    y = al.selu(z)
    mean = float(w @ y) / np.sqrt(np.pi)
    return mean, float(w @ y ** 2) / np.sqrt(np.pi) - mean ** 2


def _validate_sn(cfg):
    check_choice("activation", cfg["activations"], al.names())
    check_range("depth", cfg["depth"], 1)
    check_range("width", cfg["width"], 2)
    check_range("samples", cfg["samples"], 2)
    check_range("input_var", cfg["input_var"], 0.0)


@experiment(
    "self_normalization",
    "SELU with LeCun-normal init keeps mean 0 and variance 1 through 100 layers from an input of "
    "mean 0.5 and variance 2, while relu, tanh and sigmoid with their usual inits drift "
    "(Klambauer et al. 2017); the fixed point checked by Gauss-Hermite quadrature.",
    presets={"quick": {"width": 256, "samples": 512}, "full": {"width": 1024, "samples": 2048}},
    validate=_validate_sn,
    activations=["selu", "relu", "tanh", "sigmoid"], depth=100, width=256, samples=512,
    input_mean=0.5, input_var=2.0, seed=0,
)
def self_normalization(cfg, cells):
    rng = np.random.default_rng(cfg["seed"])
    x0 = cfg["input_mean"] + np.sqrt(cfg["input_var"]) * rng.standard_normal((cfg["samples"], cfg["width"]))
    curves, rows = {}, []
    for act in cells.track(cfg["activations"], unit="activation"):
        init = nn.init.recommended(act)
        m, v = _forward_stats(act, init, cfg["depth"], cfg["width"], x0, np.random.default_rng(cfg["seed"] + 1))
        curves[act] = (m, v)
        ok = abs(m[-1]) < 0.1 and 0.8 <= v[-1] <= 1.25
        rows.append({"activation": act, "init": init, "mean at last layer": m[-1],
                     "variance at last layer": v[-1], "stays at (0, 1)": ok})
    by = {r["activation"]: r for r in rows}
    claims = []
    if "selu" in by:
        r = by["selu"]
        claims.append(Claim(f"SELU with LeCun-normal init keeps |mean| < 0.1 and variance in [0.8, 1.25] "
                            f"at layer {cfg['depth']}", r["stays at (0, 1)"],
                            f"mean {r['mean at last layer']:.3f}, variance {r['variance at last layer']:.3f}"))
    others = [r for a, r in by.items() if a != "selu"]
    if others:
        claims.append(Claim("the others (" + ", ".join(r["activation"] for r in others) + ") drift away from (0, 1)",
                            not any(r["stays at (0, 1)"] for r in others),
                            "; ".join(f"{r['activation']}: mean {r['mean at last layer']:.3g}, "
                                      f"variance {r['variance at last layer']:.3g}" for r in others)))
    # the moment map's fixed point and its stability, by quadrature
    mu, nu = cfg["input_mean"], cfg["input_var"]
    path = [(mu, nu)]
    for _ in range(30):
        mu, nu = _selu_map(mu, nu)
        path.append((mu, nu))
    h = 1e-5
    slope = (_selu_map(0, 1 + h)[1] - _selu_map(0, 1 - h)[1]) / (2 * h)
    m1, v1 = _selu_map(0.0, 1.0)
    claims.append(Claim("(0, 1) is a stable fixed point of SELU's moment map (Gauss-Hermite quadrature)",
                        abs(m1) < 1e-3 and abs(v1 - 1) < 1e-3 and abs(slope) < 1,
                        f"map(0, 1) = ({m1:.2e}, {v1:.6f}); d nu'/d nu = {slope:.3f}; "
                        f"iterating from ({cfg['input_mean']}, {cfg['input_var']}) reaches "
                        f"({path[-1][0]:.2e}, {path[-1][1]:.6f})"))
    fig = figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    layers = np.arange(1, cfg["depth"] + 1)
    for (act, (m, v)), c in zip(curves.items(), LAYER_COLORS):
        ax1.plot(layers, m, color=c, label=act)
        ax2.plot(layers, v, color=c, label=act)
    ax1.axhline(0, color="k", lw=0.5)
    ax2.axhline(1, color="k", lw=0.5)
    ax1.set(xlabel="layer", ylabel="mean of activations", title="mean")
    ax2.set(xlabel="layer", ylabel="variance of activations", title="variance", yscale="log")
    ax1.legend()
    return Result("self_normalization", cfg, claims, {"last layer": rows}, {"moments": fig},
                  {"curves": {a: {"mean": m, "variance": v} for a, (m, v) in curves.items()},
                   "fixed_point_path": path, "map_slope": slope})


def _validate_init(cfg):
    check_range("depth", cfg["depth"], 1)
    check_range("width", cfg["width"], 2)
    check_choice("activation", [cfg["activation"]], al.names())


INITS = {"zeros": "zeros", "too small (std 0.01)": ("normal", 0.01), "too large (std 1)": ("normal", 1.0),
         "glorot": "glorot_normal", "he": "he_normal"}


def _draw(spec, rng, width):
    if isinstance(spec, tuple):
        return nn.init.normal(width, width, rng, std=spec[1])
    return nn.init.resolve(spec, "relu")(width, width, rng, dtype=np.float64)


@experiment(
    "init_matters",
    "Zeros, too small, too large, Glorot and He init on the same deep ReLU net: at depth 30 the "
    "signal survives He init and collapses under Glorot's (He et al. 2015).",
    presets={"quick": {}, "full": {"width": 1024, "samples": 2048}},
    validate=_validate_init,
    activation="relu", depth=30, width=256, samples=512, seed=0,
)
def init_matters(cfg, cells):
    f = al.get(cfg["activation"])
    rng = np.random.default_rng(cfg["seed"])
    x0 = rng.standard_normal((cfg["samples"], cfg["width"]))
    stds, grads = {}, {}
    for label, spec in cells.track(INITS.items(), unit="init"):
        wrng = np.random.default_rng(cfg["seed"] + 1)
        Ws = [_draw(spec, wrng, cfg["width"]) for _ in range(cfg["depth"])]
        x, zs, s = x0, [], []
        for W in Ws:
            z = x @ W
            zs.append(z)
            x = f(z)
            s.append(float(np.sqrt(np.mean(x ** 2))))
        g, gs = np.ones_like(x) / x.size, []
        for W, z in zip(reversed(Ws), reversed(zs)):
            g = f.backward(z, g) @ W.T
            gs.append(float(np.sqrt(np.mean(g ** 2))))
        stds[label], grads[label] = s, gs[::-1]
    rows = [{"init": k, "rms at layer 1": v[0], f"rms at layer {cfg['depth']}": v[-1],
             "ratio last/first": v[-1] / v[0] if v[0] else 0.0} for k, v in stds.items()]
    he, gl = stds["he"], stds["glorot"]
    claims = [
        Claim(f"under He init the signal survives {cfg['depth']} {cfg['activation']} layers "
              "(rms within a factor 2 of layer 1)", 0.5 < he[-1] / he[0] < 2, f"ratio {he[-1] / he[0]:.3f}"),
        Claim("under Glorot init it collapses (rms below 1% of layer 1)", gl[-1] / gl[0] < 0.01,
              f"ratio {gl[-1] / gl[0]:.2e}"),
        Claim("zero init gives a dead net (all activations 0)", stds["zeros"][-1] == 0.0,
              f"rms {stds['zeros'][-1]:.3g}"),
        Claim("too small weights vanish and too large ones explode",
              stds["too small (std 0.01)"][-1] < 1e-6 < 1e6 < stds["too large (std 1)"][-1],
              f"rms {stds['too small (std 0.01)'][-1]:.2e} and {stds['too large (std 1)'][-1]:.2e}"),
    ]
    fig = figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    layers = np.arange(1, cfg["depth"] + 1)
    for (label, s), c in zip(stds.items(), LAYER_COLORS):
        if label != "zeros":
            ax1.plot(layers, s, color=c, label=label)
            ax2.plot(layers, grads[label], color=c, label=label)
    ax1.set(xlabel="layer", ylabel="rms of activations", yscale="log", title="forward signal")
    ax2.set(xlabel="layer", ylabel="rms of dL/dx", yscale="log", title="backward signal")
    ax1.legend(fontsize=8)
    return Result("init_matters", cfg, claims, {"signal": rows}, {"signal": fig},
                  {"rms": stds, "grad_rms": grads})
