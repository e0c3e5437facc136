"""Algebraic and elementary activations: square roots, polynomials, log-cosh, arctan and relatives.

Most are cheap closed forms whose naive evaluation cancels somewhere (x - tanh x
near 0, (x + sqrt(x^2 + b))/2 for x << 0, log cosh x near 0); each is written
here in a form that stays within a few ULP over the whole real line.
"""

import math
from fractions import Fraction

from ..numerics import horner, sech2, split_square, two_sum
from ..registry import INF, Props, Range, Ref, define, real

BARRON = Ref("J. T. Barron", "Squareplus: a softplus-like algebraic rectifier", 2021,
             "https://arxiv.org/abs/2112.11687")
BLONDEL = Ref("M. Blondel, A. F. T. Martins, V. Niculae", "Learning with Fenchel-Young losses", 2020,
              "https://arxiv.org/abs/1901.02324")
ROY = Ref("S. K. Roy, S. Manna, S. R. Dubey, B. B. Chaudhuri", "LiSHT: non-parametric linearly scaled "
          "hyperbolic tangent activation function for neural networks", 2019, "https://arxiv.org/abs/1901.05894")
CARLILE = Ref("B. Carlile, G. Delamarter, P. Kinney, A. Marti, B. Whitney", "Improving deep learning by "
              "inverse square root linear units (ISRLUs)", 2017, "https://arxiv.org/abs/1710.09967")
KLIMEK = Ref("M. D. Klimek, M. Perelstein", "Neural network-based approach to phase space integration", 2020,
             "https://arxiv.org/abs/1810.11509")
# functions without a paper of their own: where they are defined
KERAS = Ref("F. Chollet and others", "Keras 3 API: activations (exponential)", 2015,
            "https://keras.io/api/layers/activations/")
NNLIB = Ref("FluxML contributors", "NNlib.jl: activation functions (logcosh)", 2017,
            "https://fluxml.ai/NNlib.jl/stable/reference/")
PYTORCH = Ref("PyTorch contributors", "torch.nn.Tanhshrink (from Lua Torch's nn.TanhShrink)", 2017,
              "https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html")
WIKIPEDIA = Ref("Wikipedia contributors", "Activation function (its table of functions)", 2024,
                "https://en.wikipedia.org/wiki/Activation_function")
WURAOLA = Ref("A. Wuraola, N. Patel", "SQNL: a new computationally efficient activation function", 2018,
              "https://doi.org/10.1109/IJCNN.2018.8489043")

LOG2 = math.log(2.0)


def _two_prod(xp, a, b):
    """(p, e) with p = fl(a b) and p + e = a b exactly (Dekker; a an array, b an array or
    a Python float, |a|, |b| < 2^996)."""
    c = 134217729.0 if a.dtype == xp.float64 else 4097.0  # Veltkamp's 2^27+1 / 2^12+1

    def split(v):
        t = c * v
        h = t - (t - v)
        return h, v - h

    p = a * b
    ah, al = split(a)
    bh, bl = split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _split_bound(alpha):
    """|x| up to which alpha x^2 is formed exactly (2^200, less for alpha > 1 so that it stays < 2^400)."""
    return 2.0 ** 200 / max(1.0, math.sqrt(alpha))


def _pow_quadratic(xp, x, alpha, c, p):
    """(c + alpha x^2)^-p within a few ULP (c > 0).

    x^2 is split exactly (split_square) and c + alpha x^2 is carried as an
    unevaluated sum hi + lo (alpha x^2 as well), so the power amplifies no
    rounding. Beyond |x| = 2^200 (scaled so that alpha x^2 cannot overflow
    the split) the plain formula serves: there c is negligible against
    alpha x^2 (for alpha > 2^-340), and c + alpha x^2 overflowing to inf
    gives the right 0.
    """
    small = xp.abs(x) <= _split_bound(alpha)
    hi, lo = split_square(xp, xp.where(small, x, xp.zeros_like(x)))
    th, te = _two_prod(xp, hi, alpha) if alpha < 2.0 ** 900 else (alpha * hi, 0.0)
    dh, de = two_sum(c, th)
    dl = de + (te + alpha * lo)
    exact = xp.pow(dh, -p) * (1.0 - p * (dl / dh))
    plain = xp.pow(c + (alpha * x) * x, -p)
    return xp.where(small, exact, plain)


def _pow_one_plus_ax2(xp, x, alpha, p):
    return _pow_quadratic(xp, x, alpha, 1.0, p)


# ---------------------------------------------------------------- squareplus


def _squareplus(xp, x, b):
    r = xp.hypot(x, math.sqrt(b))  # sqrt(x^2 + b) without overflowing x^2
    # x + r cancels for x << 0: there (x + r)/2 = b / (2 (r - x)). Halves are taken first, so that
    # neither x + r nor r - x overflows at |x| = max; each branch sees only its own sign of x.
    return xp.where(x >= 0, 0.5 * xp.maximum(x, 0.0) + 0.5 * r, (0.25 * b) / (0.5 * r - 0.5 * xp.minimum(x, 0.0)))


def _dsquareplus(xp, x, b):
    xc = xp.clip(x, -1e200, 1e200)  # f' has reached its limits there; inf/inf would be NaN
    v = xp.abs(xc)
    r = xp.hypot(xc, math.sqrt(b))
    w = b / (v + r)  # r - |x| without cancellation
    # (1 + x/r)/2 as written for x >= 0; for x < 0 it cancels, and equals w / (2 (w + |x|))
    return xp.where(xc >= 0, 0.5 + 0.5 * (xc / r), 0.5 * w / (w + v))


def _d2squareplus(xp, x, b):
    return (0.5 * b) * _pow_quadratic(xp, x, 1.0, b, 1.5)


define(
    name="squareplus", kind="E", family="ridge", group="smooth rectifier",
    summary="Squareplus: (x + sqrt(x^2 + b))/2, a softplus-like rectifier built from a square root.",
    latex=(r"\frac{x + \sqrt{x^2 + b}}{2}", r"\frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2+b}}\right)",
           r"\frac{b}{2\,(x^2+b)^{3/2}}"),
    params=(real("b", 4.0, "curvature near the origin; f(0) = sqrt(b)/2, b -> 0 gives relu", lo=0.0,
                 lo_open=True),),
    f=_squareplus, df=_dsquareplus, d2f=_d2squareplus,
    props=Props(range=Range(0, INF), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    notes="b = 0 (relu) is excluded: f would have a kink. For x < 0 the form b / (2 (sqrt(x^2+b) - x)) "
          "replaces the cancelling sum. jax.nn.squareplus and Keras evaluate the sum as written, which "
          "loses relative accuracy for x << 0 (at x = -1e4 half the digits; at x = -1e8 JAX gives "
          "7.45e-9 for 1e-8); they agree with actlab to 1e-12 on [-30, 30], where the tests compare.",
    references=(BARRON,),
    peers={"JX": "jax.nn.squareplus (b=4)", "KS": "keras.activations.squareplus (b=4)"},
)

# ---------------------------------------------------------------- sparse_plus


def _sparse_plus(xp, x):
    xc = xp.clip(x, -1.0, 1.0)  # the quadratic piece never squares a huge x
    quad = 0.25 * (xc + 1.0) * (xc + 1.0)
    return xp.where(x <= -1.0, xp.zeros_like(x), xp.where(x >= 1.0, x, quad))


def _dsparse_plus(xp, x):
    xc = xp.clip(x, -1.0, 1.0)
    return xp.where(x <= -1.0, xp.zeros_like(x), xp.where(x >= 1.0, xp.ones_like(x), 0.5 * (xc + 1.0)))


def _d2sparse_plus(xp, x):
    return xp.where((x > -1.0) & (x < 1.0), xp.full_like(x, 0.5), xp.zeros_like(x))


define(
    name="sparse_plus", kind="E", family="ridge", group="smooth rectifier",
    summary="Sparse plus: 0 below -1, x above 1, and the parabola (x+1)^2/4 joining them (C^1).",
    latex=(r"\begin{cases}0 & x\le -1\\ \frac{(x+1)^2}{4} & |x|<1\\ x & x\ge 1\end{cases}",
           r"\begin{cases}0 & x\le -1\\ \frac{x+1}{2} & |x|<1\\ 1 & x\ge 1\end{cases}",
           r"\begin{cases}\frac{1}{2} & |x|<1\\ 0 & \text{otherwise}\end{cases}"),
    f=_sparse_plus, df=_dsparse_plus, d2f=_d2sparse_plus,
    props=Props(range=Range(0, INF, True), continuity=1, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    kinks=(-1.0, 1.0),
    notes="f' is continuous; f'' jumps at +-1, where it is taken as 0 (the outer pieces), which is "
          "what autograd gives for jax.nn.sparse_plus's where() and for the same expression in PyTorch "
          "(PyTorch has no sparse_plus). It is the Fenchel-Young / sparsemax counterpart of softplus: "
          "sparse_sigmoid is its derivative.",
    references=(BLONDEL,),
    peers={"JX": "jax.nn.sparse_plus", "KS": "keras.activations.sparse_plus"},
)

# ---------------------------------------------------------------- exponential

define(
    name="exponential", kind="E", family="ridge", group="exponential",
    summary="Exponential: e^x (Keras's 'exponential' activation; positive outputs, e.g. rates).",
    latex=(r"e^x", r"e^x", r"e^x"),
    f=lambda xp, x: xp.exp(x), df=lambda xp, x: xp.exp(x), d2f=lambda xp, x: xp.exp(x),
    props=Props(range=Range(0, INF), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    notes="Overflows to inf above x = 709.78 (float64), 88.72 (float32), 11.09 (float16).",
    references=(KERAS,),
    peers={"KS": "keras.activations.exponential", "PT": "torch.exp", "JX": "jax.numpy.exp"},
)

# ---------------------------------------------------------------- logcosh

LOGCOSH_FAR = 2.0  # from here on |x| - log 2 + log1p(e^-2|x|) no longer cancels
LOGCOSH_SERIES_BELOW = 0.5


def _logcosh_coefficients(n=17):
    """Maclaurin coefficients of log(cosh x) / x^2 in t = x^2, exact rationals rounded once.

    (log cosh)' = tanh = sum_k a_k x^(2k+1) with a_0 = 1 and (2k+1) a_k = -sum_(i+j=k-1) a_i a_j
    (from tanh' = 1 - tanh^2), so log cosh x = sum_k a_k x^(2k+2) / (2k+2); 17 terms reach 1e-18
    relative at |x| = 1/2.
    """
    a = [Fraction(1)]
    for k in range(1, n):
        a.append(-sum((a[i] * a[k - 1 - i] for i in range(k)), Fraction(0)) / (2 * k + 1))
    return [float(a[k] / (2 * k + 2)) for k in range(n)]


LOGCOSH_SERIES = _logcosh_coefficients()


def _logcosh(xp, x):
    a = xp.abs(x)
    t = xp.where(a < LOGCOSH_SERIES_BELOW, a, xp.zeros_like(a)) ** 2
    series = t * horner(xp, LOGCOSH_SERIES, t)
    s = xp.sinh(0.5 * xp.clip(a, LOGCOSH_SERIES_BELOW, LOGCOSH_FAR))
    mid = xp.log1p(2.0 * s * s)  # cosh x - 1 = 2 sinh^2(x/2): no rounding of cosh x near 1
    far = (a - LOG2) + xp.log1p(xp.exp(-2.0 * a))
    return xp.where(a < LOGCOSH_SERIES_BELOW, series, xp.where(a < LOGCOSH_FAR, mid, far))


define(
    name="logcosh", kind="E", family="ridge", group="even",
    summary="Log-cosh: log(cosh x), quadratic near 0 and |x| - log 2 far out (a smooth absolute value).",
    latex=(r"\log\cosh x", r"\tanh x", r"1 - \tanh^2 x"),
    f=_logcosh, df=lambda xp, x: xp.tanh(x), d2f=lambda xp, x: sech2(xp, x),
    props=Props(range=Range(0, INF, True), continuity=INF, monotonic=False, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=False, saturating_right=False),
    notes="Evaluated as a Maclaurin series for |x| < 1/2, log1p(2 sinh^2(x/2)) up to |x| = 2 and "
          "|x| - log 2 + log1p(e^(-2|x|)) beyond, so it is accurate both near 0 (where log(cosh x) "
          "rounds cosh x to 1) and for large |x| (where cosh x overflows). NNlib computes "
          "x + softplus(-2x) - log 2, which loses relative accuracy near 0.",
    references=(NNLIB,),
    peers={"NL": "logcosh", "KS": "keras.losses.log_cosh (a loss, not an activation)"},
)

# ---------------------------------------------------------------- lisht


def _dlisht(xp, x):
    xc = xp.clip(x, -1e300, 1e300)  # x sech^2 x is 0 there; inf * 0 would be NaN
    return xp.tanh(x) + xc * sech2(xp, xc)


def _d2lisht(xp, x):
    xc = xp.clip(x, -1e300, 1e300)
    return 2.0 * sech2(xp, xc) * (1.0 - xc * xp.tanh(xc))


define(
    name="lisht", kind="E", family="ridge", group="even",
    summary="LiSHT (linearly scaled hyperbolic tangent): x tanh x, even and non-negative.",
    latex=(r"x\tanh x", r"\tanh x + x\,(1-\tanh^2 x)", r"2\,(1-\tanh^2 x)\,(1 - x\tanh x)"),
    f=lambda xp, x: x * xp.tanh(x), df=_dlisht, d2f=_d2lisht,
    props=Props(range=Range(0, INF, True), continuity=INF, monotonic=False, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=False, saturating_right=False),
    notes="f'' = 2 sech^2 x (1 - x tanh x) changes sign at x = +-1.19968 (x tanh x = 1): next to those "
          "zeros its relative accuracy is that of the difference 1 - x tanh x (a mixed error bound).",
    references=(ROY,),
    peers={"NL": "lisht"},
)

# ---------------------------------------------------------------- arctan


def _d2arctan(xp, x):
    xc = xp.clip(x, -1e300, 1e300)  # f'' is 0 there; inf * 0 would be NaN
    return -2.0 * (xc * _pow_one_plus_ax2(xp, xc, 1.0, 2.0))


define(
    name="arctan", kind="E", family="ridge", group="sigmoidal",
    summary="Arctangent: atan x, a sigmoid with range (-pi/2, pi/2) and polynomial saturation.",
    latex=(r"\arctan x", r"\frac{1}{1+x^2}", r"\frac{-2x}{(1+x^2)^2}"),
    f=lambda xp, x: xp.atan(x), df=lambda xp, x: _pow_one_plus_ax2(xp, x, 1.0, 1.0), d2f=_d2arctan,
    props=Props(range=Range(-math.pi / 2, math.pi / 2), continuity=INF, monotonic=True,
                derivative_monotonic=False, identity_near_origin=True,
                saturating_left=True, saturating_right=True),
    references=(WIKIPEDIA,),
    peers={"WP": "ArcTan", "PT": "torch.atan", "JX": "jax.numpy.arctan"},
)

# ---------------------------------------------------------------- isru, isrlu


def _isru(xp, x, alpha):
    far = xp.abs(x) > _split_bound(alpha)
    u = 1.0 / xp.where(far, x, xp.ones_like(x))  # x/sqrt(1 + alpha x^2) = sign(x)/sqrt(alpha + 1/x^2)
    near = xp.where(far, xp.zeros_like(x), x)
    return xp.where(far, xp.sign(x) / xp.sqrt(alpha + u * u), near * _pow_one_plus_ax2(xp, near, alpha, 0.5))


def _disru(xp, x, alpha):
    return _pow_one_plus_ax2(xp, x, alpha, 1.5)


def _d2isru(xp, x, alpha):
    xc = xp.clip(x, -1e300, 1e300)  # x (1 + alpha x^2)^-5/2 is 0 there; inf * 0 would be NaN
    return (-3.0 * alpha) * (xc * _pow_one_plus_ax2(xp, xc, alpha, 2.5))


ALPHA_ISR = real("alpha", 1.0, "1/sqrt(alpha) is the saturation level", lo=0.0, lo_open=True)

define(
    name="isru", kind="E", family="ridge", group="sigmoidal",
    summary="Inverse square root unit: x / sqrt(1 + alpha x^2), a sigmoid saturating at +-1/sqrt(alpha).",
    latex=(r"\frac{x}{\sqrt{1+\alpha x^2}}", r"\left(\frac{1}{\sqrt{1+\alpha x^2}}\right)^3",
           r"\frac{-3\alpha x}{(1+\alpha x^2)^{5/2}}"),
    params=(ALPHA_ISR,),
    f=_isru, df=_disru, d2f=_d2isru,
    props=Props(range=lambda p: Range(-1 / math.sqrt(p["alpha"]), 1 / math.sqrt(p["alpha"])), continuity=INF,
                monotonic=True, derivative_monotonic=False, identity_near_origin=True,
                saturating_left=True, saturating_right=True),
    notes="1 + alpha x^2 is formed in double-length arithmetic before its powers are taken, so f' and "
          "f'' stay within a few ULP; f never overflows x^2 (beyond |x| = 2^200 it is "
          "sign(x)/sqrt(alpha + 1/x^2)).",
    references=(CARLILE,),
    peers={"WP": "Inverse square root unit (ISRU)"},
)


def _isrlu(xp, x, alpha):
    return xp.where(x >= 0, x, _isru(xp, xp.minimum(x, 0.0), alpha))


define(
    name="isrlu", kind="E", family="ridge", group="exponential",
    summary="Inverse square root linear unit: x for x >= 0, x / sqrt(1 + alpha x^2) below (an ELU "
            "without exponentials).",
    latex=(r"\begin{cases}x & x\ge 0\\ \frac{x}{\sqrt{1+\alpha x^2}} & x<0\end{cases}",
           r"\begin{cases}1 & x\ge 0\\ (1+\alpha x^2)^{-3/2} & x<0\end{cases}",
           r"\begin{cases}0 & x\ge 0\\ -3\alpha x\,(1+\alpha x^2)^{-5/2} & x<0\end{cases}"),
    params=(ALPHA_ISR,),
    f=_isrlu,
    df=lambda xp, x, alpha: xp.where(x >= 0, xp.ones_like(x), _disru(xp, xp.minimum(x, 0.0), alpha)),
    d2f=lambda xp, x, alpha: xp.where(x >= 0, xp.zeros_like(x), _d2isru(xp, xp.minimum(x, 0.0), alpha)),
    props=Props(range=lambda p: Range(-1 / math.sqrt(p["alpha"]), INF), continuity=2, monotonic=True,
                derivative_monotonic=True, identity_near_origin=True,
                saturating_left=True, saturating_right=False),
    kinks=(0.0,),
    notes="C^2: f, f' and f'' are continuous at 0 (f'(0) = 1, f''(0) = 0); the kink at 0 is in f''', "
          "which jumps from -3 alpha to 0 there.",
    references=(CARLILE,),
    peers={"WP": "Inverse square root linear unit (ISRLU)"},
)

# ---------------------------------------------------------------- bent_identity


def _bent_identity(xp, x):
    xc = xp.clip(x, -1e300, 1e300)  # q is +-1 there; inf/inf would be NaN
    q = xc / (xp.hypot(xc, 1.0) + 1.0)  # (sqrt(x^2+1) - 1)/2 = x q/2, no cancellation near 0
    return x * (1.0 + 0.5 * q)


define(
    name="bent_identity", kind="E", family="ridge", group="linear",
    summary="Bent identity: (sqrt(x^2 + 1) - 1)/2 + x, slopes 1/2 on the left and 3/2 on the right.",
    latex=(r"\frac{\sqrt{x^2+1}-1}{2} + x", r"\frac{x}{2\sqrt{x^2+1}} + 1", r"\frac{1}{2\,(x^2+1)^{3/2}}"),
    f=_bent_identity,
    df=lambda xp, x: 1.0 + 0.5 * _isru(xp, x, 1.0),
    d2f=lambda xp, x: 0.5 * _disru(xp, x, 1.0),
    props=Props(range=Range(-INF, INF), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=True, saturating_left=False, saturating_right=False),
    notes="Evaluated as x (1 + x / (2 (sqrt(x^2+1) + 1))), which neither cancels near 0 nor squares a "
          "huge x.",
    references=(WIKIPEDIA,),
    peers={"WP": "Bent identity"},
)

# ---------------------------------------------------------------- soft_clipping


def _softclip_consts(alpha):
    """c = 1 - e^-alpha, k = e^-alpha, C = e^alpha - 1, exact to rounding."""
    return -math.expm1(-alpha), math.exp(-alpha), math.expm1(alpha)


def _softclip_halves(xp, x, alpha):
    """(lower, E, F): x <= 1/2, E = e^(alpha x) there, F = e^(-alpha x) above (each clamped
    at the midpoint, so neither overflows in the other half). They keep alpha x exact
    wherever alpha is a power of 2, and never round x - 1: the tails' relative accuracy
    depends on it."""
    a = alpha * x
    lower = x <= 0.5
    return lower, xp.exp(xp.minimum(a, 0.5 * alpha)), xp.exp(-xp.maximum(a, 0.5 * alpha))


def _soft_clipping(xp, x, alpha):
    c, k, C = _softclip_consts(alpha)
    lower, E, F = _softclip_halves(xp, x, alpha)
    # f = log1p((1 - e^-a) e^(a x) / (1 + e^(a (x-1)))) / a below 1/2, and by f(x) = 1 - f(1 - x) above
    low = xp.log1p(c * E / (1.0 + k * E)) / alpha
    high = 1.0 - xp.log1p(C * F / (1.0 + F)) / alpha
    return xp.where(lower, low, high)


def _softclip_parts(xp, x, alpha):
    """(lower, G, D, d): f' = c G / (D (1 + d)), with G = E below 1/2 and F above, and
    the denominator (1 + E)(1 + kE), resp. (1 + F)(k + F), as D (1 + d): the roundings
    of both sums and of their product are recovered, since f'' squares them."""
    c, k, _ = _softclip_consts(alpha)
    lower, E, F = _softclip_halves(xp, x, alpha)
    g = xp.where(lower, E, F)
    s1, l1 = two_sum(1.0, g)
    s2, l2 = two_sum(xp.where(lower, xp.ones_like(g), xp.full_like(g, k)), xp.where(lower, k * g, g))
    D, e = _two_prod(xp, s1, s2)
    return lower, g, D, l1 / s1 + l2 / s2 + e / D


def _dsoft_clipping(xp, x, alpha):
    # f' = sigmoid(a x) - sigmoid(a (x - 1)), as a product of positive factors (no cancellation)
    c, _, _ = _softclip_consts(alpha)
    _, g, D, d = _softclip_parts(xp, x, alpha)
    return c * g / D * (1.0 - d)


def _d2soft_clipping(xp, x, alpha):
    c, k, _ = _softclip_consts(alpha)
    lower, g, D, d = _softclip_parts(xp, x, alpha)
    # f'' vanishes at x = 1/2; 1 - e^(-a |1 - 2x|) carries that zero exactly
    m = -xp.expm1(-alpha * xp.abs(1.0 - 2.0 * x))
    scale = xp.where(lower, xp.full_like(g, alpha * c), xp.full_like(g, -alpha * c * k))
    D2, e = _two_prod(xp, D, D)
    return scale * (g * m) / D2 * (1.0 - (2.0 * d + e / D2))


define(
    name="soft_clipping", kind="E", family="ridge", group="sigmoidal",
    summary="Soft clipping: (1/alpha) log((1 + e^(alpha x)) / (1 + e^(alpha (x - 1)))), a smooth "
            "clip(x, 0, 1).",
    latex=(r"\frac{1}{\alpha}\log\frac{1+e^{\alpha x}}{1+e^{\alpha(x-1)}}",
           r"\sigma(\alpha x) - \sigma(\alpha(x-1))",
           r"\alpha\,[\sigma'(\alpha x) - \sigma'(\alpha(x-1))]"),
    params=(real("alpha", 0.5, "sharpness; alpha -> inf gives clip(x, 0, 1)", lo=0.0, hi=100.0,
                 lo_open=True),),
    f=_soft_clipping, df=_dsoft_clipping, d2f=_d2soft_clipping,
    props=Props(range=Range(0, 1), continuity=INF, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    notes="Symmetric about x = 1/2: f(x) = 1 - f(1 - x). Evaluated without the difference of "
          "softplus terms (which cancels for large |x|): for x <= 1/2 as "
          "log1p((1 - e^-alpha) e^(alpha x) / (1 + e^(alpha(x-1)))) / alpha, and above through the "
          "symmetry, so f' and f'' keep their relative accuracy in both tails. alpha is limited to "
          "(0, 100]: beyond, f differs from the hard clip min(max(x, 0), 1) only within about 0.35 of "
          "its corners, and e^-alpha heads for underflow. The default alpha = 0.5 is the catalog's; "
          "the paper treats alpha as a hyperparameter. No peer library has it.",
    references=(KLIMEK,),
    peers={},
)

# ---------------------------------------------------------------- sqnl


def _sqnl(xp, x):
    xc = xp.clip(x, -2.0, 2.0)  # constant +-1 beyond +-2
    return xc - xc * xp.abs(xc) * 0.25


def _dsqnl(xp, x):
    xc = xp.clip(x, -2.0, 2.0)
    return 1.0 - 0.5 * xp.abs(xc)


def _d2sqnl(xp, x):
    # the paper's pieces: x - x^2/4 on [0, 2], x + x^2/4 on [-2, 0), constants outside
    return xp.where((x >= 0) & (x <= 2.0), xp.full_like(x, -0.5),
                    xp.where((x >= -2.0) & (x < 0), xp.full_like(x, 0.5), xp.zeros_like(x)))


define(
    name="sqnl", kind="E", family="ridge", group="sigmoidal",
    summary="Square nonlinearity (SQNL): x - x|x|/4 on [-2, 2], +-1 outside; a tanh-like sigmoid "
            "without exponentials.",
    latex=(r"\begin{cases}1 & x>2\\ x-\frac{x^2}{4} & 0\le x\le 2\\ x+\frac{x^2}{4} & -2\le x<0\\ "
           r"-1 & x<-2\end{cases}",
           r"\begin{cases}1-\frac{|x|}{2} & |x|\le 2\\ 0 & |x|>2\end{cases}",
           r"\begin{cases}-\frac{1}{2} & 0\le x\le 2\\ \frac{1}{2} & -2\le x<0\\ 0 & |x|>2\end{cases}"),
    f=_sqnl, df=_dsqnl, d2f=_d2sqnl,
    props=Props(range=Range(-1, 1, True, True), continuity=1, monotonic=True, derivative_monotonic=False,
                identity_near_origin=True, saturating_left=True, saturating_right=True),
    kinks=(-2.0, 0.0, 2.0),
    notes="f' is continuous (0 at +-2, 1 at 0); f'' jumps at -2, 0 and 2 and takes there the value of "
          "the paper's closed pieces: -1/2 at 0 and 2, 1/2 at -2.",
    references=(WURAOLA,),
    peers={},
)

# ---------------------------------------------------------------- tanh_shrink

TANHSHRINK_SERIES_BELOW = 2.0


def _tanhshrink_coefficients(n=14):
    """x cosh x - sinh x = x^3 sum_k 2k x^(2k-2) / (2k+1)!: positive terms, so the sum does not
    cancel; 14 terms reach 1e-19 relative at |x| = 2."""
    return [2 * k / math.factorial(2 * k + 1) for k in range(1, n + 1)]


TANHSHRINK_SERIES = _tanhshrink_coefficients()


def _tanh_shrink(xp, x):
    small = xp.abs(x) < TANHSHRINK_SERIES_BELOW
    xs = xp.where(small, x, xp.zeros_like(x))
    t = xs * xs
    # x - tanh x = (x cosh x - sinh x) / cosh x; x - tanh x itself cancels for |x| < 2
    series = xs * (t * horner(xp, TANHSHRINK_SERIES, t)) / xp.cosh(xs)
    return xp.where(small, series, x - xp.tanh(x))


define(
    name="tanh_shrink", aliases=("tanhshrink",), kind="E", family="ridge", group="shrinkage",
    summary="Tanh shrinkage: x - tanh x, cubic near 0 and x -+ 1 far out.",
    latex=(r"x - \tanh x", r"\tanh^2 x", r"2\tanh x\,(1-\tanh^2 x)"),
    f=_tanh_shrink,
    df=lambda xp, x: xp.tanh(x) ** 2,
    d2f=lambda xp, x: 2.0 * xp.tanh(x) * sech2(xp, x),
    props=Props(range=Range(-INF, INF), continuity=INF, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=False, saturating_right=False),
    notes="x - tanh x loses all relative accuracy near 0 (it is x^3/3 + ...): for |x| < 2 it is "
          "evaluated as (x cosh x - sinh x)/cosh x with the numerator's Maclaurin series, whose terms "
          "are all positive. PyTorch, Keras and NNlib evaluate x - tanh x as written (torch gives 0 at "
          "x = 1e-8 for 3.3e-25, and 8 correct digits at x = 1e-3).",
    references=(PYTORCH,),
    peers={"PT": "torch.nn.functional.tanhshrink", "KS": "keras.activations.tanh_shrink",
           "NL": "tanhshrink", "TF": "tfa.activations.tanhshrink (TensorFlow Addons)"},
)
