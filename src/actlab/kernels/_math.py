"""Vectorizable float64 primitives for the kernels (Numba, no libm calls).

Numba's ``math.exp`` calls libm, which LLVM cannot vectorize (PyPI's llvmlite
has no SVML). These are branch-free (selects only) so the loop vectorizer
turns a kernel into SIMD code (AVX-512/AVX2 where the CPU has it).

exp: Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, with r's rounding
error carried; e^r - 1 = r + r^2 q(r), q the degree-11 Taylor polynomial
(truncation < 5e-18); 1 + r summed exactly (Fast2Sum) so that the result
rounds once; 2^k built from the bits of the rounded k in two factors, so
that subnormal results round once too. expm1 (x <= 0) and tanh (from
expm1 in double-double, the quotient corrected by its FMA remainder) are
built on the same core; log1p on [0, 1] is fdlibm's. Measured against
mpmath (3000 points each): exp 0.55 ULP, expm1 0.64, tanh 0.59, log1p 0.73;
NumPy's own are 0.63, 0.50, 1.03, 0.54. sin/cos (|x| <= TRIG_LIMIT; a
3-part pi/2 reduction carried as a double-double, fdlibm's kernels) and
atan (fdlibm's, branch-free): 0.71, 0.71, 0.70 ULP (mpmath, 12000 points
including near multiples of pi/2). For all x: expm1 (the exp core, 2^k - 1
summed exactly, halved where 2^k overflows), sinh (from expm1 in
double-double, e^|x|/2 beyond 22; sinh_dd gives the double-double), log1p
and log (the exponent taken from the bits, fdlibm's kernel on the mantissa,
subnormals scaled; log1p_or_log is either, with one logarithm), and
rsqrt_pow, (t + tl)^-1/2 and ^-3/2 for t >= 1 (the exponent taken out, one
Newton-type correction): 0.67, 0.63, 0.74, 0.73, 0.50, 0.56 ULP (mpmath,
6000 to 12000 points each, with the range edges).

The float32 loops compute in float32 (FLOAT32, at the end of this module:
exp, expm1 and tanh in float32 arithmetic, within 1 ULP (tanh 2.5) of the
exact value), or, for the formulas that need it, in float64 with the cheaper
"single grade" versions (SINGLE).
"""

from __future__ import annotations

import math
from types import FunctionType, ModuleType

import numpy as np
from llvmlite import ir
from numba import float32, float64, njit, types
from numba.core.dispatcher import Dispatcher
from numba.extending import intrinsic, overload

__all__ = ["OPTIONS", "jit", "variant", "fma", "select", "exp", "exp_pair", "expm1_neg", "log1p_unit", "tanh",
           "expm1", "sinh", "sinh_dd", "log1p", "log", "log1p_or_log", "rsqrt_pow",
           "TRIG_LIMIT", "sin", "cos", "sincos", "atan", "SINGLE",
           "FLOAT32", "to_float32", "as_float32"]

#: How the loops are compiled: no fastmath flag at all (reassociation would
#: undo the compensated arithmetic below, contraction into FMAs would change
#: the rounding, and the sign of zero, of the formulas that mirror the
#: reference; FMAs are written out where they help, see fma), and
#: error_model='numpy' so that x/0 is inf, not an exception.
OPTIONS = dict(nogil=True, error_model="numpy")
#: The primitives and formulas are inlined into the loops in Numba's IR:
#: LLVM's inliner gives up on the larger ones, and a call left in the loop
#: body stops it from being vectorized.
jit = njit(inline="always", **OPTIONS)


def variant(disp, parts, cache, constant=None):
    """``disp`` compiled anew with the functions named in ``parts`` replaced,
    also inside the functions of its own module that it calls (recursively;
    ``cache`` maps each original to its variant), and, given ``constant``,
    each literal and global constant c replaced by constant(c): the float32
    loops' versions are derived this way (cheaper "single grade" primitives,
    and float32 arithmetic, see to_float32)."""
    found = cache.get(disp)
    if found is None:
        fn = disp.py_func
        code = fn.__code__
        g = dict(fn.__globals__)
        for name in code.co_names:
            if name in parts:
                g[name] = parts[name]
            if isinstance(g.get(name), Dispatcher) and g[name].py_func.__module__ in (fn.__module__, None):
                g[name] = variant(g[name], parts, cache, constant)  # None: generated (see _unrolled_horner)
            elif constant is not None and name in g:
                g[name] = constant(g[name])
        if constant is not None:
            code = code.replace(co_consts=tuple(constant(c) for c in code.co_consts))
        found = cache[disp] = jit(FunctionType(code, g, fn.__name__, fn.__defaults__, fn.__closure__))
    return found

_SHIFT = 6755399441055744.0  # 1.5 * 2^52: t = y + SHIFT rounds y to an integer held in t's low bits
_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln2 with 21 trailing zero bits: n * LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_SQRT2 = 1.4142135623730951


@intrinsic
def _bits(typingctx, x):
    """The IEEE bits of a float64 (float32) as an int64 (int32): a bitcast, free in SIMD."""
    if x not in (types.float64, types.float32):
        return None
    width = x.bitwidth

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.IntType(width))

    return types.int64(x) if width == 64 else types.int32(x), codegen


@intrinsic
def _from_bits(typingctx, i):
    if i != types.int64:
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


_SHIFT_BITS = 0x4338000000000000  # _bits(_SHIFT)


@intrinsic
def fma(typingctx, a, b, c):
    """a*b + c with one rounding (llvm.fma: one instruction where the CPU has FMA);
    float64 or float32."""
    if not (a == b == c and a in (types.float64, types.float32)):
        return None

    def codegen(context, builder, sig, args):
        return builder.fma(*args)

    return a(a, a, a), codegen


@intrinsic
def _from_bits32(typingctx, i):
    """The float32 of the low 32 bits of an integer."""
    if not isinstance(i, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        v = args[0] if i.bitwidth == 32 else builder.trunc(args[0], ir.IntType(32))
        return builder.bitcast(v, ir.FloatType())

    return types.float32(i), codegen


@intrinsic
def select(typingctx, c, a, b):
    """a if c else b, both evaluated: a select instruction, not a branch. Prefer
    it in the primitives and large formulas: every branch is a block, and
    Numba's inlining copies each block with all of the function's variables,
    which made a large formula take seconds to compile."""
    if not (c == types.boolean and a == b):
        return None

    def codegen(context, builder, sig, args):
        return builder.select(*args)

    return a(types.boolean, a, a), codegen


@jit
def _expm1_tail(r):
    """(e^r - 1 - r)/r^2 for |r| <= ln2/2: Taylor to degree 13 in e^r (remainder < 5e-18)."""
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
    return q * r + 0.5


@jit
def _reduce(x):
    """(k, r, e) with x = k ln2 + r + e, |r| <= ln2/2, e the rounding error of
    r (a few ULP of 1e-16 r); k as an int64 from the shifter's bits."""
    t = x * _LOG2E + _SHIFT
    n = t - _SHIFT
    rh = fma(-n, _LN2_HI, x)  # exact
    nl = n * _LN2_LO
    r = rh - nl
    return _bits(t) - _SHIFT_BITS, r, (rh - r) - nl


@jit
def _pow2(k):
    """2^k for -1022 <= k <= 1023."""
    return _from_bits((k + 1023) << 52)


@jit
def _expm1_dd(x):
    """(k, hi, lo): e^x = 2^k (1 + hi + lo), hi + lo = e^r - 1 to ~2^-60 relative
    (1 + r summed exactly, then the tail: the result rounds once)."""
    k, r, e = _reduce(x)
    return k, r, fma(r * r, _expm1_tail(r), e + e * r)


@jit
def exp(x):
    """e^x for all x, to 0.51 ULP (NaN excepted: the loops keep NaN themselves)."""
    x = select(x < -746.0, -746.0, select(x > 710.0, 710.0, x))  # beyond: 0 and inf
    k, hi, lo = _expm1_dd(x)
    s = 1.0 + hi
    y = s + (((1.0 - s) + hi) + lo)  # (1 - s) + hi: the rounding error of s, exactly
    k1 = k >> 1
    return (y * _pow2(k1)) * _pow2(k - k1)


@jit
def exp_pair(a):
    """(h1, h2) with e^a = h1 h2, h2 = 1, or 2^-128 below e^-640 so that h1
    stays normal: a product P e^a formed as (P h1) h2 rounds once into the
    subnormal range (as actlab.special.exp_pair)."""
    a = select(a < -835.0, -835.0, select(a > 710.0, 710.0, a))  # h1 = e^(a + 128 ln2) is 0 below
    k, hi, lo = _expm1_dd(a)
    s = 1.0 + hi
    y = s + (((1.0 - s) + hi) + lo)
    small = a < -640.0
    k = select(small, k + 128, k)
    k1 = k >> 1
    return (y * _pow2(k1)) * _pow2(k - k1), select(small, 2.0 ** -128, 1.0)


@jit
def _expm1_neg_dd(x):
    """e^x - 1 = hi + lo for x <= 0, |lo| <= ulp(hi)/2 (below -40 it is -1)."""
    x = -40.0 if x < -40.0 else x
    k, h, l = _expm1_dd(x)
    s = _pow2(k)
    a = s - 1.0  # exact, and |a| >= |s h| unless k = 0 (then a = 0): Fast2Sum
    b = s * h
    hi = a + b
    lo = ((a - hi) + b) + s * l
    y = hi + lo  # renormalise: |lo| < |hi|, Fast2Sum again
    return y, (hi - y) + lo


@jit
def expm1_neg(x):
    """e^x - 1 for x <= 0, to 0.51 ULP."""
    return _expm1_neg_dd(x)[0]


# fdlibm's minimax coefficients for log(1+f) = 2 atanh(s), s = f/(2+f), |s| <= 0.1716
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


@jit
def _log_tail(z):
    """fdlibm's log1p kernel polynomial R(z), z = s^2."""
    return z * (_LG1 + z * (_LG2 + z * (_LG3 + z * (_LG4 + z * (_LG5 + z * (_LG6 + z * _LG7))))))


@jit
def log1p_unit(u):
    """log(1 + u) for 0 <= u <= 1 (fdlibm's method, carrying the rounding of 1 + u)."""
    w = 1.0 + u
    return _log_reduced(w, _log1p_correction(u, w), 0.0)


@jit
def tanh(x):
    """tanh x = -m/(2+m) with m = e^(-2|x|) - 1 carried as hi + lo, the sign
    of x (and of zero) kept; the quotient is corrected with its exact FMA
    remainder, so it rounds about once."""
    mh, ml = _expm1_neg_dd(-2.0 * abs(x))
    d = 2.0 + mh
    dl = ((2.0 - d) + mh) + ml  # 2 + m = d + dl
    q = -mh / d
    t = q + (fma(-q, d, -mh) - ml - q * dl) / d
    return math.copysign(t, x)


# ------------------------------------------------------------------ expm1, sinh, log1p, log, powers

@jit
def _expm1_dd_all(x):
    """e^x - 1 = hi + lo for all x (clamped to [-40, 710]: -1 and inf beyond).
    Where 2^k itself would overflow (x > 709.43) the sum is formed at half
    scale and doubled (the -1 is then far below its last place)."""
    x = select(x < -40.0, -40.0, select(x > 710.0, 710.0, x))
    k, h, l = _expm1_dd(x)
    big = k > 1023
    s = _pow2(select(big, k - 1, k))
    a = s - 1.0  # exact for k <= 53; beyond, (s - a) - 1 recovers the dropped 1
    b = s * h  # |a| >= |b| unless a = 0: Fast2Sum
    hi = a + b
    lo = (((a - hi) + b) + s * l) + ((s - a) - 1.0)
    y = hi + lo
    m = select(big, 2.0, 1.0)
    return y * m, ((hi - y) + lo) * m


@jit
def expm1(x):
    """e^x - 1 for all x, within 0.7 ULP; the sign of zero kept."""
    return select(x == 0.0, x, _expm1_dd_all(x)[0])


@jit
def sinh_dd(x):
    """sinh x = hi + lo for |x| <= 22, to ~2^-55 relative: fdlibm's
    (E + E/(E + 1))/2 with E = e^|x| - 1, each step in double-double; the sign of x kept."""
    eh, el = _expm1_dd_all(abs(x))
    d = 1.0 + eh
    bb = d - 1.0
    dl = ((1.0 - (d - bb)) + (eh - bb)) + el  # 1 + E = d + dl (TwoSum)
    q = eh / d
    ql = (fma(-q, d, eh) + el - q * dl) / d  # E/(1 + E) = q + ql
    sh = eh + q
    bb = sh - eh
    sl = ((eh - (sh - bb)) + (q - bb)) + (el + ql)
    hi = sh + sl
    lo = (sh - hi) + sl
    return math.copysign(0.5 * hi, x), math.copysign(0.5, x) * lo


@jit
def sinh(x):
    """sinh x for all x, within 0.65 ULP (|x| > 22: e^|x|/2 scaled by 2^(k-1) in
    two factors, so that it overflows exactly where sinh does); the sign of zero kept."""
    a = abs(x)
    k, h, l = _expm1_dd(select(a > 711.0, 711.0, a))
    s = 1.0 + h
    y = s + (((1.0 - s) + h) + l)
    k1 = (k - 1) >> 1
    big = (y * _pow2(k1)) * _pow2(k - 1 - k1)
    return math.copysign(select(a <= 22.0, sinh_dd(select(a > 22.0, 22.0, a))[0], big), x)


_MANT = 0x000FFFFFFFFFFFFF
_ONE_BITS = 0x3FF0000000000000


@jit
def _log_reduced(w, c, k0):
    """k0 ln2 + log(w (1 + c)) for positive normal finite w and |c| <= 2^-52:
    w = 2^k m, m in [sqrt2/2, sqrt2), then fdlibm's log1p kernel on f = m - 1 (exact)."""
    b = _bits(w)
    m = _from_bits((b & _MANT) | _ONE_BITS)
    k = float((b >> 52) - 1023) + k0
    big = m > _SQRT2
    f = select(big, 0.5 * m, m) - 1.0
    k = select(big, k + 1.0, k)
    s = f / (2.0 + f)
    z = s * s
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + _log_tail(z)) + (k * _LN2_LO + c))) - f)


@jit
def _log1p_correction(u, w):
    """c with 1 + u = w (1 + c) to first order, w = 1 + u rounded (beyond 2^53
    c is below 2^-53 and the log is > 36)."""
    return (u - (w - 1.0)) / w


@jit
def _log_all(w, c):
    """log(w (1 + c)) for all w >= 0 (subnormal w scaled by 2^54 first), NaN below."""
    sub = w < 2.2250738585072014e-308
    ok = (w > 0.0) & (w < math.inf)
    r = _log_reduced(select(ok, select(sub, w * 18014398509481984.0, w), 1.0), c, select(sub, -54.0, 0.0))
    return select(ok, r, select(w == math.inf, w, select(w == 0.0, -math.inf, math.nan)))


@jit
def log1p(u):
    """log(1 + u) for all u (-inf at -1, NaN below), within 0.75 ULP; the sign of zero kept."""
    w = 1.0 + u
    return select((u == 0.0) | (u == math.inf), u, _log_all(w, _log1p_correction(u, w)))


@jit
def log(w):
    """log w for all w >= 0, within 0.75 ULP."""
    return _log_all(w, 0.0)


@jit
def log1p_or_log(near, u, w):
    """log1p(u) where near (w must then be 1 + u rounded), else log w, with one
    logarithm where a select of the two would take both; the same bits as they give."""
    r = _log_all(w, select(near, _log1p_correction(u, w), 0.0))
    return select(near & (u == 0.0), u, r)


@jit
def _pow_core(t, tl, p):
    """(t + tl)^-p for p = 1/2 or 3/2 and 1 <= t < 4: sqrt(t + tl) and the power as
    double-doubles, the reciprocal corrected by its FMA remainder."""
    s = math.sqrt(t)
    sl = (fma(-s, s, t) + tl) / (2.0 * s)  # sqrt(t + tl) = s + sl
    if p == 0.5:
        y = 1.0 / s
        return y + y * (fma(-y, s, 1.0) - y * sl)
    ph = t * s
    pl = fma(t, s, -ph) + (t * sl + tl * s)  # (t + tl)^(3/2) = ph + pl
    y = 1.0 / ph
    return y + y * (fma(-y, ph, 1.0) - y * pl)


@jit
def rsqrt_pow(t, tl, p):
    """(t + tl)^-p for p = 1/2 or 3/2 (a compile-time constant), t >= 1 up to
    inf (0), |tl| <= ulp(t): t = 4^j m, m in [1, 4), and the power of 2 applied
    in two factors so that a subnormal result rounds once. 0.6 ULP."""
    b = _bits(select(t < math.inf, t, 1.0))
    j = ((b >> 52) - 1023) >> 1
    scale = _pow2(-2 * j)
    y = _pow_core(t * scale, tl * scale, p)
    e = select(p == 0.5, -j, -3 * j)
    e1 = e >> 1
    r = (y * _pow2(e1)) * _pow2(e - e1)
    return select(t < math.inf, r, 0.0)


# ------------------------------------------------------------------ trigonometric

#: sin and cos below reduce exactly enough only for |x| <= TRIG_LIMIT (and
#: finite): the loops send larger |x| to libm in a separate pass (Formula.rare).
TRIG_LIMIT = 1048576.0  # 2^20
_2_OVER_PI = 0.6366197723675814
# pi/2 = P1 + P2 + P3 to ~2^-160: x - k P1 is exact for any k (both multiples
# of ulp(P1), difference below 2), k P2 is carried exactly by its FMA error
_PIO2_1 = 1.5707963267948966
_PIO2_2 = 6.123233995736766e-17
_PIO2_3 = -1.4973849048591698e-33
# fdlibm's __kernel_sin/__kernel_cos minimax coefficients on [-pi/4, pi/4]
_S1 = -1.66666666666666324348e-01
_S2 = 8.33333333332248946124e-03
_S3 = -1.98412698298579493134e-04
_S4 = 2.75573137070700676789e-06
_S5 = -2.50507602534068634195e-08
_S6 = 1.58969099521155010221e-10
_C1 = 4.16666666666666019037e-02
_C2 = -1.38888888888741095749e-03
_C3 = 2.48015872894767294178e-05
_C4 = -2.75573143513906633035e-07
_C5 = 2.08757232129817482790e-09
_C6 = -1.13596475577881948265e-11


@jit
def _reduce_pio2(x):
    """(n, r, rl): x = n pi/2 + r + rl, |r| <= ~pi/4, r + rl to ~2^-100
    absolutely, for |x| <= TRIG_LIMIT."""
    t = x * _2_OVER_PI + _SHIFT
    k = t - _SHIFT
    r1 = fma(-k, _PIO2_1, x)  # exact
    p = k * _PIO2_2
    pe = fma(k, _PIO2_2, -p)  # k P2 = p + pe exactly
    r2 = r1 - p
    b = r2 - r1
    e = (r1 - (r2 - b)) - (p + b)  # r1 - p = r2 + e exactly (TwoSum)
    rl = (e - pe) - k * _PIO2_3
    r = r2 + rl
    return _bits(t) - _SHIFT_BITS, r, (r2 - r) + rl


@jit
def _sin_kernel(x, y):
    """sin(x + y), |x| <= pi/4, |y| <= ulp(x) (fdlibm's __kernel_sin)."""
    z = x * x
    w = z * z
    r = _S2 + z * (_S3 + z * _S4) + z * w * (_S5 + z * _S6)
    v = z * x
    return x - ((z * (0.5 * y - v * r) - y) - v * _S1)


@jit
def _cos_kernel(x, y):
    """cos(x + y), |x| <= pi/4, |y| <= ulp(x) (fdlibm's __kernel_cos)."""
    z = x * x
    w = z * z
    r = z * (_C1 + z * (_C2 + z * _C3)) + w * w * (_C4 + z * (_C5 + z * _C6))
    hz = 0.5 * z
    w = 1.0 - hz
    return w + (((1.0 - w) - hz) + (z * r - x * y))


@jit
def sincos(x):
    """(sin x, cos x) for |x| <= TRIG_LIMIT, each within 1 ULP; larger |x| (and
    inf) give finite garbage: the caller sends them to libm (see TRIG_LIMIT)."""
    n, r, rl = _reduce_pio2(x if abs(x) <= TRIG_LIMIT else 0.0)
    s = _sin_kernel(r, rl)
    c = _cos_kernel(r, rl)
    # quadrant n: sin x = +-s or +-c, the sign flipped (in its bit) where n & 2, or (n + 1) & 2 for cos
    odd = (n & 1) != 0
    sin_x = _from_bits(_bits(c if odd else s) ^ ((n & 2) << 62))
    cos_x = _from_bits(_bits(s if odd else c) ^ (((n + 1) & 2) << 62))
    return (x if x == 0.0 else sin_x), cos_x  # sin -0 = -0


@jit
def sin(x):
    """sin x for |x| <= TRIG_LIMIT (see sincos)."""
    return sincos(x)[0]


@jit
def cos(x):
    """cos x for |x| <= TRIG_LIMIT (see sincos)."""
    return sincos(x)[1]


# fdlibm's s_atan.c: atan on four intervals around 0.5, 1, 1.5 and infinity
_ATAN_HI = (4.63647609000806093515e-01, 7.85398163397448278999e-01,
            9.82793723247329054082e-01, 1.57079632679489655800e+00)
_ATAN_LO = (2.26987774529616870924e-17, 3.06161699786838301793e-17,
            1.39033110312309984516e-17, 6.12323399573676603587e-17)
_AT0 = 3.33333333333329318027e-01
_AT1 = -1.99999999998764832476e-01
_AT2 = 1.42857142725034663711e-01
_AT3 = -1.11111104054623557880e-01
_AT4 = 9.09088713343650656196e-02
_AT5 = -7.69187620504482999495e-02
_AT6 = 6.66107313738753120669e-02
_AT7 = -5.83357013379057348645e-02
_AT8 = 4.97687799461593236017e-02
_AT9 = -3.65315727442169155270e-02
_AT10 = 1.62858201153657823623e-02


@jit
def atan(x):
    """atan x for all x, within 1 ULP (fdlibm's method, its branches as
    selects, one division); the sign of zero kept."""
    a = abs(x)
    i0, i1, i2, i3 = a >= 0.4375, a >= 0.6875, a >= 1.1875, a >= 2.4375
    num = -1.0 if i3 else (a - 1.5 if i2 else (a - 1.0 if i1 else (2.0 * a - 1.0 if i0 else a)))
    den = a if i3 else (1.0 + 1.5 * a if i2 else (a + 1.0 if i1 else (2.0 + a if i0 else 1.0)))
    hi = _ATAN_HI[3] if i3 else (_ATAN_HI[2] if i2 else (_ATAN_HI[1] if i1 else (_ATAN_HI[0] if i0 else 0.0)))
    lo = _ATAN_LO[3] if i3 else (_ATAN_LO[2] if i2 else (_ATAN_LO[1] if i1 else (_ATAN_LO[0] if i0 else 0.0)))
    t = num / den
    z = t * t
    w = z * z
    s1 = z * (_AT0 + w * (_AT2 + w * (_AT4 + w * (_AT6 + w * (_AT8 + w * _AT10)))))
    s2 = w * (_AT1 + w * (_AT3 + w * (_AT5 + w * (_AT7 + w * _AT9))))
    return math.copysign(hi - ((t * (s1 + s2) - lo) - t), x)


# ------------------------------------------------------------------ single grade
# The float32 loops compute in float64 too, but need only ~1e-10 relative
# accuracy before their final rounding to float32 (half an ULP is 3e-8): these
# drop the compensated steps and shorten the polynomial, which nearly halves
# the cost. formulas.py compiles a float32 variant of every formula with these
# in place of the functions of the same name above (see SINGLE).

@jit
def _exp_tail_single(r):
    """(e^r - 1 - r)/r^2, |r| <= ln2/2, to 1e-10 relative in e^r (Taylor to degree 8;
    FMAs: nothing here needs the reference's rounding, only 1e-10)."""
    q = 1.0 / 40320.0
    q = fma(q, r, 1.0 / 5040.0)
    q = fma(q, r, 1.0 / 720.0)
    q = fma(q, r, 1.0 / 120.0)
    q = fma(q, r, 1.0 / 24.0)
    q = fma(q, r, 1.0 / 6.0)
    return fma(q, r, 0.5)


@jit
def exp_single(x):
    """e^x to ~1e-10 relative (subnormal results too: their sign of zero
    after float32 rounding depends on them)."""
    x = select(x < -746.0, -746.0, select(x > 710.0, 710.0, x))
    t = x * _LOG2E + _SHIFT
    n = t - _SHIFT
    r = fma(-n, _LN2_HI, x) - n * _LN2_LO
    k = _bits(t) - _SHIFT_BITS
    k1 = k >> 1
    return ((1.0 + (r + (r * r) * _exp_tail_single(r))) * _pow2(k1)) * _pow2(k - k1)


@jit
def exp_pair_single(a):
    a = select(a < -835.0, -835.0, select(a > 710.0, 710.0, a))  # h1 = e^(a + 128 ln2) is 0 below
    t = a * _LOG2E + _SHIFT
    n = t - _SHIFT
    r = fma(-n, _LN2_HI, a) - n * _LN2_LO
    small = a < -640.0
    k = _bits(t) - _SHIFT_BITS + select(small, 128, 0)
    k1 = k >> 1
    y = 1.0 + (r + (r * r) * _exp_tail_single(r))
    return (y * _pow2(k1)) * _pow2(k - k1), select(small, 2.0 ** -128, 1.0)


@jit
def expm1_neg_single(x):
    """e^x - 1 for x <= 0 to ~1e-10 relative."""
    x = -40.0 if x < -40.0 else x
    t = x * _LOG2E + _SHIFT
    n = t - _SHIFT
    r = fma(-n, _LN2_HI, x) - n * _LN2_LO
    s = _pow2(_bits(t) - _SHIFT_BITS)
    return s * (r + (r * r) * _exp_tail_single(r)) + (s - 1.0)


@jit
def tanh_single(x):
    m = expm1_neg_single(-2.0 * abs(x))
    return math.copysign(-m / (2.0 + m), x)


@jit
def _log_tail_single(z):
    """R(z) without the z^7 term (< 2e-12 relative) and with FMAs."""
    return z * fma(z, fma(z, fma(z, fma(z, fma(z, _LG6, _LG5), _LG4), _LG3), _LG2), _LG1)


@jit
def log1p_unit_single(u):
    """log(1 + u) for 0 <= u <= 1 to ~1e-12 relative: below sqrt2 - 1, f = u itself
    (no rounding of 1 + u to carry), above it the rounding of w/2 - 1 is below 2^-53 of log 2."""
    w = 1.0 + u
    big = w > _SQRT2
    f = select(big, 0.5 * w - 1.0, u)
    k = select(big, 1.0, 0.0)
    s = f / (2.0 + f)
    z = s * s
    R = _log_tail_single(z)
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + R) + k * _LN2_LO)) - f)


@jit
def expm1_single(x):
    """e^x - 1 for all x to ~1e-9 relative (the sign of zero kept)."""
    xc = select(x < -40.0, -40.0, select(x > 710.0, 710.0, x))
    t = xc * _LOG2E + _SHIFT
    n = t - _SHIFT
    r = fma(-n, _LN2_HI, xc) - n * _LN2_LO
    k = _bits(t) - _SHIFT_BITS
    big = k > 1023
    s = _pow2(select(big, k - 1, k))
    y = fma(s, fma(r * r, _exp_tail_single(r), r), s - 1.0)
    return select(x == 0.0, x, y * select(big, 2.0, 1.0))


@jit
def _log1p_correction_single(u, w):
    """Not divided by w: for w < 2 that changes c by less than its own size
    times u; above, c is dropped."""
    return select(w < 2.0, u - (w - 1.0), 0.0)


_LOG_PARTS_SINGLE = {"_log_tail": _log_tail_single, "_log1p_correction": _log1p_correction_single}
_variants: dict = {}
log1p_single = variant(log1p, _LOG_PARTS_SINGLE, _variants)
log_single = variant(log, _LOG_PARTS_SINGLE, _variants)
log1p_or_log_single = variant(log1p_or_log, _LOG_PARTS_SINGLE, _variants)


@jit
def rsqrt_pow_single(t, tl, p):
    """(t + tl)^-p to ~1e-15: plain, as the float32 results it serves are 0
    long before t^(3/2) overflows."""
    s = math.sqrt(t)
    return 1.0 / select(p == 0.5, s, t * s)


#: The single-grade replacements, by the name formulas use.
SINGLE = {"exp": exp_single, "exp_pair": exp_pair_single, "expm1_neg": expm1_neg_single, "tanh": tanh_single,
          "expm1": expm1_single, "log1p": log1p_single, "log": log_single, "rsqrt_pow": rsqrt_pow_single,
          "log1p_unit": log1p_unit_single, "log1p_or_log": log1p_or_log_single}


# ------------------------------------------------------------------ float32 arithmetic

# The float32 loops of most formulas compute in float32 (every SIMD lane of
# the register, twice float64's): each formula is compiled again with its
# float constants in float32 (to_float32) and these primitives in place of the
# functions of the same name (FLOAT32). exp, expm1 and tanh are written for
# float32 (within 1 ULP, tanh 2.5, of the exact value; compiled through
# to_float32 too, so that their literals are float32); the others round
# float64's single-grade result once to float32.

_F = np.float32
_F32_MAX = float(np.finfo(np.float32).max)
_SHIFT_32 = 12582912.0  # 1.5 * 2^23
_SHIFT_BITS_32 = 0x4B400000
_LN2_HI_32 = 0.693145751953125  # 16 significant bits: n * LN2_HI is exact
_LN2_LO_32 = 1.4286068203094173e-06
_TAIL_32 = tuple(1.0 / math.factorial(k) for k in range(2, 8))


def to_float32(c):
    """A constant as the float32 formulas use it: floats and tuples of floats in
    float32 (finite ones beyond its range at +-its largest: a bound such as 1e300
    means "finite"), math's and actlab's modules of constants likewise; the rest unchanged."""
    if type(c) is float:
        return _F(math.copysign(min(abs(c), _F32_MAX), c)) if math.isfinite(c) else _F(c)
    if type(c) is tuple and c and all(type(v) is float for v in c):
        return tuple(to_float32(v) for v in c)
    if isinstance(c, ModuleType) and (c.__name__.startswith("actlab.") or c is math):
        return _float32_modules.get(c.__name__) or _float32_modules.setdefault(c.__name__, _module32(c))
    return c


_float32_modules: dict = {}


def _module32(module):
    copy = ModuleType(module.__name__ + "_float32")
    for name, value in vars(module).items():
        if not name.startswith("__"):
            setattr(copy, name, to_float32(value))
    return copy


@jit
def _pow2_32(k):
    """2^k for -126 <= k <= 127, as a float32."""
    return _from_bits32((k + 127) << 23)


@jit
def _reduce32(x):
    """(k, r): x = k ln2 + r, |r| <= ln2/2 (float32 Cody-Waite)."""
    t = x * _LOG2E + _SHIFT_32
    n = t - _SHIFT_32
    return _bits(t) - _SHIFT_BITS_32, fma(-n, _LN2_HI_32, x) - n * _LN2_LO_32


@jit
def _expm1_tail32(r):
    """(e^r - 1 - r)/r^2 for |r| <= ln2/2: Taylor to degree 7 in e^r (remainder 8e-9 relative)."""
    c = _TAIL_32
    return fma(fma(fma(fma(fma(c[5], r, c[4]), r, c[3]), r, c[2]), r, c[1]), r, c[0])


@jit
def exp32(x):
    """e^x in float32, 2^k applied in two factors (a subnormal result rounds once)."""
    x = select(x < -104.0, -104.0, select(x > 89.0, 89.0, x))
    k, r = _reduce32(x)
    y = 1.0 + fma(r * r, _expm1_tail32(r), r)
    k1 = k >> 1
    return (y * _pow2_32(k1)) * _pow2_32(k - k1)


@jit
def exp_pair32(a):
    """(h1, h2), e^a = h1 h2 with h1 normal down to e^-131 (h2 = 2^-64 below e^-80):
    as exp_pair, for float32."""
    a = select(a < -150.0, -150.0, select(a > 89.0, 89.0, a))
    k, r = _reduce32(a)
    small = a < -80.0
    k = select(small, k + 64, k)
    y = 1.0 + fma(r * r, _expm1_tail32(r), r)
    k1 = k >> 1
    return (y * _pow2_32(k1)) * _pow2_32(k - k1), select(small, 2.0 ** -64, 1.0)


@jit
def expm1_neg32(x):
    """e^x - 1 for x <= 0 in float32."""
    k, r = _reduce32(select(x < -20.0, -20.0, x))
    s = _pow2_32(k)
    return fma(s, fma(r * r, _expm1_tail32(r), r), s - 1.0)


@jit
def expm1_32(x):
    """e^x - 1 for all x in float32 (the sign of zero kept)."""
    k, r = _reduce32(select(x < -20.0, -20.0, select(x > 89.0, 89.0, x)))
    big = k > 127
    s = _pow2_32(select(big, k - 1, k))
    y = fma(s, fma(r * r, _expm1_tail32(r), r), s - 1.0)
    return select(x == 0.0, x, y * select(big, 2.0, 1.0))


@jit
def _copysign32(a, b):
    return _from_bits32((_bits(a) & 0x7FFFFFFF) | (_bits(b) & -0x80000000))


@jit
def tanh32(x):
    """tanh x = -m/(2+m), m = e^(-2|x|) - 1, in float32; the sign of x (and of zero) kept."""
    m = expm1_neg32(-2.0 * abs(x))
    return _copysign32(-m / (2.0 + m), x)


@jit
def _pair32(p):
    return float32(p[0]), float32(p[1])


def _through64(fn, arity):
    """fn (float64, single grade) for float32 arguments, its result rounded to float32."""
    if arity == 1:
        return jit(lambda x: float32(fn(float64(x))))
    if arity == 2:  # a pair
        return jit(lambda x: _pair32(fn(float64(x))))
    return jit(lambda c, u, w: float32(fn(c, float64(u), float64(w))))


_float32_variants: dict = {}


def _float32(disp):
    return variant(disp, {}, _float32_variants, to_float32)


#: The float32 replacements, by the name formulas use (rsqrt_pow takes its
#: constant power p as a float32 and gives it back as the exact float64 it is).
FLOAT32 = {"exp": _float32(exp32), "exp_pair": _float32(exp_pair32), "expm1_neg": _float32(expm1_neg32),
           "expm1": _float32(expm1_32), "tanh": _float32(tanh32),
           "log1p_unit": _through64(log1p_unit_single, 1), "log1p": _through64(log1p_single, 1),
           "log": _through64(log_single, 1), "log1p_or_log": _through64(log1p_or_log_single, 3),
           "rsqrt_pow": jit(lambda t, tl, p: float32(rsqrt_pow_single(float64(t), float64(tl), float64(p)))),
           "sinh": _through64(sinh, 1), "sinh_dd": _through64(sinh_dd, 2), "sin": _through64(sin, 1),
           "cos": _through64(cos, 1), "sincos": _through64(sincos, 2), "atan": _through64(atan, 1)}


def as_float32(v):
    """A parameter as the float32 loops take it: a float in float32; coefficient
    tuples unchanged (compiled code only)."""
    raise NotImplementedError("compiled code only")


@overload(as_float32, inline="always")
def _as_float32(v):
    if isinstance(v, types.Float):
        return lambda v: float32(v)
    return lambda v: v
