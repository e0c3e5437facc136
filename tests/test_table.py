"""actlab.table(): rows, renderings, and the generated docs/catalog.md."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

import actlab as al
from actlab.registry import Unchecked
from actlab.table import COLUMNS, UNCHECKED_MARK, Table, _claim, document

CATALOG_MD = Path(__file__).resolve().parent.parent / "docs" / "catalog.md"
KEYS = [k for k, _ in COLUMNS]


@pytest.fixture(scope="module")
def table():
    return al.table()


def test_one_row_per_function_in_name_order(table):
    assert isinstance(table, Table)
    assert [r["name"] for r in table] == al.names() and len(table) == len(al.names())
    assert all(list(r) == KEYS for r in table.rows)
    assert set(KEYS) >= {"name", "formula", "range", "continuity", "monotonic", "derivative_monotonic",
                         "identity_near_origin", "learnable", "peers", "kind", "family", "group"}


def test_cells_show_the_claims(table):
    elu = table["elu"]
    assert (elu["range"], elu["continuity"], elu["monotonic"], elu["identity_near_origin"]) == \
        ("(-1, inf)", "C^1", "yes", "yes")
    assert elu["formula"] == al.get("elu").info.latex["f"]
    assert elu["peers"].split()[:2] == ["PT", "JX"] and elu["learnable"] == "-"
    assert table["binary_step"]["continuity"] == "C^-1"
    assert table["prelu"]["learnable"] == "alpha" and table["prelu"]["kind"] == "P"
    assert table["softmax"]["continuity"] == "n/a" and table["softmax"]["family"] == "folding"
    with pytest.raises(KeyError, match="no row named 'nope'"):
        table["nope"]


def test_unchecked_claims_are_marked():
    assert _claim(Unchecked(False, "f' has no limit")) == "no" + UNCHECKED_MARK
    assert _claim(Unchecked(None, "vector-valued")) == "n/a"
    assert _claim(True) == "yes" and _claim(False) == "no"


def test_subset_table():
    t = al.table(["relu", "tanh"])
    assert [r["name"] for r in t] == ["relu", "tanh"]
    with pytest.raises(ValueError, match="unknown activation"):
        al.table(["relu", "no_such_fn"])


def test_markdown(table):
    md = table.to_markdown().splitlines()
    assert md[0] == "| " + " | ".join(t for _, t in COLUMNS) + " |"
    assert len(md) == len(table) + 2
    # every row has exactly one cell per column: pipes in formulas (|x|) are escaped
    for line in md[2:]:
        assert line.replace(r"\|", "").count("|") == len(COLUMNS) + 1
    softsign = next(line for line in md if line.startswith("| `softsign`"))
    assert r"\|x\|" in softsign and "$" in softsign


def test_csv_round_trips(table):
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert rows[0] == KEYS
    assert rows[1:] == [[r[k] for k in KEYS] for r in table]


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append({})
        elif tag in ("td", "th"):
            self._cell = dict(attrs)["data-key"]
            self.rows[-1][self._cell] = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell:
            self.rows[-1][self._cell] += data


def test_html_parses_back_to_the_rows(table):
    text = table.to_html()
    assert text.startswith('<table class="actlab-table">')
    parser = _Cells()
    parser.feed(text)
    head, *body = parser.rows
    assert head == {k: t for k, t in COLUMNS}
    expected = [{k: (rf"\({r[k]}\)" if k == "formula" and r[k] else r[k]) for k in KEYS} for r in table]
    assert body == expected
    assert r"x &lt; 0" in al.table(["binary_step"]).to_html()  # LaTeX is escaped, not markup


def test_document_lists_every_function():
    doc = document()
    assert doc.startswith("# The actlab catalog")
    for n in al.names():
        assert f"| `{n}` |" in doc


def test_catalog_md_is_fresh():
    """docs/catalog.md is generated: regenerate it after changing the catalog."""
    stale = "docs/catalog.md is stale: run `python scripts/gen_catalog.py` (it is generated from actlab.table())"
    assert CATALOG_MD.exists(), "docs/catalog.md is missing: run `python scripts/gen_catalog.py`"
    assert CATALOG_MD.read_text(encoding="utf-8") == document(), stale


def test_readme_links_the_catalog():
    readme = (CATALOG_MD.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/catalog.md" in readme
