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
    """Run ``experiments`` (in a second process) while the gallery is built, then its lab page."""
    t0 = time.perf_counter()
    out = Path(out)
    print(f"actlab {al.__version__}: {len(al.names())} activation functions")
    from actlab.gallery import build, lab_pages
    from actlab.table import document

    out.mkdir(parents=True, exist_ok=True)
    catalog = out / "catalog.md"
    catalog.write_text(document())  # the same text as docs/catalog.md
    runs = subprocess.Popen([sys.executable, "-m", "actlab.demo", "--runs", str(out / "lab"), *experiments])
    index = build(out / "gallery", lab=out / "lab")
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
    from actlab import lab

    for name in names:
        t = time.perf_counter()
        claims, again = _lab_run(lab, name, folder / name, **_demo_config(name))
        held = sum(c["held"] for c in claims)
        note = "kept from the last run" if again else f"{time.perf_counter() - t:.1f} s"
        print(f"lab: {name:20} {held} of {len(claims)} claims held  ({note})", flush=True)


def _demo_config(name) -> dict:
    """The quick preset, less the digits data set where scikit-learn (the lab extra) is absent."""
    if name == "compare" and importlib.util.find_spec("sklearn") is None:
        print("lab: compare on moons and spirals (digits needs pip install 'actlab[lab]')", flush=True)
        return {"datasets": ["moons", "spirals"]}
    return {}


def _lab_run(lab, name, folder, **config):
    """Run the quick preset into ``folder``, or keep the run there if it had the same config and version."""
    saved = folder / "results.json"
    if saved.is_file():
        old = json.loads(saved.read_text())
        same = json.loads(json.dumps(lab.EXPERIMENTS[name].config("quick", **config)))
        if old.get("config") == same and old.get("data", {}).get("version") == al.__version__:
            return old["claims"], True
    result = lab.run(name, preset="quick", out=folder, **config)
    return [{"held": c.held} for c in result.claims], False


if __name__ == "__main__":
    if sys.argv[1:2] == ["--runs"]:
        run_experiments(Path(sys.argv[2]), sys.argv[3:])
    else:
        from actlab import lab as _lab

        main(experiments=_lab.names() if sys.argv[1:] == ["--all"] else DEMO_EXPERIMENTS)
