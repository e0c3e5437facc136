"""Input validation and dtype policy shared by every activation.

Policy: float16/32/64 in, same dtype out; integers and bools
compute in float64; anything that is not a real-number array is a TypeError.
float16 and float32 are computed in float64 (where the namespace has it) and
rounded once at the end: the reference path is the oracle, so its float32
results are the correctly rounded ones in all but rare double-rounding cases.
"""

from __future__ import annotations

import numbers

import numpy as np
from array_api_compat import array_namespace, is_numpy_array

__all__ = ["prepare", "finish", "namespace_of"]


def _describe(x) -> str:
    dtype = getattr(x, "dtype", None)
    return f"{type(x).__name__} with dtype {dtype}" if dtype is not None else type(x).__name__


def namespace_of(x):
    """The array-API namespace of ``x`` (NumPy's for Python scalars and lists)."""
    try:
        return array_namespace(x)
    except TypeError:
        raise TypeError(
            f"expected a real-valued array (NumPy or Array-API), got {_describe(x)}"
        ) from None


def prepare(x, what: str = "x"):
    """Validate ``x``; return ``(xp, x_compute, out_dtype)``.

    ``x_compute`` is a floating array in the dtype the formulas run in.
    """
    if isinstance(x, (numbers.Real, list, tuple, np.generic)) and not isinstance(x, (str, bytes)):
        try:
            x = np.asarray(x)
        except (ValueError, TypeError) as e:
            raise TypeError(f"{what}: could not make a real-valued array from {_describe(x)}: {e}") from None
    if isinstance(x, np.ma.MaskedArray):   # the mask would be lost, silently
        raise TypeError(f"{what}: masked arrays are not supported; pass x.filled(value) or "
                        "x.compressed() and re-mask the result")
    xp = namespace_of(x)
    dtype = x.dtype
    if is_numpy_array(x) and x.dtype.kind not in "biuf":
        raise TypeError(f"{what}: expected a real-valued array, got {_describe(x)}")
    if is_numpy_array(x) and x.dtype.kind == "f" and x.dtype.itemsize > 8:   # computing in float64 loses digits
        raise TypeError(f"{what}: {x.dtype} is not supported (the formulas run in float64); "
                        "use float16, float32 or float64")
    if xp.isdtype(dtype, "real floating"):
        if dtype != xp.float64 and _has_float64(xp):
            return xp, xp.astype(x, xp.float64), dtype
        return xp, x, dtype
    if xp.isdtype(dtype, ("integral", "bool")):
        return xp, xp.astype(x, xp.float64), xp.float64
    raise TypeError(f"{what}: expected a real-valued array, got {_describe(x)}")


def _has_float64(xp) -> bool:
    try:
        return "float64" in xp.__array_namespace_info__().dtypes(kind="real floating")
    except Exception:  # namespaces predating the inspection API
        return hasattr(xp, "float64")


def finish(xp, y, out_dtype):
    """Cast a result back to the caller's dtype (overflow to inf is the right answer)."""
    if y.dtype == out_dtype:
        return y
    with np.errstate(over="ignore"):
        return xp.astype(y, out_dtype)
