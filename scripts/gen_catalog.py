"""Write docs/catalog.md, the comparison table of every activation, from actlab.table().

Usage: python scripts/gen_catalog.py [--check]
--check exits with status 1 (writing nothing) when docs/catalog.md is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actlab.table import document

TARGET = Path(__file__).resolve().parent.parent / "docs" / "catalog.md"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the file is stale")
    args = parser.parse_args(argv)
    text = document()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            print(f"{TARGET} is stale: run python scripts/gen_catalog.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
