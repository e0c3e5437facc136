"""`make demo`: the main job (for now: the catalog and a few values)."""

from __future__ import annotations

import numpy as np

import actlab as al


def main() -> None:
    names = al.names()
    print(f"actlab {al.__version__}: {len(names)} activation functions\n")
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    print(f"{'name':<16} {'kind':<4} {'range':<14} f(x) at x = {x.tolist()}")
    for name in names:
        act = al.get(name)
        if act.spec.elementwise:
            y = act(x, training=False)
            vals = " ".join(f"{v:8.4f}" for v in y)
        else:
            vals = "(acts along an axis) " + " ".join(f"{v:.4f}" for v in np.ravel(act(x[:4])))
        print(f"{name:<16} {act.kind:<4} {str(act.info.range):<14} {vals}")


if __name__ == "__main__":
    main()
