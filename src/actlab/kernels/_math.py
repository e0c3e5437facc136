"""Vectorizable float64 primitives for the kernels (Numba, no libm calls).

Numba's ``math.exp`` calls libm, which LLVM cannot vectorize (PyPI's llvmlite
has no SVML). These are branch-free (selects only) so the loop vectorizer
turns a kernel into SIMD code. Each is accurate to about 1 ULP in float64 over
its whole stated domain; the float32 kernels call them too (load, compute in
float64, round once), which keeps float32 results essentially correctly
rounded, as the reference path's are.

exp: Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, then e^r = 1 + p(r)
with p the degree-13 Taylor polynomial of expm1 (truncation < 0.05 ULP), and
2^n built from the bits of the rounded n in two factors, so that results in
the subnormal range round once.
"""

from __future__ import annotations

import math

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["jit", "exp", "expm1_neg", "log1p_unit", "tanh"]

#: How every kernel function is compiled. 'contract' lets LLVM fuse a*b+c into
#: FMAs; nothing else of fastmath: reassociation would undo the compensated
#: arithmetic below, and no-NaN/no-inf/no-signed-zero flags would break the
#: special values. error_model='numpy': x/0 gives inf, not an exception.
jit = njit(cache=True, nogil=True, error_model="numpy", fastmath={"contract"})

_SHIFT = 6755399441055744.0  # 1.5 * 2^52: t = y + SHIFT rounds y to an integer held in t's low bits
_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln2 with 21 trailing zero bits: n * LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_SQRT2 = 1.4142135623730951


@intrinsic
def _bits(typingctx, x):
    """The IEEE bits of a float64 as an int64 (a bitcast, free in SIMD)."""
    if x != types.float64:
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _from_bits(typingctx, i):
    if i != types.int64:
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


_SHIFT_BITS = 0x4338000000000000  # _bits(_SHIFT)


@jit
def _expm1_poly(r):
    """e^r - 1 for |r| <= ln2/2: Taylor to degree 13 (the remainder is < 5e-18)."""
    q = 1.0 / 6227020800.0
    q = q * r + 1.0 / 479001600.0
    q = q * r + 1.0 / 39916800.0
    q = q * r + 1.0 / 3628800.0
    q = q * r + 1.0 / 362880.0
    q = q * r + 1.0 / 40320.0
    q = q * r + 1.0 / 5040.0
    q = q * r + 1.0 / 720.0
    q = q * r + 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r + 1.0 / 6.0
    q = q * r + 0.5
    return r + (r * r) * q


@jit
def _reduce(x):
    """(n, r) with x = n ln2 + r, |r| <= ln2/2; n as an int64 from the shifter's bits."""
    t = x * _LOG2E + _SHIFT
    n = t - _SHIFT
    r = (x - n * _LN2_HI) - n * _LN2_LO
    return _bits(t) - _SHIFT_BITS, r


@jit
def _pow2(k):
    """2^k for -1022 <= k <= 1023."""
    return _from_bits((k + 1023) << 52)


@jit
def exp(x):
    """e^x for all x (NaN excepted: callers keep NaN themselves)."""
    x = -746.0 if x < -746.0 else (710.0 if x > 710.0 else x)  # beyond: 0 and inf
    k, r = _reduce(x)
    k1 = k >> 1
    return ((1.0 + _expm1_poly(r)) * _pow2(k1)) * _pow2(k - k1)


@jit
def expm1_neg(x):
    """e^x - 1 for x <= 0 (below -40 it is -1 to the last bit)."""
    x = -40.0 if x < -40.0 else x
    k, r = _reduce(x)
    s = _pow2(k)
    return s * _expm1_poly(r) + (s - 1.0)


# fdlibm's minimax coefficients for log(1+f) = 2 atanh(s), s = f/(2+f), |s| <= 0.1716
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


@jit
def log1p_unit(u):
    """log(1 + u) for 0 <= u <= 1 (fdlibm's method, carrying the rounding of 1 + u)."""
    w = 1.0 + u
    c = (u - (w - 1.0)) / w  # 1 + u = w (1 + c) exactly, to first order
    big = w > _SQRT2
    f = w * 0.5 - 1.0 if big else w - 1.0
    k = 1.0 if big else 0.0
    s = f / (2.0 + f)
    z = s * s
    R = z * (_LG1 + z * (_LG2 + z * (_LG3 + z * (_LG4 + z * (_LG5 + z * (_LG6 + z * _LG7))))))
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + R) + (k * _LN2_LO + c))) - f)


@jit
def tanh(x):
    """tanh x = -m/(2+m) with m = e^(-2|x|) - 1, the sign of x (and of zero) kept."""
    m = expm1_neg(-2.0 * abs(x))
    t = -m / (2.0 + m)
    return math.copysign(t, x)
