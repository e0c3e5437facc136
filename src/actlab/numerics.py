"""Stable primitives shared by many activations (Array API, any namespace).

Each one is exact to a few ULP over the whole real line, maps +-inf to its
limit and never overflows an unused branch, so no RuntimeWarning escapes.
"""

from __future__ import annotations

__all__ = [
    "sigmoid", "dsigmoid", "log1pexp", "sech2", "exp_neg_square", "split_square",
    "safe_expm1", "finite_or_nan", "horner", "two_sum",
]


def sigmoid(xp, x):
    """1/(1+e^-x) without overflow: e^-|x| is at most 1."""
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def dsigmoid(xp, x):
    """sigmoid'(x) = s(x) s(-x) = e^-|x| / (1+e^-|x|)^2, no cancellation."""
    e = xp.exp(-xp.abs(x))
    return e / ((1.0 + e) * (1.0 + e))


def log1pexp(xp, x):
    """softplus log(1+e^x) = max(x,0) + log1p(e^-|x|)."""
    return xp.maximum(x, 0.0) + xp.log1p(xp.exp(-xp.abs(x)))


def sech2(xp, x):
    """sech^2 x = 1 - tanh^2 x = 4e^-2|x| / (1+e^-2|x|)^2, no cancellation."""
    e = xp.exp(-2.0 * xp.abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def split_square(xp, x):
    """x^2 as hi + lo exactly (Dekker/Veltkamp), for |x| < 2^500.

    exp(-x^2) amplifies the rounding error of x^2 by x^2; carrying lo keeps
    exp(-x^2) within a few ULP for all x.
    """
    c = 134217729.0 if x.dtype == xp.float64 else 4097.0  # 2^27+1 / 2^12+1
    t = c * x
    xh = t - (t - x)
    xl = x - xh
    hi = x * x
    lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl
    return hi, lo


def exp_neg_square(xp, x):
    """e^(-x^2) to a few ULP; |x| is clamped at 40 where it is already 0."""
    xc = xp.clip(x, -40.0, 40.0)
    hi, lo = split_square(xp, xc)
    return xp.exp(-hi) * (1.0 - lo)


def safe_expm1(xp, x):
    """e^x - 1 for x <= 0 branches: the argument is clamped at 0 so that the
    unused branch of a where() never overflows."""
    return xp.expm1(xp.minimum(x, 0.0))


def finite_or_nan(xp, x):
    """x with +-inf replaced by NaN: for periodic factors (sin, cos) whose
    limit at infinity does not exist, NaN is the answer, without the
    'invalid value' warning that sin(inf) raises."""
    return xp.where(xp.isinf(x), xp.nan, x)


def horner(xp, coefficients, t):
    """sum_k coefficients[k] t^k, by Horner's rule (t an array)."""
    r = xp.zeros_like(t) + coefficients[-1]
    for c in reversed(coefficients[:-1]):
        r = r * t + c
    return r


def two_sum(a, b):
    """a + b as (s, e): s = fl(a + b) and s + e = a + b exactly (Knuth; any magnitudes)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)
