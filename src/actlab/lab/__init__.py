"""actlab.lab: experiments that show, measure and reproduce what the choice
of activation, initializer, normalization and optimizer does to training.

Each experiment is a function ``config -> Result``; :func:`run` picks a
preset, applies overrides, runs it and (with ``out=``) writes
``out/results.json``, figures (PNG and SVG) and ``out/report.md``, which
states each claim with its measured verdict. The same seed gives the same
numbers.

>>> from actlab import lab
>>> r = lab.run("self_normalization", preset="quick")     # doctest: +SKIP
>>> r.held, [c.text for c in r.claims]                     # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import re
import time

from .. import __version__
from . import experiments as _experiments  # noqa: F401  (registers the experiments)
from ._core import EXPERIMENTS, Cells, Claim, Result

__all__ = ["run", "names", "describe", "Result", "Claim"]

_ADDRESS = re.compile(r"(?:(?:tcp|tls|inproc|ucx|ws|wss)://)?[\w.\-\[\]:/]+")


def names() -> list[str]:
    """The experiments, in the order of the lab's report."""
    return list(EXPERIMENTS)


def describe(name: str) -> str:
    """One line saying what ``name`` shows."""
    return _lookup(name).summary


def _lookup(name):
    if name not in EXPERIMENTS:
        close = difflib.get_close_matches(str(name), EXPERIMENTS, 1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown experiment {name!r}{hint} (experiments: {', '.join(EXPERIMENTS)})")
    return EXPERIMENTS[name]


def run(name: str, preset: str = "quick", out=None, *, workers=None, scheduler=None,
        progress=None, **config) -> Result:
    """Run the experiment ``name`` with a preset ("quick" or "full") and overrides.

    ``out``: a directory for results.json, the figures and report.md, and the
    finished cells of grid experiments (a rerun skips them). ``workers``:
    local processes for grid cells (default: the cores, up to 8);
    ``scheduler``: a Dask scheduler address instead (``pip install 'actlab[dask]'``). ``progress``: a bar of
    cells done (default: when stderr is a terminal).
    """
    exp = _lookup(name)
    cfg = exp.config(preset, **config)
    if scheduler is not None and not exp.grid:
        grids = ", ".join(n for n, e in EXPERIMENTS.items() if e.grid)
        raise ValueError(f"{name} has no grid of cells to distribute; a scheduler serves {grids}")
    if scheduler is not None and not _ADDRESS.fullmatch(str(scheduler)):
        raise ValueError(f"scheduler must be a Dask scheduler address like tcp://127.0.0.1:8786; got {scheduler!r}")
    cells = Cells(name, out, workers=workers, scheduler=scheduler, progress=progress)
    t = time.perf_counter()
    result = exp.fn(cfg, cells)
    result.seconds = time.perf_counter() - t
    result.data["cells_computed"] = cells.computed
    result.data["preset"] = preset
    result.data["version"] = __version__
    if out is not None:
        result.save(out)
    return result
