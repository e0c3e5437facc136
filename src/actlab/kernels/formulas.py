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
:mod:`._math`. They are compiled without FMA contraction (and inlined into the
loops, see _math.OPTIONS) so that the arithmetic around those functions
rounds as the reference's does.
A NaN input never reaches them: the loops map it to NaN.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass, field
from typing import Callable

from numba.core.dispatcher import Dispatcher

from .. import special as SP
from ..catalog.algebraic import TANHSHRINK_SERIES, TANHSHRINK_SERIES_BELOW
from ..catalog.smooth_gated import GELU_CUBIC, GELU_SIGMOID, SQRT_2_OVER_PI_X2
from ._math import (SINGLE, TRIG_LIMIT, atan, cos, exp, exp_pair, exp_single, expm1_neg, fma, jit, log1p_unit,
                    sin, sincos, tanh)

__all__ = ["Formula", "TABLE", "define"]

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
    #: (limit, f, df) where f and df serve only |x| <= limit: the loops
    #: recompute the other elements with these f and df, in a separate pass
    rare: tuple | None = None

    def single(self):
        """(f, df) compiled against the single-grade primitives, for float32 loops."""
        return _single(self.f), _single(self.df)


TABLE: dict[str, list[Formula]] = {}


def _compiled(fn):
    return fn if isinstance(fn, Dispatcher) else jit(fn)


def define(name, f, df, params=(), when=None, rare=None):
    """Add the kernel of catalog function ``name`` (scalar f and f', parameter
    names; see Formula for ``when`` and ``rare``)."""
    if rare is not None:
        rare = (float(rare[0]), _compiled(rare[1]), _compiled(rare[2]))
    TABLE.setdefault(name, []).append(Formula(name, _compiled(f), _compiled(df), tuple(params), when or {}, rare))


_singles: dict = {}
_SINGLE_FORMULAS: dict = {}  # formula helpers with a cheaper single-grade version (by name)


def _single(disp):
    """``disp`` with the primitives it calls, directly or through other
    formulas, replaced by their single-grade versions (_math.SINGLE)."""
    found = _singles.get(disp)
    if found is None:
        fn = disp.py_func
        g = dict(fn.__globals__)
        for name in fn.__code__.co_names:
            if name in SINGLE or name in _SINGLE_FORMULAS:
                g[name] = SINGLE.get(name) or _SINGLE_FORMULAS[name]
            elif isinstance(g.get(name), Dispatcher) and g[name].py_func.__module__ == __name__:
                g[name] = _single(g[name])
        found = _singles[disp] = jit(types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__,
                                                         fn.__closure__))
    return found


# NumPy's semantics, which the reference formulas rely on for signed zeros:
# minimum/maximum return the second argument on ties, clip keeps -0.0.
@jit
def _minimum(a, b):
    return a if a < b else b


@jit
def _maximum(a, b):
    return a if a > b else b


@jit
def _clip(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


# ------------------------------------------------------------------ numerics.py

@jit
def _sigmoid(x):
    e = exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)


@jit
def _dsigmoid(x):
    e = exp(-abs(x))
    return e / ((1.0 + e) * (1.0 + e))


@jit
def _sech2(x):
    e = exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


@jit
def _exp_neg_square(x):
    """e^(-x^2) with x^2 split exactly into hi + lo (Dekker), as numerics.exp_neg_square."""
    xc = _clip(x, -40.0, 40.0)
    t = 134217729.0 * xc
    xh = t - (t - xc)
    xl = xc - xh
    hi = xc * xc
    lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl
    return exp(-hi) * (1.0 - lo)


@jit
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
@jit
def _leaky(x, alpha):
    if x >= 0.0:
        return x
    if x == -math.inf:  # -inf * sign(alpha), and 0 for alpha = 0 (not 0 * inf = NaN)
        return -math.inf if alpha > 0.0 else (math.inf if alpha < 0.0 else 0.0)
    return alpha * x


for _name in ("leaky_relu", "prelu"):
    define(_name, _leaky, lambda x, alpha: 1.0 if x > 0.0 else alpha, ("alpha",))
del _name
define("elu", lambda x, alpha: x if x > 0.0 else alpha * expm1_neg(_minimum(x, 0.0)),
       lambda x, alpha: 1.0 if x > 0.0 else alpha * exp(_minimum(x, 0.0)), ("alpha",))
define("selu", lambda x, alpha, scale: scale * x if x > 0.0 else (scale * alpha) * expm1_neg(_minimum(x, 0.0)),
       lambda x, alpha, scale: scale * (1.0 if x > 0.0 else alpha * exp(_minimum(x, 0.0))),
       ("alpha", "scale"))
define("softplus", lambda x, beta: _maximum(x, 0.0) + log1p_unit(exp(-abs(beta * x))) / beta,
       lambda x, beta: _sigmoid(beta * x), ("beta",))
define("relu6", lambda x: _minimum(x if x > 0.0 else 0.0, 6.0),
       lambda x: 1.0 if 0.0 < x < 6.0 else 0.0)
define("clipped_relu", lambda x, cap: _minimum(x if x > 0.0 else 0.0, cap),
       lambda x, cap: 1.0 if 0.0 < x < cap else 0.0, ("cap",))

# ------------------------------------------------------------------ radial, polynomial, oscillating

define("gaussian", _exp_neg_square, lambda x: -2.0 * _clip(x, -40.0, 40.0) * _exp_neg_square(x))
define("square", lambda x: x * x, lambda x: 2.0 * x)


@jit
def _hypot_u(x, a):
    """(h, u) = (hypot(x, a), x/h), u = sign(x) at +-inf (catalog.radial._hypot_parts)."""
    h = math.hypot(x, a)
    return h, ((1.0 if x > 0.0 else -1.0) if math.isinf(x) else x / h)


@jit
def _hypot_u_single(x, a):
    """For float32 x (and a <= 1e150, the catalog's bound) x^2 + a^2 neither
    overflows nor loses more than an ULP of float64: sqrt vectorizes, libm's hypot does not."""
    h = math.sqrt(x * x + a * a)
    return h, ((1.0 if x > 0.0 else -1.0) if math.isinf(x) else x / h)


_SINGLE_FORMULAS["_hypot_u"] = _hypot_u_single


@jit
def _dinverse_multiquadratic(x, a):
    h, u = _hypot_u(x, a)
    return -u / h / h


# float64: libm's hypot (a scalar call, as NumPy's), so only the float32 loops vectorize
define("multiquadratic", lambda x, a: _hypot_u(x, a)[0], lambda x, a: _hypot_u(x, a)[1], ("a",))
define("inverse_multiquadratic", lambda x, a: 1.0 / _hypot_u(x, a)[0], _dinverse_multiquadratic, ("a",))


@jit
def _dgcu(x):
    s, c = sincos(x)
    return c - x * s


# sin and cos reduce their argument exactly only up to TRIG_LIMIT: beyond it
# (and at +-inf, NaN as in the reference) the same formulas with libm's.
define("gcu", lambda x: x * cos(x), _dgcu,
       rare=(TRIG_LIMIT, lambda x: x * math.cos(x), lambda x: math.cos(x) - x * math.sin(x)))
define("sinusoid", lambda x: sin(x), lambda x: cos(x), rare=(TRIG_LIMIT, lambda x: math.sin(x), lambda x: math.cos(x)))

# ------------------------------------------------------------------ shrink.py: clipping, shrinkage, thresholds

define("hard_tanh", lambda x, min_val, max_val: _clip(x, min_val, max_val),
       lambda x, min_val, max_val: 1.0 if min_val < x < max_val else 0.0, ("min_val", "max_val"))
define("soft_shrink", lambda x, lambd: 0.0 if -lambd <= x <= lambd else (x - lambd if x > 0.0 else x + lambd),
       lambda x, lambd: 0.0 if -lambd <= x <= lambd else 1.0, ("lambd",))
# abs(x) <= lambd, not the chained -lambd <= x <= lambd: the chain's short
# circuit kept this loop from vectorizing (6x slower on random data)
define("hard_shrink", lambda x, lambd: 0.0 if abs(x) <= lambd else x,
       lambda x, lambd: 0.0 if abs(x) <= lambd else 1.0, ("lambd",))
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
define("arctan", lambda x: atan(x), lambda x: 1.0 / (1.0 + x * x))


@jit
def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@jit
def _hypot(x, c):
    """sqrt(x^2 + c^2) for finite c > 0, to about half an ULP and vectorizable
    (libm's hypot is a call): the sum of squares in double-double, then one
    Newton correction of its square root."""
    a = abs(x)
    h = a * a
    ch = c * c
    s, e = _two_sum(h, ch)
    e = e + (fma(a, a, -h) + fma(c, c, -ch))
    r = math.sqrt(s)
    return a if a > 1e150 else r + (fma(-r, r, s) + e) / (2.0 * r)


@jit
def _squareplus(x, b):
    r = _hypot(x, math.sqrt(b))
    return 0.5 * _maximum(x, 0.0) + 0.5 * r if x >= 0.0 else (0.25 * b) / (0.5 * r - 0.5 * _minimum(x, 0.0))


@jit
def _dsquareplus(x, b):
    xc = _clip(x, -1e200, 1e200)
    return _squareplus(xc, b) / _hypot(xc, math.sqrt(b))


define("squareplus", _squareplus, _dsquareplus, ("b",))

_TANHSHRINK = tuple(TANHSHRINK_SERIES)


@jit
def _horner(c, t):
    r = c[len(c) - 1]
    for i in range(len(c) - 2, -1, -1):
        r = r * t + c[i]
    return r


@jit
def _tanh_shrink(x):
    if abs(x) < TANHSHRINK_SERIES_BELOW:
        t = x * x
        e = exp(abs(x))
        return x * (t * _horner(_TANHSHRINK, t)) / (0.5 * (e + 1.0 / e))  # x - tanh x = (x cosh x - sinh x)/cosh x
    return x - tanh(x)


define("tanh_shrink", _tanh_shrink, lambda x: tanh(x) * tanh(x))

# ------------------------------------------------------------------ smooth_gated.py


@jit
def _gate(x, g):
    """x * g, but +-0 where the gate g underflowed to 0 (never inf * 0)."""
    return ((1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)) if g == 0.0 else x) * g


@jit
def _sig_times(z, p):
    """p sigma(z), with e^-|z| = h1 h2 so that the product rounds once (catalog's _Sig.times)."""
    h1, h2 = exp_pair(-abs(z))
    d = 1.0 + h1 * h2
    return p / d if z >= 0.0 else (_gate(p, h1) / d) * h2


@jit
def _sig_times_d(z, p):
    """p sigma'(z) = p e/(1 + e)^2 (catalog's _Sig.times_d)."""
    h1, h2 = exp_pair(-abs(z))
    d = 1.0 + h1 * h2
    return (_gate(p, h1) / (d * d)) * h2


@jit
def _silu(x, beta):
    return _sig_times(_clip(x, -1e300, 1e300) * beta, x)


@jit
def _dsilu(x, beta):
    z = _clip(x, -1e300, 1e300) * beta
    # + 0.0: where both terms underflow, +0 + -0 is +0 in the reference; the
    # vectorized loop gave -0 without it (see _dtanhexp)
    return (_sig_times(z, 1.0) + _sig_times_d(z, z)) + 0.0


define("silu", _silu, _dsilu, ("beta",))
define("hard_sigmoid", lambda x: _clip(x + 3.0, 0.0, 6.0) / 6.0, lambda x: 1.0 / 6.0 if -3.0 < x < 3.0 else 0.0)
define("hard_swish",
       lambda x: x if x >= 3.0 else _clip(x, -3.0, 3.0) * (_clip(x, -3.0, 3.0) + 3.0) / 6.0,
       lambda x: 1.0 if x >= 3.0 else ((2.0 * x + 3.0) / 6.0 if x > -3.0 else 0.0))
define("sparse_sigmoid", lambda x: 0.5 * _clip(x + 1.0, 0.0, 2.0), lambda x: 0.5 if -1.0 < x < 1.0 else 0.0)


@jit
def _mish_parts(x):
    """(t, g, m): tanh(softplus x) = t m and the gate's derivative g m, as
    rational functions of v = e^-|x| = h1 h2 (m = h2 for x < 0, else 1)."""
    h1, h2 = exp_pair(-abs(x))
    v = h1 * h2
    if x >= 0.0:
        v2 = v * v
        dp = 1.0 + 2.0 * v + 2.0 * v2
        return (1.0 + 2.0 * v) / dp, 4.0 * v2 * (1.0 + v) / (dp * dp), 1.0
    dn = v * (v + 2.0) + 2.0
    return h1 * (v + 2.0) / dn, 4.0 * h1 * (1.0 + v) / (dn * dn), h2


@jit
def _mish(x):
    t, _, m = _mish_parts(x)
    return _gate(x, t) * m


@jit
def _dmish(x):
    t, g, m = _mish_parts(x)
    return (t + _gate(x, g)) * m


define("mish", _mish, _dmish)
define("log_sigmoid", lambda x: _minimum(x, 0.0) - log1p_unit(exp(-abs(x))), lambda x: _sigmoid(-x))
define("celu", lambda x, alpha: x if x > 0.0 else alpha * expm1_neg(_minimum(x / alpha, 0.0)),
       lambda x, alpha: 1.0 if x > 0.0 else exp(_minimum(x / alpha, 0.0)), ("alpha",))


@jit
def _elish(x):
    e = exp(-abs(x))
    return x / (1.0 + e) if x >= 0.0 else expm1_neg(_minimum(x, 0.0)) * e / (1.0 + e)


@jit
def _delish(x):
    e = exp(-abs(x))
    d = 1.0 + e
    return 1.0 / d + _gate(x, e / (d * d)) if x >= 0.0 else e * (e * e + 2.0 * e - 1.0) / (d * d)


define("elish", _elish, _delish)


@jit
def _hard_elish(x):
    xm = _clip(x, -1.0, 1.0)
    h = 0.5 * (xm + 1.0)
    return x if x >= 1.0 else (xm * h if x >= 0.0 else expm1_neg(_minimum(xm, 0.0)) * h)


@jit
def _dhard_elish(x):
    xm = _clip(x, -1.0, 1.0)
    if x >= 1.0:
        return 1.0
    if x >= 0.0:
        return xm + 0.5
    return 0.5 * (exp(xm) * (xm + 1.0) + expm1_neg(xm)) if x > -1.0 else 0.0


define("hard_elish", _hard_elish, _dhard_elish)


@jit
def _tanhexp_parts(x):
    """x clamped, e^x = h1 h2, tanh(e^x) = q m (q = h1, m = h2 where e^x is tiny, as tanh e = e there)."""
    xc = _clip(x, -800.0, 40.0)
    h1, h2 = exp_pair(xc)
    e = h1 * h2
    t = tanh(e)
    sub = h2 < 1.0
    return xc, h1, h2, e, t, (h1 if sub else t), (h2 if sub else 1.0)


@jit
def _tanhexp(x):
    xc, _, _, _, _, q, m = _tanhexp_parts(x)
    return _gate(xc if x < 0.0 else x, q) * m


@jit
def _dtanhexp(x):
    xc, h1, h2, e, t, _, _ = _tanhexp_parts(x)
    # t >= +0, so a zero result is +0, as the reference's; the vectorized loop
    # was observed to give -0 (for +0 plus an underflowed -0) without the + 0.0
    return (t + (xc * h1 * _sech2(e)) * h2) + 0.0


define("tanhexp", _tanhexp, _dtanhexp)


# gelu's tanh and sigmoid forms: z = zh + zl carried as a double-double, as the
# catalog does (two_prod's error term is exact, so FMA gives Dekker's bits)
@jit
def _two_prod(a, bh, bl):
    p = a * bh
    return p, fma(a, bh, -p) + a * bl


@jit
def _sig_dd_times(zh, zl, p, derivative):
    """p sigma(z) (or p sigma'(z)) for z = zh + zl (catalog's _Sig with a low part)."""
    h1, h2 = exp_pair(-abs(zh))
    h1 = h1 * (1.0 - (-zl if zh < 0.0 else zl))
    d = 1.0 + h1 * h2
    if derivative:
        return (_gate(p, h1) / (d * d)) * h2
    return p / d if zh >= 0.0 else (_gate(p, h1) / d) * h2


@jit
def _gelu_tanh_z(xc):
    """(zh, zl, z'): z = 2 sqrt(2/pi) x (1 + 0.044715 x^2), as the catalog's _gelu_z."""
    ah, al = GELU_CUBIC
    kh, kl = SQRT_2_OVER_PI_X2
    t = 134217729.0 * xc  # x^2 = qh + ql exactly (Dekker)
    xh = t - (t - xc)
    xl = xc - xh
    qh = xc * xc
    ql = ((xh * xh - qh) + 2.0 * xh * xl) + xl * xl
    th, tl = _two_prod(qh, ah, al)
    sh = 1.0 + th
    bb = sh - 1.0
    sl = (1.0 - (sh - bb)) + (th - bb)
    mh, ml = _two_prod(xc, sh, sl + (tl + ah * ql))
    zh, zl = _two_prod(mh, kh, kl)
    return zh, zl + kh * ml, kh * (1.0 + 3.0 * ah * qh)


@jit
def _gelu_tanh(x):
    xc = _clip(x, -40.0, 40.0)
    zh, zl, _ = _gelu_tanh_z(xc)
    return x if x > xc else _sig_dd_times(zh, zl, xc, False)


@jit
def _dgelu_tanh(x):
    xc = _clip(x, -40.0, 40.0)
    zh, zl, z1 = _gelu_tanh_z(xc)
    return (_sig_dd_times(zh, zl, 1.0, False) + _sig_dd_times(zh, zl, xc * z1, True)) + 0.0  # see _dsilu


@jit
def _gelu_sigmoid(x):
    xc = _clip(x, -800.0, 800.0)
    zh, zl = _two_prod(xc, GELU_SIGMOID[0], GELU_SIGMOID[1])
    return x if x > xc else _sig_dd_times(zh, zl, xc, False)


@jit
def _dgelu_sigmoid(x):
    xc = _clip(x, -800.0, 800.0)
    zh, zl = _two_prod(xc, GELU_SIGMOID[0], GELU_SIGMOID[1])
    return (_sig_dd_times(zh, zl, 1.0, False) + _sig_dd_times(zh, zl, xc * GELU_SIGMOID[0], True)) + 0.0


define("gelu", _gelu_tanh, _dgelu_tanh, when={"approximate": "tanh"})
define("gelu", _gelu_sigmoid, _dgelu_sigmoid, when={"approximate": "sigmoid"})


# gelu's exact form x Phi(x): a port of actlab.special's ndtr and norm_pdf
# (fdlibm's erf/erfc with compensated rational functions), branches by `if`
@jit
def _poly(z, c):
    """Compensated Horner: (r, err) with r + err ~ c0 + z (c1 + z (c2 + ...)) to ~2^-100."""
    r = c[len(c) - 1]
    err = 0.0
    for i in range(len(c) - 2, -1, -1):
        p, e = _two_prod(r, z, 0.0)
        r, f = _two_sum(c[i], p)
        err = err * z + (e + f)
    return r, err


@jit
def _ratio(z, num, den):
    p, pe = _poly(z, num)
    q, qe = _poly(z, den)
    r = p / q
    rq, rqe = _two_prod(r, q, 0.0)
    return r + (((p - rq) - rqe) + pe - r * qe) / q


@jit
def _ratio_single(z, num, den):
    """P(z)/Q(z) plainly (fdlibm's): enough before a rounding to float32."""
    return _horner(num, z) / _horner(den, z)


_SINGLE_FORMULAS["_ratio"] = _ratio_single


@jit
def _erfc_pair(a, b, factor):
    """(factor erfc(t), erfc(-t)) for t = a + b >= 0 (special._erf_erfc_nonneg)."""
    if a < 0.84375:
        z = a * a
        dt = a * _ratio(z, SP.PP, SP.QQ) + b * (SP.TWO_OVER_SQRT_PI * exp(-z))
        erf_s = a + dt
        erfc_s = 1.0 - erf_s if a < 0.25 else (0.5 - (dt + (a - 0.5)) if a < 0.5 else (1.0 - a) - dt)
        return factor * erfc_s, 1.0 + erf_s
    if a < 1.25:
        pq = _ratio((a - 1.0) + b, SP.PA, SP.QA)
        return factor * ((1.0 - SP.ERX) - pq), 1.0 + (SP.ERX + pq)
    xt = _minimum(a, 28.0)
    bt = b if a == xt else 0.0
    v = 1.0 / (xt * xt)
    rs = _ratio(v, SP.RA, SP.SA) if xt < 1.0 / 0.35 else _ratio(v, SP.RB, SP.SB)
    s = 4294967297.0 * xt  # xt to 21 bits: w^2 exact
    w = s - (s - xt)
    big = -w * w - 0.5625
    small = (w - xt) * (w + xt) + rs - bt * (SP.TWO_OVER_SQRT_PI * xt * exp(0.5625 - rs))
    h = big + small
    h1, h2 = exp_pair(h)
    t = h1 / xt
    t = t + t * (small - (h - big))
    return (factor * t) * h2, 2.0 - t * h2


@jit
def _ndtr(x, factor):
    """factor Phi(x), with -x/sqrt 2 as a double-double."""
    xc = _clip(x, -40.0, 40.0)
    uh, ul = _two_prod(-xc, SP.SQRT1_2[0], SP.SQRT1_2[1])
    half = 0.5 * factor
    pos, neg = _erfc_pair(abs(uh), -ul if uh < 0.0 else ul, half)
    return half * neg if uh < 0.0 else pos


# float32's Phi: fdlibm's four intervals chosen by selects rather than `if`
# (so that the loop vectorizes), each interval's P/Q padded to one degree;
# plain arithmetic, ~1e-13 relative, is enough before a rounding to float32.
def _padded(polys, n):
    return tuple(tuple(c) + (0.0,) * (n - len(c)) for c in polys)


_ERF_NUM = _padded((SP.PP, SP.PA, SP.RA, SP.RB), 8)
_ERF_DEN = _padded((SP.QQ, SP.QA, SP.SA, SP.SB), 9)


@jit
def _interval_horner(c, z, i1, i2, i3):
    """c[j] evaluated at z, j the interval: 3 if i3, else 2 if i2, 1 if i1, else 0."""
    n = len(c[0]) - 1
    r = c[3][n] if i3 else (c[2][n] if i2 else (c[1][n] if i1 else c[0][n]))
    for k in range(n - 1, -1, -1):
        r = r * z + (c[3][k] if i3 else (c[2][k] if i2 else (c[1][k] if i1 else c[0][k])))
    return r


@jit
def _ndtr_single(x, factor):
    """factor Phi(x) = factor erfc(-x/sqrt 2)/2, fdlibm's erfc branch-free."""
    xc = _clip(x, -40.0, 40.0)
    t = abs(xc) * SP.SQRT1_2[0]
    i1, i2, i3 = t >= 0.84375, t >= 1.25, t >= 1.0 / 0.35
    z = 1.0 / (t * t) if i2 else (t - 1.0 if i1 else t * t)
    r = _interval_horner(_ERF_NUM, z, i1, i2, i3) / _interval_horner(_ERF_DEN, z, i1, i2, i3)
    erfc = exp_single(-t * t - 0.5625 + r) / t if i2 else ((1.0 - SP.ERX) - r if i1 else 1.0 - (t + t * r))
    return factor * (0.5 * erfc if xc < 0.0 else 1.0 - 0.5 * erfc)


_SINGLE_FORMULAS["_ndtr"] = _ndtr_single


@jit
def _norm_pdf(x, factor):
    xc = _clip(x, -40.0, 40.0)
    t = 134217729.0 * xc
    xh = t - (t - xc)
    xl = xc - xh
    hi = xc * xc
    lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl
    c_hi, c_lo = SP.INV_SQRT_2PI
    h1, h2 = exp_pair(-0.5 * hi)
    return ((factor * h1) * (c_hi + (c_lo - (0.5 * c_hi) * lo))) * h2


@jit
def _gelu_none(x):
    xc = _clip(x, -40.0, 40.0)
    return x if x > xc else _ndtr(xc, xc)


@jit
def _dgelu_none(x):
    xc = _clip(x, -40.0, 40.0)
    return (_ndtr(xc, 1.0) + _norm_pdf(xc, xc)) + 0.0  # + 0.0: see _dsilu


define("gelu", _gelu_none, _dgelu_none, when={"approximate": "none"})
