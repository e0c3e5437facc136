"""The lab's machinery: experiments, configs, results, reports, resumable cells."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

import numpy as np

EXPERIMENTS: dict[str, "Experiment"] = {}


@dataclasses.dataclass
class Claim:
    """A claim from the literature and whether this run's numbers bear it out."""

    text: str
    held: bool
    measured: str

    def __post_init__(self):
        self.held = bool(self.held)   # a numpy bool is not JSON

    def line(self) -> str:
        """The claim as the report prints it: verdict, text, measured value."""
        return f"**{'held' if self.held else 'did not hold'}**: {self.text} (measured: {self.measured})"


@dataclasses.dataclass
class Result:
    """What an experiment returns: its config, claims, tables, figures and data.

    ``figures`` maps a name to a matplotlib Figure; ``tables`` a name to a list
    of row dicts; ``data`` anything JSON-serialisable. :meth:`save` writes
    results.json, each figure as PNG and SVG, and report.md.
    """

    name: str
    config: dict
    claims: list = dataclasses.field(default_factory=list)
    tables: dict = dataclasses.field(default_factory=dict)
    figures: dict = dataclasses.field(default_factory=dict)
    data: dict = dataclasses.field(default_factory=dict)
    seconds: float = 0.0
    animations: dict = dataclasses.field(default_factory=dict)  # name -> callable(path) writing a GIF

    @property
    def held(self) -> bool:
        return all(c.held for c in self.claims)

    def to_dict(self) -> dict:
        """Everything but the figures, as results.json stores it."""
        return {"name": self.name, "config": self.config, "held": self.held, "seconds": self.seconds,
                "claims": [dataclasses.asdict(c) for c in self.claims], "tables": self.tables,
                "data": self.data, "figures": sorted(self.figures) + sorted(self.animations)}

    def save(self, out) -> Path:
        """Write results.json, the figures (PNG, SVG, GIF) and report.md into ``out``; returns the report."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(out / "results.json", json.dumps(_jsonable(self.to_dict()), indent=1))
        lines = [f"# {self.name}", "", EXPERIMENTS[self.name].summary, "",
                 f"Preset config: `{json.dumps(_jsonable(self.config))}`; {self.seconds:.1f} s.", "",
                 "## Claims", ""] + [f"- {c.line()}" for c in self.claims] + [""]
        for name, fig in self.figures.items():
            for ext in ("png", "svg"):
                fig.savefig(out / f"{name}.{ext}", dpi=110, bbox_inches="tight")
            lines += [f"![{name}]({name}.png)", ""]
        for name, write in self.animations.items():
            write(out / f"{name}.gif")
            lines += [f"![{name}]({name}.gif)", ""]
        for name, rows in self.tables.items():
            lines += [f"## {name}", "", *markdown_table(rows), ""]
        atomic_write(out / "report.md", "\n".join(lines))
        return out / "report.md"


@dataclasses.dataclass
class Experiment:
    name: str
    summary: str
    fn: Callable
    defaults: dict
    presets: dict
    validate: Callable | None = None
    grid: bool = False          # independent cells: parallel, on Dask, resumable

    def config(self, preset="quick", **overrides) -> dict:
        if preset not in self.presets:
            raise ValueError(f"unknown preset {preset!r} for {self.name} (presets: {', '.join(self.presets)})")
        unknown = [k for k in overrides if k not in self.defaults]
        if unknown:
            k = unknown[0]
            close = difflib.get_close_matches(k, self.defaults, 1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"{self.name}: unknown config key {k!r}{hint} (keys: {', '.join(self.defaults)})")
        cfg = {**self.defaults, **self.presets[preset], **overrides}
        for k, v in overrides.items():
            cfg[k] = _coerce(k, v, self.defaults[k])
        if self.validate:
            self.validate(cfg)
        return cfg


def experiment(name, summary, presets, validate=None, grid=False, **defaults):
    """Register ``fn(config, cells) -> Result`` as the experiment ``name``; ``grid=True`` when it
    runs its independent cells through ``cells.run``."""
    def register(fn):
        EXPERIMENTS[name] = Experiment(name, summary, fn, defaults, presets, validate, grid)
        return fn
    return register


def _coerce(key, value, default):
    """A --set value (a string) to the type of the key's default."""
    if not isinstance(value, str) or isinstance(default, str):
        return value
    try:
        if isinstance(default, bool):
            if value.lower() not in ("true", "false"):
                raise ValueError
            return value.lower() == "true"
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, (list, tuple)):
            items = value.split(",")
            if any(not s.strip() for s in items):
                raise ValueError
            kind = type(default[0]) if default else str
            return [kind(s.strip()) for s in items]
    except ValueError:
        raise ValueError(f"{key} takes a value like {default!r}, got {value!r}") from None
    return value


def check_choice(what, values, allowed):
    for v in values:
        if v not in allowed:
            close = difflib.get_close_matches(str(v), list(map(str, allowed)), 1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown {what} {v!r}{hint} (allowed: {', '.join(map(str, allowed))})")


def check_positive(key, value):
    if not value > 0:
        raise ValueError(f"{key} must be > 0, got {value!r}")


def check_range(key, value, lo, hi=None):
    if not (lo <= value and (hi is None or value <= hi)):
        bound = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
        raise ValueError(f"{key} must be {bound}, got {value!r}")


# ------------------------------------------------------------------ cells

class Cells:
    """Independent cells of a grid, computed in parallel and saved one by one.

    Each finished cell is written atomically to ``DIR/cells/<key>.json``,
    where the key hashes the experiment's name and the cell's own config, so
    a rerun with the same config skips it and a changed config computes anew.
    ``workers`` > 1 uses local processes; ``scheduler`` a Dask address.
    """

    def __init__(self, name, out=None, workers=None, scheduler=None, progress=None):
        self.name, self.out = name, Path(out) if out is not None else None
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
        self.scheduler, self.progress = scheduler, progress
        self.computed = 0  # cells computed (not loaded) in this call

    def key(self, cell) -> str:
        text = json.dumps([self.name, _jsonable(cell)], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def run(self, fn, cells) -> list:
        results, todo = {}, []
        for i, cell in enumerate(cells):
            path = self._path(cell)
            if path is not None and path.exists():
                results[i] = json.loads(path.read_text())["result"]
            else:
                todo.append(i)
        bar = _progress(len(cells), len(cells) - len(todo), self.name, self.progress)
        for i, value in self._map(fn, cells, todo):
            results[i] = value
            self.computed += 1
            path = self._path(cells[i])
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, json.dumps({"cell": _jsonable(cells[i]), "result": _jsonable(value)}))
            bar.update(1)
        bar.close()
        return [results[i] for i in range(len(cells))]

    def track(self, items, unit="run"):
        """Iterate over ``items``, showing progress (done, time left) as ``run`` does; for the
        serial loops of experiments that are not grids."""
        items = list(items)
        bar = _progress(len(items), 0, self.name, self.progress, unit)
        for item in items:
            yield item
            bar.update(1)
        bar.close()

    def _path(self, cell):
        return None if self.out is None else self.out / "cells" / f"{self.key(cell)}.json"

    def _map(self, fn, cells, todo):
        if self.scheduler is not None:
            from dask.distributed import Client, as_completed as dask_completed
            with Client(self.scheduler) as client:
                futures = {client.submit(fn, cells[i], pure=False): i for i in todo}
                for fut in dask_completed(futures):
                    yield futures[fut], _jsonable(fut.result())
        elif self.workers > 1 and len(todo) > 1:
            # spawn, not fork: a forked child would inherit the kernels' thread pool half-alive
            with ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = {pool.submit(fn, cells[i]): i for i in todo}
                for fut in as_completed(futures):
                    yield futures[fut], _jsonable(fut.result())
        else:
            for i in todo:
                yield i, _jsonable(fn(cells[i]))


class _Silent:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(total, done, name, progress, unit="cell"):
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return _Silent()
    from tqdm.auto import tqdm
    return tqdm(total=total, initial=done, desc=name, unit=unit)


# ------------------------------------------------------------------ helpers

def atomic_write(path: Path, text: str) -> None:
    """Write text so that a reader sees the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return _jsonable(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if np.isfinite(f) else str(f)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def markdown_table(rows: list[dict]) -> list[str]:
    if not rows:
        return []
    keys = list(rows[0])
    fmt = lambda v: f"{v:.4g}" if isinstance(v, float) else str(v)
    return ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys),
            *("| " + " | ".join(fmt(r.get(k, "")) for k in keys) + " |" for r in rows)]


def figure(*args, **kwargs):
    """A matplotlib Figure (Agg, no display), or an ImportError naming the extra."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("the lab's figures need matplotlib: pip install 'actlab[lab]'") from None
    return Figure(*args, **kwargs)


class Timer:
    def __enter__(self):
        self.t = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t
