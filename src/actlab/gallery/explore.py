"""The gallery's figures, drawn by :mod:`.charts`: a function's f, f', f'';
its parameter sliders (one precomputed frame per value: the page's script
only shows one and hides the rest); the family overviews and sweeps; and the
comparison page, where 2-4 functions are overlaid.
"""

from __future__ import annotations

import html
import json

import numpy as np

from ..activation import Activation, get
from ..plot import LABELS, PALETTE, SWEEPS, _range_bounds, limits, sample
from .charts import Panel, Series, figure, limits as panel_limits

E = html.escape
GREY = "#8a93a3"
SWEEP_COLORS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#b5a300", "#e07b00", "#c0392b", "#7d3c98", "#2471a3")
# Multipliers of a real parameter's default for its slider (the sweep's values where the plots define one).
LADDER = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)
LADDER_AT_ZERO = (-2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0)


def panels(act: Activation, orders=(0, 1, 2), xlim=None, n: int = 241, color: str = PALETTE[0]) -> list[Panel]:
    """A panel per derivative order: the curve, its kink dots, and dashed range bounds and asymptotes."""
    x, ys, kinks = sample(act, orders, xlim, n)
    out = []
    for o in orders:
        levels = [v for v in limits(act, o) if v is not None] + (_range_bounds(act) if o == 0 else [])
        dots = tuple((k, v[o]) for k, v in kinks.items())
        out.append(Panel(LABELS[o], [Series(x, ys[o], color, dots=dots)],
                         tuple((v, color) for v in sorted(set(levels)))))
    return out


def function_svg(act: Activation) -> str:
    """The page's figure: f, f' and f'' side by side."""
    return figure(panels(act), ident="f")


# ------------------------------------------------------------------ sliders

def slider_values(act: Activation, param: str) -> list | None:
    """The values a slider for ``param`` steps through (each one accepted by the
    function), or None when the parameter does not suit a slider (arrays, integers, axes)."""
    spec = act.spec
    p = next(q for q in spec.params if q.name == param)
    default = act.params[param]
    preset = SWEEPS.get(spec.name, {})
    if preset.get("param") == param:
        candidates = list(preset["values"])
    elif isinstance(p.default, bool):
        candidates = [False, True]
    elif isinstance(p.default, str):
        candidates = _options(p)
    elif isinstance(p.default, float) and isinstance(default, float):
        ladder = LADDER_AT_ZERO if default == 0 else LADDER
        candidates = [round(default * m if default else m, 10) for m in ladder]
    else:
        return None
    if default not in candidates:
        candidates.append(default)
    ok = []
    for v in dict.fromkeys(candidates):
        try:
            trial = get(spec.name, **{**act.params, param: v})
            y = np.asarray(trial.reference("forward", np.linspace(-3, 3, 7) if spec.elementwise else
                                           np.linspace(-3, 3, 8).reshape(2, 4), training=False))
        except (ValueError, TypeError):
            continue
        if np.isfinite(y).all():
            ok.append(v)
    if isinstance(default, float):
        ok.sort()
    return ok if len(ok) >= 2 else None


def _options(p) -> list:
    """A choice parameter's options, read back from its check (the Param keeps only the text)."""
    return [o.strip().strip("'") for o in p.allowed.removeprefix("one of ").split(",")]


def sliders_html(act: Activation) -> str:
    """One slider per parameter that suits one: frames of f, f', f'' on shared axes."""
    if act.spec.stochastic:
        return ""
    blocks = []
    for param in act.spec.param_names:
        values = slider_values(act, param)
        if values is None:
            continue
        frames = [panels(get(act.spec.name, **{**act.params, param: v})) for v in values]
        shared = []
        for k in range(len(frames[0])):   # common limits per panel: the motion is what a slider shows
            lims = [panel_limits(f[k]) for f in frames]
            shared.append(((min(l[0][0] for l in lims), max(l[0][1] for l in lims)),
                           (min(l[1][0] for l in lims), max(l[1][1] for l in lims))))
        at = values.index(act.params[param])
        svgs = []
        for i, (v, fr) in enumerate(zip(values, frames)):
            for p, (xl, yl) in zip(fr, shared):
                p.xlim, p.ylim = xl, yl
            svg = figure(fr, ident=f"s-{param}-{i}-")
            svgs.append(svg.replace("<svg ", f'<svg data-frame="{i}"{"" if i == at else " hidden"} ', 1))
        labels = [_show(v) for v in values]
        blocks.append(
            f'<div class="explore" data-values="{E(json.dumps(labels))}">'
            f'<label><code>{E(param)}</code> <input type="range" min="0" max="{len(values) - 1}" step="1" '
            f'value="{at}" aria-label="{E(param)}"> <output>{E(labels[at])}</output></label>'
            f'<div class="frames">{"".join(svgs)}</div></div>')
    if not blocks:
        return ""
    return ("<h2>Explore the parameters</h2><p class=\"muted\">Each slider steps through precomputed curves "
            "(the other parameters at their defaults); the axes stay put so the change shows.</p>" + "".join(blocks))


def _show(v) -> str:
    return repr(v) if isinstance(v, (str, bool)) else f"{v:g}"


# ------------------------------------------------------------------ families and sweeps

def family_svg(group: str, members: list[str], ncols: int = 3) -> str:
    """A panel per member: f solid, f' dashed."""
    cells = []
    for name in members:
        f, df = panels(get(name), (0, 1), n=161)
        df.series[0].color, df.series[0].dashed = PALETTE[1], True
        cells.append(Panel(name, f.series + df.series, f.levels))
    # every overview ncols wide, even with fewer members: one panel size across the page
    return figure(cells, ncols=ncols, legend=[("f(x)", PALETTE[0]), ("f'(x) dashed", PALETTE[1])],
                  ident=f"g-{group.replace(' ', '_')}-", title=group)


def sweep_svg(name: str) -> str:
    """The preset sweep of :data:`actlab.plot.SWEEPS`: f and f' for each value, and with
    ``difference`` f minus f at the first value."""
    preset = SWEEPS[name]
    param, values = preset["param"], preset["values"]
    f_series, df_series, diff, base, legend = [], [], [], None, []
    for v, color in zip(values, SWEEP_COLORS):
        x, ys, _ = sample(get(name, **{param: v}), (0, 1), None, 241)
        f_series.append(Series(x, ys[0], color))
        df_series.append(Series(x, ys[1], color))
        base = ys[0] if base is None else base
        diff.append(Series(x, ys[0] - base, color))
        legend.append((f"{param}={_show(v)}", color))
    out = [Panel(LABELS[0], f_series), Panel(LABELS[1], df_series)]
    if preset.get("difference"):
        out.append(Panel(f"f(x) - f(x; {param}={_show(values[0])})", diff))
    return figure(out, legend=legend, ident=f"w-{name}-", title=f"{name}: sweep of {param}")


# ------------------------------------------------------------------ comparison

COMPARE_VIEW = {"x": (-5.0, 5.0), 0: (-2.5, 5.0), 1: (-1.25, 2.5)}
DEFAULT_PICKS = ("relu", "gelu", "silu", "tanh")


def compare_svg(names: list[str]) -> str:
    """Every function's f and f' on fixed axes, each curve a hidden group the page's script
    shows in a pick's colour (the defaults shown without the script)."""
    picks = [n for n in DEFAULT_PICKS if n in names] or names[:2]
    out = []
    for o in (0, 1):
        series = []
        for name in names:
            x, ys, _ = sample(get(name), (o,), COMPARE_VIEW["x"], 201)
            slot = picks.index(name) if name in picks else -1
            series.append(Series(x, ys[o], PALETTE[slot] if slot >= 0 else GREY,
                                 attrs=f' data-fn="{name}"' + ("" if slot >= 0 else ' style="display:none"')))
        out.append(Panel(LABELS[o], series, xlim=COMPARE_VIEW["x"], ylim=COMPARE_VIEW[o]))
    return figure(out, ident="cmp")


def compare_html(names: list[str]) -> str:
    picks = [n for n in DEFAULT_PICKS if n in names] or names[:2]
    selects = []
    for i in range(4):
        chosen = picks[i] if i < len(picks) else ""
        opts = '<option value="">(none)</option>' + "".join(
            f'<option value="{n}"{" selected" if n == chosen else ""}>{n}</option>' for n in names)
        selects.append(f'<label><span class="swatch" style="background:{PALETTE[i]}"></span>'
                       f'<select id="pick-{i}" data-color="{PALETTE[i]}">{opts}</select></label>')
    return ("<h1>Compare</h1><p class=\"summary\">Pick two to four functions: their f and f' overlaid on the "
            "same axes (x in [-5, 5]; the view is kept in the address, e.g. <code>#f=relu,gelu</code>). "
            "Vector functions are drawn along their slice, as on their pages.</p>"
            f'<div class="filters">{"".join(selects)}</div><figure id="compare">{compare_svg(names)}</figure>'
            '<p id="compare-links"></p>')
