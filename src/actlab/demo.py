"""`make demo`: run a few of the lab's quick presets into out/lab/, build the
gallery (with the lab page and the API reference) into out/gallery/ and write
out/catalog.md.

The other experiments' runs are shown too when out/lab/ holds them (``make
lab`` runs every quick preset there); a run of the same config and version is
kept, not repeated.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import actlab as al

# About a minute from a clean clone, with the install and the gallery: the two
# experiments the README and the gallery lead with, and two that take a second or two.
DEMO_EXPERIMENTS = ("compare", "self_normalization", "xor_single_neuron", "init_matters")


def main(out: str | Path = "out", experiments=DEMO_EXPERIMENTS) -> None:
    """Run ``experiments`` (in a second process, those without a current run) while the
    gallery is built, then its lab page."""
    t0 = time.perf_counter()
    out = Path(out)
    print(f"actlab {al.__version__}: {len(al.names())} activation functions")
    from actlab import lab
    from actlab.gallery import build, lab_pages
    from actlab.table import document

    out.mkdir(parents=True, exist_ok=True)
    catalog = out / "catalog.md"
    catalog.write_text(document())  # the same text as docs/catalog.md
    todo = []
    for name in experiments:
        kept = _kept(lab, name, out / "lab" / name, _demo_config(name))
        if kept is None:
            todo.append(name)
        else:
            print(_line(name, kept, "kept from the last run"), flush=True)
    runs = (subprocess.Popen([sys.executable, "-m", "actlab.demo", "--runs", str(out / "lab"), *todo])
            if todo else None)
    index = build(out / "gallery", lab=out / "lab")
    if runs is not None:
        if runs.wait():
            raise SystemExit("the lab runs failed (above)")
        lab_pages(out / "gallery", out / "lab")
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")
    print(f"  gallery:  {index.resolve().as_uri()}")
    print(f"  lab:      {(out / 'gallery' / 'lab.html').resolve().as_uri()}  (make lab: every experiment)")
    print(f"  API:      {(out / 'gallery' / 'api' / 'index.html').resolve().as_uri()}")
    print(f"  catalog:  {catalog.resolve()}")
    print("  more:     .venv/bin/actlab --help  (e.g. actlab show gelu)")


def run_experiments(folder: Path, names) -> None:
    """The quick preset of each experiment into ``folder/NAME``."""
    from actlab import lab

    for name in names:
        config = _demo_config(name)
        if name == "compare" and config:
            print("lab: compare on moons and spirals (digits needs pip install 'actlab[lab]')", flush=True)
        t = time.perf_counter()
        result = lab.run(name, preset="quick", out=folder / name, **config)
        print(_line(name, [{"held": c.held} for c in result.claims], f"{time.perf_counter() - t:.1f} s"),
              flush=True)


def _line(name, claims, note) -> str:
    return f"lab: {name:20} {sum(c['held'] for c in claims)} of {len(claims)} claims held  ({note})"


def _demo_config(name) -> dict:
    """The quick preset, less the digits data set where scikit-learn (the lab extra) is absent."""
    if name == "compare" and importlib.util.find_spec("sklearn") is None:
        return {"datasets": ["moons", "spirals"]}
    return {}


def _kept(lab, name, folder, config):
    """The claims of the run in ``folder`` if it had this config and version, else None."""
    saved = folder / "results.json"
    if saved.is_file():
        old = json.loads(saved.read_text())
        same = json.loads(json.dumps(lab.EXPERIMENTS[name].config("quick", **config)))
        if old.get("config") == same and old.get("data", {}).get("version") == al.__version__:
            return old["claims"]
    return None


if __name__ == "__main__":
    if sys.argv[1:2] == ["--runs"]:
        run_experiments(Path(sys.argv[2]), sys.argv[3:])
    else:
        from actlab import lab as _lab

        main(experiments=_lab.names() if sys.argv[1:] == ["--all"] else DEMO_EXPERIMENTS)
