"""The gallery: a static site of the whole catalog that works offline.

``build(out_dir)`` writes ``index.html`` (the comparison table, sortable and
filterable by family, kind, group and property), one page per function
(formulas, plots of f, f', f'', parameter sliders, when to use it, parameters,
verified properties, peers, references, a worked example), ``families.html``
(overviews and sweeps), ``compare.html`` (2-4 functions overlaid),
``lab.html``: every experiment of :mod:`actlab.lab` with its verdict and
figure, for the runs found under ``lab=`` (a folder of ``actlab lab`` outputs,
one sub-folder per experiment), each with a page of its own, and ``api/``, the
API reference (:mod:`.api`). Every asset is local: formulas are SVG from
matplotlib's mathtext, plots are SVG from :mod:`.charts`, the style and the
scripts are inline.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import shutil
import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .. import __version__
from ..lab._core import _progress
from .._docs import PEER_NAMES
from ..activation import Activation, get
from ..registry import INF, Range, Unchecked, names as all_names
from . import explore
from .advice import advice
from .assets import CSS, EXPLORE_SCRIPT, SCRIPT
from .formulas import formula_html

__all__ = ["build", "lab_pages", "example", "tags", "CLAIMS", "TAGS"]

# The claims of Info, in the order a page lists them, with their labels.
CLAIMS = (
    ("range", "range"), ("continuity", "continuity"), ("monotonic", "monotonic"),
    ("derivative_monotonic", "derivative monotonic"), ("identity_near_origin", "identity near 0"),
    ("zero_centred", "zero-centred"), ("bounded_below", "bounded below"),
    ("bounded_above", "bounded above"), ("saturating_left", "saturating left"),
    ("saturating_right", "saturating right"),
)
# The properties to filter by (index page, `actlab list`): the boolean claims and two derived ones.
TAGS = tuple(k for k, _ in CLAIMS if k not in ("range", "continuity")) + ("smooth", "learnable")
E = html.escape


def build(out_dir, names: Iterable[str] | None = None, *, log: Callable[[str], None] | None = print,
          lab=None, api: bool = True, progress: bool | None = None) -> Path:
    """Write the gallery into ``out_dir`` (created if needed) for ``names``
    (default: the whole catalog); returns the path of ``index.html``. ``lab``:
    a folder holding lab runs as ``lab/NAME/results.json`` (``actlab lab NAME -o
    lab/NAME``), shown on the lab page. ``api``: also the API reference under
    ``api/`` (needs pdoc; built in a second process meanwhile). ``progress``: a
    bar over the pages (default: when stderr is a terminal).

    A rebuild reuses the formulas it rendered before (the slow part).
    """
    t0 = time.perf_counter()
    names = list(dict.fromkeys(get(n).name for n in (all_names() if names is None else names)))
    if not names:
        raise ValueError("the gallery needs at least one function")
    out = Path(out_dir)
    (out / "img" / "math").mkdir(parents=True, exist_ok=True)
    sources = _sources_digest()
    reference = _start_api(out, sources, log) if api else None
    site = _Site(out, names, api=reference is not None)
    # Everything but the lab pages follows from the sources, the names and the versions:
    # when none changed since the last build here, those pages are kept.
    key = json.dumps([sources, names, site.api, np.__version__, _matplotlib_version()])
    stamp = out / ".built"
    index = out / "index.html"
    if not (stamp.is_file() and stamp.read_text() == key and index.is_file()):
        stamp.unlink(missing_ok=True)
        bar = _progress(len(names), 0, "gallery", progress, "page")
        for name in names:
            site.page(name)
            bar.update(1)
        bar.close()
        groups = sorted({get(n).spec.group for n in names})
        for group in groups:
            site.family_figure(group)
        site.families(groups, log)
        site.compare()
        site.index()
        site.save_math_cache()
        stamp.write_text(key)
    elif log:
        log(f"gallery: nothing changed since the last build in {out}; the lab pages are rebuilt")
    site.lab(None if lab is None else Path(lab))
    if reference is not None:
        _finish_api(out, *reference, log)
    if log:
        log(f"gallery: {len(names)} functions in {time.perf_counter() - t0:.1f} s -> {index}")
    return index


def lab_pages(out_dir, lab) -> Path:
    """Rewrite the lab page and the run pages of the gallery in ``out_dir`` from the runs
    under ``lab`` (runs that finished after the gallery was built); returns lab.html."""
    out = Path(out_dir)
    if not (out / "index.html").is_file():
        raise ValueError(f"no gallery in {out}: build it first")
    _Site(out, [], api=(out / "api" / "index.html").is_file()).lab(Path(lab))
    return out / "lab.html"


def _start_api(out: Path, sources: str, log):
    """(the API reference's process or None if the one in ``out`` is current, its output file,
    its key), or None without pdoc. pdoc imports every module, torch and jax included: seconds
    that the pages' drawing overlaps."""
    import importlib.util
    import subprocess
    import sys
    import tempfile

    if importlib.util.find_spec("pdoc") is None:
        if log:
            log("gallery: no API reference without pdoc: pip install 'actlab[docs]'")
        return None
    import importlib.metadata

    key = f"{sources} pdoc {importlib.metadata.version('pdoc')}"
    stamp = out / "api" / ".sources"
    if stamp.is_file() and stamp.read_text() == key:   # nothing changed since it was built
        return None, None, key
    shutil.rmtree(out / "api", ignore_errors=True)
    errors = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "actlab.gallery.api", str(out / "api")],
                            stdout=errors, stderr=subprocess.STDOUT)
    return proc, errors, key


def _sources_digest() -> str:
    """A digest of actlab's sources."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha1()
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode() + f.read_bytes())
    return h.hexdigest()


def _matplotlib_version() -> str:
    import matplotlib

    return matplotlib.__version__


def _finish_api(out, proc, errors, key, log):
    if proc is None:
        return
    rc = proc.wait()
    errors.seek(0)
    text = errors.read()
    errors.close()
    if rc:
        raise RuntimeError("the API reference failed: " + (text.strip().splitlines() or ["(no output)"])[-1])
    (out / "api" / ".sources").write_text(key)
    if log:
        for line in text.splitlines():
            if line.startswith("gallery:"):
                log(line)


class _Site:
    def __init__(self, out: Path, names: list[str], api: bool = False):
        self.out = out
        self.names = names  # the functions this build covers: links go only to their pages
        self.api = api
        self.math = self._math_cache()

    # A rebuild renders no formula twice: img/math/index.json maps each formula's LaTeX to its
    # SVG, for the matplotlib version that drew it.
    def _math_cache(self) -> dict:
        import matplotlib

        path = self.out / "img" / "math" / "index.json"
        try:
            saved = json.loads(path.read_text())
        except (OSError, ValueError):
            return {}
        if saved.get("matplotlib") != matplotlib.__version__:
            return {}
        return {tex: url for tex, url in saved.get("formulas", {}).items() if (self.out / url).is_file()}

    def save_math_cache(self):
        import matplotlib

        (self.out / "img" / "math" / "index.json").write_text(
            json.dumps({"matplotlib": matplotlib.__version__, "formulas": self.math}, indent=0, sort_keys=True))

    # ------------------------------------------------------------- files
    def write_math(self, svg_text: str) -> str:
        """Store one formula SVG under its content hash (shared formulas are stored once)."""
        digest = hashlib.sha1(svg_text.encode()).hexdigest()[:16]
        path = self.out / "img" / "math" / f"{digest}.svg"
        if not path.exists():
            path.write_text(svg_text)
        return f"img/math/{digest}.svg"

    def html(self, filename: str, title: str, body: str, script: str = ""):
        doc = (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
               f'<meta name="viewport" content="width=device-width, initial-scale=1">'
               f'<title>{E(title)}</title><style>{CSS}</style></head><body>'
               f'<header class="top"><a class="brand" href="index.html">actlab</a>'
               f'<a href="index.html">catalog</a><a href="families.html">families &amp; sweeps</a>'
               f'<a href="compare.html">compare</a><a href="lab.html">lab</a>'
               + ('<a href="api/index.html">API</a>' if self.api else "") +
               f'<span style="margin-left:auto;opacity:.7">v{E(__version__)}</span></header>'
               f'<main>{body}</main>' + (f"<script>{script}</script>" if script else "")
               + "</body></html>\n")
        (self.out / filename).write_text(doc)

    # ------------------------------------------------------------- index
    def index(self) -> Path:
        names = self.names
        columns, rows = _table(names)
        acts = {n: get(n) for n in names}
        head = "".join(f'<th data-key="{E(k)}">{E(t)}</th>' for k, t in [("plot", ""), *columns])
        body = []
        for row in rows:
            act = acts[row["name"]]
            cells = [f'<td class="thumb" data-sort="{E(act.name)}"><img src="{self.thumbnail(act)}" alt="{E(act.name)}"></td>']
            for key, _ in columns:
                text = row[key]
                if key == "name":
                    cells.append(f'<td><a href="{act.name}.html">{E(act.name)}</a></td>')
                elif key == "formula":  # the cell is info.latex["f"]: shown rendered
                    cells.append(f'<td class="tex">{formula_html(text, "", self.write_math, self.math)}</td>')
                else:
                    cells.append(f"<td{_sort_key(act, key)}>{E(text)}</td>")
            body.append(f'<tr data-family="{act.spec.family}" data-kind="{" ".join(act.kind)}" '
                        f'data-group="{E(_slug(act.spec.group))}" '
                        f'data-prop="{" ".join(tags(act))}" '
                        f'data-search="{E(" ".join([act.name, *act.spec.aliases, act.spec.summary]).lower())}">'
                        + "".join(cells) + "</tr>")
        specs = [a.spec for a in acts.values()]
        groups = sorted({s.group for s in specs})
        filters = (
            '<div class="filters">'
            + _select("family", "family", sorted({s.family for s in specs}))
            + _select("kind", "kind", [k for k in "EPSV" if any(k in s.kind for s in specs)])
            + _select("group", "group", [(_slug(g), g) for g in groups])
            + _select("prop", "property", [(p, p.replace("_", " ")) for p in TAGS])
            + '<label>search <input id="filter-q" type="search" placeholder="name, alias, words"></label>'
            + '<span>showing <b id="count"></b></span></div>')
        body_html = (
            f"<h1>The activation catalog</h1>"
            f'<p class="summary">{len(names)} functions, each with exact derivatives and checked metadata. '
            f"Click a column to sort; the view is kept in the address (e.g. <code>#family=radial&amp;sort=name:desc</code>). "
            f"Kinds: E elementwise, P learnable, S stochastic, V vector-valued.</p>"
            f'{filters}<div class="scroll"><table id="catalog" class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')
        self.html("index.html", "actlab: the activation catalog", body_html, script=SCRIPT)
        return self.out / "index.html"

    def thumbnail(self, act: Activation) -> str:
        """A tiny SVG of f (solid) and f' (dashed), drawn without matplotlib: cheap for every row."""
        from ..plot import sample

        x, ys, _ = sample(act, (0, 1), n=121)
        finite = np.concatenate([y[np.isfinite(y)] for y in ys.values()])
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
        lo, hi = (lo - 0.5, hi + 0.5) if hi - lo < 1e-9 else (lo, hi)
        xs = np.isfinite(x)
        x0, x1 = float(x[xs].min()), float(x[xs].max())

        def lines(y, style):
            pts, out = [], []
            for a, b in zip(x, y):
                if np.isfinite(a) and np.isfinite(b):
                    pts.append(f"{(a - x0) / (x1 - x0) * 96 + 2:.1f},{(hi - b) / (hi - lo) * 50 + 3:.1f}")
                elif pts:
                    out.append(pts)
                    pts = []
            out.append(pts)
            return "".join(f'<polyline points="{" ".join(p)}" {style}/>' for p in out if len(p) > 1)

        zero = f'<line x1="0" x2="100" y1="{(hi / (hi - lo)) * 50 + 3:.1f}" y2="{(hi / (hi - lo)) * 50 + 3:.1f}" stroke="#ccc"/>' if lo < 0 < hi else ""
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 56" width="100" height="56">{zero}'
               + lines(ys[1], 'fill="none" stroke="#e07b00" stroke-width="1.2" stroke-dasharray="3 2"')
               + lines(ys[0], 'fill="none" stroke="#2458c6" stroke-width="2"') + "</svg>")
        path = self.out / "img" / f"thumb-{act.name}.svg"
        path.write_text(svg)
        return f"img/thumb-{act.name}.svg"

    # ------------------------------------------------------------- pages
    def page(self, name: str):
        from .. import plot as plots

        act = get(name)
        (self.out / "img" / f"{name}.svg").write_text(explore.function_svg(act))
        info = act.info
        i = self.names.index(name)
        prev, nxt = self.names[i - 1] if i else None, self.names[i + 1] if i + 1 < len(self.names) else None
        parts = [
            f"<h1>{E(name)}</h1>",
            f'<p class="summary">{E(info.summary)}</p>',
            "<p>" + "".join(f'<span class="badge">{E(b)}</span>' for b in
                            [f"kind {info.kind}", f"family {info.family}", f"group {info.group}"]
                            + [f"alias {a}" for a in info.aliases]) + "</p>",
            "<h2>Formula</h2>", self.formulas(act),
            "<h2>Plots</h2>",
            f'<figure><img src="img/{name}.svg" alt="{E(name)}: f, f\' and f\'\'">'
            f"<figcaption>{E(_caption(act))}</figcaption></figure>",
        ]
        if name in plots.SWEEPS:
            (self.out / "img" / f"{name}-sweep.svg").write_text(explore.sweep_svg(name))
            p = plots.SWEEPS[name]["param"]
            parts.append(f'<figure><img src="img/{name}-sweep.svg" alt="{E(name)}: sweep of {E(p)}">'
                         f"<figcaption>{E(name)} for several values of {E(p)}.</figcaption></figure>")
        parts += [explore.sliders_html(act), self.advice(act),
                  "<h2>Parameters</h2>", _params_table(info), "<h2>Properties</h2>", _claims_table(act)]
        if info.kinks:
            parts.append(f"<p>Kinks at x = {', '.join(f'{k:g}' for k in info.kinks)} "
                         f"(dots on the plots: the value used there).</p>")
        if info.notes:
            parts.append(f"<p>{E(info.notes)}</p>")
        parts += ["<h2>Peers</h2>", _peers_table(act), "<h2>References</h2>", _references(info),
                  "<h2>Example</h2>", f"<pre><code>{E(example(act))}</code></pre>"]
        related = [n for n in self.names if get(n).spec.group == info.group and n != name]
        if related:
            parts.append(f"<p>Same group ({E(info.group)}): "
                         + ", ".join(f'<a href="{n}.html">{E(n)}</a>' for n in related) + "</p>")
        parts.append('<nav class="pager">'
                     + (f'<a href="{prev}.html">&larr; {E(prev)}</a>' if prev else "<span></span>")
                     + '<a href="index.html">catalog</a>'
                     + (f'<a href="{nxt}.html">{E(nxt)} &rarr;</a>' if nxt else "<span></span>") + "</nav>")
        self.html(f"{name}.html", f"actlab: {name}", "".join(parts), script=EXPLORE_SCRIPT)

    def formulas(self, act: Activation) -> str:
        lhs = ("f(x)", "f'(x)", "f''(x)") if act.spec.elementwise else ("", "", "")
        rows = []
        for (key, label), left in zip((("f", "f"), ("df", "derivative"), ("d2f", "second derivative")), lhs):
            tex = act.info.latex.get(key, "")
            if tex:
                rows.append(f'<span class="lhs">{label}</span><span>{formula_html(tex, left, self.write_math, self.math)}</span>')
        return f'<div class="formulas">{"".join(rows)}</div>'

    def family_figure(self, group: str):
        members = [n for n in self.names if get(n).spec.group == group]
        (self.out / "img" / f"family-{_slug(group)}.svg").write_text(explore.family_svg(group, members))

    def families(self, groups: list[str], log):
        from .. import plot as plots

        parts = ["<h1>Families and sweeps</h1>",
                 '<p class="summary">Each group of the catalog at a glance (f solid, f\' dashed), '
                 "and the parameter sweeps.</p>", "<h2>Groups</h2>", '<div class="grid">']
        for group in groups:
            members = [n for n in self.names if get(n).spec.group == group]
            parts.append(f'<figure><img src="img/family-{_slug(group)}.svg" alt="group {E(group)}">'
                         f"<figcaption>{E(group)}: " + ", ".join(
                             f'<a href="{m}.html">{E(m)}</a>' for m in members) + "</figcaption></figure>")
        parts += ["</div>", "<h2>Sweeps</h2>"]
        for name, preset in plots.SWEEPS.items():
            try:
                canonical = get(name).name
            except ValueError:
                if log:
                    log(f"gallery: skipping the {name} sweep: {name!r} is not in the catalog")
                continue
            if canonical not in self.names:
                continue
            parts.append(f'<figure><img src="img/{canonical}-sweep.svg" alt="{E(name)} sweep">'
                         f'<figcaption><a href="{canonical}.html">{E(name)}</a> for '
                         f'{E(preset["param"])} in {E(", ".join(map(str, preset["values"])))}.'
                         "</figcaption></figure>")
        self.html("families.html", "actlab: families and sweeps", "".join(parts))

    def advice(self, act: Activation) -> str:
        """When to use it (where the literature says), the initializer actlab.nn picks, the lab's evidence."""
        from ..nn.init import recommended

        found = advice(act.name, act.spec.group)
        text = f"<p>{E(found[0])}</p>" if found else ""
        labs = "".join(f' <a href="lab.html#{e}">{E(e)}</a>' for e in (found[1] if found else ()))
        init = (f"<p><code>actlab.nn.Dense(..., activation={act.name!r})</code> initializes its weights with "
                f"<code>{recommended(act.name)}</code> by default.</p>") if act.spec.elementwise else ""
        if not (text or init):
            return ""
        return "<h2>When to use it</h2>" + text + init + (f"<p>In the lab:{labs}.</p>" if labs else "")

    def compare(self):
        self.html("compare.html", "actlab: compare functions", explore.compare_html(self.names),
                  script=EXPLORE_SCRIPT)

    # ------------------------------------------------------------- lab
    def lab(self, runs: Path | None):
        """lab.html (every experiment: its verdict and figure, or how to run it) and a page per run."""
        from .. import lab

        parts = ["<h1>The lab</h1>",
                 '<p class="summary">Experiments that reproduce what the literature claims about activations, '
                 "each with its measured verdict. Run one with <code>actlab lab NAME -o DIR</code> "
                 "(<code>--preset full</code> for the real thing).</p>", '<div class="grid">']
        for name in lab.names():
            found = runs / name / "results.json" if runs is not None else None
            body = f"<h2>{E(name)}</h2><p>{E(lab.describe(name))}</p>"
            if found is not None and found.is_file():
                result = json.loads(found.read_text())
                self.lab_page(name, runs / name, result)
                verdict = "every claim held" if result["held"] else "not every claim held"
                first = next((f for f in result["figures"] if (runs / name / f"{f}.png").is_file()), None)
                img = (f'<a href="lab-{name}.html"><img src="lab/{name}/{first}.png" alt="{E(name)}: {E(first)}"></a>'
                       if first else "")
                body += (f'<p><span class="badge">{verdict}</span> <span class="badge">{result["seconds"]:.0f} s, '
                         f'{E(result["data"].get("preset", ""))} preset</span></p>'
                         + "<ul>" + "".join(f"<li>{_verdict(c)}</li>" for c in result["claims"]) + "</ul>"
                         + img + f'<p><a href="lab-{name}.html">the whole report</a></p>')
            else:
                body += f"<p><em>not run for this gallery</em>: <code>actlab lab {E(name)}</code></p>"
            parts.append(f'<figure id="{E(name)}">{body}</figure>')
        parts.append("</div>")
        self.html("lab.html", "actlab: the lab", "".join(parts))

    def lab_page(self, name: str, folder: Path, result: dict):
        """One run's report as a page: claims, every figure, the tables; its files copied beside it."""
        dest = self.out / "lab" / name
        dest.mkdir(parents=True, exist_ok=True)
        for f in folder.iterdir():
            if f.is_file() and f.suffix in (".png", ".svg", ".gif", ".json", ".md"):
                shutil.copyfile(f, dest / f.name)
        from .. import lab

        parts = [f"<h1>{E(name)}</h1>", f'<p class="summary">{E(lab.describe(name))}</p>',
                 f'<p>{result["seconds"]:.1f} s; config <code>{E(json.dumps(result["config"]))}</code></p>',
                 "<h2>Claims</h2><ul>" + "".join(f"<li>{_verdict(c)}</li>" for c in result["claims"]) + "</ul>"]
        for fig in result["figures"]:
            ext = "gif" if (dest / f"{fig}.gif").is_file() else "png"
            if (dest / f"{fig}.{ext}").is_file():
                parts.append(f'<figure><img src="lab/{name}/{fig}.{ext}" alt="{E(name)}: {E(fig)}">'
                             f"<figcaption>{E(fig)}</figcaption></figure>")
        for title, rows in result["tables"].items():
            if rows:
                keys = list(rows[0])
                parts.append(f"<h2>{E(title)}</h2>" + '<div class="scroll"><table><thead><tr>'
                             + "".join(f"<th>{E(k)}</th>" for k in keys) + "</tr></thead><tbody>"
                             + "".join("<tr>" + "".join(f"<td>{E(_cell(r.get(k, '')))}</td>" for k in keys) + "</tr>"
                                       for r in rows) + "</tbody></table></div>")
        parts.append(f'<p>Files: <a href="lab/{name}/results.json">results.json</a>, '
                     f'<a href="lab/{name}/report.md">report.md</a>. <a href="lab.html">All experiments</a>.</p>')
        self.html(f"lab-{name}.html", f"actlab lab: {name}", "".join(parts))


def _verdict(claim: dict) -> str:
    mark = "held" if claim["held"] else "did not hold"
    return f'<b>{mark}</b>: {E(claim["text"])} <span class="muted">(measured: {E(claim["measured"])})</span>'


def _cell(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _slug(group: str) -> str:
    return group.replace(" ", "_")


# ----------------------------------------------------------------- pieces

def _table(names: list[str]):
    """((key, title) columns, rows of text cells) of the comparison table for ``names``."""
    from ..table import table

    tbl = table(names)
    return tbl.columns, tbl.rows


def _sort_key(act: Activation, key: str) -> str:
    """Numeric sort keys where the cell's text would sort badly (C^inf, ranges)."""
    info = act.info
    v = _value(info.continuity) if key == "continuity" else _value(info.range) if key == "range" else None
    if isinstance(v, Range):
        v = v.lo
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f' data-sort="{1e308 if v == INF else -1e308 if v == -INF else v}"'
    return ""


def _select(key: str, label: str, options) -> str:
    opts = "".join(f'<option value="{E(o[0] if isinstance(o, tuple) else o)}">'
                   f'{E(o[1] if isinstance(o, tuple) else o)}</option>' for o in options)
    return f'<label>{E(label)} <select id="filter-{key}"><option value="">all</option>{opts}</select></label>'


def tags(act: Activation) -> list[str]:
    """The properties of :data:`TAGS` that ``act`` has (claims as declared)."""
    info = act.info
    out = [k for k in TAGS[:-2] if _value(getattr(info, k)) is True]
    if _value(info.continuity) == INF:
        out.append("smooth")
    if act.spec.learnable:
        out.append("learnable")
    return out


def _value(v):
    return v.value if isinstance(v, Unchecked) else v


def _claim_text(key: str, v) -> str:
    if isinstance(v, Unchecked):
        inner = "" if v.value is None else _claim_text(key, v.value) + " "
        return f'{inner}<span class="unchecked">(not checked: {E(v.why)})</span>'
    if key == "continuity":
        return "C<sup>∞</sup>" if v == INF else "discontinuous" if v == -1 else f"C<sup>{int(v)}</sup>"
    if isinstance(v, bool):
        return f'<span class="{"yes" if v else "no"}">{"yes" if v else "no"}</span>'
    return E(str(v))


def _claims_table(act: Activation) -> str:
    """Each claim of ``info`` beside what the numerical probes measure, and whether they agree."""
    from ..properties import probe, verify

    info = act.info
    measured = probe(act)
    wrong = {m.claim: m for m in verify(act, measured)}
    rows = []
    for key, label in CLAIMS:
        claim = getattr(info, key)
        if act.spec.elementwise:
            got = _claim_text(key, measured[key]) if measured.get(key) is not None else "—"
        elif key == "range":
            lo, hi = measured["sampled"]
            got = E(f"outputs sampled in [{lo:.6g}, {hi:.6g}]")
        else:
            got = "—"
        verdict = ('<span class="no">disagrees</span>' if key in wrong else
                   '<span class="unchecked">not checked</span>' if isinstance(claim, Unchecked) or got == "—"
                   else '<span class="yes">verified</span>')
        rows.append(f"<tr><td>{E(label)}</td><td>{_claim_text(key, claim)}</td><td>{got}</td><td>{verdict}</td></tr>")
    extra = "".join(f"<p class=\"no\">{E(str(m))}</p>" for k, m in wrong.items() if k not in dict(CLAIMS))
    return ("<table><tr><th>property</th><th>claim</th><th>numerical probe</th><th>verdict</th></tr>"
            f"{''.join(rows)}</table>{extra}")


def _params_table(info) -> str:
    if not info.params:
        return "<p>None.</p>"
    rows = "".join(
        f"<tr><td><code>{E(k)}</code></td><td><code>{E(repr(p['default']))}</code></td>"
        f"<td>{E(p['allowed'])}</td><td>{'yes' if p['learnable'] else ''}</td><td>{E(p['doc'])}</td></tr>"
        for k, p in info.params.items())
    return ("<table><tr><th>name</th><th>default</th><th>allowed</th><th>learnable</th><th>meaning</th></tr>"
            f"{rows}</table>")


_NUMBER = re.compile(r"=\s*(-?\d+(?:\.\d*)?(?:e-?\d+)?)")


def _differs(act: Activation, peer: str) -> bool:
    """Whether a peer's recorded default (a number after '=' in its entry)
    differs from ours; only decidable for a function with one real parameter."""
    reals = [p for p in act.spec.params if isinstance(p.default, float)]
    if len(reals) != 1:
        return False
    return any(not math.isclose(float(v), reals[0].default, rel_tol=1e-3) for v in _NUMBER.findall(peer))


def _peers_table(act: Activation) -> str:
    peers = act.info.peers
    if not peers:
        return "<p>No peer library has it.</p>"
    rows = "".join(
        f"<tr><td>{E(PEER_NAMES.get(k, k))}</td><td><code>{E(v)}</code>"
        + (' <span class="differs">default differs</span>' if _differs(act, v) else "") + "</td></tr>"
        for k, v in peers.items())
    ours = ", ".join(f"{k}={p['default']!r}" for k, p in act.info.params.items()) or "no parameters"
    return f"<p>actlab: <code>{E(act.name)}</code> ({E(ours)}).</p><table><tr><th>library</th><th>name (default)</th></tr>{rows}</table>"


def _references(info) -> str:
    if not info.references:
        return "<p>None recorded.</p>"
    items = "".join(
        f"<li>{E(r.authors)} ({r.year}). {E(r.title)}."
        + (f' <a href="{E(r.link)}">{E(r.link)}</a>' if r.link else "") + "</li>" for r in info.references)
    return f"<ul>{items}</ul>"


def _caption(act: Activation) -> str:
    from ..plot import slice_of

    text = "f, f' and f'' on the x range shown"
    if not act.spec.elementwise:
        text += f"; a vector function, drawn along the slice x -> {slice_of(act)}, f'' by central differences"
    if act.spec.stochastic:
        text += "; stochastic: eval mode (no noise)"
    return text + ". Dashed: range bounds and horizontal asymptotes; dots: the value at a kink."


def example(act: Activation) -> str:
    """A doctest-style session for ``act``, with the outputs actually computed."""
    params = ", ".join(f"{k}={v!r}" for k, v in act.params.items() if not isinstance(v, np.ndarray))
    lines = ["import numpy as np", "import actlab as al",
             f"act = al.get({act.name!r}{', ' if params else ''}{params})"]
    if act.spec.elementwise:
        lines.append("x = np.linspace(-2, 2, 5)")
        if act.spec.stochastic:
            lines += ["act(x, training=True, rng=0)", "act.derivative(x)  # uses the noise of that forward",
                      "act(x, training=False)"]
        else:
            lines += ["act(x)", "act.derivative(x)", "act.second_derivative(x)"]
        if act.spec.learnable:
            lines.append("act.param_grads(x, np.full_like(x, 0.5))")
    else:
        lines += ["x = np.array([[-1.0, 0.5, 2.0, 0.0]])",
                  "y = act(x, training=True, rng=0)" if act.spec.stochastic else "y = act(x)",
                  "y", "g = np.linspace(-1.0, 1.0, y.size).reshape(y.shape)", "act.backward(x, g)"]
    ns: dict = {}
    out = []
    with np.printoptions(precision=4, suppress=True):
        for line in lines:
            out.append(f">>> {line}")
            try:
                value = eval(compile(line, "<example>", "eval"), ns)
            except SyntaxError:
                exec(compile(line, "<example>", "exec"), ns)
                continue
            if value is not None:
                out.append(repr(value))
    return "\n".join(out)
