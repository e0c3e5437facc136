"""Activations with learnable parameters (kind P).

Each gives ``dparams``, the elementwise partial derivatives with respect to
its learnable parameters; the Activation sums them over broadcast axes. Scalar
parameters may also be per-channel arrays (PyTorch's channel axis), except
rational's coefficient vectors, which are one polynomial shared by all inputs.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..numerics import finite_or_nan
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
          "say, so f'(t_r) = a_r and f'(t_l) = a_l.",
    references=(JIN,),
    peers={"WP": "S-shaped rectified linear activation unit (SReLU)",
           "KS": "keras_contrib.layers.SReLU (t_left 0, a_left ~ U(0, 1), t_right ~ U(0, 5), a_right 1)"},
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


def _softexp_parts(xp, x, alpha):
    """alpha as an array of x's shape, with safe stand-ins for each branch's divisions."""
    a = alpha + xp.zeros_like(x)
    a_pos = xp.where(a > 0, a, 1.0)
    a_neg = xp.where(a < 0, a, -1.0)
    u = -a_neg * (x + a_neg)  # log branch: f = -log1p(u)/alpha, defined where u > -1
    valid = u > -1.0
    return a, a_pos, a_neg, u, valid


def _softexp_log_branch(xp, u, valid, inside, edge):
    """``inside`` where the log branch is defined, ``edge`` at its boundary u = -1, NaN below."""
    return xp.where(valid, inside, xp.where(u == -1.0, xp.full_like(u, edge), xp.nan))


def _softexp(xp, x, alpha):
    a, a_pos, a_neg, u, valid = _softexp_parts(xp, x, alpha)
    pos = xp.expm1(a_pos * x) / a_pos + a_pos
    neg = _softexp_log_branch(xp, u, valid, -xp.log1p(xp.where(valid, u, 0.0)) / a_neg, -INF)
    return xp.where(a > 0, pos, xp.where(a < 0, neg, x))


def _dsoftexp(xp, x, alpha):
    a, a_pos, a_neg, u, valid = _softexp_parts(xp, x, alpha)
    neg = _softexp_log_branch(xp, u, valid, 1.0 / (1.0 + xp.where(valid, u, 0.0)), INF)
    return xp.where(a > 0, xp.exp(a_pos * x), xp.where(a < 0, neg, xp.ones_like(x)))


def _d2softexp(xp, x, alpha):
    a, a_pos, a_neg, u, valid = _softexp_parts(xp, x, alpha)
    w = 1.0 + xp.where(valid, u, 0.0)
    neg = _softexp_log_branch(xp, u, valid, a_neg / (w * w), -INF)
    return xp.where(a > 0, a_pos * xp.exp(a_pos * x), xp.where(a < 0, neg, xp.zeros_like(x)))


def _dsoftexp_dalpha(xp, x, alpha):
    """df/dalpha, written so that nothing cancels as alpha -> 0 (where it is 1 + x^2/2)."""
    a, a_pos, a_neg, u, valid = _softexp_parts(xp, x, alpha)
    # alpha > 0: 1 + (z e^z - expm1(z))/alpha^2 with z = alpha x; for small z the numerator is
    # z^2 q(z), q(z) = sum_{m>=2} (m-1) z^(m-2)/m! (truncated where the next term is below 1e-13)
    z = xp.clip(a_pos * x, -_ZMAX, _ZMAX)
    small = xp.abs(z) < 0.01
    zs = xp.where(small, z, 0.0)
    q = 0.5 + zs * (1 / 3 + zs * (1 / 8 + zs * (1 / 30 + zs / 144)))
    xs = xp.where(small, x, 0.0)
    pos = 1.0 + xp.where(small, xs * xs * q, (xp.exp(z) * (z - 1.0) + 1.0) / a_pos / a_pos)
    # alpha < 0: with u = -alpha (x + alpha) and r(u) = (log1p(u) - u)/u^2,
    # df/dalpha = 1 + (x+alpha)^2 r(u) + (x+alpha)(x+2alpha)/(1+u) for moderate u (no cancellation
    # as alpha -> 0), and log1p(u)/alpha^2 + (x+2alpha)/(alpha (1+u)) for large u
    xf = xp.where(xp.isinf(x), 0.0, x)
    near = valid & (xp.abs(u) < 0.5)
    un = xp.where(near, u, 0.0)
    tiny = xp.abs(un) < 0.01
    ut = xp.where(tiny, un, 0.0)
    ud = xp.where(tiny, 1.0, un)
    r = xp.where(tiny, -0.5 + ut * (1 / 3 + ut * (-0.25 + ut * (0.2 - ut / 6))), (xp.log1p(ud) - ud) / (ud * ud))
    xn = xp.where(near, xf, 0.0) + a_neg
    moderate = 1.0 + xn * xn * r + xn * (xn + a_neg) / (1.0 + un)
    ul = xp.where(valid & ~near, u, 1.0)
    xl = xp.where(valid & ~near, xf, 0.0)
    large = xp.log1p(ul) / a_neg / a_neg + (xl + 2.0 * a_neg) / (a_neg * (1.0 + ul))
    neg = xp.where(x == INF, xp.full_like(x, INF),
                   _softexp_log_branch(xp, u, valid, xp.where(near, moderate, large), xp.nan))
    return {"alpha": xp.where(a > 0, pos, xp.where(a < 0, neg, 1.0 + 0.5 * x * x))}


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
    notes="alpha = -1 gives ln(x) (shifted), alpha = 1 gives e^x; the paper interpolates between "
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


define(
    name="star_relu", kind="P", family="ridge", group="rectifier",
    summary="StarReLU: scale * relu(x)^2 + bias, squared ReLU normalised to zero mean and unit "
            "variance for standard normal input (MetaFormer).",
    latex=(r"s\,\max(0,x)^2 + b", r"2s\max(0,x)", r"\begin{cases}2s & x>0\\0&\text{otherwise}\end{cases}"),
    params=(real("scale", 0.8944, "s" + PER_CHANNEL, learnable=True, array=True),
            real("bias", -0.4472, "b" + PER_CHANNEL, learnable=True, array=True)),
    f=lambda xp, x, scale, bias: _times(xp, scale, xp.where(x > 0, x * x, xp.zeros_like(x))) + bias,
    df=lambda xp, x, scale, bias: 2.0 * _times(xp, scale, xp.where(x > 0, x, xp.zeros_like(x))),
    # scale * torch.relu(x)**2 + bias under double backward: 0 at x = 0
    d2f=lambda xp, x, scale, bias: 2.0 * scale * _step(xp, x > 0, x),
    dparams=lambda xp, x, scale, bias: {"scale": xp.where(x > 0, x * x, xp.zeros_like(x)),
                                        "bias": xp.ones_like(x)},
    props=Props(range=_scalar_claim(_star_range),
                continuity=_scalar_claim(lambda p: INF if p["scale"] == 0 else 1),
                monotonic=_scalar_claim(lambda p: p["scale"] >= 0), derivative_monotonic=True,
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


def _homogeneous(xp, coeffs, u, w):
    """sum_j c_j u^j w^(n-j) for c = (c_0, ..., c_n), by Horner's rule in u with powers of w."""
    n = len(coeffs) - 1
    acc = coeffs[n] + xp.zeros_like(u)
    wk = xp.ones_like(w)
    for k in range(1, n + 1):
        wk = wk * w
        acc = acc * u + coeffs[n - k] * wk
    return acc


def _rational_parts(xp, x, numerator, denominator):
    """P, Q and their first two derivatives, each divided by |x|^degree where |x| > 1, so that
    nothing overflows: with s = max(1, |x|), u = x/s and w = 1/s, P(x)/s^m = sum a_j u^j w^(m-j)."""
    a = [float(numerator[j]) for j in range(numerator.shape[0])]
    b = [abs(float(denominator[k])) for k in range(denominator.shape[0])]
    m, n = len(a) - 1, len(b)
    big = xp.abs(x) > 1.0
    s = xp.where(big, xp.abs(x), 1.0)
    u = xp.where(big, xp.sign(x), x)
    w = xp.where(big, 1.0 / s, 1.0)
    au, sg = xp.abs(u), xp.sign(u)  # sign(0) = 0: autograd's derivative of |x| at 0
    c = [1.0] + b  # Q = 1 + sum |b_k| |x|^k
    P = _homogeneous(xp, a, u, w)
    dP = _homogeneous(xp, [j * a[j] for j in range(1, m + 1)], u, w) if m >= 1 else None
    d2P = _homogeneous(xp, [j * (j - 1) * a[j] for j in range(2, m + 1)], u, w) if m >= 2 else None
    Q = _homogeneous(xp, c, au, w)
    dQ = sg * _homogeneous(xp, [k * c[k] for k in range(1, n + 1)], au, w)
    d2Q = _homogeneous(xp, [k * (k - 1) * c[k] for k in range(2, n + 1)], au, w) if n >= 2 else None
    zero = xp.zeros_like(x)
    return (m, n, s, u, w, sg, P, zero if dP is None else dP, zero if d2P is None else d2P,
            Q, dQ, zero if d2Q is None else d2Q)


def _spow(xp, s, k):
    """s^k for s >= 1 (inf at x = +-inf) and an integer k of either sign."""
    return xp.pow(s, float(k)) if k else xp.ones_like(s)


def _rational(xp, x, numerator, denominator):
    m, n, s, _, _, _, P, _, _, Q, _, _ = _rational_parts(xp, x, numerator, denominator)
    return _spow(xp, s, m - n) * (P / Q)


def _drational(xp, x, numerator, denominator):
    m, n, s, _, _, _, P, dP, _, Q, dQ, _ = _rational_parts(xp, x, numerator, denominator)
    return _spow(xp, s, m - n - 1) * ((dP * Q - P * dQ) / (Q * Q))


def _d2rational(xp, x, numerator, denominator):
    m, n, s, _, _, _, P, dP, d2P, Q, dQ, d2Q = _rational_parts(xp, x, numerator, denominator)
    g = (dP * Q - P * dQ) / (Q * Q)
    return _spow(xp, s, m - n - 2) * ((d2P * Q - P * d2Q) / (Q * Q) - 2.0 * dQ * g / Q)


def _rational_dparams(xp, x, numerator, denominator):
    """Partials with the coefficient axis last (x.shape + (len,)): d f/d a_j = x^j/Q and
    d f/d b_k = -sign(b_k) |x|^k P/Q^2."""
    m, n, s, u, w, _, P, _, _, Q, _, _ = _rational_parts(xp, x, numerator, denominator)
    au = xp.abs(u)
    da = [_spow(xp, s, j - n) * (u ** j if j else xp.ones_like(u)) / Q for j in range(m + 1)]
    db = [-float(np.sign(float(denominator[k - 1]))) * _spow(xp, s, m - 2 * n + k) * au ** k * P / (Q * Q)
          for k in range(1, n + 1)]
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
