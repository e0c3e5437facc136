"""The kernel table: scalar formulas, one ``define`` per activation.

Each entry gives the scalar ``f(x, *params)`` and ``df(x, *params)`` in
float64; the loops (forward, derivative, and the fused backward
``g * df(x)``), NaN propagation, ``out=``, threading and caching are
generated from them (see :mod:`actlab.kernels._compile`). Adding a kernel is
adding one ``define`` here; parameters are matched to the catalog's by name.

The float64 loops use these as written. The float32 loops use a variant
(``Formula.single``): by default the same formula in float32 arithmetic
(float32 constants and the float32 primitives of _math.FLOAT32: twice the
SIMD lanes); where that is not accurate enough (FLOAT64_INSIDE says where
and why), in float64 against cheaper primitives of the same names, accurate
enough for a result rounded to float32.

The formulas mirror the reference formulas in :mod:`actlab.catalog` step by
step (same branches, same operation order, NumPy's ``minimum``/``maximum``/
``clip`` semantics for signed zeros), with the transcendental functions from
:mod:`._math`. The float64 loops are compiled without FMA contraction (and
the formulas inlined into them, see _math.OPTIONS) so that the arithmetic
around those functions rounds as the reference's does; the float32 loops,
which need ~1e-10 relative before their final rounding, let LLVM contract
a*b + c into FMAs (10-25% faster), unless ``define(..., contract=False)``.
Prefer ``select`` to ``a if c else b`` in large formulas (see _math.select).
A NaN input never reaches them: the loops map it to NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from numba.core.dispatcher import Dispatcher

from .. import special as SP
from ..catalog.algebraic import (LOG2, LOGCOSH_FAR, LOGCOSH_SERIES, LOGCOSH_SERIES_BELOW, TANHSHRINK_SERIES,
                                 TANHSHRINK_SERIES_BELOW)
from ..catalog.oscillating import SINC_SERIES, SINC_SERIES_BELOW
from ..catalog.smooth_gated import GELU_CUBIC, GELU_SIGMOID, SQRT_2_OVER_PI_X2
from ._math import (FLOAT32, SINGLE, TRIG_LIMIT, atan, cos, exp, exp_pair, exp_single, expm1, expm1_neg, fma, jit,
                    log1p, log1p_or_log, log1p_unit, log1p_unit_single, rsqrt_pow, select, sin, sincos, sinh_dd,
                    tanh, to_float32, variant)

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
    #: recompute the other elements with these f and df, in a separate pass;
    #: limit is a number or a function of the parameters (computed once per call)
    rare: tuple | None = None
    #: False where the float32 loops must round as the reference's float64
    #: arithmetic does (no contraction of a*b + c into FMAs): rational, whose
    #: reference cancels to exact zeros that the kernel must reproduce
    contract: bool = True
    #: Which of "f" and "df" the float32 loops compute in float32 arithmetic;
    #: the others in float64 with the single-grade primitives (FLOAT64_INSIDE)
    float32: tuple = ("f", "df")

    def single(self):
        """(f, df) for the float32 loops: in float32 arithmetic, or compiled
        against the single-grade float64 primitives."""
        return tuple((_float32 if which in self.float32 else _single)(fn)
                     for which, fn in (("f", self.f), ("df", self.df)))


TABLE: dict[str, list[Formula]] = {}


def _compiled(fn):
    return fn if isinstance(fn, Dispatcher) else jit(fn)


def define(name, f, df, params=(), when=None, rare=None, contract=True):
    """Add the kernel of catalog function ``name`` (scalar f and f', parameter
    names; see Formula for ``when``, ``rare`` and ``contract``)."""
    if rare is not None:
        limit = _compiled(rare[0]) if callable(rare[0]) else float(rare[0])
        rare = (limit, _compiled(rare[1]), _compiled(rare[2]))
    float32 = tuple(which for which in ("f", "df") if which not in FLOAT64_INSIDE.get(name, ((),))[0])
    TABLE.setdefault(name, []).append(Formula(name, _compiled(f), _compiled(df), tuple(params), when or {}, rare,
                                              contract, float32))


_ZEROS = "f' cancels near its interior zeros: float32 arithmetic is far beyond 4 ULP there"
_RANGE = "an intermediate (x^2, e^x, g f') leaves float32's range where the result does not"
_SCALED = "a parameter scales x before an exponential or a sine: its float32 rounding is amplified"
_EXACT = "the formula relies on products of float32 values being exact in float64 (x^2 in e^(-x^2/2))"
_MEASURED = "float32 arithmetic was measured beyond 4 ULP of the reference"
#: Where the float32 loops compute f or f' in float64, and why: every other
#: formula is compiled a second time in float32 arithmetic (constants in
#: float32, the primitives of _math.FLOAT32), which doubles the SIMD lanes.
#: name -> (which of "f", "df", the reason).
FLOAT64_INSIDE = {
    "rational": (("f", "df"), "its reference cancels to exact zeros, which the kernel must reproduce"),
    "apl": (("f",), _MEASURED), "log_sigmoid": (("f",), _MEASURED), "logcosh": (("f",), _MEASURED),
    "srelu": (("f",), _MEASURED),
    "silu": (("df",), _ZEROS), "mish": (("df",), _ZEROS), "tanhexp": (("df",), _ZEROS),
    "tanh_shrink": (("df",), _ZEROS), "gelu": (("f", "df"), _EXACT + "; " + _ZEROS),
    "gaussian": (("df",), _EXACT),
    "arctan": (("df",), _RANGE), "exponential": (("df",), _RANGE), "square": (("df",), _RANGE),
    "squared_relu": (("df",), _RANGE), "bent_identity": (("f", "df"), _RANGE),
    "multiquadratic": (("f", "df"), _RANGE), "inverse_multiquadratic": (("f", "df"), _RANGE),
    "squareplus": (("f", "df"), _RANGE), "isru": (("f", "df"), _RANGE), "isrlu": (("f",), _RANGE),
    "star_relu": (("f", "df"), _RANGE), "smht": (("f", "df"), _RANGE),
    "celu": (("df",), _SCALED), "softplus": (("f", "df"), _SCALED), "soft_clipping": (("f", "df"), _SCALED),
    "soft_exponential": (("f", "df"), _SCALED), "sine": (("f", "df"), _SCALED), "snake": (("f",), _SCALED),
}


_singles: dict = {}
_SINGLE_FORMULAS: dict = {}  # formula helpers with a cheaper single-grade version (by name)


def _single(disp):
    """``disp`` with the primitives it calls, directly or through other
    formulas, replaced by their single-grade versions (_math.SINGLE)."""
    return variant(disp, {**_SINGLE_FORMULAS, **SINGLE}, _singles)


_floats32: dict = {}


def _float32(disp):
    """``disp`` in float32 arithmetic: the single-grade formulas, float32
    constants and the float32 primitives (_math.FLOAT32)."""
    return variant(disp, {**_SINGLE_FORMULAS, **_FLOAT32_PARTS}, _floats32, to_float32)


# the single-grade formulas call some single-grade primitives by name
_FLOAT32_PARTS = {**FLOAT32, **{f"{k}_single": v for k, v in FLOAT32.items()}}


# NumPy's semantics, which the reference formulas rely on for signed zeros:
# minimum/maximum return the second argument on ties, clip keeps -0.0.
@jit
def _minimum(a, b):
    return select(a < b, a, b)


@jit
def _maximum(a, b):
    return select(a > b, a, b)


@jit
def _clip(x, lo, hi):
    return select(x < lo, lo, select(x > hi, hi, x))


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
def _split(v):
    """v = hi + lo, hi with 26 significant bits (Veltkamp): products of halves are exact."""
    t = 134217729.0 * v
    hi = t - (t - v)
    return hi, v - hi


@jit
def _square_dd(x):
    """x^2 = hi + lo exactly (Dekker; |x| <= 1e150), as numerics.split_square."""
    xh, xl = _split(x)
    hi = x * x
    return hi, ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl


@jit
def _exp_neg_square(x):
    """e^(-x^2) with x^2 split exactly into hi + lo, as numerics.exp_neg_square."""
    hi, lo = _square_dd(_clip(x, -40.0, 40.0))
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

# ------------------------------------------------------------------ algebraic.py (continued), smht, soft_exponential

@jit
def _isru_square(x, alpha):
    """(small, hi, lo): 1 + alpha x^2 = hi + lo as catalog.algebraic._pow_quadratic
    forms it (x^2 and alpha x^2 split exactly) while |x| is below the split
    bound (small), else 1 + (alpha x) x plainly."""
    small = abs(x) <= 2.0 ** 200 / _maximum(math.sqrt(alpha), 1.0)
    xs = select(small, x, 0.0)
    hi = xs * xs
    lo = fma(xs, xs, -hi)
    th = alpha * hi
    te = select(alpha < 2.0 ** 900, fma(alpha, hi, -th), 0.0)
    dh, de = _two_sum(1.0, th)
    return small, select(small, dh, 1.0 + (alpha * x) * x), select(small, de + (te + alpha * lo), 0.0)


@jit
def _isru_square_single(x, alpha):
    """For float32 x: 1 + alpha x^2 rounded once is enough (no low part)."""
    small = abs(x) <= 2.0 ** 200 / _maximum(math.sqrt(alpha), 1.0)
    return small, 1.0 + (alpha * x) * x, 0.0


_SINGLE_FORMULAS["_isru_square"] = _isru_square_single


@jit
def _isru(x, alpha):
    """x (1 + alpha x^2)^-1/2, beyond the split bound sign(x)/sqrt(alpha + 1/x^2)."""
    small, dh, dl = _isru_square(x, alpha)
    u = 1.0 / select(small, 1.0, x)
    return select(small, x * rsqrt_pow(dh, dl, 0.5), select(x > 0.0, 1.0, -1.0) / math.sqrt(alpha + u * u))


@jit
def _isru_single(x, alpha):
    """For float32 x: x / sqrt(1 + alpha x^2) serves beyond the split bound too (where
    1 + alpha x^2 would overflow, the float32 result is 0 either way), but +-inf."""
    r = x / math.sqrt(1.0 + (alpha * x) * x)
    return select(abs(x) < math.inf, r, select(x > 0.0, 1.0, -1.0) / math.sqrt(alpha))


_SINGLE_FORMULAS["_isru"] = _isru_single


@jit
def _disru(x, alpha):
    _, dh, dl = _isru_square(x, alpha)
    return rsqrt_pow(dh, dl, 1.5)


define("isru", lambda x, alpha: _isru(x, alpha), _disru, ("alpha",))  # a lambda: float32 gets _isru_single
define("isrlu", lambda x, alpha: select(x >= 0.0, x, _isru(x, alpha)),
       lambda x, alpha: select(x >= 0.0, 1.0, _disru(x, alpha)), ("alpha",))


@jit
def _hypot1(x):
    """hypot(x, 1) to half an ULP (the catalog's np.hypot), a name of its own for its float32 variant."""
    return _hypot(x, 1.0)


@jit
def _hypot1_single(x):
    return math.sqrt(x * x + 1.0)  # float32 x: x^2 < 2^256, no overflow; sqrt vectorizes


_SINGLE_FORMULAS["_hypot1"] = _hypot1_single


@jit
def _bent_identity(x):
    xc = _clip(x, -1e300, 1e300)
    q = xc / (_hypot1(xc) + 1.0)
    return x * (1.0 + 0.5 * q)


define("bent_identity", _bent_identity, lambda x: 1.0 + 0.5 * _isru(x, 1.0))


def _unrolled_horner(coefficients, fused=False):
    """sum_k c_k t^k by Horner's rule, written out (with FMAs if fused): _horner's
    loop over a tuple is left as a loop (17 terms), which keeps the loop around
    it from vectorizing."""
    c = [float(v) for v in coefficients]
    step = "    r = fma(r, t, {!r})\n" if fused else "    r = r * t + {!r}\n"
    namespace = {"fma": fma}
    exec(f"def horner(t):\n    r = {c[-1]!r}\n" + "".join(step.format(v) for v in reversed(c[:-1]))
         + "    return r\n", namespace)
    return jit(namespace["horner"])


_logcosh_series = _unrolled_horner(LOGCOSH_SERIES)
# float32: the rest is below 1e-12 of the sum for |x| < 1/2
_logcosh_series_short = _unrolled_horner(LOGCOSH_SERIES[:11], fused=True)


@jit
def _logcosh(x):
    """Series below 1/2; log1p(2 sinh^2(x/2)) to 2, with sinh and its square
    carried as double-doubles; |x| - log 2 + log1p(e^-2|x|) beyond (as the catalog)."""
    a = abs(x)
    ts = select(a < LOGCOSH_SERIES_BELOW, a, 0.0)
    t = ts * ts
    series = t * _logcosh_series(t)
    sh, sl = sinh_dd(0.5 * _clip(a, LOGCOSH_SERIES_BELOW, LOGCOSH_FAR))
    vh = 2.0 * (sh * sh)
    vl = 2.0 * (fma(sh, sh, -(sh * sh)) + 2.0 * sh * sl)
    mid = log1p(vh) + vl / (1.0 + vh)
    far = (a - LOG2) + log1p_unit(exp(-2.0 * a))
    return select(a < LOGCOSH_SERIES_BELOW, series, select(a < LOGCOSH_FAR, mid, far))


@jit
def _logcosh_single(x):
    """For float32: above 1/2 the far form serves alone (it cancels by at most 6x there)."""
    a = abs(x)
    ts = select(a < LOGCOSH_SERIES_BELOW, a, 0.0)
    t = ts * ts
    far = (a - LOG2) + log1p_unit_single(exp_single(-2.0 * a))
    return select(a < LOGCOSH_SERIES_BELOW, t * _logcosh_series_short(t), far)


_SINGLE_FORMULAS["_logcosh"] = _logcosh_single
define("logcosh", lambda x: _logcosh(x), lambda x: tanh(x))


@jit
def _softclip_consts(alpha):
    """1 - e^-alpha, e^-alpha, e^alpha - 1: loop-invariant, so hoisted out of the loop
    (libm's, as in the catalog, would be called per element and stop vectorization)."""
    return -expm1(-alpha), exp(-alpha), expm1(alpha)


@jit
def _soft_clipping(x, alpha):
    """log1p(c e^(a x)/(1 + k e^(a x)))/a for x <= 1/2, 1 - f(1 - x) above (one
    exponential and one log per element: the catalog clamps each half's to the other's)."""
    c, k, C = _softclip_consts(alpha)
    a = alpha * x
    lower = x <= 0.5
    g = exp(select(lower, a, -a))
    lg = log1p(select(lower, c * g / (1.0 + k * g), C * g / (1.0 + g))) / alpha
    return select(lower, lg, 1.0 - lg)


@jit
def _dsoftclip(x, alpha):
    """c g / (D (1 + d)), D (1 + d) = (1 + g)(1 + k g) or (1 + g)(k + g) with the roundings
    recovered (catalog's _softclip_parts); d is only a correction: one division for it."""
    c, k, _ = _softclip_consts(alpha)
    lower = x <= 0.5
    a = alpha * x
    g = exp(select(lower, a, -a))
    s1, l1 = _two_sum(1.0, g)
    s2, l2 = _two_sum(select(lower, 1.0, k), select(lower, k * g, g))
    D = s1 * s2
    d = (l1 * s2 + l2 * s1 + fma(s1, s2, -D)) / D
    return c * g / D * (1.0 - d)


@jit
def _dsoftclip_single(x, alpha):
    c, k, _ = _softclip_consts(alpha)
    lower = x <= 0.5
    a = alpha * x
    g = exp_single(select(lower, a, -a))
    return c * g / ((1.0 + g) * (select(lower, 1.0, k) + select(lower, k * g, g)))


_SINGLE_FORMULAS["_dsoftclip"] = _dsoftclip_single
define("soft_clipping", _soft_clipping, lambda x, alpha: _dsoftclip(x, alpha), ("alpha",))


@jit
def _smht_side(x, a, b, c, d):
    """(x >= 0, y, p, q, r, s): x >= 0 is f(y; a, b, c, d) with y = x; below, the
    mirror image f(y; b, a, d, c) with y = -x (catalog's _smht_parts)."""
    pos = x >= 0.0
    y = _minimum(select(pos, _maximum(x, 0.0), _maximum(-x, 0.0)), 1e300)
    return pos, y, select(pos, a, b), select(pos, b, a), select(pos, c, d), select(pos, d, c)


@jit
def _smht(x, a, b, c, d):
    pos, y, p, q, r, s = _smht_side(x, a, b, c, d)
    f = exp((p - r) * y) * -expm1(-(p + q) * y) / (1.0 + exp(-(r + s) * y))
    return select(pos, f, -f)


@jit
def _dsmht(x, a, b, c, d):
    _, y, p, q, r, s = _smht_side(x, a, b, c, d)
    den = 1.0 + exp(-(r + s) * y)
    k1 = (p - r) * exp((p - r) * y)
    k2 = (p + s) * exp((p - 2.0 * r - s) * y)
    k3 = (q + r) * exp(-(q + r) * y)
    k4 = (q - s) * exp(-(q + 2.0 * r + s) * y)
    return (k1 + k2 + k3 + k4) / (den * den)


define("smht", _smht, _dsmht, ("a", "b", "c", "d"))


@jit
def _softexp_log(x, alpha):
    """alpha < 0 (catalog's _LogBranch): (w, valid, log w), w = 1 - alpha (x + alpha)
    as 1 + u near w = 1, else (1 - alpha)(1 + alpha) - alpha x."""
    finite = abs(x) < math.inf
    u = -alpha * (select(finite, x, 0.0) + alpha)
    near = (abs(u) < 0.5) & finite
    w = select(near, 1.0 + u, (1.0 - alpha) * (1.0 + alpha) - alpha * x)
    valid = w > 0.0
    return w, valid, log1p_or_log(near, u, w)


@jit
def _softexp(x, alpha):
    # alpha is loop-invariant: the branches are taken once per loop (unswitched), not per element
    if alpha > 0.0:
        z = alpha * x
        low = exp(_minimum(z, -1.0)) / alpha - (1.0 - alpha) * ((1.0 + alpha) / alpha)
        return select(z < -1.0, low, expm1(_maximum(z, -1.0)) / alpha + alpha)
    if alpha < 0.0:
        w, valid, lw = _softexp_log(x, alpha)
        return select(valid, -lw / alpha, select(w == 0.0, -math.inf, math.nan))
    return x


@jit
def _dsoftexp(x, alpha):
    if alpha > 0.0:
        return exp(alpha * x)
    if alpha < 0.0:
        w, valid, _ = _softexp_log(x, alpha)
        return select(valid, 1.0 / w, select(w == 0.0, math.inf, math.nan))
    return 1.0


define("soft_exponential", _softexp, _dsoftexp, ("alpha",))


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
    # p / d, or (p h1 / d) h2: one division for both (a division costs ~10 multiplications)
    return (select(z >= 0.0, p, _gate(p, h1)) / d) * select(z >= 0.0, 1.0, h2)


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
    return (select(zh >= 0.0, p, _gate(p, h1)) / d) * select(zh >= 0.0, 1.0, h2)  # see _sig_times


@jit
def _gelu_tanh_z(xc):
    """(zh, zl, z'): z = 2 sqrt(2/pi) x (1 + 0.044715 x^2), as the catalog's _gelu_z."""
    ah, al = GELU_CUBIC
    kh, kl = SQRT_2_OVER_PI_X2
    qh, ql = _square_dd(xc)
    th, tl = _two_prod(qh, ah, al)
    sh, sl = _two_sum(1.0, th)
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
# (fdlibm's erf/erfc with compensated rational functions). fdlibm's four
# intervals are chosen by selects, not `if`, so that the loops vectorize, and
# their P/Q are padded to one length, so that one rational function serves all
# four: four inlined copies took ~4 s to compile.
def _padded(polys, n):
    return tuple(tuple(c) + (0.0,) * (n - len(c)) for c in polys)


_ERF_NUM = _padded((SP.PP, SP.PA, SP.RA, SP.RB), 8)
_ERF_DEN = _padded((SP.QQ, SP.QA, SP.SA, SP.SB), 9)


@jit
def _pick(c, k, i1, i2, i3):
    """c[j][k], j the interval: 3 if i3, else 2 if i2, 1 if i1, else 0."""
    return select(i3, c[3][k], select(i2, c[2][k], select(i1, c[1][k], c[0][k])))


@jit
def _interval_horner(c, z, i1, i2, i3):
    """The interval's polynomial c[j] at z, plainly."""
    n = len(c[0]) - 1
    r = _pick(c, n, i1, i2, i3)
    for k in range(n - 1, -1, -1):
        r = r * z + _pick(c, k, i1, i2, i3)
    return r


@jit
def _interval_poly(c, z, i1, i2, i3):
    """Compensated Horner of the interval's polynomial: (r, err), r + err to ~2^-100
    (zeros of the padding change no rounding). The error-free steps are written
    out: Numba re-runs a callee's pipeline at every inlined call site."""
    n = len(c[0]) - 1
    r = _pick(c, n, i1, i2, i3)
    err = 0.0
    for k in range(n - 1, -1, -1):
        ck = _pick(c, k, i1, i2, i3)
        p = r * z
        e = fma(r, z, -p)
        r = ck + p
        bb = r - ck
        err = err * z + (e + ((ck - (r - bb)) + (p - bb)))
    return r, err


@jit
def _interval_ratio(z, i1, i2, i3):
    """The interval's P(z)/Q(z), its rounding errors corrected."""
    p, pe = _interval_poly(_ERF_NUM, z, i1, i2, i3)
    q, qe = _interval_poly(_ERF_DEN, z, i1, i2, i3)
    r = p / q
    rq = r * q
    return r + (((p - rq) - fma(r, q, -rq)) + pe - r * qe) / q


@jit
def _exp_near0(v):
    """e^v for |v| <= 0.8 to 4e-7 relative (Taylor, degree 7): enough for the
    first-order terms in the low part of u below, ~2^-50 of the result."""
    r = 1.0 + v * (1.0 / 7.0)
    r = 1.0 + v * (1.0 / 6.0) * r
    r = 1.0 + v * (1.0 / 5.0) * r
    r = 1.0 + v * (1.0 / 4.0) * r
    r = 1.0 + v * (1.0 / 3.0) * r
    r = 1.0 + v * 0.5 * r
    return 1.0 + v * r


@jit
def _ndtr(x, factor):
    """factor Phi(x) = factor erfc(u)/2, u = -x/sqrt 2 = uh + ul a double-double
    (special.ndtr: erfc(|u|), and 2 - erfc(|u|) = 1 + erf(|u|) for u < 0)."""
    xc = _clip(x, -40.0, 40.0)
    uh, ul = _two_prod(-xc, SP.SQRT1_2[0], SP.SQRT1_2[1])
    half = 0.5 * factor
    a = abs(uh)
    b = select(uh < 0.0, -ul, ul)
    xt = _minimum(a, 28.0)
    i1, i2, i3 = a >= 0.84375, a >= 1.25, xt >= 1.0 / 0.35
    z = a * a
    r = _interval_ratio(select(i2, 1.0 / (xt * xt), select(i1, (a - 1.0) + b, z)), i1, i2, i3)
    # |u| < 0.84375
    dt = a * r + b * (SP.TWO_OVER_SQRT_PI * _exp_near0(-z))
    erf_s = a + dt
    erfc_s = select(a < 0.25, 1.0 - erf_s, select(a < 0.5, 0.5 - (dt + (a - 0.5)), (1.0 - a) - dt))
    # |u| >= 1.25
    bt = select(a == xt, b, 0.0)
    s = 4294967297.0 * xt  # xt to 21 bits: w^2 exact
    w = s - (s - xt)
    big = -w * w - 0.5625
    small = (w - xt) * (w + xt) + r - bt * (SP.TWO_OVER_SQRT_PI * xt * _exp_near0(0.5625 - r))
    h = big + small
    h1, h2 = exp_pair(h)
    t = h1 / xt
    t = t + t * (small - (h - big))
    neg = half * select(i2, 2.0 - t * h2, select(i1, 1.0 + (SP.ERX + r), 1.0 + erf_s))
    return select(uh < 0.0, neg, select(i2, (half * t) * h2, half * select(i1, (1.0 - SP.ERX) - r, erfc_s)))


# float32's Phi and phi share e^(-x^2/2) (x^2 is exact for a float32 x) and
# need ~1e-10 relative before the rounding to float32: erfc(|x|/sqrt 2) =
# e^(-x^2/2) u P(u), u = 1/(1 + |x|/4), P of degree 12 fitted by
# scripts/fit_gelu_single.py (3e-11 relative for |x| <= 15.6; beyond, x Phi(x)
# underflows or Phi(x) rounds to 1). One division, one exp, no interval selects.
_PHI_TAIL = (0.19947331164613297, 0.19940661827776757, 0.1878648467913227, 0.1552525391215911,
             0.16274507854241527, -0.044131471368616795, 0.387943888679051, -0.6256626733920663,
             0.8447319741176178, -0.7830327699055937, 0.42246403339485117, -0.12176004566834177,
             0.014704669746856629)


@jit
def _ndtr_single(x, factor):
    """factor Phi(x) for |x| <= 40 (the callers clip)."""
    u = 1.0 / (1.0 + 0.25 * abs(x))
    h = (0.5 * exp_single(-0.5 * (x * x))) * (u * _horner(_PHI_TAIL, u))
    return factor * select(x < 0.0, h, 1.0 - h)


@jit
def _norm_pdf_single(x, factor):
    """factor phi(x) for |x| <= 40, the exp shared with _ndtr_single's."""
    return (factor * exp_single(-0.5 * (x * x))) * SP.INV_SQRT_2PI[0]


_SINGLE_FORMULAS["_ndtr"] = _ndtr_single
_SINGLE_FORMULAS["_norm_pdf"] = _norm_pdf_single


@jit
def _norm_pdf(x, factor):
    hi, lo = _square_dd(_clip(x, -40.0, 40.0))
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


# ------------------------------------------------------------------ learnable.py, oscillating.py (sinc, sine)

@jit
def _slope_times(a, d):
    """a d, but 0 for a = 0 and an infinite d (catalog.learnable._times)."""
    return a * (0.0 if (a == 0.0) & (abs(d) == math.inf) else d)


@jit
def _prod_and_err(a, b):
    """(a b, its rounding error) as catalog.learnable._two_prod: error 0 where
    the product is not finite or a factor reaches 1e290. The FMA remainder is
    the exact error that Dekker's splitting computes there."""
    p = a * b
    ok = (abs(p) < math.inf) & (abs(a) < 1e290) & (abs(b) < 1e290)
    return p, (fma(a, b, -p) if ok else 0.0)


@jit
def _sum_err_finite(a, b, s):
    """The rounding error of s = a + b, 0 where s is not finite (catalog.learnable._two_sum)."""
    ok = abs(s) < math.inf
    return _two_sum(select(ok, a, 0.0), select(ok, b, 0.0))[1]


define("apl", lambda x, a, b: (x if x > 0.0 else 0.0) + _slope_times(a, b - x if x < b else 0.0),
       lambda x, a, b: (1.0 if x > 0.0 else 0.0) - a * (1.0 if x < b else 0.0), ("a", "b"))
# at a threshold the outer piece applies (x >= t_r first, then x <= t_l)
define("srelu",
       lambda x, t_left, a_left, t_right, a_right: (
           t_right + _slope_times(a_right, x - t_right) if x >= t_right
           else (t_left + _slope_times(a_left, x - t_left) if x <= t_left else x)),
       lambda x, t_left, a_left, t_right, a_right: a_right if x >= t_right else (a_left if x <= t_left else 1.0),
       ("t_left", "a_left", "t_right", "a_right"))


@jit
def _star_relu(x, scale, bias):
    """s r^2 + b, r = relu(x), r^2 = hi + lo exactly and s hi + b compensated (catalog's _star_relu)."""
    r = x if x > 0.0 else 0.0
    huge = r > 1e150
    hi, lo = _square_dd(0.0 if huge else r)
    s = scale + 0.0
    b = bias + 0.0
    p, e_prod = _prod_and_err(s, hi)
    total = p + b
    return _slope_times(s, r * r) + b if huge else total + ((e_prod + _sum_err_finite(p, b, total)) + s * lo)


define("star_relu", _star_relu, lambda x, scale, bias: 2.0 * _slope_times(scale, x if x > 0.0 else 0.0),
       ("scale", "bias"))


# snake's sin(alpha x) and sin(2 alpha x) reduce exactly only up to TRIG_LIMIT:
# beyond |x| = TRIG_LIMIT/(4 alpha) (and at +-inf, and where alpha x overflows)
# the libm pass
@jit
def _snake(x, alpha):
    z = alpha * x
    s = sin(0.0 if abs(z) == math.inf else z)
    return x + s * s / alpha


@jit
def _snake_libm(x, alpha):
    z = alpha * x
    s = math.sin(0.0 if abs(z) == math.inf else z)
    return x + s * s / alpha


@jit
def _dsnake_libm(x, alpha):
    z = (2.0 * alpha) * x
    return 1.0 + math.sin(z) if abs(z) < math.inf else math.nan


define("snake", _snake, lambda x, alpha: 1.0 + sin((2.0 * alpha) * x), ("alpha",),
       rare=(lambda alpha: _minimum(0.25 * TRIG_LIMIT / alpha, 1.7976931348623157e308), _snake_libm, _dsnake_libm))


# rational: P/Q as catalog.learnable._Pade, for coefficient tuples a = (a_0, ..., a_m)
# and b = (b_1, ..., b_n), Q = 1 + sum |b_k| |x|^k. Beyond |x| = 2^(240 // max(m, n, 1))
# both are divided by |x|^degree: with s = |x|, u = x/s, w = 1/s, P/s^m = sum a_j u^j w^(m-j).
# The tuples' lengths are compile-time constants: the loops over them unroll.
@jit
def _pade_uw(x, m, n):
    """(s, u, w) of _Pade."""
    big = abs(x) > 2.0 ** (240 // max(m, n, 1))
    return (abs(x) if big else 1.0), (1.0 if x > 0.0 else -1.0) if big else x, (1.0 / abs(x) if big else 1.0)


@jit
def _pade_pq(a, b, u, w):
    """P and Q by the compensated homogeneous Horner rule (_homogeneous(compensated=True))."""
    m = len(a) - 1
    n = len(b)
    acc = a[m] + 0.0
    err = 0.0
    wk = 1.0
    for k in range(1, m + 1):
        wk = wk * w
        p, e_prod = _prod_and_err(acc, u)
        c = a[m - k] * wk
        acc = p + c
        err = err * u + (e_prod + _sum_err_finite(p, c, acc))
    big_p = acc + err
    au = abs(u)
    acc = abs(b[n - 1]) + 0.0
    err = 0.0
    wk = 1.0
    for k in range(1, n + 1):
        wk = wk * w
        p, e_prod = _prod_and_err(acc, au)
        c = (abs(b[n - 1 - k]) if k < n else 1.0) * wk
        acc = p + c
        err = err * au + (e_prod + _sum_err_finite(p, c, acc))
    return big_p, acc + err


@jit
def _pade_dpq(a, b, u, w):
    """P' and Q' (plain homogeneous Horner; Q' with sign(u), 0 at 0)."""
    m = len(a) - 1
    n = len(b)
    dp = 0.0
    if m > 0:
        dp = float(m) * a[m] + 0.0
        wk = 1.0
        for k in range(1, m):
            wk = wk * w
            dp = dp * u + (float(m - k) * a[m - k]) * wk
    au = abs(u)
    dq = float(n) * abs(b[n - 1]) + 0.0
    wk = 1.0
    for k in range(1, n):
        wk = wk * w
        dq = dq * au + (float(n - k) * abs(b[n - 1 - k])) * wk
    sign = 1.0 if u > 0.0 else (-1.0 if u < 0.0 else 0.0)
    return dp + 0.0, sign * (dq + 0.0)


@jit
def _pade_scaled(s, k, v):
    """s^k v (catalog: pow(s, k) v), s^k by products of s or of 1/s (k is a
    compile-time constant): for k = 1 and -1 the same bits as pow, and no
    premature overflow of s^|k| where s^k is subnormal."""
    if k == 0:
        return v
    r = s if k > 0 else 1.0 / s
    p = r
    for _ in range(abs(k) - 1):
        p = p * r
    return p * v


@jit
def _pade(x, numerator, denominator):
    """(m - n, s, u, w, P, Q) for the degrees m, n of the coefficient tuples."""
    m = len(numerator) - 1
    n = len(denominator)
    s, u, w = _pade_uw(x, m, n)
    p, q = _pade_pq(numerator, denominator, u, w)
    return m - n, s, u, w, p, q


@jit
def _rational(x, numerator, denominator):
    k, s, _, _, p, q = _pade(x, numerator, denominator)
    return _pade_scaled(s, k, p / q)


@jit
def _drational(x, numerator, denominator):
    k, s, u, w, p, q = _pade(x, numerator, denominator)
    dp, dq = _pade_dpq(numerator, denominator, u, w)
    return _pade_scaled(s, k - 1, (dp * q - p * dq) / (q * q))


# contract=False: for degrees m = n the reference's quotient rule cancels to exact
# zeros at large |x|, which only the same roundings reproduce (their sign included)
define("rational", _rational, _drational, ("numerator", "denominator"), contract=False)

_SINC = tuple(SINC_SERIES[0])
_SINC_D = tuple(SINC_SERIES[1])


# sinc: the Maclaurin series below SINC_SERIES_BELOW, else sin x/x (the
# reference's branches as selects); libm beyond TRIG_LIMIT and at +-inf (0)
@jit
def _sinc(x):
    small = abs(x) < SINC_SERIES_BELOW
    xs = 2.0 if small else x
    return _horner(_SINC, x * x) if small else sin(xs) / xs


@jit
def _dsinc(x):
    small = abs(x) < SINC_SERIES_BELOW
    xs = 2.0 if small else x
    sn, cs = sincos(xs)
    return x * _horner(_SINC_D, x * x) if small else cs / xs - (sn / xs) / xs


define("sinc", _sinc, _dsinc,
       rare=(TRIG_LIMIT, lambda x: 0.0 if abs(x) == math.inf else math.sin(x) / x,
             lambda x: 0.0 if abs(x) == math.inf else math.cos(x) / x - (math.sin(x) / x) / x))


@jit
def _w0x(x, w0):
    """w0 x = hi + lo exactly (Dekker, catalog.oscillating._sincos_w0x)."""
    wh, wl = _split(w0)
    xh, xl = _split(x)
    hi = w0 * x
    return hi, ((wh * xh - hi) + wh * xl + wl * xh) + wl * xl


@jit
def _sine_sincos(x, w0):
    """(sin, cos) of w0 x for |w0 x| <= TRIG_LIMIT: there |lo| <= 2^-33, so
    sin lo = lo and cos lo = 1 exactly, and the reference's
    sin hi cos lo + cos hi sin lo is sin hi + cos hi lo."""
    hi, lo = _w0x(x, w0)
    s, c = sincos(hi)
    return s + c * lo, c - s * lo


@jit
def _sine_sincos_libm(x, w0):
    """The reference's steps with libm (beyond the limit; NaN at +-inf)."""
    if abs(x) == math.inf:
        return math.nan, math.nan
    xr = x % (2.0 * math.pi / w0) if abs(x) > 1e290 / max(w0, 1.0) else x  # % is NumPy's remainder
    hi, lo = _w0x(xr, w0)
    sh, ch, sl, cl = math.sin(hi), math.cos(hi), math.sin(lo), math.cos(lo)
    return sh * cl + ch * sl, ch * cl - sh * sl


# the vectorized path up to |w0 x| = TRIG_LIMIT/2 and below the reference's
# reduction modulo the period (|x| > 1e290/max(w0, 1))
define("sine", lambda x, w0: _sine_sincos(x, w0)[0], lambda x, w0: w0 * _sine_sincos(x, w0)[1], ("w0",),
       rare=(lambda w0: _minimum(0.5 * TRIG_LIMIT / w0, 1e290 / max(w0, 1.0)),
             lambda x, w0: _sine_sincos_libm(x, w0)[0], lambda x, w0: w0 * _sine_sincos_libm(x, w0)[1]))
