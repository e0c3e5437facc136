"""Independent references for every activation: mpmath, PyTorch and JAX.

Each module of this package registers :class:`Oracle` entries; the numerics
tests are parametrised over them. Reference values never come from actlab:
mpmath formulas are written here from the definitions (derivatives by
mpmath's numerical differentiation at high precision), PyTorch and JAX are
used through their own functions and autograd.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Oracle", "ORACLES", "register"]


@dataclass(frozen=True)
class Oracle:
    """References for one function.

    mp(x, **params) -> mpf          elementwise value in mpmath (x an mpf)
    torch(t, **params) -> tensor    PyTorch's function or the expression a user would write
    jax(a, **params) -> array       jax.nn / jax.numpy, same
    params                           parameter sets to test (besides the defaults)
    kinks                            points where f' or f'' jumps (no numerical differentiation there)
    limits                           f and f' at +-inf are the limits (False for oscillating ones: NaN)
    scale(x, order, **params)        magnitude of the terms that cancel in f^(order) near its zeros:
                                     the error bound is 4 ulp(ref) + 4 eps * scale (None: 4 ulp only)
    torch_kink_convention            the derivative at kinks is PyTorch's (False: compare away from kinks)
    ill_conditioned                  why some points cannot meet 4 ULP (e.g. beta*x rounds before exp
                                     amplifies it): points with condition number kappa > 8 may then
                                     err by up to 4 + 2*kappa ULP (a backward-stable bound), the rest
                                     must still be within 4 ULP
    """

    name: str
    mp: Callable | None = None
    torch: Callable | None = None
    jax: Callable | None = None
    params: tuple = ()
    kinks: tuple = ()
    limits: bool = True
    scale: Callable | None = None
    torch_kink_convention: bool = True
    ill_conditioned: str = ""
    notes: str = ""
    extra: dict = field(default_factory=dict)

    def param_sets(self):
        """The defaults ({}), then every listed set."""
        return ({}, *self.params)


ORACLES: dict[str, Oracle] = {}


def register(*oracles: Oracle) -> None:
    for o in oracles:
        if o.name in ORACLES:
            raise ValueError(f"oracle for {o.name} registered twice")
        ORACLES[o.name] = o


for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")
