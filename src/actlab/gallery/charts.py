"""Line charts as SVG text, drawn without matplotlib: the gallery's plots.

A page's figure, every frame of its parameter sliders, the comparison page and
the family overviews are all drawn here, in milliseconds each (matplotlib took
about a second a figure, most of a gallery build).

>>> from actlab.gallery.charts import Panel, Series, figure
>>> import numpy as np
>>> x = np.linspace(-2, 2, 5)
>>> svg = figure([Panel("f(x)", [Series(x, np.maximum(x, 0))])])
>>> svg.startswith("<svg") and svg.count("<polyline") == 1
True
"""

from __future__ import annotations

import dataclasses
import html
import math

import numpy as np

from ..plot import PALETTE

W, H = 300, 210                     # one panel, in SVG units
LEFT, RIGHT, TOP, BOTTOM = 42, 10, 24, 22
E = html.escape


@dataclasses.dataclass
class Series:
    """One curve: ``y`` over ``x`` (NaN breaks the line), its dots (x, y) and style."""

    x: np.ndarray
    y: np.ndarray
    color: str = PALETTE[0]
    dashed: bool = False
    dots: tuple = ()
    attrs: str = ""                 # extra attributes of the curve's <g> (the scripts' hooks)


@dataclasses.dataclass
class Panel:
    """Axes with a title, series, dashed horizontal levels, and optional fixed limits."""

    title: str
    series: list
    levels: tuple = ()              # (y, color): range bounds and asymptotes
    xlim: tuple | None = None
    ylim: tuple | None = None


def ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values inside [lo, hi]: steps of 1, 2 or 5 times a power of ten."""
    span = hi - lo
    base = 10.0 ** math.floor(math.log10(span / most))
    step = next(m * base for m in (1, 2, 5, 10) if span / (m * base) <= most)
    first = math.ceil(lo / step - 1e-9)
    return [round(k * step, 12) for k in range(first, int(math.floor(hi / step + 1e-9)) + 1)]


def limits(panel: Panel) -> tuple[tuple, tuple]:
    """The panel's x and y limits: given, or the finite data with a 6% margin."""
    xs = np.concatenate([np.asarray(s.x, float) for s in panel.series]) if panel.series else np.zeros(1)
    xs = xs[np.isfinite(xs)]
    xlim = panel.xlim or ((float(xs.min()), float(xs.max())) if xs.size else (-1.0, 1.0))
    if panel.ylim:
        return xlim, panel.ylim
    ys = [np.asarray(s.y, float) for s in panel.series] + [np.array([d[1] for s in panel.series for d in s.dots])]
    ys = np.concatenate(ys) if ys else np.zeros(1)
    ys = ys[np.isfinite(ys) & (np.abs(ys) < 1e12)]
    lo, hi = (float(ys.min()), float(ys.max())) if ys.size else (-1.0, 1.0)
    if hi - lo < 1e-9 * max(1.0, abs(hi)):
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.06 * (hi - lo)
    return xlim, (lo - pad, hi + pad)


def _num(v: float) -> str:
    return f"{v:.4g}".replace("-", "\u2212")


def _points(x, y, sx, sy) -> list[str]:
    """Polylines' point lists, broken at non-finite values; far-off points clamped
    (an SVG renderer may drop coordinates of 1e300)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    with np.errstate(over="ignore", invalid="ignore"):
        px, py = np.round(sx(x), 1), np.round(np.clip(sy(y), -2000.0, 2000.0), 1)
    runs = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    return [" ".join(f"{a},{b}" for a, b in zip(px[i:j].tolist(), py[i:j].tolist()))
            for i, j in zip(runs[::2], runs[1::2]) if j - i > 1]


def panel_svg(panel: Panel, dx: float = 0.0, dy: float = 0.0, clip: str = "c") -> str:
    """One panel as an SVG group at (dx, dy); ``clip`` names its clip path (unique per document)."""
    (x0, x1), (y0, y1) = limits(panel)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    sx = lambda v: LEFT + (v - x0) / (x1 - x0) * pw
    sy = lambda v: TOP + (y1 - v) / (y1 - y0) * ph
    parts = [f'<g transform="translate({dx:g},{dy:g})">',
             f'<clipPath id="{clip}"><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/></clipPath>',
             f'<text x="{LEFT + pw / 2:g}" y="15" text-anchor="middle" font-size="12">{E(panel.title)}</text>']
    for t in ticks(x0, x1):
        parts.append(f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{TOP}" y2="{TOP + ph}" stroke="#e3e6ec"/>'
                     f'<text x="{sx(t):.1f}" y="{TOP + ph + 14}" text-anchor="middle">{_num(t)}</text>')
    for t in ticks(y0, y1, 5):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#e3e6ec"/>'
                     f'<text x="{LEFT - 4}" y="{sy(t) + 3.5:.1f}" text-anchor="end">{_num(t)}</text>')
    body = []
    if y0 < 0 < y1:
        body.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{sy(0):.1f}" y2="{sy(0):.1f}" stroke="#555" stroke-width="0.7"/>')
    if x0 < 0 < x1:
        body.append(f'<line x1="{sx(0):.1f}" x2="{sx(0):.1f}" y1="{TOP}" y2="{TOP + ph}" stroke="#555" stroke-width="0.7"/>')
    for v, color in panel.levels:
        if y0 <= v <= y1:
            body.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{sy(v):.1f}" y2="{sy(v):.1f}" stroke="{color}" '
                        'stroke-dasharray="5 3" stroke-opacity="0.7"/>')
    for s in panel.series:
        dash = ' stroke-dasharray="4 3"' if s.dashed else ""
        lines = "".join(f'<polyline points="{p}"/>' for p in _points(s.x, s.y, sx, sy))
        dots = "".join(f'<circle cx="{sx(a):.1f}" cy="{sy(b):.1f}" r="3"/>' for a, b in s.dots
                       if math.isfinite(b) and y0 <= b <= y1)
        body.append(f'<g{s.attrs} fill="none" stroke="{s.color}" stroke-width="1.7"{dash}>{lines}'
                    f'<g fill="{s.color}" stroke="none">{dots}</g></g>')
    parts.append(f'<g clip-path="url(#{clip})">{"".join(body)}</g>')
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#9aa3b2"/></g>')
    return "".join(parts)


def figure(panels: list[Panel], ncols: int | None = None, legend: list[tuple[str, str]] = (), ident: str = "p",
           title: str = "") -> str:
    """Panels in a grid (``ncols`` a row; default all in one row) as an SVG document;
    ``legend``: (label, color) pairs drawn below; ``ident`` prefixes the clip-path ids
    (unique when several figures share a page)."""
    ncols = ncols or len(panels)
    nrows = math.ceil(len(panels) / ncols)
    top = 22 if title else 0
    legend_h = 20 * math.ceil(len(legend) / 4) if legend else 0
    width, height = ncols * W, top + nrows * H + legend_h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" font-family="system-ui, DejaVu Sans, sans-serif" font-size="10" fill="#1d2330">'
             f'<rect width="{width}" height="{height}" fill="#fff"/>']
    if title:
        parts.append(f'<text x="{width / 2:g}" y="16" text-anchor="middle" font-size="13">{E(title)}</text>')
    for i, p in enumerate(panels):
        parts.append(panel_svg(p, (i % ncols) * W, top + (i // ncols) * H, f"{ident}{i}"))
    for i, (label, color) in enumerate(legend):
        x, y = 20 + (i % 4) * (width - 40) / 4, top + nrows * H + 14 + 20 * (i // 4)
        parts.append(f'<line x1="{x:g}" x2="{x + 18:g}" y1="{y - 4:g}" y2="{y - 4:g}" stroke="{color}" '
                     f'stroke-width="2"/><text x="{x + 24:g}" y="{y:g}">{E(label)}</text>')
    return "".join(parts) + "</svg>"
