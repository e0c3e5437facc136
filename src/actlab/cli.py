"""The ``actlab`` command (click): list, show, eval, plot, table, gallery, bench.

A bad name, parameter, value or range prints one line (``Error: ...``, with
suggestions for a misspelt name) and exits with status 2; never a traceback.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
import textwrap
from pathlib import Path

import click
import numpy as np

from . import __version__
from ._docs import PEER_NAMES
from .activation import Activation, get
from .registry import FAMILIES, INF, Range, Unchecked, names

__all__ = ["main"]


class UserError(click.ClickException):
    """One line on stderr, exit status 2 (a usage error, as click's own)."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class _Cli(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:  # click's own: one line, without the usage block
            raise UserError(e.format_message()) from None
        except (ValueError, TypeError) as e:  # actlab's errors say what was wrong and what is allowed
            raise UserError(str(e)) from None


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actlab")
def main():
    """actlab: the activation-function lab."""


# ----------------------------------------------------------------- helpers

_INT = re.compile(r"[+-]?\d+")


def _value(text: str):
    """A --param value: true/false, an int, a float (inf and nan included), else the string."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    if _INT.fullmatch(low):
        return int(low)
    try:
        return float(low)
    except ValueError:
        return text.strip()


def _params(pairs) -> dict:
    out = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--param takes key=value (e.g. --param alpha=0.1), got {pair!r}")
        out[key.strip()] = _value(val)
    return out


def _numbers(text: str, what: str) -> list[float]:
    try:
        return [float(v) for v in re.split(r"[,\s]+", text.strip()) if v]
    except ValueError:
        raise UserError(f"{what} must be numbers separated by commas or spaces, got {text!r}") from None


def _claim(v) -> str:
    if isinstance(v, Unchecked):
        return f"{_claim(v.value) if v.value is not None else '?'} (not checked: {v.why})"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _continuity(v) -> str:
    v = v.value if isinstance(v, Unchecked) else v
    return "" if v is None else "C^inf" if v == INF else f"C^{v}"


def _jsonable(v):
    if isinstance(v, Unchecked):
        return _jsonable(v.value)
    if isinstance(v, Range):
        return {"lo": _jsonable(v.lo), "hi": _jsonable(v.hi), "lo_closed": v.lo_closed, "hi_closed": v.hi_closed}
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (tuple, list)):
        return [_jsonable(x) for x in v]
    return v


# ----------------------------------------------------------------- list

@main.command("list")
@click.option("--family", type=click.Choice(FAMILIES), help="ridge, radial or folding.")
@click.option("--kind", type=click.Choice(list("EPSV"), case_sensitive=False),
              help="E elementwise, P learnable, S stochastic, V vector-valued.")
@click.option("--group", help="A finer group, e.g. rectifier, sigmoidal.")
@click.option("--property", "props", multiple=True, metavar="NAME",
              help="Keep functions with this property (repeatable); not_NAME keeps those without it.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
def list_cmd(family, kind, group, props, as_json):
    """The catalog, filtered by family, kind, group and properties."""
    from .gallery import TAGS, tags

    groups = sorted({get(n).spec.group for n in names()})
    if group is not None and group not in groups:
        raise UserError(f"unknown group {group!r}; groups are: {', '.join(groups)}")
    wanted = []
    for p in props:
        base = p[4:] if p.startswith("not_") else p
        if base not in TAGS:
            raise UserError(f"unknown property {p!r}; properties are: {', '.join(TAGS)} (not_NAME negates)")
        wanted.append((base, not p.startswith("not_")))
    acts = []
    for n in names():
        act = get(n)
        s, have = act.spec, set(tags(act))
        if ((family and s.family != family) or (kind and kind.upper() not in s.kind)
                or (group and s.group != group) or any((b in have) != keep for b, keep in wanted)):
            continue
        acts.append(act)
    if as_json:
        click.echo(json.dumps([_record(a) for a in acts], indent=2))
        return
    header = ("name", "kind", "family", "group", "range", "continuity")
    rows = [(a.name, a.kind, a.spec.family, a.spec.group, str(_plain(a.info.range)), _continuity(a.info.continuity))
            for a in acts]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    for r in [header, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    click.echo(f"({len(acts)} of {len(names())} functions)")


def _plain(v):
    return v.value if isinstance(v, Unchecked) else v


def _record(act: Activation) -> dict:
    from .gallery import CLAIMS, tags

    info = act.info
    return {"name": act.name, "aliases": list(info.aliases), "kind": info.kind, "family": info.family,
            "group": info.group, "summary": info.summary,
            "params": {k: _jsonable(p["default"]) for k, p in info.params.items()},
            **{k: _jsonable(getattr(info, k)) for k, _ in CLAIMS}, "properties": tags(act)}


# ----------------------------------------------------------------- show

@main.command()
@click.argument("name")
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter value (repeatable).")
@click.option("--width", type=click.IntRange(24, 200), default=64, show_default=True, help="Plot width in characters.")
def show(name, pairs, width):
    """Formula, parameters, properties, peers, references and a text plot of NAME."""
    from .gallery import CLAIMS

    act = get(name, **_params(pairs))
    info = act.info
    echo = click.echo
    cols = min(100, shutil.get_terminal_size().columns)

    def para(text, indent="", hang="  "):
        echo(textwrap.fill(text, cols, initial_indent=indent, subsequent_indent=indent + hang))

    para(f"{act.name}: {info.summary}")
    extra = f"; aliases: {', '.join(info.aliases)}" if info.aliases else ""
    echo(f"kind {info.kind}, family {info.family}, group {info.group}{extra}\n")
    lhs = ("f(x)", "f'(x)", "f''(x)") if act.spec.elementwise else ("f", "backward", "")
    for key, left in zip(("f", "df", "d2f"), lhs):
        if info.latex.get(key):
            echo(f"  {left:<7}= {info.latex[key]}" if left else f"  {info.latex[key]}")
    if info.params:
        echo("\nparameters")
        for k, p in info.params.items():
            learn = ", learnable" if p["learnable"] else ""
            para(f"{k} = {p['value']!r} (default {p['default']!r}{learn}): {p['allowed']}"
                 + (f"; {p['doc']}" if p["doc"] else ""), "  ")
    echo("\nproperties")
    for key, label in CLAIMS:
        v = getattr(info, key)
        echo(f"  {label:<22}{_continuity(v) if key == 'continuity' else _claim(v)}")
    if info.kinks:
        echo(f"  {'kinks':<22}{', '.join(f'{k:g}' for k in info.kinks)}")
    if info.notes:
        echo("")
        para(info.notes, hang="")
    if info.peers:
        echo("\npeers")
        for k, v in info.peers.items():
            echo(f"  {PEER_NAMES.get(k, k):<16}{v}")
    if info.references:
        echo("\nreferences")
        for r in info.references:
            para(str(r), "  ")
    echo("")
    echo(text_plot(act, width=width))


def text_plot(act: Activation, width: int = 64, height: int = 15) -> str:
    """f ('*') and f' ('.') drawn with characters, with the axes and their ranges."""
    from .plot import sample, slice_of

    x, ys, _ = sample(act, (0, 1), n=width * 4)
    ok = np.isfinite(x)
    x0, x1 = float(x[ok].min()), float(x[ok].max())
    vals = np.concatenate([y[np.isfinite(y)] for y in ys.values()])
    lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (-1.0, 1.0)
    lo, hi = (lo - 1.0, hi + 1.0) if hi - lo < 1e-12 else (lo, hi)
    grid = [[" "] * width for _ in range(height)]

    def col(v):
        return min(width - 1, max(0, round((v - x0) / (x1 - x0) * (width - 1))))

    def row(v):
        return min(height - 1, max(0, round((hi - v) / (hi - lo) * (height - 1))))

    if lo <= 0 <= hi:
        grid[row(0.0)] = ["-"] * width
    if x0 <= 0 <= x1:
        for r in grid:
            r[col(0.0)] = "|"
        if lo <= 0 <= hi:
            grid[row(0.0)][col(0.0)] = "+"
    for order, mark in ((1, "."), (0, "*")):  # f drawn last: on top
        for a, b in zip(x, ys[order]):
            if np.isfinite(a) and np.isfinite(b):
                grid[row(b)][col(a)] = mark
    label = max(len(f"{hi:.3g}"), len(f"{lo:.3g}"))
    lines = [(f"{hi:.3g}" if i == 0 else f"{lo:.3g}" if i == height - 1 else "").rjust(label) + " " + "".join(r)
             for i, r in enumerate(grid)]
    axis = f"{x0:g}".ljust(width // 2) + f"{x1:g}".rjust(width - width // 2)
    lines.append(" " * (label + 1) + axis)
    lines.append(" " * (label + 1) + "* f(x)   . f'(x)"
                 + (f"   (vector function: {slice_of(act)})" if not act.spec.elementwise else ""))
    return "\n".join(lines)


# ----------------------------------------------------------------- eval

@main.command("eval")
@click.argument("name")
@click.option("--x", "xs", required=True, multiple=True, metavar="VALUES",
              help="Input values, separated by commas or spaces (repeatable); inf and nan allowed.")
@click.option("--derivative", "-d", type=click.IntRange(0, 2), default=0, show_default=True,
              help="0: f, 1: f', 2: f''.")
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter value (repeatable).")
@click.option("--training", is_flag=True, help="Stochastic functions: draw noise (with --seed) instead of eval mode.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for --training.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of columns.")
def eval_cmd(name, xs, derivative, pairs, training, seed, as_json):
    """f, f' or f'' of NAME at the given x (vector functions: x is one vector)."""
    act = get(name, **_params(pairs))
    x = np.array([v for text in xs for v in _numbers(text, "--x")], dtype=np.float64)
    if act.spec.stochastic:
        y = act.forward(x, training=training, rng=seed)
    else:
        y = act.forward(x)
    if derivative:
        y = act.derivative(x) if derivative == 1 else act.second_derivative(x)
    label = ("f(x)", "f'(x)", "f''(x)")[derivative]
    if as_json:
        click.echo(json.dumps({"name": act.name, "params": _jsonable(act.params), "x": _jsonable(x.tolist()),
                               "derivative": derivative, "y": [_jsonable(float(v)) for v in np.ravel(y)]}))
    elif y.shape == x.shape:
        click.echo(f"{'x':<24}{label}")
        for a, b in zip(x, y):
            click.echo(f"{float(a)!r:<24}{float(b)!r}")
    else:  # a vector function that changes the length (crelu, glu, maxout)
        click.echo(f"x    = {[float(v) for v in x]}\n{label} = {[float(v) for v in np.ravel(y)]}")


# ----------------------------------------------------------------- plot

_FORMATS = ("png", "svg", "pdf")


@main.command("plot")
@click.argument("names_", metavar="NAME...", nargs=-1, required=True)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="PNG, SVG or PDF file.")
@click.option("--derivative", "-d", "orders", multiple=True, type=click.IntRange(0, 2),
              help="Orders to draw (repeatable; default 0, 1 and 2).")
@click.option("--range", "xrange", nargs=2, type=float, metavar="A B", help="The x range (default: -5 5, wider for far kinks).")
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter value for every NAME (repeatable).")
def plot_cmd(names_, output, orders, xrange, pairs):
    """Plot f, f', f'' of one or several functions into a file."""
    from . import plot

    ext = Path(output).suffix.lower().lstrip(".")
    if ext not in _FORMATS:
        raise UserError(f"the output must end in .{', .'.join(_FORMATS)}, got {output!r}")
    if xrange is not None and not (all(map(math.isfinite, xrange)) and xrange[0] < xrange[1]):
        raise UserError(f"--range A B needs finite numbers with A < B, got {xrange[0]:g} {xrange[1]:g}")
    params = _params(pairs)
    acts = [get(n, **params) for n in names_]
    plot(acts, derivatives=tuple(dict.fromkeys(orders)) or (0, 1, 2), xlim=xrange, file=output)
    click.echo(f"wrote {output}")


# ----------------------------------------------------------------- table, gallery, bench

@main.command()
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
def table(fmt, output):
    """The comparison table of the whole catalog."""
    from .table import table as make_table

    t = make_table()
    text = {"md": t.to_markdown, "csv": t.to_csv, "html": t.to_html}[fmt]()
    if output:
        Path(output).write_text(text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Directory to write the site into.")
@click.option("--only", "only", multiple=True, metavar="NAME", help="Only these functions (repeatable).")
def gallery(output, only):
    """Build the static gallery site (works offline)."""
    from .gallery import build

    index = build(output, names=list(only) or None)
    click.echo(f"open {index.resolve().as_uri()}")


@main.command(add_help_option=False, context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args):
    """Benchmark the compiled kernels against PyTorch and NumPy (actlab bench --help: its options)."""
    try:
        from .kernels.bench import main as bench_main
    except ImportError as e:
        raise UserError(f"the kernel benchmark is not available in this build ({e})") from None
    sys.exit(bench_main(list(args)) or 0)


if __name__ == "__main__":
    main()
