"""The ``actlab`` command (click): list, show, eval, plot, table, gallery, bench, lab.

A bad name, parameter, value or range prints one line (``Error: ...``, with
suggestions for a misspelt name) and exits with status 2; never a traceback.
"""

from __future__ import annotations

import difflib
import json
import math
import os
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


# Optional modules a command may need, and the extra that installs each.
_EXTRAS = {"matplotlib": "plot", "sklearn": "lab", "torch": "dev", "dask": "dask", "distributed": "dask"}


class _Cli(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:  # click's own: one line, without the usage block
            raise UserError(e.format_message()) from None
        except (ValueError, TypeError) as e:  # actlab's errors say what was wrong and what is allowed
            raise UserError(str(e).replace("actlab.names() lists all", "actlab list shows all")) from None
        except ModuleNotFoundError as e:
            root = (e.name or "").partition(".")[0]
            if root not in _EXTRAS:
                raise
            raise UserError(f"this command needs {root}, which is not installed: "
                            f"pip install 'actlab[{_EXTRAS[root]}]'") from None
        except BrokenPipeError:  # `actlab show gelu | head`: the reader left; stop quietly, as cat does
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise SystemExit(141) from None
        except OSError as e:  # a path that passed the checks below and still failed (a race, /proc, a full disk)
            raise UserError(f"cannot write {e.filename!r}: {e.strerror or e}" if e.filename else str(e)) from None


def _print_version(ctx, _param, value):
    """--version: the package and whether the compiled kernels run here."""
    if not value or ctx.resilient_parsing:
        return
    from . import kernels

    have = kernels.names()
    if have:
        import numba

        fast = f"compiled kernels: numba {numba.__version__}, {len(have)} functions"
    else:
        fast = ("compiled kernels: unavailable (numba is not installed; it ships for 64-bit x86 and ARM), "
                "the NumPy reference runs")
    click.echo(f"actlab {__version__}\n{fast}")
    ctx.exit()


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and whether the compiled kernels run here.")
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


def _numbers(text: str, what: str, kind=float) -> list:
    """Numbers separated by commas or spaces; an empty item ('1,,2', '1,') is an
    error, not a value silently dropped."""
    items = re.split(r"\s*,\s*|\s+", text.strip())
    try:
        if "" in items:
            raise ValueError
        values = [float(v) for v in items]
        if kind is int:
            if not all(v.is_integer() and v > 0 for v in values):
                raise ValueError
            values = [int(v) for v in values]
        return values
    except (ValueError, OverflowError):
        what_ = "positive integers" if kind is int else "numbers"
        raise UserError(f"{what} must be {what_} separated by commas or spaces, got {text!r}") from None


def _pick(what: str, value: str, allowed) -> str:
    """``value`` if it is one of ``allowed``, else a UserError with the closest matches."""
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise UserError(f"unknown {what} {value!r}{hint} ({what}s are: {', '.join(allowed)})")


class OutputPath(click.ParamType):
    """A file (or, with ``directory``, a folder) this command may write: checked
    before any work, so that a typo costs one line, not a traceback after a
    minute of drawing."""

    name = "path"

    def __init__(self, directory: bool = False):
        self.directory = directory

    def convert(self, value, param, ctx):
        p = Path(value)
        if self.directory:
            if p.exists() and not p.is_dir():
                self.fail(f"{value!r} is a file, not a directory", param, ctx)
            base = p
            while not base.exists() and base != base.parent:  # the folder it would be created in
                base = base.parent
            if not base.is_dir():
                self.fail(f"cannot create {value!r}: {str(base)!r} is not a directory", param, ctx)
            if not os.access(base, os.W_OK):
                self.fail(f"cannot create {value!r}: {str(base)!r} is not writable", param, ctx)
        else:
            if p.is_dir():
                self.fail(f"{value!r} is a directory, not a file", param, ctx)
            if not p.parent.is_dir():
                self.fail(f"cannot write {value!r}: there is no directory {str(p.parent)!r}", param, ctx)
            if not os.access(p.parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
                self.fail(f"cannot write {value!r}: permission denied", param, ctx)
        return str(value)


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
            lead = f"  {left:<7}= " if left else "  "
            lines = unicode_math(info.latex[key]).splitlines()
            echo("\n".join([lead + lines[0], *(" " * len(lead) + ln for ln in lines[1:])]))
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
        echo(f"  {'kink' if len(info.kinks) == 1 else 'kinks'} at x = {', '.join(f'{k:g}' for k in info.kinks)}")
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


# LaTeX to terminal text: a few tables and one recursive pass over the
# source; enough for the catalog's formulas, never a TeX engine.
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ",
    "phi": "ϕ", "varphi": "φ", "Phi": "Φ", "omega": "ω", "Omega": "Ω", "psi": "ψ", "xi": "ξ",
    "cdot": "·", "odot": "⊙", "times": "×", "pm": "±", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "ne": "≠", "neq": "≠", "approx": "≈", "sim": "~", "in": "∈", "infty": "∞", "to": "→",
    "sum": "∑", "prod": "∏", "partial": "∂", "langle": "⟨", "rangle": "⟩", "|": "‖", "lvert": "|",
    "rvert": "|", "{": "{", "}": "}", ",": " ", ";": " ", ":": " ", " ": " ", "!": "", "quad": "  ",
    "left": "", "right": "", "big": "", "Big": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "",
}
# Upright names, spaced from a preceding letter as TeX does ("x tanh(x)").
_WORDS = {"exp", "log", "ln", "tanh", "sinh", "cosh", "sin", "cos", "arctan", "max", "min", "arg", "sech",
          "erf", "erfc", "sign"}
_SUPER = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyz'", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ′"))
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_WORD, _END = "\x00", "\x01"  # where an upright name starts and ends, until spacing is decided


def _arg(tex: str, i: int) -> tuple[str, int]:
    """The argument at ``tex[i:]``: a {group}, a control word or one character."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth = 0
        for j in range(i, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1:j], j + 1
        return tex[i + 1:], len(tex)
    m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
    return (m[0], i + len(m[0])) if m else (tex[i], i + 1)


def _outer(text: str) -> str:
    """``text`` without its bracketed parts: what stands at the top level."""
    out, depth = [], 0
    for ch in text:
        depth += (ch in "([⟨") - (ch in ")]⟩")
        if depth == 0 and ch not in ")]⟩":
            out.append(ch)
    return "".join(out)


def _wrap(text: str, factor: bool = False) -> str:
    """Parenthesized where a/b would be ambiguous: a numerator of several terms;
    with ``factor`` (a denominator, a root), anything but a single token such as
    2, α, xᵢ, Q(x)² or (1+x²)²."""
    top = _outer(text)
    if factor:
        return text if re.fullmatch(r"[√∂]?[\w.′']*", top) else f"({text})"
    return f"({text})" if re.search(r"[\s+\-=,/·⊙]", top.removeprefix("-")) else text


def _inline(tex: str) -> str:
    out, i = [], 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            cmd, i = m[1], i + len(m[0])
            if cmd in ("frac", "tfrac", "dfrac"):
                a, i = _arg(tex, i)
                b, i = _arg(tex, i)
                out.append(f"{_wrap(_inline(a))}/{_wrap(_inline(b), factor=True)}")
            elif cmd == "sqrt":
                a, i = _arg(tex, i)
                out.append("√" + _wrap(_inline(a), factor=True))
            elif cmd in ("mathrm", "operatorname", "text", "textrm", "mathit", "mathbf"):
                a, i = _arg(tex, i)
                word = re.fullmatch(r"[A-Za-z]+", a) and cmd != "text"
                out.append(_WORD + a + _END if word else a if cmd == "text" else _inline(a))
            elif cmd in _WORDS:
                out.append(_WORD + cmd + _END)
            elif cmd in _SYMBOLS:
                out.append(_SYMBOLS[cmd])
                if _SYMBOLS[cmd].isalpha() or cmd in ("partial", "langle"):  # as TeX: \alpha x is αx
                    while i < len(tex) and tex[i] == " ":
                        i += 1
            else:
                out.append(cmd)
        elif c in "^_":
            a, i = _arg(tex, i + 1)
            a = _inline(a)
            table = _SUPER if c == "^" else _SUB
            out.append("".join(table[ch] for ch in a) if a and all(ch in table for ch in a)
                       else c + (a if len(a) == 1 else f"({a})"))
        elif c in "{}":  # grouping only
            i += 1
        else:
            out.append(c)
            i += 1
    text = re.sub(r"(?<=[\w)\]|])" + _WORD, " ", "".join(out)).replace(_WORD, "")
    text = re.sub(_END + r"(?=[^\W_]|[∑∏√|])", " ", text).replace(_END, "")
    text = re.sub(r"\s*([≤≥≠∈<>])\s*", r"\1", text)  # relations tight, as the ASCII ones (x>0) are written
    return re.sub(r" {2,}", " ", text)


def unicode_math(tex: str) -> str:
    """The catalog's LaTeX as terminal text: Greek letters, ≤ ⊙ √ and
    super/subscripts in Unicode, fractions as a/b, and a cases environment as
    one line per case behind a brace."""
    m = re.match(r"(?s)(.*?)\\begin\{cases\}(.*?)\\end\{cases\}(.*)", tex)
    if not m:
        return _inline(tex).strip()
    pre, post = _inline(m[1]).strip(), _inline(m[3]).strip()
    rows = [[_inline(c).strip() for c in r.split("&")] for r in re.split(r"\\\\", m[2]) if r.strip()]
    width = max(len(r[0]) for r in rows)
    braces = ["{"] if len(rows) == 1 else ["⎧", *["⎪"] * (len(rows) - 2), "⎩"]
    if len(rows) > 2:
        braces[len(rows) // 2] = "⎨"
    lines = []
    for brace, (value, *cond) in zip(braces, rows):
        when = cond[0] if cond else ""
        when = when if not when or re.match(r"otherwise|else|elsewhere", when) else f"if {when}"
        lines.append(f"{brace} {value.ljust(width)}  {when}".rstrip())
    pad = " " * (len(pre) + 1) if pre else ""
    lines = [(pre + " " if pre and k == 0 else pad) + ln for k, ln in enumerate(lines)]
    if post:
        lines[-1] += " " + post
    return "\n".join(lines)


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
@click.option("--output", "-o", required=True, type=OutputPath(), help="PNG, SVG or PDF file.")
@click.option("--derivative", "-d", "orders", multiple=True, type=click.IntRange(0, 2),
              help="Orders to draw (repeatable; default 0, 1 and 2).")
@click.option("--range", "xrange", nargs=2, type=float, metavar="A B", help="The x range (default: -5 5, wider for far kinks).")
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter value for every NAME (repeatable).")
@click.option("--size", nargs=2, type=click.FloatRange(0, min_open=True), metavar="W H", help="Figure size in inches.")
@click.option("--dpi", type=click.FloatRange(0, min_open=True), help="Dots per inch (PNG).")
@click.option("--logy", is_flag=True, help="Log-scale y on the derivative panels (vanishing gradients).")
def plot_cmd(names_, output, orders, xrange, pairs, size, dpi, logy):
    """Plot f, f', f'' of one or several functions into a file."""
    from . import plot

    ext = Path(output).suffix.lower().lstrip(".")
    if ext not in _FORMATS:
        raise UserError(f"the output must end in .{', .'.join(_FORMATS)}, got {output!r}")
    if xrange is not None and not (all(map(math.isfinite, xrange)) and xrange[0] < xrange[1]):
        raise UserError(f"--range A B needs finite numbers with A < B, got {xrange[0]:g} {xrange[1]:g}")
    params = _params(pairs)
    acts = [get(n, **params) for n in names_]
    plot(acts, derivatives=tuple(dict.fromkeys(orders)) or (0, 1, 2), xlim=xrange, file=output,
         figsize=size or None, dpi=dpi, logy=logy)
    click.echo(f"wrote {output}")


# ----------------------------------------------------------------- table, gallery, bench

@main.command()
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True)
@click.option("--output", "-o", type=OutputPath(), help="Write to a file instead of stdout.")
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
@click.option("--output", "-o", required=True, type=OutputPath(directory=True),
              help="Directory to write the site into (created if needed).")
@click.option("--only", "only", multiple=True, metavar="NAME", help="Only these functions (repeatable).")
@click.option("--lab", "lab_dir", type=click.Path(exists=True, file_okay=False),
              help="A folder of lab runs (DIR/NAME/results.json, as actlab lab NAME -o DIR/NAME) for the lab page.")
@click.option("--no-api", is_flag=True, help="Leave out the API reference (pdoc).")
def gallery(output, only, lab_dir, no_api):
    """Build the static gallery site (works offline)."""
    from .gallery import build

    index = build(output, names=list(only) or None, lab=lab_dir, api=not no_api)
    click.echo(f"open {index.resolve().as_uri()}")


def _kernel_benchmark():
    """benchmarks/bench_kernels.py of the source checkout this actlab runs from, as a module."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_kernels.py"
    if not path.is_file():
        raise UserError("the kernel benchmark (benchmarks/bench_kernels.py) ships with actlab's source "
                        "repository, not with an installed package: run it from a checkout")
    spec = importlib.util.spec_from_file_location("bench_kernels", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@main.command()
@click.option("--functions", metavar="NAMES", help="Comma-separated names (default: every function with a kernel).")
@click.option("--sizes", metavar="N,...", help="Comma-separated element counts, e.g. 1e3,1.6e7 "
              "(default 2^10, 2^17, 2^24).")
@click.option("--dtypes", metavar="D,...", help="Comma-separated: float32, float64 (default both).")
@click.option("--modes", metavar="M,...", help="Comma-separated: forward, forward+backward (default both).")
@click.option("--threads", type=click.IntRange(1), help="Threads for actlab and torch (default: the cores available).")
@click.option("--json", "json_path", type=OutputPath(), default="bench_kernels.json", show_default=True,
              help="Where to write the raw times.")
@click.option("--skip-numpy", is_flag=True, help="Leave out NumPy's reference (slow at large sizes).")
@click.option("--cold", is_flag=True, help="Also time each function's first call in a fresh process.")
def bench(functions, sizes, dtypes, modes, threads, json_path, skip_numpy, cold):
    """Benchmark the compiled kernels against PyTorch and NumPy (from a source checkout)."""
    from . import kernels

    have = kernels.names()
    if not have:
        raise UserError("the compiled kernels need numba, which is not installed here (pip install numba)")
    harness = _kernel_benchmark()
    argv = ["--json", json_path] + (["--skip-numpy"] if skip_numpy else []) + (["--cold"] if cold else [])
    if functions is not None:
        chosen = [get(n).name for n in _items(functions, "--functions")]  # aliases resolve; typos suggest
        lacking = [n for n in chosen if n not in have]
        if lacking:
            raise UserError(f"no compiled kernel for {', '.join(lacking)} (functions with kernels: {', '.join(have)})")
        argv += ["--functions", ",".join(dict.fromkeys(chosen))]
    if sizes is not None:
        argv += ["--sizes", ",".join(map(str, _numbers(sizes, "--sizes", kind=int)))]
    for option, text, allowed, what in (("--dtypes", dtypes, harness.DTYPES, "dtype"),
                                        ("--modes", modes, harness.MODES, "mode")):
        if text is not None:
            argv += [option, ",".join(_pick(what, v, list(allowed)) for v in _items(text, option))]
    if threads is not None:
        argv += ["--threads", str(threads)]
    sys.exit(harness.main(argv) or 0)


# ----------------------------------------------------------------- lab

@main.command("lab")
@click.argument("experiment", metavar="NAME|list")
@click.option("--preset", type=click.Choice(["quick", "full"]), default="quick", show_default=True,
              help="quick: about a minute here; full: the real thing.")
@click.option("--output", "-o", type=OutputPath(directory=True),
              help="Directory for results.json, the figures and report.md (default out/lab/NAME).")
@click.option("--set", "pairs", multiple=True, metavar="KEY=VALUE",
              help="Override a config value (repeatable; lists comma-separated: activations=relu,gelu).")
@click.option("--workers", type=click.IntRange(1), help="Local processes for grid cells (default: the cores).")
@click.option("--scheduler", metavar="ADDRESS", help="Run grid cells on this Dask scheduler instead.")
def lab_cmd(experiment, preset, output, pairs, workers, scheduler):
    """Run an experiment of the lab, or list them (actlab lab list)."""
    from . import lab

    name = experiment
    if name == "list":
        for n in lab.names():
            click.echo(f"{n:20} {textwrap.shorten(lab.describe(n), 100, placeholder=' ...')}")
        return
    name = _pick("experiment", name, lab.names())
    overrides = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set takes key=value (e.g. --set seeds=5), got {pair!r}")
        overrides[key.strip()] = val.strip()
    out = Path(output) if output else Path("out") / "lab" / name
    result = lab.run(name, preset=preset, out=out, workers=workers, scheduler=scheduler, **overrides)
    for claim in result.claims:
        click.echo(("held         " if claim.held else "did not hold ") + f"{claim.text} ({claim.measured})")
    click.echo(f"{result.seconds:.1f} s; wrote {out / 'report.md'}")


def _items(text: str, what: str) -> list[str]:
    items = [v.strip() for v in text.split(",")]
    if "" in items:
        raise UserError(f"{what} takes names separated by commas, got {text!r}")
    return items


if __name__ == "__main__":
    main()
