"""Figures: f, f' and f'' of one or several activations, parameter sweeps and
family overviews, drawn with matplotlib (an optional dependency: ``actlab[plot]``).

>>> import actlab as al
>>> al.plot(["relu", "gelu"])                      # doctest: +SKIP
>>> al.plot.sweep("leaky_relu")                    # doctest: +SKIP
>>> al.plot.family("sigmoidal", file="sig.svg")    # doctest: +SKIP

``actlab.plot`` is this module, made callable: ``al.plot(...)`` is
:func:`plot`, and the other figures are its attributes. (A plain function
named ``plot`` in the package would be replaced by the module as soon as
anything imported ``actlab.plot``.)

Vector-valued functions (softmax, glu, ...) are drawn along a slice: the
first output for the input ``[x, 0]`` along the axis (``[1, x]`` for gated
units: their gate); their f'' is a central difference of the exact f'.

Only the sampling here (:func:`sample`, :func:`limits`) needs no matplotlib;
the figures import it when called, so ``import actlab`` stays fast.
"""

from __future__ import annotations

import math
import sys
import types
from typing import Iterable, Mapping, Sequence

import numpy as np

from .activation import Activation, get
from .registry import FAMILIES, INF, Range, Unchecked, names as all_names

__all__ = ["plot", "sweep", "family", "sample", "limits", "slice_of", "SWEEPS", "LABELS"]

LABELS = ("f(x)", "f'(x)", "f''(x)")
# The sweeps the issue asks for; sweep(name) draws the one named here.
SWEEPS = {
    "leaky_relu": dict(param="alpha", values=(0.01, 0.05, 0.1, 0.2, 0.3)),
    "elu": dict(param="alpha", values=(0.25, 0.5, 1.0, 1.5, 2.0)),
    "celu": dict(param="alpha", values=(0.25, 0.5, 1.0, 1.5, 2.0)),
    "gelu": dict(param="approximate", values=("none", "tanh", "sigmoid"), difference=True),
}
_FD_STEP = 1e-4  # central-difference step for a vector function's f'' (error ~ h^2)


# ------------------------------------------------------------------ sampling

def _activation(fn, params: Mapping | None = None) -> Activation:
    if isinstance(fn, Activation):  # a copy: plotting must not change the caller's object
        return Activation(fn.spec, **{**fn.params, **(params or {})})
    if isinstance(fn, tuple) and len(fn) == 2 and isinstance(fn[1], Mapping):
        return get(fn[0], **{**(params or {}), **fn[1]})
    return get(fn, **(params or {}))


# A vector function is drawn as its first output while one of two inputs
# varies: [x, 0] (softmax([x, 0])[0] is the sigmoid), except for gated units,
# a * gate(b) of the halves, where [1, x] shows the gate.
_SLICES = {"gated": ("[1, x]", 1)}
_DEFAULT_SLICE = ("[x, 0]", 0)


def slice_of(act: Activation) -> str:
    """How :func:`plot` draws a vector function, e.g. 'f([x, 0])[0]'."""
    return f"f({_SLICES.get(act.spec.group, _DEFAULT_SLICE)[0]})[0]"


def _evaluate(act: Activation, x: np.ndarray, order: int) -> np.ndarray:
    """f^(order)(x) elementwise; for a vector function, along its slice
    (the derivative is the VJP with the first unit vector)."""
    if order not in (0, 1, 2):
        raise ValueError(f"derivative order must be 0, 1 or 2, got {order!r}")
    # The reference formulas: a plot's few hundred points do not repay loading a compiled kernel.
    x = np.asarray(x, dtype=np.float64)
    if act.spec.elementwise:
        if order == 0:
            return act.reference("forward", x, training=False)
        if act.spec.stochastic:
            act.forward(x[:0], training=False)  # eval mode: the derivatives then use no noise
        return act.reference("derivative", x) if order == 1 else act.second_derivative(x)
    if order == 2:
        h = _FD_STEP
        return (_evaluate(act, x + h, 1) - _evaluate(act, x - h, 1)) / (2 * h)
    _, varying = _SLICES.get(act.spec.group, _DEFAULT_SLICE)
    X = np.stack([x, np.zeros_like(x)] if varying == 0 else [np.ones_like(x), x], axis=-1)
    y = act.reference("forward", X, training=False)
    if order == 0:
        return y[..., 0]
    g = np.zeros_like(y)
    g[..., 0] = 1.0
    return act.reference("backward", X, g)[..., varying]


def sample(act, orders: Iterable[int] = (0, 1, 2), xlim=None, n: int = 401,
           params: Mapping | None = None):
    """Sample f and its derivatives for plotting, breaking the curves at kinks.

    Returns ``(x, {order: y}, kinks)``: ``x`` has a NaN between pieces (so a
    jump is not drawn as a steep line) and ``kinks`` maps each kink inside
    ``xlim`` to ``{order: value there}`` (the convention the function uses).
    ``xlim=None``: [-5, 5], widened to show every kink.
    """
    act = _activation(act, params)
    lo, hi = _auto_xlim([act], xlim)
    kinks = sorted(k for k in act.info.kinks if lo < k < hi)
    edges = [lo, *kinks, hi]
    eps = (hi - lo) * 1e-6
    pieces = []
    for a, b in zip(edges[:-1], edges[1:]):
        m = max(2, round(n * (b - a) / (hi - lo)))
        pieces.append(np.linspace(a + (eps if a in kinks else 0.0), b - (eps if b in kinks else 0.0), m))
    x = np.concatenate([np.append(p, np.nan) for p in pieces])[:-1]
    ys = {o: _evaluate(act, x, o) for o in orders}
    at = {k: {o: float(_evaluate(act, np.array([k]), o)[0]) for o in orders} for k in kinks}
    return x, ys, at


def limits(act, order: int = 0, params: Mapping | None = None):
    """(left, right): the finite limits of f^(order) as x -> -inf and +inf, or None.

    Estimated from x = +-1e12 and +-1e15; a limit counts when both agree.
    """
    act = _activation(act, params)
    out = []
    for sign in (-1.0, 1.0):
        y = _evaluate(act, sign * np.array([1e12, 1e15]), order)
        ok = np.all(np.isfinite(y)) and abs(y[0] - y[1]) <= 1e-6 * max(1.0, abs(y[1]))
        out.append(float(y[1]) if ok else None)
    return tuple(out)


def _auto_xlim(acts, xlim=None):
    """``xlim`` checked, or by default [-5, 5] widened to show every kink
    (relu6's cap at 6) with a margin."""
    if xlim is not None:
        return _check_xlim(xlim)
    kinks = [k for a in acts for k in a.info.kinks if math.isfinite(k)]
    return min([-5.0] + [k - 2.0 for k in kinks]), max([5.0] + [k + 2.0 for k in kinks])


def _check_xlim(xlim):
    try:
        lo, hi = (float(v) for v in xlim)
    except (TypeError, ValueError):
        raise ValueError(f"the x range must be two numbers (lo, hi), got {xlim!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"the x range must be finite with lo < hi, got ({lo:g}, {hi:g})")
    return lo, hi


def _check_orders(orders) -> tuple:
    orders = (orders,) if isinstance(orders, int) else tuple(orders)
    if not orders or any(o not in (0, 1, 2) for o in orders) or len(set(orders)) != len(orders):
        raise ValueError(f"derivatives must be distinct orders among 0, 1, 2, got {orders!r}")
    return orders


def _range_bounds(act) -> list:
    r = act.info.range
    r = r.value if isinstance(r, Unchecked) else r
    if not isinstance(r, Range):
        return []
    return [v for v in (r.lo, r.hi) if -INF < v < INF]


# ------------------------------------------------------------------ figures

# Okabe-Ito: told apart with the common colour-vision deficiencies, and on grey print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")


def _figure(ncols: int, nrows: int = 1, panel=(3.2, 2.4), figsize=None, dpi=None):
    from matplotlib.figure import Figure  # Figure without pyplot: the Agg canvas, no global state

    if figsize is not None:
        try:
            figsize = tuple(float(v) for v in figsize)
        except (TypeError, ValueError):
            figsize = ()
        if len(figsize) != 2 or not all(math.isfinite(v) and v > 0 for v in figsize):
            raise ValueError(f"figsize must be (width, height) in inches, both positive, got {figsize!r}")
    if dpi is not None and not (isinstance(dpi, (int, float)) and math.isfinite(dpi) and dpi > 0):
        raise ValueError(f"dpi must be a positive number, got {dpi!r}")
    fig = Figure(figsize=figsize or (panel[0] * ncols, panel[1] * nrows), dpi=dpi, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def _panels(ncols: int, nrows: int, size=(1.9, 1.3), gap=(0.45, 0.45), margin=(0.4, 0.15, 0.7, 0.3)):
    """A grid of axes of one fixed size in inches, whatever the grid (constrained
    layout would shrink the panels of a one-row grid by the whole title's height).
    ``margin``: left, right, top, bottom."""
    from matplotlib.figure import Figure

    (aw, ah), (gx, gy), (ml, mr, mt, mb) = size, gap, margin
    w, h = ml + mr + ncols * aw + (ncols - 1) * gx, mt + mb + nrows * ah + (nrows - 1) * gy
    fig = Figure(figsize=(w, h))
    fig.subplots_adjust(left=ml / w, right=1 - mr / w, top=1 - mt / h, bottom=mb / h, wspace=gx / aw, hspace=gy / ah)
    return fig, fig.subplots(nrows, ncols, squeeze=False)


def _user_axes(ax, count: int):
    """The caller's axes (one, or one per panel) as a 1 x count grid, and their figure."""
    axes = list(np.ravel(np.asarray(ax, dtype=object)))
    if len(axes) != count or not all(hasattr(a, "plot") and hasattr(a, "figure") for a in axes):
        raise ValueError(f"ax must be {count} matplotlib Axes (one per derivative order), got {ax!r}")
    return axes[0].figure, np.array([axes], dtype=object)


def _style(ax, title=None):
    ax.grid(True, lw=0.5, alpha=0.5)
    if ax.get_yscale() == "linear":  # y = 0 has no place on a log axis
        ax.axhline(0, color="0.3", lw=0.6)
    ax.axvline(0, color="0.3", lw=0.6)
    if title:
        ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)


def _dashed(ax, levels, color):
    """Dashed horizontal lines at the levels inside the current view (drawing
    them must not stretch the axes to a far-away bound)."""
    lo, hi = ax.get_ylim()
    for v in sorted(set(levels)):
        if lo <= v <= hi:
            ax.axhline(v, color=color, ls="--", lw=0.9, alpha=0.7)
    ax.set_ylim(lo, hi)


def _save(fig, file):
    if file is not None:
        import matplotlib as mpl

        with mpl.rc_context({"svg.hashsalt": "actlab"}):
            fig.savefig(file, metadata=_METADATA.get(str(file).rsplit(".", 1)[-1].lower()))
    return fig


# Reproducible files: no creation date (and, above, fixed SVG ids) in the output.
_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {"Software": None}}


def _label(act: Activation) -> str:
    # Array parameters (rational's coefficients) would make a legend wider than the figure.
    ps = ", ".join(f"{k}={_fmt(v)}" for k, v in act.params.items()
                   if k != "axis" and not isinstance(v, np.ndarray))
    return f"{act.name}({ps})" if ps else act.name


def _fmt(v):
    return f"{v:g}" if isinstance(v, float) else repr(v) if isinstance(v, str) else str(v)


def plot(functions, *, derivatives=(0, 1, 2), xlim=None, params: Mapping | None = None,
         n: int = 401, title: str | None = None, file=None, marks: bool = True,
         figsize=None, dpi=None, ax=None, logy: bool = False):
    """f, f' and f'' (``derivatives`` picks the orders) of one or several
    functions, one panel per order, side by side.

    ``functions``: a name, an :class:`~actlab.Activation`, a ``(name, params)``
    pair, or a list of these; ``params`` apply to every named function.
    With ``marks``, kinks are dotted at the value the function takes there,
    and range bounds and horizontal asymptotes are dashed. Returns the
    matplotlib Figure; ``file`` also saves it (format from the extension).

    ``figsize`` (inches) and ``dpi`` size the figure; ``ax`` draws into the
    caller's Axes instead (one, or one per order; figsize and dpi are then the
    caller's). ``logy`` puts the f' panel on a log y axis, where a
    vanishing gradient (sigmoid's f' falling like e^-|x|) shows as a straight
    line; values <= 0 are left out there.
    """
    if isinstance(functions, (str, Activation, tuple)):
        functions = [functions]
    acts = [_activation(fn, params) for fn in functions]
    orders = _check_orders(derivatives)
    xlim = _auto_xlim(acts, xlim)
    own = ax is None  # (the loops below reuse the name ax)
    fig, axes = _figure(len(orders), figsize=figsize, dpi=dpi) if own else _user_axes(ax, len(orders))
    if logy:
        for a, o in zip(axes[0], orders):
            if o == 1:
                a.set_yscale("log", nonpositive="mask")
    for i, act in enumerate(acts):
        color = PALETTE[i % len(PALETTE)]
        x, ys, kinks = sample(act, orders, xlim, n)
        for ax, o in zip(axes[0], orders):
            ax.plot(x, ys[o], color=color, lw=1.6, label=_label(act))
            if marks:
                for k, vals in kinks.items():
                    ax.plot([k], [vals[o]], "o", color=color, ms=4, zorder=3)
    for ax, o in zip(axes[0], orders):
        _style(ax, LABELS[o])
        ax.set_xlim(*xlim)
        if marks:
            for i, act in enumerate(acts):
                levels = [v for v in limits(act, o) if v is not None]
                levels += _range_bounds(act) if o == 0 else []
                _dashed(ax, [v for v in levels if v > 0 or ax.get_yscale() == "linear"], PALETTE[i % len(PALETTE)])
    slices = sorted({slice_of(a) for a in acts if not a.spec.elementwise})
    if slices:
        axes[0][0].set_xlabel("vector functions: " + ", ".join(slices), fontsize=8)
    axes[0][0].legend(fontsize=8, loc="best")
    if title:
        (fig.suptitle if own else axes[0][0].set_title)(title, fontsize=11)
    return _save(fig, file)


def sweep(name: str, param: str | None = None, values: Sequence | None = None, *,
          derivatives=(0, 1), xlim=None, n: int = 401, difference: bool | None = None,
          file=None):
    """One function for several values of one parameter, a colour per value.

    ``sweep(name)`` draws the sweep of :data:`SWEEPS` for that name. With
    ``difference``, a last panel shows f minus f at the first value (how far
    the others depart from it; e.g. gelu's approximations from the exact form).
    """
    preset = SWEEPS.get(get(name).name, {}) if param is None else {}
    if param is None and not preset:
        raise ValueError(f"no preset sweep for {name!r}: give param and values "
                         f"(presets: {', '.join(SWEEPS)})")
    param = param or preset["param"]
    values = tuple(values if values is not None else preset["values"])
    difference = preset.get("difference", False) if difference is None else difference
    if not values:
        raise ValueError("a sweep needs at least one parameter value")
    orders = _check_orders(derivatives)
    acts = [get(name, **{param: v}) for v in values]
    xlim = _auto_xlim(acts, xlim)
    fig, axes = _figure(len(orders) + bool(difference))
    import matplotlib as mpl

    cmap = mpl.colormaps["viridis"]
    base = None
    for i, (act, v) in enumerate(zip(acts, values)):
        color = cmap(0.8 * i / max(1, len(acts) - 1))  # viridis beyond 0.8 is yellow: unreadable on white
        x, ys, _ = sample(act, sorted(set(orders) | {0}), xlim, n)
        for ax, o in zip(axes[0], orders):
            ax.plot(x, ys[o], color=color, lw=1.5, label=f"{param}={_fmt(v)}")
        if difference:
            base = ys[0] if base is None else base
            axes[0][-1].plot(x, ys[0] - base, color=color, lw=1.5)
    for ax, o in zip(axes[0], orders):
        _style(ax, LABELS[o])
    if difference:
        _style(axes[0][-1], f"f(x) - f(x; {param}={_fmt(values[0])})")
    axes[0][0].legend(fontsize=8, loc="best")
    fig.suptitle(f"{acts[0].name}: sweep of {param}", fontsize=11)
    return _save(fig, file)


def family(which: str, *, names: Iterable[str] | None = None, derivatives=(0, 1), xlim=None,
           n: int = 201, ncols: int = 4, file=None, fill: bool = False):
    """Overview of a family (ridge, radial, folding) or a finer group
    (e.g. 'rectifier', 'sigmoidal'): a small panel per function with f
    solid and f' dashed (``derivatives`` picks the orders). ``names``
    restricts it to those functions. Every panel has the same size; with
    ``fill`` the grid keeps ``ncols`` columns even for fewer functions, so
    that overviews shown side by side (the gallery) share one scale."""
    specs = [get(nm).spec for nm in all_names()]
    groups = sorted({s.group for s in specs})
    keep = None if names is None else {get(nm).name for nm in names}
    members = [s.name for s in specs if which in (s.family, s.group) and (keep is None or s.name in keep)]
    if not members:
        raise ValueError(f"unknown family or group {which!r}: families are {', '.join(FAMILIES)}; "
                         f"groups are {', '.join(groups)}")
    orders = _check_orders(derivatives)
    ncols = ncols if fill else min(ncols, len(members))
    nrows = -(-len(members) // ncols)
    fig, axes = _panels(ncols, nrows)
    styles = ("-", "--", ":")
    for ax, nm in zip(axes.flat, members):
        x, ys, _ = sample(nm, orders, xlim, n)
        for o in orders:
            ax.plot(x, ys[o], ls=styles[o], color=PALETTE[o], lw=1.4, label=LABELS[o])
        _style(ax, nm)
    for ax in list(axes.flat)[len(members):]:
        ax.set_visible(False)
    axes[0][0].legend(fontsize=7, loc="best")
    fig.suptitle(which, fontsize=11, y=1 - 0.08 / fig.get_figheight(), va="top")
    return _save(fig, file)


class _CallableModule(types.ModuleType):
    """``actlab.plot(...)`` calls :func:`plot`; ``actlab.plot.sweep`` etc. stay attributes."""

    def __call__(self, *args, **kwargs):
        return plot(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
