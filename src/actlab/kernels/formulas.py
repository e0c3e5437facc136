"""The kernel table: scalar formulas, one ``define`` per activation.

Each entry gives the scalar ``f(x, *params)`` and ``df(x, *params)`` in
float64; the loops (forward, derivative, and the fused backward
``g * df(x)``), NaN propagation, ``out=``, threading and caching are
generated from them (see :mod:`actlab.kernels._compile`). Adding a kernel is
adding one ``define`` here; parameters are matched to the catalog's by name.

The float64 loops use these as written; the float32 loops use a variant
compiled against cheaper primitives of the same names (``Formula.single``),
accurate enough for a result rounded to float32.

The formulas mirror the reference formulas in :mod:`actlab.catalog` step by
step (same branches, same operation order, NumPy's ``minimum``/``maximum``/
``clip`` semantics for signed zeros), with the transcendental functions from
:mod:`._math`. They are compiled without FMA contraction so that the
arithmetic around those functions rounds as the reference's does.
A NaN input never reaches them: the loops map it to NaN.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass, field
from typing import Callable

from numba import njit
from numba.core.dispatcher import Dispatcher

from ..catalog.algebraic import TANHSHRINK_SERIES, TANHSHRINK_SERIES_BELOW
from ._math import SINGLE, exp, expm1_neg, log1p_unit, tanh

__all__ = ["Formula", "TABLE", "define"]

# No fastmath at all here (see the module docstring); error_model="numpy"
# keeps division by zero an IEEE operation.
_jit = njit(nogil=True, error_model="numpy")


@dataclass(frozen=True)
class Formula:
    """Scalar f and f' of one activation; ``params`` are the catalog's names
    in the order the formulas take them; ``when`` restricts the kernel to
    given values of non-numeric parameters (e.g. ``approximate='tanh'``)."""

    name: str
    f: Dispatcher
    df: Dispatcher
    params: tuple = ()
    when: dict = field(default_factory=dict)

    def single(self):
        """(f, df) compiled against the single-grade primitives, for float32 loops."""
        return _single(self.f), _single(self.df)


TABLE: dict[str, list[Formula]] = {}


def _compiled(fn):
    return fn if isinstance(fn, Dispatcher) else _jit(fn)


def define(name, f, df, params=(), when=None):
    """Add the kernel of catalog function ``name`` (scalar f and f', parameter names)."""
    TABLE.setdefault(name, []).append(Formula(name, _compiled(f), _compiled(df), tuple(params), when or {}))


_singles: dict = {}


def _single(disp):
    """``disp`` with the primitives it calls, directly or through other
    formulas, replaced by their single-grade versions (_math.SINGLE)."""
    found = _singles.get(disp)
    if found is None:
        fn = disp.py_func
        g = dict(fn.__globals__)
        for name in fn.__code__.co_names:
            if name in SINGLE:
                g[name] = SINGLE[name]
            elif isinstance(g.get(name), Dispatcher) and g[name].py_func.__module__ == __name__:
                g[name] = _single(g[name])
        found = _singles[disp] = _jit(types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__,
                                                         fn.__closure__))
    return found


# NumPy's semantics, which the reference formulas rely on for signed zeros:
# minimum/maximum return the second argument on ties, clip keeps -0.0.
@_jit
def _minimum(a, b):
    return a if a < b else b


@_jit
def _maximum(a, b):
    return a if a > b else b


@_jit
def _clip(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


# ------------------------------------------------------------------ numerics.py

@_jit
def _sigmoid(x):
    e = exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)


@_jit
def _dsigmoid(x):
    e = exp(-abs(x))
    return e / ((1.0 + e) * (1.0 + e))


@_jit
def _log1pexp(x):
    return _maximum(x, 0.0) + log1p_unit(exp(-abs(x)))


@_jit
def _sech2(x):
    e = exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


@_jit
def _exp_neg_square(x):
    """e^(-x^2) with x^2 split exactly into hi + lo (Dekker), as numerics.exp_neg_square."""
    xc = _clip(x, -40.0, 40.0)
    t = 134217729.0 * xc
    xh = t - (t - xc)
    xl = xc - xh
    hi = xc * xc
    lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl
    return exp(-hi) * (1.0 - lo)


@_jit
def _recip1p(x):
    return 1.0 / (1.0 + abs(x))


# ------------------------------------------------------------------ sigmoidal

define("sigmoid", _sigmoid, _dsigmoid)
define("tanh", lambda x: tanh(x), _sech2)
define("softsign", lambda x: _clip(x, -1e300, 1e300) / (1.0 + abs(_clip(x, -1e300, 1e300))),
       lambda x: _recip1p(x) * _recip1p(x))
define("elliot_sigmoid", lambda x: 0.5 * _recip1p(x) if x < 0.0 else 1.0 - 0.5 * _recip1p(x),
       lambda x: 0.5 * (_recip1p(x) * _recip1p(x)))
define("binary_step", lambda x: 1.0 if x >= 0.0 else 0.0, lambda x: 0.0)

# ------------------------------------------------------------------ rectified

define("identity", lambda x: x + 0.0, lambda x: 1.0)
define("relu", lambda x: x if x > 0.0 else 0.0, lambda x: 1.0 if x > 0.0 else 0.0)
for _name in ("leaky_relu", "prelu"):
    define(_name, lambda x, alpha: x if x >= 0.0 else alpha * x,
           lambda x, alpha: 1.0 if x > 0.0 else alpha, ("alpha",))
del _name
define("elu", lambda x, alpha: x if x > 0.0 else alpha * expm1_neg(_minimum(x, 0.0)),
       lambda x, alpha: 1.0 if x > 0.0 else alpha * exp(_minimum(x, 0.0)), ("alpha",))
define("selu", lambda x, alpha, scale: scale * x if x > 0.0 else (scale * alpha) * expm1_neg(_minimum(x, 0.0)),
       lambda x, alpha, scale: scale * (1.0 if x > 0.0 else alpha * exp(_minimum(x, 0.0))),
       ("alpha", "scale"))
define("softplus", lambda x, beta: _log1pexp(beta * x) / beta, lambda x, beta: _sigmoid(beta * x), ("beta",))
define("relu6", lambda x: _minimum(x if x > 0.0 else 0.0, 6.0),
       lambda x: 1.0 if 0.0 < x < 6.0 else 0.0)
define("clipped_relu", lambda x, cap: _minimum(x if x > 0.0 else 0.0, cap),
       lambda x, cap: 1.0 if 0.0 < x < cap else 0.0, ("cap",))

# ------------------------------------------------------------------ radial, polynomial, oscillating

define("gaussian", _exp_neg_square, lambda x: -2.0 * _clip(x, -40.0, 40.0) * _exp_neg_square(x))
define("square", lambda x: x * x, lambda x: 2.0 * x)
# libm's cos/sin (scalar calls): a vectorizable version would need Payne-Hanek
# reduction to stay within 4 ULP for large |x|. At +-inf they give NaN, as the reference.
define("gcu", lambda x: x * math.cos(x), lambda x: math.cos(x) - x * math.sin(x))
define("sinusoid", lambda x: math.sin(x), lambda x: math.cos(x))

# ------------------------------------------------------------------ shrink.py: clipping, shrinkage, thresholds

define("hard_tanh", lambda x, min_val, max_val: _clip(x, min_val, max_val),
       lambda x, min_val, max_val: 1.0 if min_val < x < max_val else 0.0, ("min_val", "max_val"))
define("soft_shrink", lambda x, lambd: 0.0 if -lambd <= x <= lambd else (x - lambd if x > 0.0 else x + lambd),
       lambda x, lambd: 0.0 if -lambd <= x <= lambd else 1.0, ("lambd",))
define("hard_shrink", lambda x, lambd: 0.0 if -lambd <= x <= lambd else x,
       lambda x, lambd: 0.0 if -lambd <= x <= lambd else 1.0, ("lambd",))
define("threshold", lambda x, threshold, value: x if x > threshold else value,
       lambda x, threshold, value: 1.0 if x > threshold else 0.0, ("threshold", "value"))
define("thresholded_relu", lambda x, theta: x if x > theta else 0.0,
       lambda x, theta: 1.0 if x > theta else 0.0, ("theta",))
define("squared_relu", lambda x: x * x if x > 0.0 else 0.0, lambda x: 2.0 * x if x > 0.0 else 0.0)

# ------------------------------------------------------------------ algebraic.py

define("sparse_plus",
       lambda x: 0.0 if x <= -1.0 else (x if x >= 1.0 else 0.25 * (_clip(x, -1.0, 1.0) + 1.0) * (_clip(x, -1.0, 1.0) + 1.0)),
       lambda x: 0.0 if x <= -1.0 else (1.0 if x >= 1.0 else 0.5 * (_clip(x, -1.0, 1.0) + 1.0)))
define("sqnl", lambda x: _clip(x, -2.0, 2.0) - _clip(x, -2.0, 2.0) * abs(_clip(x, -2.0, 2.0)) * 0.25,
       lambda x: 1.0 - 0.5 * abs(_clip(x, -2.0, 2.0)))
define("exponential", lambda x: exp(x), lambda x: exp(x))
define("lisht", lambda x: x * tanh(x), lambda x: tanh(x) + _clip(x, -1e300, 1e300) * _sech2(_clip(x, -1e300, 1e300)))
define("arctan", lambda x: math.atan(x), lambda x: 1.0 / (1.0 + x * x))


@_jit
def _squareplus(x, b):
    r = math.hypot(x, math.sqrt(b))
    return 0.5 * _maximum(x, 0.0) + 0.5 * r if x >= 0.0 else (0.25 * b) / (0.5 * r - 0.5 * _minimum(x, 0.0))


@_jit
def _dsquareplus(x, b):
    xc = _clip(x, -1e200, 1e200)
    return _squareplus(xc, b) / math.hypot(xc, math.sqrt(b))


define("squareplus", _squareplus, _dsquareplus, ("b",))

_TANHSHRINK = tuple(TANHSHRINK_SERIES)


@_jit
def _horner(c, t):
    r = c[len(c) - 1]
    for i in range(len(c) - 2, -1, -1):
        r = r * t + c[i]
    return r


@_jit
def _tanh_shrink(x):
    if abs(x) < TANHSHRINK_SERIES_BELOW:
        t = x * x
        e = exp(abs(x))
        return x * (t * _horner(_TANHSHRINK, t)) / (0.5 * (e + 1.0 / e))  # x - tanh x = (x cosh x - sinh x)/cosh x
    return x - tanh(x)


define("tanh_shrink", _tanh_shrink, lambda x: tanh(x) * tanh(x))

# ------------------------------------------------------------------ smooth_gated.py


@_jit
def _gate(x, g):
    """x * g, but +-0 where the gate g underflowed to 0 (never inf * 0)."""
    return ((1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)) if g == 0.0 else x) * g


@_jit
def _sig(z):
    """(sigma(z), sigma'(z)) from e^-|z|."""
    e = exp(-abs(z))
    d = 1.0 + e
    return (1.0 / d if z >= 0.0 else e / d), e / (d * d)


@_jit
def _silu(x, beta):
    return _gate(x, _sig(_clip(x, -1e300, 1e300) * beta)[0])


@_jit
def _dsilu(x, beta):
    z = _clip(x, -1e300, 1e300) * beta
    s, ds = _sig(z)
    return s + _gate(z, ds)


define("silu", _silu, _dsilu, ("beta",))
define("hard_sigmoid", lambda x: _clip(x + 3.0, 0.0, 6.0) / 6.0, lambda x: 1.0 / 6.0 if -3.0 < x < 3.0 else 0.0)
define("hard_swish",
       lambda x: x if x >= 3.0 else _clip(x, -3.0, 3.0) * (_clip(x, -3.0, 3.0) + 3.0) / 6.0,
       lambda x: 1.0 if x >= 3.0 else ((2.0 * x + 3.0) / 6.0 if x > -3.0 else 0.0))
define("sparse_sigmoid", lambda x: 0.5 * _clip(x + 1.0, 0.0, 2.0), lambda x: 0.5 if -1.0 < x < 1.0 else 0.0)


@_jit
def _mish_parts(x):
    """tanh(softplus x) and its derivative's factor, as rational functions of v = e^-|x|."""
    v = exp(-abs(x))
    v2 = v * v
    n = v * (v + 2.0)
    dp = 1.0 + 2.0 * v + 2.0 * v2
    dn = n + 2.0
    if x >= 0.0:
        return (1.0 + 2.0 * v) / dp, 4.0 * v2 * (1.0 + v) / (dp * dp)
    return n / dn, 4.0 * v * (1.0 + v) / (dn * dn)


@_jit
def _dmish(x):
    t, g = _mish_parts(x)
    return t + _gate(x, g)


define("mish", lambda x: _gate(x, _mish_parts(x)[0]), _dmish)
define("log_sigmoid", lambda x: _minimum(x, 0.0) - log1p_unit(exp(-abs(x))), lambda x: _sigmoid(-x))
define("celu", lambda x, alpha: x if x > 0.0 else alpha * expm1_neg(_minimum(x / alpha, 0.0)),
       lambda x, alpha: 1.0 if x > 0.0 else exp(_minimum(x / alpha, 0.0)), ("alpha",))


@_jit
def _elish(x):
    e = exp(-abs(x))
    return x / (1.0 + e) if x >= 0.0 else expm1_neg(_minimum(x, 0.0)) * e / (1.0 + e)


@_jit
def _delish(x):
    e = exp(-abs(x))
    d = 1.0 + e
    return 1.0 / d + _gate(x, e / (d * d)) if x >= 0.0 else e * (e * e + 2.0 * e - 1.0) / (d * d)


define("elish", _elish, _delish)


@_jit
def _hard_elish(x):
    xm = _clip(x, -1.0, 1.0)
    h = 0.5 * (xm + 1.0)
    return x if x >= 1.0 else (xm * h if x >= 0.0 else expm1_neg(_minimum(xm, 0.0)) * h)


@_jit
def _dhard_elish(x):
    xm = _clip(x, -1.0, 1.0)
    if x >= 1.0:
        return 1.0
    if x >= 0.0:
        return xm + 0.5
    return 0.5 * (exp(xm) * (xm + 1.0) + expm1_neg(xm)) if x > -1.0 else 0.0


define("hard_elish", _hard_elish, _dhard_elish)


@_jit
def _dtanhexp(x):
    xc = _clip(x, -800.0, 40.0)
    e = exp(xc)
    return tanh(e) + xc * e * _sech2(e)


define("tanhexp", lambda x: _gate(x, tanh(exp(_clip(x, -800.0, 40.0)))), _dtanhexp)
