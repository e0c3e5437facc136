"""LaTeX to offline SVG with matplotlib's mathtext.

mathtext has no ``cases`` environment, so a ``\\begin{cases}`` formula is
laid out in HTML: the part before it, a brace, and a grid of cells, each
rendered on its own. What mathtext still cannot parse falls back to the
LaTeX source in a ``<code>`` block, so a page is never lost to a formula.
"""

from __future__ import annotations

import html
import io
import re

__all__ = ["formula_html", "svg"]

_CASES = re.compile(r"^(?P<pre>.*?)\\begin\{cases\}(?P<body>.*?)\\end\{cases\}(?P<post>.*)$", re.S)
# LaTeX that mathtext does not know, rewritten to what it does: synonyms,
# size hints (\big( is just a parenthesis here) and the brace-less
# arguments of \frac12 and \sqrt2.
_SYNONYMS = {"le": r"\leq", "ge": r"\geq", "ne": r"\neq", "lvert": "|", "rvert": "|",
             "dfrac": r"\frac", "tfrac": r"\frac"}
_REWRITES = (
    (re.compile(r"\\(" + "|".join(_SYNONYMS) + r")(?![A-Za-z])"), lambda m: _SYNONYMS[m[1]]),
    (re.compile(r"\\[bB]igg?[lrm]?(?![A-Za-z])"), lambda m: ""),
    (re.compile(r"\\frac\s*([^{\s\\])\s*([^{\s\\])"), lambda m: rf"\frac{{{m[1]}}}{{{m[2]}}}"),
    (re.compile(r"\\sqrt\s*([^{\[\s\\])"), lambda m: rf"\sqrt{{{m[1]}}}"),
)
# An SVG has no height of its own to stretch to: the brace is sized by the number of rows.
_BRACE = ('<svg class="brace" style="height: {height:.1f}em" viewBox="0 0 10 100" preserveAspectRatio="none" '
          'aria-hidden="true">'
          '<path d="M9 1 C4 1 5 6 5 25 C5 44 5 48 1 50 C5 52 5 56 5 75 C5 94 4 99 9 99" '
          'fill="none" stroke="currentColor" stroke-width="1.2" vector-effect="non-scaling-stroke"/></svg>')


def svg(tex: str, fontsize: float = 14) -> str:
    """The SVG document for ``$tex$`` (glyphs as paths: no font needed); ValueError if mathtext cannot parse it."""
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties
    import matplotlib as mpl

    for pattern, replace in _REWRITES:
        tex = pattern.sub(replace, tex)
    buf = io.StringIO()
    # A fixed hash salt keeps the SVG's ids, hence the files, the same from build to build.
    with mpl.rc_context({"svg.hashsalt": "actlab", "mathtext.fontset": "dejavusans"}):
        try:
            mathtext.math_to_image(f"${tex}$", buf, prop=FontProperties(size=fontsize), format="svg")
        except Exception as e:  # mathtext raises ValueError (parse) or others deep in layout
            lines = [ln for ln in str(e).splitlines() if ln.strip()]
            raise ValueError(f"mathtext cannot render {tex!r}: {lines[-1] if lines else type(e).__name__}") from None
    out = re.sub(r"<metadata>.*?</metadata>", "", buf.getvalue(), flags=re.S)  # drops the creation date
    return re.sub(r'<g id="patch_1">.*?</g>', "", out, count=1, flags=re.S)  # a transparent background


def _img(tex: str, alt: str, write, cache: dict) -> str:
    if tex not in cache:
        cache[tex] = write(svg(tex))
    return f'<img class="math" src="{cache[tex]}" alt="{html.escape(alt)}">'


def formula_html(tex: str, lhs: str, write, cache: dict | None = None) -> str:
    """HTML for ``lhs = tex``. ``write(svg_text) -> relative url`` stores one SVG;
    ``cache`` (tex -> url) skips rendering a formula seen before (mathtext takes ~25 ms one)."""
    cache = {} if cache is None else cache
    full = f"{lhs} = {tex}" if lhs else tex
    m = _CASES.match(tex)
    try:
        if not m:
            return _img(full, full, write, cache)
        pre = f"{lhs} = {m['pre']}" if lhs else m["pre"]
        rows = [r.split("&") for r in re.split(r"\\\\", m["body"]) if r.strip()]
        if any(len(r) > 2 or "\\begin" in "".join(r) for r in rows) or "\\begin" in m["post"]:
            raise ValueError("nested or wide cases")
        cells = "".join(
            f'<span class="case-value">{_img(r[0].strip(), r[0], write, cache)}</span>'
            f'<span class="case-cond">{_img(_condition(r[1]), r[1], write, cache) if len(r) > 1 else ""}</span>'
            for r in rows)
        parts = [f'<span class="cases-pre">{_img(pre.strip(), pre, write, cache)}</span>' if pre.strip() else "",
                 _BRACE.format(height=1.5 * len(rows) + 0.3), f'<span class="cases">{cells}</span>',
                 f'<span class="cases-post">{_img(m["post"].strip(), m["post"], write, cache)}</span>'
                 if m["post"].strip() else ""]
        return f'<span class="formula" title="{html.escape(full)}">{"".join(parts)}</span>'
    except ValueError:
        return f'<code class="latex">{html.escape(full)}</code>'


def _condition(cond: str) -> str:
    cond = cond.strip()
    return cond if cond.startswith("\\text") else rf"\mathrm{{if}}\ {cond}"
