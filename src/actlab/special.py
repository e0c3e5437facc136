"""Special functions for the catalog, written against the Array API.

NumPy has no error function, and the Array API standard none either, so
actlab carries its own: :func:`erf` and :func:`erfc` are ports of the
rational approximations of fdlibm's ``s_erf.c`` (Sun Microsystems, 1993;
the code of glibc, musl and FreeBSD), evaluated branch-free with ``where``.
Three changes bring erfc's error from fdlibm's 2.5 ULP (measured here, with
NumPy's exp) to under 2: the rational functions are evaluated by
compensated Horner, the tail's two exps are one exp of an exactly split
exponent, and 1 - t is exact for t >= 1/2. Measured against mpmath on about
3.5e4 float64 points over [-40, 40], the branch boundaries and the tails
(tests/test_special.py and a denser random grid): at most 0.80 ULP (erf),
1.76 ULP (erfc), 1.72 ULP (ndtr), 1.84 ULP (norm_pdf).

:func:`ndtr` (the standard normal CDF, Phi(x) = erfc(-x/sqrt 2)/2) carries
x/sqrt 2 as a double-double: rounding that argument would cost up to x^2
ULP in the lower tail (erfc amplifies a relative error of its argument
by about 2 t^2), which is where x*Phi(x) (gelu) lives. :func:`norm_pdf` is
e^(-x^2/2)/sqrt(2 pi) with x^2 split exactly. Both take an optional factor
applied before the last rounding (:func:`exp_pair`), so that x Phi(x) stays
accurate where Phi(x) is subnormal.

The error-free transformations (:func:`split`, :func:`two_prod`) are the
building blocks of that double-double arithmetic; the catalog uses them
where a constant multiplies x before an exponential amplifies the rounding
(gelu's tanh and sigmoid forms).

Every function takes ``(xp, x)``: the array namespace and a real floating
array; float16/float32 are computed in float64 (where the namespace has it)
and rounded once. NaN propagates, +-inf give the limits, and no
floating-point warning escapes for any input.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

from .numerics import split_square, two_sum  # noqa: F401  (two_sum: part of this module's API)

__all__ = ["erf", "erfc", "ndtr", "norm_pdf", "exp_pair", "split", "two_prod", "two_sum", "dd_const"]


# ----------------------------------------------------------------- double-double

def _bits(xp, x, float64_bits, other_bits):
    return float64_bits if x.dtype == xp.float64 else other_bits


def split(xp, a, drop=None):
    """Veltkamp's split a = hi + lo exactly, hi keeping the leading bits of a
    (float64: 26 of 53 by default, or 53 - ``drop``); a is an array or a
    Python float (then give ``drop``). |a| < 2^995."""
    s = drop if drop is not None else _bits(xp, a, 27, 12)
    t = (2.0 ** s + 1.0) * a
    hi = t - (t - a)
    return hi, a - hi


def two_prod(xp, a, b_hi, b_lo=0.0):
    """a * (b_hi + b_lo) as a double-double (p, e) without FMA (Dekker):
    p = fl(a*b_hi) and e carries what p lost, plus a*b_lo. ``b_hi`` is a
    Python float (a constant) or an array; exact for |a|, |b_hi| < 2^995
    unless the partial products underflow."""
    p = a * b_hi
    ah, al = split(xp, a)
    bh, bl = split(xp, b_hi, _bits(xp, a, 27, 12))
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e + a * b_lo


def dd_const(value: str) -> tuple[float, float]:
    """A decimal constant as (hi, lo) floats with hi + lo exact to ~2^-106."""
    exact = Fraction(value)
    hi = float(exact)
    return hi, float(exact - Fraction(hi))


# ----------------------------------------------------------------- fdlibm erf

TWO_OVER_SQRT_PI = 1.1283791670955126  # erf'(0)
ERX = 8.45062911510467529297e-01  # erf(1) rounded to 24 bits
PP = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
      -5.77027029648944159157e-03, -2.37630166566501626084e-05)
QQ = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
      1.32494738004321644526e-04, -3.96022827877536812320e-06)
PA = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
      3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
      -2.16637559486879084300e-03)
QA = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
      1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02)
RA = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
      -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
      -8.12874355063065934246e+01, -9.81432934416914548592e+00)
SA = (1.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02,
      6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02,
      6.57024977031928170135e+00, -6.04244152148580987438e-02)
RB = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
      -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
      -4.83519191608651397019e+02)
SB = (1.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03,
      3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02,
      -2.24409524465858183362e+01)


def _poly(xp, z, coeffs):
    """c0 + z*(c1 + z*(c2 + ...)) by compensated Horner (Graillat et al.):
    (r, err) with r + err accurate to about twice the working precision."""
    r = xp.full_like(z, coeffs[-1])
    err = xp.zeros_like(z)
    for c in coeffs[-2::-1]:
        p, e = two_prod(xp, r, z)
        r, f = two_sum(c, p)
        err = err * z + (e + f)
    return r, err


def _ratio(xp, z, num, den):
    """P(z)/Q(z) to about 2^-70 relative: the rounding of fdlibm's plain Horner
    and division costs up to 1.5 ULP of erf and erfc in the first two ranges."""
    p, pe = _poly(xp, z, num)
    q, qe = _poly(xp, z, den)
    r = p / q
    rq, rqe = two_prod(xp, r, q)
    return r + (((p - rq) - rqe) + pe - r * qe) / q


LN2_HI, LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10  # fdlibm: hi has 32 zero bits
_C128 = math.expm1(128.0 * LN2_LO)  # e^(128 ln2_lo) - 1 ~ 2.4e-8: its square is not negligible


def exp_pair(xp, a):
    """(h1, h2, c) with e^a = h1 h2 (1 + c), h2 a power of two.

    While e^a is far from subnormal, h1 = e^a, h2 = 1 and c = 0. Below e^-640
    (~1e-278), h1 = e^(a + 128 ln2_hi) (the sum is exact: Cody-Waite's ln2_hi
    has 32 trailing zero bits), h2 = 2^-128 and c = e^(128 ln2_lo) - 1. A product
    P e^a formed as (P h1 (1 + c)) h2 is then rounded once into the subnormal
    range, where P times a subnormal e^a would magnify the digits that e^a
    has already lost; callers fold c into a correction they already apply.
    """
    a = xp.maximum(a, -1600.0)  # e^a underflows long before; keeps a + K finite
    small = a < -640.0
    h1 = xp.exp(xp.where(small, a + 128.0 * LN2_HI, a))
    h2 = xp.where(small, xp.full_like(a, 2.0 ** -128), xp.ones_like(a))
    return h1, h2, xp.where(small, xp.full_like(a, _C128), xp.zeros_like(a))


def _erf_erfc_nonneg(xp, a, b, factor=None):
    """(erf(t), factor * erfc(t), erfc(-t)) for t = a + b >= 0, b a low-order
    part of t (|b| <= ulp(a)); factor (default 1) is applied before the last
    rounding (see :func:`exp_pair`). fdlibm's four ranges of |t|, each
    evaluated on a clamped copy of a (so that unused branches stay finite)
    and selected by where.
    """
    # [0, 0.84375): erf(t) = t + t*P(t^2)/Q(t^2)
    xs = xp.minimum(a, 0.84375)
    z = xs * xs
    y = _ratio(xp, z, PP, QQ)
    dt = xs * y + b * (TWO_OVER_SQRT_PI * xp.exp(-z))  # erf(t) - xs, to first order in b
    erf_s = xs + dt
    # 1 - erf(t) cancels for t >= 1/4: there fdlibm's 0.5 - ((t - 0.5) + dt), and
    # (1 - t) - dt for t >= 1/2, where 1 - t is exact (one rounding fewer)
    erfc_s = xp.where(xs < 0.25, 1.0 - erf_s,
                      xp.where(xs < 0.5, 0.5 - (dt + (xs - 0.5)), (1.0 - xs) - dt))
    # [0.84375, 1.25): erf(1 + s) = erx + P(s)/Q(s); a - 1 is exact (Sterbenz)
    s = (xp.clip(a, 0.84375, 1.25) - 1.0) + b
    pq = _ratio(xp, s, PA, QA)
    erf_m, erfc_m = ERX + pq, (1.0 - ERX) - pq
    # [1.25, 28]: erfc(t) = exp(-t^2 - 0.5625 + R(1/t^2)/S(1/t^2)) / t, where
    # -a^2 = -w^2 + (w - a)(w + a) with w = a to 21 bits (w^2 exact), and b
    # enters to first order: erfc(a + b) = erfc(a) (1 - b erf'(a)/erfc(a)), where
    # erf'(a)/erfc(a) = 2a e^(0.5625 - R/S)/sqrt(pi). The exponent is big + small
    # with big = -w^2 - 0.5625 exact; one exp of their rounded sum, corrected by
    # the sum's rounding error, is more accurate than fdlibm's two exps.
    xt = xp.clip(a, 1.25, 28.0)
    bt = xp.where(a == xt, b, xp.zeros_like(b))
    v = 1.0 / (xt * xt)
    rs = xp.where(xt < 1.0 / 0.35, _ratio(xp, v, RA, SA), _ratio(xp, v, RB, SB))
    w = split(xp, xt, _bits(xp, xt, 32, 12))[0]
    big = -w * w - 0.5625
    small_ = (w - xt) * (w + xt) + rs - bt * (TWO_OVER_SQRT_PI * xt * xp.exp(0.5625 - rs))
    h = big + small_
    h1, h2, c = exp_pair(xp, h)
    t = h1 / xt
    t = t + t * ((small_ - (h - big)) + c)  # erfc(t) = t h2
    erfc_t = t * h2
    small, middle = a < 0.84375, a < 1.25
    erf_ = xp.where(small, erf_s, xp.where(middle, erf_m, 1.0 - erfc_t))
    erfc_ = xp.where(small, erfc_s, xp.where(middle, erfc_m, erfc_t))
    if factor is not None:
        erfc_ = xp.where(a < 1.25, factor * erfc_, (factor * t) * h2)
    erfc_neg = xp.where(small, 1.0 + erf_s, xp.where(middle, 1.0 + (ERX + pq), 2.0 - erfc_t))
    return erf_, erfc_, erfc_neg


def _widened(fn):
    """Run fn in float64 for other floating dtypes (where the namespace has
    float64) and round once: the float32 results are then correctly rounded
    but for rare double roundings."""
    @functools.wraps(fn)
    def wrapper(xp, x, factor=None):
        if x.dtype == xp.float64 or not hasattr(xp, "float64"):
            return fn(xp, x) if factor is None else fn(xp, x, factor)
        dt = x.dtype
        if factor is not None and hasattr(factor, "dtype"):
            factor = xp.astype(factor, xp.float64)
        y = fn(xp, xp.astype(x, xp.float64)) if factor is None else fn(xp, xp.astype(x, xp.float64), factor)
        return xp.astype(y, dt)
    return wrapper


@_widened
def erf(xp, x):
    """erf(x) = 2/sqrt(pi) int_0^x e^(-t^2) dt (<= 1 ULP)."""
    e, _, _ = _erf_erfc_nonneg(xp, xp.abs(x), xp.zeros_like(x))
    return xp.copysign(e, x)


@_widened
def erfc(xp, x):
    """erfc(x) = 1 - erf(x), accurate in the right tail down to the underflow (<= 2 ULP)."""
    _, pos, neg = _erf_erfc_nonneg(xp, xp.abs(x), xp.zeros_like(x))
    return xp.where(x < 0, neg, pos)


SQRT1_2 = dd_const("0.70710678118654752440084436210484903928483593768847")
INV_SQRT_2PI = dd_const("0.39894228040143267793994605993438186847585863116493")


@_widened
def ndtr(xp, x, factor=None):
    """Phi(x) = erfc(-x/sqrt 2)/2, the standard normal CDF (<= 2 ULP);
    ``factor * Phi(x)`` with a single rounding when a factor (an array
    broadcasting against x) is given, so that x Phi(x) stays exact where
    Phi(x) is subnormal.

    u = -x/sqrt 2 is carried as a double-double, so the lower tail keeps full
    relative accuracy down to the underflow (Phi(-38.5) ~ 1e-324).
    """
    xc = xp.clip(x, -40.0, 40.0)  # Phi(-40) underflows to 0 and Phi(40) rounds to 1
    uh, ul = two_prod(xp, -xc, *SQRT1_2)
    neg = uh < 0
    half = 0.5 if factor is None else 0.5 * factor
    _, pos_, neg_ = _erf_erfc_nonneg(xp, xp.abs(uh), xp.where(neg, -ul, ul), half)
    return xp.where(neg, half * neg_, pos_)


@_widened
def norm_pdf(xp, x, factor=None):
    """phi(x) = e^(-x^2/2)/sqrt(2 pi) (<= 2 ULP), with x^2 = hi + lo split
    exactly; ``factor * phi(x)`` with a single rounding when a factor is given."""
    xc = xp.clip(x, -40.0, 40.0)  # e^-800 underflows to 0
    hi, lo = split_square(xp, xc)
    c_hi, c_lo = INV_SQRT_2PI
    h1, h2, c = exp_pair(xp, -0.5 * hi)
    if factor is not None:
        h1 = factor * h1
    return (h1 * (c_hi + ((c_lo + c_hi * c) - (0.5 * c_hi) * lo))) * h2

