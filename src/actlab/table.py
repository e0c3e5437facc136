"""The comparison table: one row per function, rendered to Markdown, CSV and HTML.

>>> import actlab as al
>>> t = al.table()                     # doctest: +SKIP
>>> t["elu"]["continuity"]             # doctest: +SKIP
'C^1'
>>> print(t.to_markdown())             # doctest: +SKIP

Cells are text, built from each function's ``info`` at its default
parameters; the claims they show are the ones :mod:`actlab.properties`
verifies. ``docs/catalog.md`` is :func:`document` (``scripts/gen_catalog.py``).
``actlab.table`` is the function; import from this module with
``from actlab.table import Table, document``.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Iterator, Mapping, Sequence

from ._docs import PEER_NAMES
from .activation import get
from .properties import continuity_label
from .registry import Unchecked, names as _all_names

__all__ = ["Table", "table", "document", "COLUMNS", "KIND_NAMES"]

#: (key, title) of each column, in display order
COLUMNS = (
    ("name", "Name"),
    ("kind", "Kind"),
    ("family", "Family"),
    ("group", "Group"),
    ("formula", "f(x)"),
    ("range", "Range"),
    ("continuity", "Continuity"),
    ("monotonic", "Monotonic"),
    ("derivative_monotonic", "f' monotonic"),
    ("identity_near_origin", "Identity near 0"),
    ("learnable", "Learnable parameters"),
    ("peers", "Peers"),
)

KIND_NAMES = {"E": "elementwise", "P": "elementwise with learnable parameters", "S": "stochastic",
              "V": "vector-valued (acts along an axis)", "SV": "stochastic and vector-valued"}

UNCHECKED_MARK = "*"
NOT_APPLICABLE = "n/a"
NONE = "-"


def _claim(value, fmt=lambda v: "yes" if v else "no") -> str:
    """A claim as text; Unchecked ones carry a mark (None: does not apply)."""
    if isinstance(value, Unchecked):
        return NOT_APPLICABLE if value.value is None else fmt(value.value) + UNCHECKED_MARK
    return fmt(value)


def _row(name: str) -> dict:
    act = get(name)
    info = act.info
    return {
        "name": info.name,
        "kind": info.kind,
        "family": info.family,
        "group": info.group,
        "formula": info.latex.get("f", ""),
        "range": _claim(info.range, str),
        "continuity": _claim(info.continuity, continuity_label),
        "monotonic": _claim(info.monotonic),
        "derivative_monotonic": _claim(info.derivative_monotonic),
        "identity_near_origin": _claim(info.identity_near_origin),
        "learnable": ", ".join(act.spec.learnable) or NONE,
        "peers": " ".join(k for k in PEER_NAMES if k in info.peers) or NONE,
    }


class Table:
    """Rows of text cells keyed by column (see :data:`COLUMNS`).

    Iterating yields the rows (dicts); ``table[name]`` is one row;
    ``to_markdown()``, ``to_csv()`` and ``to_html()`` render the whole table.
    """

    def __init__(self, rows: Sequence[Mapping[str, str]], columns=COLUMNS):
        self.columns = tuple(columns)
        self.rows = tuple(dict(r) for r in rows)

    @property
    def keys(self) -> tuple:
        return tuple(k for k, _ in self.columns)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, name: str) -> dict:
        for r in self.rows:
            if r["name"] == name:
                return r
        raise KeyError(f"no row named {name!r} (the table has {len(self.rows)} rows)")

    def __repr__(self):
        return f"<Table: {len(self.rows)} rows, columns {', '.join(self.keys)}>"

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table; formulas as inline LaTeX ($...$)."""
        def cell(key, text):
            text = f"${text}$" if key == "formula" and text else f"`{text}`" if key == "name" else text
            return text.replace("|", r"\|").replace("\n", " ")

        lines = ["| " + " | ".join(t for _, t in self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(cell(k, r[k]) for k in self.keys) + " |" for r in self.rows]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """CSV with a header of column keys; formulas as raw LaTeX."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.keys)
        w.writerows([r[k] for k in self.keys] for r in self.rows)
        return buf.getvalue()

    def to_html(self) -> str:
        r"""An HTML <table> (class ``actlab-table``); each cell has ``data-key``;
        formulas as ``\(...\)`` for MathJax/KaTeX."""
        def cell(key, text, tag="td"):
            shown = html.escape(rf"\({text}\)" if key == "formula" and text else text)
            return f'<{tag} data-key="{key}">{shown}</{tag}>'

        head = "".join(f'<th data-key="{k}">{html.escape(t)}</th>' for k, t in self.columns)
        body = "\n".join("<tr>" + "".join(cell(k, r[k]) for k in self.keys) + "</tr>" for r in self.rows)
        return (f'<table class="actlab-table">\n<thead><tr>{head}</tr></thead>\n'
                f"<tbody>\n{body}\n</tbody>\n</table>\n")


def table(names: Sequence[str] | None = None) -> Table:
    """The comparison table of ``names`` (default: the whole catalog), one row
    per function at its default parameters."""
    return Table([_row(n) for n in (_all_names() if names is None else names)])


def document() -> str:
    """The text of docs/catalog.md: the table and a legend."""
    t = table()
    kinds = "; ".join(f"**{k}** {v}" for k, v in KIND_NAMES.items())
    peers = "; ".join(f"**{k}** {v}" for k, v in PEER_NAMES.items())
    return "\n".join([
        "# The actlab catalog",
        "",
        "<!-- Generated by scripts/gen_catalog.py from actlab.table(); do not edit by hand. -->",
        "",
        f"{len(t)} activation functions, each at its default parameters. Every claim below is "
        "checked by the numerical probes of `actlab.properties` (tests/test_properties.py); "
        f"`{UNCHECKED_MARK}` marks a claim that cannot be checked numerically (its `info` says why), "
        f"`{NOT_APPLICABLE}` one that does not apply to a vector-valued function.",
        "",
        f"Kinds: {kinds}.",
        "",
        f"Peers: {peers}.",
        "",
        t.to_markdown(),
    ])
