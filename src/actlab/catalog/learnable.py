"""Activations with learnable parameters (kind P).

Each gives ``dparams``, the elementwise partial derivatives with respect to
its learnable parameters; the Activation sums them over broadcast axes. Scalar
parameters may also be per-channel arrays (PyTorch's channel axis), except
rational's coefficient vectors, which are one polynomial shared by all inputs.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..numerics import finite_or_nan, split_square, two_sum
from ..registry import INF, Param, Props, Range, Ref, Unchecked, define, real

JIN = Ref("X. Jin, C. Xu, J. Feng, Y. Wei, J. Xiong, S. Yan",
          "Deep learning with S-shaped rectified linear activation units", 2016,
          "https://arxiv.org/abs/1512.07030")
AGOSTINELLI = Ref("F. Agostinelli, M. Hoffman, P. Sadowski, P. Baldi",
                  "Learning activation functions to improve deep neural networks", 2014,
                  "https://arxiv.org/abs/1412.6830")
GODFREY = Ref("L. B. Godfrey, M. S. Gashler", "A continuum among logarithmic, linear, and exponential "
              "functions, and its potential to improve generalization in neural networks", 2015,
              "https://arxiv.org/abs/1602.01321")
ZIYIN = Ref("L. Ziyin, T. Hartwig, M. Ueda", "Neural networks fail to learn periodic functions and how "
            "to fix it", 2020, "https://arxiv.org/abs/2006.08195")
YU = Ref("W. Yu, C. Si, P. Zhou, M. Luo, Y. Zhou, J. Feng, S. Yan, X. Wang",
         "MetaFormer baselines for vision", 2022, "https://arxiv.org/abs/2210.13452")
MOLINA = Ref("A. Molina, P. Schramowski, K. Kersting", "Padé activation units: end-to-end learning of "
             "flexible activation functions in deep networks", 2019, "https://arxiv.org/abs/1907.06732")

PER_CHANNEL = "; a scalar or one per channel (channel axis 1, or 0 for 1-D input, as PyTorch)"


def _times(xp, a, d):
    """a * d with 0 * inf = 0: a zero slope times an infinite distance contributes nothing."""
    return a * xp.where(xp.isinf(d) & (a == 0), 0.0, d)


def _scalar_claim(claim):
    """A claim computed from scalar parameters; per-channel values differ between channels."""
    def resolve(p):
        if any(isinstance(v, np.ndarray) for v in p.values()):
            return Unchecked(None, "per-channel parameters: the claim differs between channels")
        return claim(p)
    return resolve


def _step(xp, cond, x):
    return xp.where(cond, xp.ones_like(x), xp.zeros_like(x))


def _two_sum(xp, a, b):
    """a + b and its rounding error (Knuth), where the sum is finite (else error 0)."""
    total = a + b
    ok = xp.isfinite(total)
    return total, two_sum(*(xp.where(ok, v, 0.0) for v in (a, b)))[1]


def _two_prod(xp, a, b):
    """a * b and its rounding error (Dekker, no fma in the Array API), where the operands are split
    without overflow (else error 0)."""
    prod = a * b
    ok = xp.isfinite(prod) & (xp.abs(a) < 1e290) & (xp.abs(b) < 1e290)
    a, b = xp.where(ok, a, 0.0), xp.where(ok, b, 0.0)
    c = 134217729.0 if a.dtype == xp.float64 else 4097.0  # 2^27 + 1 (2^12 + 1 for float32)
    ah, bh = c * a - (c * a - a), c * b - (c * b - b)
    al, bl = a - ah, b - bh
    return prod, ((ah * bh - a * b) + ah * bl + al * bh) + al * bl


# ---------------------------------------------------------------- srelu

def _srelu_pieces(xp, x, t_left, t_right):
    """Masks of the right piece (x >= t_right) and the left piece (x <= t_left, not right)."""
    right = x >= t_right
    return right, (x <= t_left) & ~right


def _srelu(xp, x, t_left, a_left, t_right, a_right):
    right, left = _srelu_pieces(xp, x, t_left, t_right)
    return xp.where(right, t_right + _times(xp, a_right, x - t_right),
                    xp.where(left, t_left + _times(xp, a_left, x - t_left), x))


def _dsrelu(xp, x, t_left, a_left, t_right, a_right):
    right, left = _srelu_pieces(xp, x, t_left, t_right)
    one = xp.ones_like(x)
    return xp.where(right, a_right * one, xp.where(left, a_left * one, one))


def _srelu_dparams(xp, x, t_left, a_left, t_right, a_right):
    right, left = _srelu_pieces(xp, x, t_left, t_right)
    zero = xp.zeros_like(x)
    return {"t_left": xp.where(left, (1.0 - a_left) + zero, zero),
            "a_left": xp.where(left, x - t_left, zero),
            "t_right": xp.where(right, (1.0 - a_right) + zero, zero),
            "a_right": xp.where(right, x - t_right, zero)}


def _check_srelu(p):
    if not np.all(np.asarray(p["t_left"]) <= np.asarray(p["t_right"])):
        raise ValueError(f"t_left must be at most t_right, got t_left={p['t_left']!r} and "
                         f"t_right={p['t_right']!r}")


def _srelu_range(p):
    lo_inf = p["a_left"] > 0 or p["a_right"] < 0
    hi_inf = p["a_right"] > 0 or p["a_left"] < 0
    return Range(-INF if lo_inf else p["t_left"], INF if hi_inf else p["t_right"], not lo_inf, not hi_inf)


def _srelu_kinks(p):
    return tuple(sorted({float(v) for k in ("t_left", "t_right") for v in np.ravel(p[k])}))


define(
    name="srelu", kind="P", family="ridge", group="rectifier",
    summary="S-shaped ReLU: the identity between two learned thresholds, learned slopes outside them.",
    latex=(r"\begin{cases}t_r + a_r(x-t_r) & x\ge t_r\\ x & t_l<x<t_r\\ t_l + a_l(x-t_l) & x\le t_l\end{cases}",
           r"\begin{cases}a_r & x\ge t_r\\ 1 & t_l<x<t_r\\ a_l & x\le t_l\end{cases}", r"0"),
    params=(real("t_left", 0.0, "left threshold t_l" + PER_CHANNEL, learnable=True, array=True),
            real("a_left", 0.01, "slope a_l left of t_l" + PER_CHANNEL, learnable=True, array=True),
            real("t_right", 1.0, "right threshold t_r (>= t_left)" + PER_CHANNEL, learnable=True, array=True),
            real("a_right", 1.0, "slope a_r right of t_r" + PER_CHANNEL, learnable=True, array=True)),
    check_params=_check_srelu,
    f=_srelu, df=_dsrelu,
    d2f=lambda xp, x, t_left, a_left, t_right, a_right: xp.zeros_like(x),
    dparams=_srelu_dparams,
    props=Props(range=_scalar_claim(_srelu_range),
                continuity=_scalar_claim(lambda p: INF if p["a_left"] == p["a_right"] == 1 else 0),
                monotonic=_scalar_claim(lambda p: p["a_left"] >= 0 and p["a_right"] >= 0),
                derivative_monotonic=_scalar_claim(
                    lambda p: p["a_left"] <= 1 <= p["a_right"] or p["a_left"] >= 1 >= p["a_right"]),
                identity_near_origin=_scalar_claim(
                    lambda p: (p["t_left"] < 0 or p["a_left"] == 1) and (p["t_right"] > 0 or p["a_right"] == 1)),
                saturating_left=_scalar_claim(lambda p: p["a_left"] == 0),
                saturating_right=_scalar_claim(lambda p: p["a_right"] == 0)),
    kinks=_srelu_kinks,
    notes="The paper starts SReLU as a leaky ReLU, frozen for the first epochs (t_l = 0, a_r = 1, "
          "the right piece out of the way), then sets t_r from the distribution of the unit's inputs "
          "and learns all four per channel. The defaults reproduce that start: with a_r = 1 the "
          "function is leaky_relu(x, a_l) for any t_r >= 0; the data-dependent t_r is left to the "
          "user. At a threshold the outer piece applies (x >= t_r, x <= t_l), as the paper's cases "
          "say, so f'(t_r) = a_r and f'(t_l) = a_l. keras_contrib's SReLU layer (not Keras itself) "
          "initialises at random instead: t_l = 0, a_l ~ U(0, 1), t_r ~ U(0, 5), a_r = 1.",
    references=(JIN,),
    peers={"WP": "S-shaped rectified linear activation unit (SReLU)"},
)

# ---------------------------------------------------------------- apl


def _apl(xp, x, a, b):
    return xp.where(x > 0, x, xp.zeros_like(x)) + _times(xp, a, xp.where(x < b, b - x, xp.zeros_like(x)))


def _apl_range(p):
    a, b = p["a"], p["b"]
    if a < 0:
        return Range(-INF, INF)
    return Range(min(a * b, b) if b > 0 else 0.0, INF, True)


define(
    name="apl", kind="P", family="ridge", group="rectifier",
    summary="Adaptive piecewise linear unit with one hinge: relu(x) + a*max(0, b - x), a and b learned.",
    latex=(r"\max(0,x) + a\max(0, b-x)",
           r"[x>0] - a\,[x<b]", r"0"),
    params=(real("a", -0.25, "slope of the hinge" + PER_CHANNEL, learnable=True, array=True),
            real("b", 0.0, "position of the hinge" + PER_CHANNEL, learnable=True, array=True)),
    f=_apl,
    # torch.relu(x) + a*torch.relu(b - x) under autograd: relu'(0) = 0 at both kinks
    df=lambda xp, x, a, b: _step(xp, x > 0, x) - a * _step(xp, x < b, x),
    d2f=lambda xp, x, a, b: xp.zeros_like(x),
    dparams=lambda xp, x, a, b: {"a": xp.where(x < b, b - x, xp.zeros_like(x)),
                                 "b": a * _step(xp, x < b, x)},
    props=Props(range=_scalar_claim(_apl_range), continuity=0,
                monotonic=_scalar_claim(lambda p: p["a"] <= 0),
                derivative_monotonic=_scalar_claim(lambda p: p["a"] >= (-1 if p["b"] == 0 else 0)),
                identity_near_origin=False,
                saturating_left=_scalar_claim(lambda p: p["a"] == 0), saturating_right=False),
    kinks=lambda p: tuple(sorted({0.0, *(float(v) for v in np.ravel(p["b"]))})),
    notes="One hinge (the paper's S = 1); the paper sums S hinges a_s max(0, b_s - x), learned per "
          "unit under an L2 penalty, with S a hyperparameter — compose several apl terms for S > 1. "
          "The defaults a = -0.25, b = 0 start it as PReLU's initial shape (slope 0.25 for x < 0) "
          "and keep both gradients alive (with a = 0 the gradient in b vanishes). f'(0) and f'(b) "
          "take relu's convention (0 from each ReLU term).",
    references=(AGOSTINELLI,),
    peers={"WP": "Adaptive piecewise linear (APL)"},
)

# ---------------------------------------------------------------- soft_exponential

# Beyond these |alpha x| the exponentials are 0 or inf in float64: clamping changes nothing.
_ZMAX = 800.0


class _LogBranch:
    """The log branch (alpha < 0), f = -log(w)/alpha with w = 1 - alpha (x + alpha) = 1 + u.

    Near w = 1 it is log1p(u), u = -alpha (x + alpha) exact enough; elsewhere w is written
    (1 - alpha)(1 + alpha) - alpha x, which keeps its low digits near the domain's edge w = 0
    (for alpha = -1, w = x exactly). ``a`` stands in -1 where alpha >= 0, so nothing divides by 0.
    """

    def __init__(self, xp, x, a):
        self.xp, self.a = xp, xp.where(a < 0, a, -1.0)
        xf = xp.where(xp.isinf(x), 0.0, x)
        self.u = -self.a * (xf + self.a)
        self.near = (xp.abs(self.u) < 0.5) & ~xp.isinf(x)
        self.w = xp.where(self.near, 1.0 + self.u, (1.0 - self.a) * (1.0 + self.a) - self.a * x)
        self.valid = self.w > 0  # f is defined for x > 1/alpha - alpha
        self.log_w = xp.where(self.near, xp.log1p(xp.where(self.near, self.u, 0.0)),
                              xp.log(xp.where(self.valid, self.w, 1.0)))
        self.w_safe = xp.where(self.valid, self.w, 1.0)

    def where(self, inside, edge):
        """``inside`` where defined, ``edge`` (the limit) at w = 0, NaN below."""
        xp = self.xp
        return xp.where(self.valid, inside, xp.where(self.w == 0, xp.full_like(self.w, edge), xp.nan))


def _softexp_exp_branch(xp, x, a):
    """(e^z - 1)/a + a, z = a x. Below z = -1 it is written e^z/a - (1 - a)(1 + a)/a: expm1(z) + a^2
    would lose e^z next to -1 + a^2 (all of it for a = 1, where f = e^x); above, expm1 keeps the
    small z exact."""
    z = a * x
    low = xp.exp(xp.minimum(z, -1.0)) / a - (1.0 - a) * ((1.0 + a) / a)
    return xp.where(z < -1.0, low, xp.expm1(xp.maximum(z, -1.0)) / a + a)


def _softexp_select(xp, x, alpha, pos, neg, zero):
    """Per element: the exp branch (alpha > 0), the log branch (alpha < 0) or alpha = 0."""
    a = alpha + xp.zeros_like(x)
    a_pos = xp.where(a > 0, a, 1.0)
    return xp.where(a > 0, pos(a_pos), xp.where(a < 0, neg(_LogBranch(xp, x, a)), zero))


def _softexp(xp, x, alpha):
    return _softexp_select(xp, x, alpha, lambda a: _softexp_exp_branch(xp, x, a),
                           lambda lb: lb.where(-lb.log_w / lb.a, -INF), x)


def _dsoftexp(xp, x, alpha):
    return _softexp_select(xp, x, alpha, lambda a: xp.exp(a * x),
                           lambda lb: lb.where(1.0 / lb.w_safe, INF), xp.ones_like(x))


def _d2softexp(xp, x, alpha):
    return _softexp_select(xp, x, alpha, lambda a: a * xp.exp(a * x),
                           lambda lb: lb.where(lb.a / lb.w_safe / lb.w_safe, -INF), xp.zeros_like(x))


def _series(xp, coeffs, t):
    acc = coeffs[-1] + xp.zeros_like(t)
    for c in coeffs[-2::-1]:
        acc = acc * t + c
    return acc


# q(z) = (z e^z - expm1(z))/z^2 = sum_{m>=2} (m-1) z^(m-2)/m!, to 2e-16 for |z| < 0.1
_Q_SERIES = tuple((m - 1) / math.factorial(m) for m in range(2, 13))
# r(u) = (log1p(u) - u)/u^2 = sum_{n>=2} (-1)^(n+1) u^(n-2)/n, to 1e-17 for |u| < 0.01
_R_SERIES = tuple((-1) ** (n + 1) / n for n in range(2, 10))


def _dalpha_exp(xp, x, a):
    """alpha > 0: 1 + (z e^z - expm1(z))/alpha^2 with z = alpha x, = 1 + x^2 q(z) for small z
    (where the closed form loses up to all of its digits)."""
    z = xp.clip(a * x, -_ZMAX, _ZMAX)
    small = xp.abs(z) < 0.1
    q = _series(xp, _Q_SERIES, xp.where(small, z, 0.0))
    xs = xp.where(small, x, 0.0)
    return 1.0 + xp.where(small, xs * xs * q, (xp.exp(z) * (z - 1.0) + 1.0) / a / a)


def _dalpha_log(xp, x, lb):
    """alpha < 0: with r(u) = (log1p(u) - u)/u^2, df/dalpha = 1 + (x+alpha)^2 r(u) +
    (x+alpha)(x+2alpha)/(1+u) near u = 0 (nothing cancels as alpha -> 0), and
    log(w)/alpha^2 + (x+2alpha)/(alpha w) elsewhere."""
    a, u, near = lb.a, lb.u, lb.near
    xf = xp.where(xp.isinf(x), 0.0, x)
    un = xp.where(near, u, 0.0)
    tiny = xp.abs(un) < 0.01
    ut = xp.where(tiny, un, 0.0)
    ud = xp.where(tiny, 1.0, un)
    r = xp.where(tiny, _series(xp, _R_SERIES, ut), (xp.log1p(ud) - ud) / (ud * ud))
    xn = xp.where(near, xf, 0.0) + a
    moderate = 1.0 + xn * xn * r + xn * (xn + a) / (1.0 + un)
    xl = xp.where(near, 0.0, xf)
    far = lb.log_w / a / a + (xl + 2.0 * a) / (a * lb.w_safe)
    # as x -> inf, log(w)/alpha^2 grows without bound
    return xp.where(x == INF, xp.full_like(x, INF), lb.where(xp.where(near, moderate, far), xp.nan))


def _dsoftexp_dalpha(xp, x, alpha):
    """df/dalpha, continuous in alpha: 1 + x^2/2 at alpha = 0."""
    return {"alpha": _softexp_select(xp, x, alpha, lambda a: _dalpha_exp(xp, x, a),
                                     lambda lb: _dalpha_log(xp, x, lb), 1.0 + 0.5 * x * x)}


def _softexp_claims(pos, zero, neg):
    def claim(p):
        a = p["alpha"]
        if isinstance(a, np.ndarray):
            return Unchecked(None, "per-channel parameters: the claim differs between channels")
        return pos if a > 0 else zero if a == 0 else neg
    return claim


_BELOW_DOMAIN = Unchecked(True, "for alpha < 0, f is defined only for x > 1/alpha - alpha (NaN below), "
                                "and f' -> inf at that boundary")

define(
    name="soft_exponential", kind="P", family="ridge", group="learnable",
    summary="Soft exponential: a learned continuum from logarithmic (alpha < 0) through linear "
            "(alpha = 0) to exponential (alpha > 0).",
    latex=(r"\begin{cases}-\frac{\ln(1-\alpha(x+\alpha))}{\alpha} & \alpha<0\\ x & \alpha=0\\"
           r" \frac{e^{\alpha x}-1}{\alpha}+\alpha & \alpha>0\end{cases}",
           r"\begin{cases}\frac{1}{1-\alpha(x+\alpha)} & \alpha<0\\ 1 & \alpha=0\\"
           r" e^{\alpha x} & \alpha>0\end{cases}",
           r"\begin{cases}\frac{\alpha}{(1-\alpha(x+\alpha))^2} & \alpha<0\\ 0 & \alpha=0\\"
           r" \alpha e^{\alpha x} & \alpha>0\end{cases}"),
    params=(real("alpha", 0.0, "the shape" + PER_CHANNEL, learnable=True, array=True),),
    f=_softexp, df=_dsoftexp, d2f=_d2softexp, dparams=_dsoftexp_dalpha,
    props=Props(range=_scalar_claim(lambda p: Range(p["alpha"] - 1 / p["alpha"], INF) if p["alpha"] > 0
                                    else Range(-INF, INF)),
                continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=_softexp_claims(False, True, False),
                saturating_left=_softexp_claims(True, False, _BELOW_DOMAIN),
                saturating_right=_softexp_claims(False, False, True)),
    notes="alpha = -1 gives ln(x), alpha = 1 gives e^x; the paper interpolates between "
          "these, and any real alpha is allowed here. For alpha < 0, f is NaN for x <= 1/alpha - "
          "alpha (outside the log's domain) and -inf at that boundary. df/dalpha is continuous in "
          "alpha, 1 + x^2/2 at alpha = 0, and computed without cancellation for small alpha x.",
    references=(GODFREY,),
    peers={"WP": "Soft exponential"},
)

# ---------------------------------------------------------------- snake


def _snake_z(xp, x, alpha, k=1.0):
    """k alpha x where finite (x = +-inf or an overflowing product: NaN, the oscillation's limit)."""
    return finite_or_nan(xp, (k * alpha) * x)


def _snake(xp, x, alpha):
    s = xp.sin(xp.where(xp.isinf(alpha * x), 0.0, alpha * x))
    # where alpha x overflows, |x| >= max/alpha and sin^2/alpha <= 1/alpha is below x's last bit
    return x + s * s / alpha


def _snake_dalpha(xp, x, alpha):
    s = xp.sin(_snake_z(xp, x, alpha)) / alpha
    return {"alpha": x * xp.sin(_snake_z(xp, x, alpha, 2.0)) / alpha - s * s}


define(
    name="snake", kind="P", family="ridge", group="periodic",
    summary="Snake: x + sin^2(alpha x)/alpha, a monotonic activation with a learned periodic ripple.",
    latex=(r"x + \frac{\sin^2(\alpha x)}{\alpha}", r"1 + \sin(2\alpha x)", r"2\alpha\cos(2\alpha x)"),
    params=(real("alpha", 1.0, "frequency" + PER_CHANNEL, lo=0.0, lo_open=True, learnable=True, array=True),),
    f=_snake,
    df=lambda xp, x, alpha: 1.0 + xp.sin(_snake_z(xp, x, alpha, 2.0)),
    d2f=lambda xp, x, alpha: 2.0 * alpha * xp.cos(_snake_z(xp, x, alpha, 2.0)),
    dparams=_snake_dalpha,
    props=Props(range=Range(-INF, INF), continuity=INF, monotonic=True, derivative_monotonic=False,
                identity_near_origin=True, saturating_left=False, saturating_right=False),
    notes="f(+-inf) = +-inf; f', f'' and df/dalpha oscillate without a limit, so they are NaN at "
          "+-inf (and where alpha x overflows).",
    references=(ZIYIN,),
    peers={},
)

# ---------------------------------------------------------------- star_relu


def _star_range(p):
    s, b = p["scale"], p["bias"]
    return Range(b, INF, True) if s > 0 else Range(-INF, b, False, True) if s < 0 else Range(b, b, True, True)


def _star_relu(xp, x, scale, bias):
    """s r^2 + b, r = relu(x), with r^2 split exactly and the products and sum compensated: f
    crosses 0 at r = sqrt(-b/s), where s r^2 and b cancel."""
    r = xp.where(x > 0, x, xp.zeros_like(x))
    huge = r > 1e150  # r^2 overflows or dwarfs b: no cancellation to fear
    hi, lo = split_square(xp, xp.where(huge, 0.0, r))
    s, b = scale + xp.zeros_like(x), bias + xp.zeros_like(x)
    p, e_prod = _two_prod(xp, s, hi)
    t, e_sum = _two_sum(xp, p, b)
    return xp.where(huge, _times(xp, s, r * r) + b, t + ((e_prod + e_sum) + s * lo))


define(
    name="star_relu", kind="P", family="ridge", group="rectifier",
    summary="StarReLU: scale * relu(x)^2 + bias, squared ReLU normalised to zero mean and unit "
            "variance for standard normal input (MetaFormer).",
    latex=(r"s\,\max(0,x)^2 + b", r"2s\max(0,x)", r"\begin{cases}2s & x>0\\0&\text{otherwise}\end{cases}"),
    params=(real("scale", 0.8944, "s" + PER_CHANNEL, learnable=True, array=True),
            real("bias", -0.4472, "b" + PER_CHANNEL, learnable=True, array=True)),
    f=_star_relu,
    df=lambda xp, x, scale, bias: 2.0 * _times(xp, scale, xp.where(x > 0, x, xp.zeros_like(x))),
    # scale * torch.relu(x)**2 + bias under double backward: 0 at x = 0
    d2f=lambda xp, x, scale, bias: 2.0 * scale * _step(xp, x > 0, x),
    dparams=lambda xp, x, scale, bias: {"scale": xp.where(x > 0, x * x, xp.zeros_like(x)),
                                        "bias": xp.ones_like(x)},
    props=Props(range=_scalar_claim(_star_range),
                continuity=_scalar_claim(lambda p: INF if p["scale"] == 0 else 1),
                monotonic=True, derivative_monotonic=True,  # non-increasing for scale < 0
                identity_near_origin=False, saturating_left=True,
                saturating_right=_scalar_claim(lambda p: p["scale"] == 0)),
    kinks=(0.0,),
    notes="The paper's initial values 0.8944 and -0.4472 are 1/sqrt(1.25) and -0.5/sqrt(1.25) "
          "rounded to 4 digits (relu(x)^2 has mean 1/2 and variance 5/4 for x ~ N(0, 1)); both are "
          "learnable, one per channel in MetaFormer. f''(0) = 0, as autograd of the PyTorch "
          "expression.",
    references=(YU,),
    peers={},
)

# ---------------------------------------------------------------- rational (PAU)

# Initial coefficients approximating leaky_relu (slope 0.01) on [-3, 3] with degrees (5, 4) and the
# safe denominator 1 + sum |b_k x^k|: the rational_activations library's rationals_config.json
# ("Rational_version_A5/4", "leaky_relu"), the fit by least squares that the PAU paper describes.
# Checked here: max |f - leaky_relu| on [-3, 3] is 0.0298 (at x = 0), RMS 0.0050.
LEAKY_NUMERATOR = (0.029792778657264946, 0.6183735264987601, 2.323309062531321,
                   3.051936237265109, 1.4854203263828845, 0.2510244961111299)
LEAKY_DENOMINATOR = (-1.1419548357285474, 4.393159974992486, 0.8714712309957245, 0.34719662339598834)


def _frozen(values):
    a = np.array(values, dtype=np.float64)
    a.setflags(write=False)
    return a


def coefficients(name, default, doc) -> Param:
    """A learnable vector of polynomial coefficients: one polynomial shared by all inputs (not
    per channel), so the Activation passes it whole."""
    allowed = "a non-empty 1-D sequence of finite real numbers"

    def check(value):
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            arr = None
        if (isinstance(value, (str, bytes, numbers.Number)) or arr is None or arr.ndim != 1
                or arr.size == 0 or arr.dtype.kind not in "iuf" or not np.all(np.isfinite(arr))):
            raise ValueError(f"{name} must be {allowed}, got {value!r}")
        return _frozen(arr)

    return Param(name, _frozen(default), check, allowed, doc, learnable=True)


def _homogeneous(xp, coeffs, u, w, compensated=False):
    """sum_j c_j u^j w^(n-j) for c = (c_0, ..., c_n): Horner's rule in u with powers of w.
    Compensated (Graillat, Langlois & Louvet 2005), the result is as accurate as if computed in
    twice the precision: the terms of P cancel for x < 0 in the leaky-ReLU fit."""
    n = len(coeffs) - 1
    if n < 0:
        return xp.zeros_like(u)
    acc = coeffs[n] + xp.zeros_like(u)
    err = xp.zeros_like(u)
    wk = xp.ones_like(w)
    for k in range(1, n + 1):
        wk = wk * w
        if compensated:
            prod, e_prod = _two_prod(xp, acc, u)
            acc, e_sum = _two_sum(xp, prod, coeffs[n - k] * wk)
            err = err * u + (e_prod + e_sum)
        else:
            acc = acc * u + coeffs[n - k] * wk
    return acc + err


class _Pade:
    """P, Q and, up to ``order``, their derivatives; beyond |x| = T each is divided by
    |x|^degree so that nothing overflows: with s = |x|, u = x/s and w = 1/s,
    P(x)/s^m = sum a_j u^j w^(m-j). P and Q are compensated; their derivatives enter the
    quotient rule's differences, whose cancellation no evaluation order avoids."""

    def __init__(self, xp, x, numerator, denominator, order=0):
        a = [float(numerator[j]) for j in range(numerator.shape[0])]
        b = [abs(float(denominator[k])) for k in range(denominator.shape[0])]
        self.m, self.n = m, n = len(a) - 1, len(b)
        big = xp.abs(x) > 2.0 ** (240 // max(m, n, 1))  # below it, Q^3 (in f'') stays below 2^720
        self.s = xp.where(big, xp.abs(x), 1.0)
        self.u = u = xp.where(big, xp.sign(x), x)
        w = xp.where(big, 1.0 / self.s, 1.0)
        au = xp.abs(u)
        c = [1.0] + b  # Q = 1 + sum |b_k| |x|^k
        self.P = _homogeneous(xp, a, u, w, compensated=True)
        self.Q = _homogeneous(xp, c, au, w, compensated=True)
        if order >= 1:
            self.dP = _homogeneous(xp, [j * a[j] for j in range(1, m + 1)], u, w)
            # sign(0) = 0: autograd's derivative of |x| at 0
            self.dQ = xp.sign(u) * _homogeneous(xp, [k * c[k] for k in range(1, n + 1)], au, w)
            self.g = (self.dP * self.Q - self.P * self.dQ) / (self.Q * self.Q)
        if order >= 2:
            self.d2P = _homogeneous(xp, [j * (j - 1) * a[j] for j in range(2, m + 1)], u, w)
            self.d2Q = _homogeneous(xp, [k * (k - 1) * c[k] for k in range(2, n + 1)], au, w)

    def scaled(self, xp, k, v):
        """s^k v, for s >= 1 (inf at x = +-inf) and an integer k of either sign."""
        return xp.pow(self.s, float(k)) * v if k else v


def _rational(xp, x, numerator, denominator):
    r = _Pade(xp, x, numerator, denominator)
    return r.scaled(xp, r.m - r.n, r.P / r.Q)


def _drational(xp, x, numerator, denominator):
    r = _Pade(xp, x, numerator, denominator, order=1)
    return r.scaled(xp, r.m - r.n - 1, r.g)


def _d2rational(xp, x, numerator, denominator):
    r = _Pade(xp, x, numerator, denominator, order=2)
    QQ = r.Q * r.Q
    return r.scaled(xp, r.m - r.n - 2, (r.d2P * r.Q - r.P * r.d2Q) / QQ - 2.0 * r.dQ * r.g / r.Q)


def _rational_dparams(xp, x, numerator, denominator):
    """Partials with the coefficient axis last (x.shape + (len,)): d f/d a_j = x^j/Q and
    d f/d b_k = -sign(b_k) |x|^k P/Q^2."""
    r = _Pade(xp, x, numerator, denominator)
    au = xp.abs(r.u)
    da = [r.scaled(xp, j - r.n, r.u ** j / r.Q) for j in range(r.m + 1)]
    db = [r.scaled(xp, r.m - 2 * r.n + k, (-float(np.sign(float(denominator[k - 1]))) * au ** k) * r.P / (r.Q * r.Q))
          for k in range(1, r.n + 1)]
    return {"numerator": xp.stack(da, axis=-1), "denominator": xp.stack(db, axis=-1)}


def _at_defaults(value):
    """A claim measured for the default coefficients; learned ones change it."""
    def claim(p):
        if all(np.array_equal(p[k], d) for k, d in (("numerator", LEAKY_NUMERATOR),
                                                     ("denominator", LEAKY_DENOMINATOR))):
            return value
        return Unchecked(None, "depends on the learned coefficients")
    return claim


define(
    name="rational", aliases=("pau",), kind="P", family="ridge", group="learnable",
    summary="Padé activation unit: a learned rational function P(x)/Q(x) with the safe denominator "
            "Q(x) = 1 + sum |b_k x^k|, initialised to approximate leaky ReLU.",
    latex=(r"\frac{\sum_{j=0}^{m} a_j x^j}{1 + \sum_{k=1}^{n} |b_k x^k|}",
           r"\frac{P'(x)Q(x) - P(x)Q'(x)}{Q(x)^2},\ Q'(x) = \sum_k k|b_k||x|^{k-1}\operatorname{sign}x",
           r"\frac{P''Q - PQ''}{Q^2} - \frac{2Q'(P'Q - PQ')}{Q^3}"),
    params=(coefficients("numerator", LEAKY_NUMERATOR,
                         "a_0, ..., a_m (the numerator's degree m is its length - 1)"),
            coefficients("denominator", LEAKY_DENOMINATOR,
                         "b_1, ..., b_n (the denominator's degree n is its length)")),
    f=_rational, df=_drational, d2f=_d2rational, dparams=_rational_dparams,
    props=Props(range=_at_defaults(Range(-INF, INF)), continuity=_at_defaults(0),
                monotonic=_at_defaults(False), derivative_monotonic=_at_defaults(False),
                identity_near_origin=_at_defaults(False), saturating_left=_at_defaults(False),
                saturating_right=_at_defaults(False)),
    kinks=(0.0,),
    notes="Degrees (5, 4) and the leaky-ReLU initialisation by default: the coefficients of the "
          "rational_activations library (version A, the paper's safe PAU) fitted to leaky_relu "
          "(slope 0.01) on [-3, 3]; other degrees follow from the lengths of the coefficient vectors. "
          "Outside [-3, 3] the default grows like (a_5/|b_4|) x = 0.723 x on both sides and it "
          "wiggles (not monotonic): it approximates leaky ReLU only on the fitted interval. |b_1 x| "
          "makes f' jump at 0 when b_1 != 0; there f' takes autograd's sign(0) = 0 for d|x|/dx, and "
          "df/db_k at b_k = 0 is 0 likewise. At +-inf the limits follow from the leading "
          "coefficients a_m and b_n (NaN when either is 0). The library's version B, 1 + |sum b_k "
          "x^k|, is a different function. The reference implementation is rational_activations' "
          "Rational (PyTorch; degrees=(5, 4), approx_func='leaky_relu', version='A').",
    references=(MOLINA,),
    peers={},
)
