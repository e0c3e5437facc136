"""`make demo`: build the gallery into out/gallery/ and write out/catalog.md."""

from __future__ import annotations

import time
from pathlib import Path

import actlab as al


def main(out: str | Path = "out") -> None:
    t0 = time.perf_counter()
    out = Path(out)
    print(f"actlab {al.__version__}: {len(al.names())} activation functions")
    from actlab.gallery import build
    from actlab.table import document

    out.mkdir(parents=True, exist_ok=True)
    catalog = out / "catalog.md"
    catalog.write_text(document())  # the same text as docs/catalog.md
    index = build(out / "gallery")
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")
    print(f"  gallery:  {index.resolve().as_uri()}")
    print(f"  catalog:  {catalog.resolve()}")
    print("  more:     .venv/bin/actlab --help  (e.g. actlab show gelu)")


if __name__ == "__main__":
    main()
