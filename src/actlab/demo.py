"""`make demo`: run a few of the lab's quick presets into out/lab/, build the
gallery (with the lab page and the API reference) into out/gallery/ and write
out/catalog.md.

The other experiments' runs are shown too when out/lab/ holds them (``make
lab`` runs every quick preset there); a run of the same config and version is
kept, not repeated.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import actlab as al

# A minute in all, with the gallery: the two that the README and the gallery
# lead with, and two that take a second or two.
DEMO_EXPERIMENTS = ("compare", "self_normalization", "xor_single_neuron", "init_matters")


def main(out: str | Path = "out", experiments=DEMO_EXPERIMENTS) -> None:
    t0 = time.perf_counter()
    out = Path(out)
    print(f"actlab {al.__version__}: {len(al.names())} activation functions")
    from actlab import lab
    from actlab.gallery import build
    from actlab.table import document

    out.mkdir(parents=True, exist_ok=True)
    catalog = out / "catalog.md"
    catalog.write_text(document())  # the same text as docs/catalog.md
    for name in experiments:
        t = time.perf_counter()
        claims, seconds, again = _lab_run(lab, name, out / "lab" / name)
        held = sum(c["held"] for c in claims)
        note = "kept from the last run" if again else f"{time.perf_counter() - t:.1f} s"
        print(f"lab: {name:20} {held} of {len(claims)} claims held  ({note})")
    index = build(out / "gallery", lab=out / "lab")
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")
    print(f"  gallery:  {index.resolve().as_uri()}")
    print(f"  lab:      {(out / 'gallery' / 'lab.html').resolve().as_uri()}  (make lab: every experiment)")
    print(f"  API:      {(out / 'gallery' / 'api' / 'index.html').resolve().as_uri()}")
    print(f"  catalog:  {catalog.resolve()}")
    print("  more:     .venv/bin/actlab --help  (e.g. actlab show gelu)")


def _lab_run(lab, name, folder):
    """Run the quick preset into ``folder``, or keep the run there if it had the same config and version."""
    saved = folder / "results.json"
    if saved.is_file():
        old = json.loads(saved.read_text())
        same = json.loads(json.dumps(lab.EXPERIMENTS[name].config("quick")))
        if old.get("config") == same and old.get("data", {}).get("version") == al.__version__:
            return old["claims"], old["seconds"], True
    result = lab.run(name, preset="quick", out=folder)
    return [{"held": c.held} for c in result.claims], result.seconds, False


if __name__ == "__main__":
    import sys

    from actlab import lab as _lab

    main(experiments=_lab.names() if sys.argv[1:] == ["--all"] else DEMO_EXPERIMENTS)
