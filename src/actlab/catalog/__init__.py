"""The catalog: one module per family, each function defined once.

Importing this package registers every function (see :func:`actlab.registry.define`).
"""

from . import (  # noqa: F401  (imported for their registrations)
    algebraic,
    folding,
    learnable,
    oscillating,
    radial,
    rectified,
    shrink,
    sigmoidal,
    smooth_gated,
    stochastic,
)
