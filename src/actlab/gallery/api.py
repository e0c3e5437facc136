"""The API reference: every public module's docstrings as HTML pages under the
gallery's ``api/`` folder, by pdoc (``pip install 'actlab[docs]'``), offline.

``python -m actlab.gallery.api DIR`` writes it on its own (``make demo`` runs
it beside the lab). The examples in these docstrings run as doctests in the
test suite, so the reference shows what the code does.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Callable

# Public modules, and the package each needs beyond the core.
MODULES = {
    "actlab": None, "actlab.nn": None, "actlab.lab": None, "actlab.kernels": None, "actlab.compat": None,
    "actlab.plot": None, "actlab.gallery": None, "actlab.table": None, "actlab.properties": None,
    "actlab.numerics": None, "actlab.special": None, "actlab.registry": None,
    "actlab.torch": "torch", "actlab.jax": "jax",
}


def build(out_dir, log: Callable[[str], None] | None = print) -> Path | None:
    """Write the reference into ``out_dir`` (its index.html); None, said in one line, without pdoc.
    Modules whose optional package is missing are left out, and named."""
    try:
        import pdoc
        import pdoc.render
    except ImportError:
        if log:
            log("gallery: no API reference without pdoc: pip install 'actlab[docs]'")
        return None
    from .. import __version__

    missing = {m: dep for m, dep in MODULES.items() if dep and importlib.util.find_spec(dep) is None}
    if missing and log:
        log("gallery: the API reference leaves out " + ", ".join(f"{m} (needs {d})" for m, d in missing.items()))
    pdoc.render.configure(docformat="restructuredtext", show_source=False,
                          footer_text=f"actlab {__version__}")
    out = Path(out_dir)
    pdoc.pdoc(*[m for m in MODULES if m not in missing], output_directory=out)
    return out / "index.html"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m actlab.gallery.api DIR")
    build(sys.argv[1])
