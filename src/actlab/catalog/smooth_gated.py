"""Smooth gated units: x times a gate in [0, 1] (gelu, silu, mish, ...), their
hard (piecewise-linear) versions, and smooth relatives of the sigmoid and ELU.

Where a gate e^(-|z|) underflows while x is huge, x * gate is 0, not
inf * 0: :func:`_gate` keeps that product a clean +-0; where the gate is
subnormal, x * gate is rounded once (:func:`actlab.special.exp_pair`). Where a constant
multiplies x before an exponential (gelu's tanh and sigmoid forms), the
product is carried as a double-double (:mod:`actlab.special`), so that its
rounding is not amplified by |z| in the tails.
"""

import numpy as np

from ..numerics import dsigmoid, safe_expm1, sech2, sigmoid, split_square
from ..registry import INF, Props, Range, Ref, Unchecked, choice, define, real
from ..special import dd_const, exp_pair, ndtr, norm_pdf, two_prod, two_sum

HENDRYCKS = Ref("D. Hendrycks, K. Gimpel", "Gaussian error linear units (GELUs)", 2016,
                "https://arxiv.org/abs/1606.08415")
ELFWING = Ref("S. Elfwing, E. Uchibe, K. Doya", "Sigmoid-weighted linear units for neural network function "
              "approximation in reinforcement learning", 2017, "https://arxiv.org/abs/1702.03118")
RAMACHANDRAN = Ref("P. Ramachandran, B. Zoph, Q. V. Le", "Searching for activation functions", 2017,
                   "https://arxiv.org/abs/1710.05941")
HOWARD = Ref("A. Howard et al.", "Searching for MobileNetV3", 2019, "https://arxiv.org/abs/1905.02244")
MISRA = Ref("D. Misra", "Mish: a self regularized non-monotonic activation function", 2019,
            "https://arxiv.org/abs/1908.08681")
BLONDEL = Ref("M. Blondel, A. F. T. Martins, V. Niculae", "Learning with Fenchel-Young losses", 2019,
              "https://arxiv.org/abs/1901.02324")
BARRON = Ref("J. T. Barron", "Continuously differentiable exponential linear units", 2017,
             "https://arxiv.org/abs/1704.07483")
BASIRAT = Ref("M. Basirat, P. M. Roth", "The quest for the golden activation function", 2018,
              "https://arxiv.org/abs/1808.00783")
LIU_DI = Ref("X. Liu, X. Di", "TanhExp: a smooth activation function with high convergence speed for "
             "lightweight neural networks", 2020, "https://arxiv.org/abs/2003.09855")
SOBOLEVA = Ref("E. V. Soboleva, V. V. Beskorovainyi", "The utility function in problems of structural "
               "optimization of distributed objects (in Russian)", 2008,
               "https://en.wikipedia.org/wiki/Soboleva_modified_hyperbolic_tangent")


def _gate(xp, x, g):
    """x * g for a factor g that underflows to 0 where |x| is huge or infinite:
    the product is then +-0 (x's sign), never inf * 0 = nan."""
    return xp.where(g == 0, xp.sign(x), x) * g


class _Sig:
    """sigma(z) and sigma'(z) for z = zh + zl (zl a low-order part, carried to
    first order in e^-|z|, the only factor that amplifies it), applied to a
    factor p with a single final rounding: e^-|z| = h1 h2 (:func:`exp_pair`)."""

    def __init__(self, xp, zh, zl=None):
        self.xp, self.pos = xp, zh >= 0
        self.h1, self.h2, c = exp_pair(xp, -xp.abs(zh))
        if zl is not None:
            c = c - xp.where(zh < 0, -zl, zl)
        self.h1 = self.h1 * (1.0 + c)
        self.d = 1.0 + self.h1 * self.h2

    def times(self, p):
        """p sigma(z): p/(1 + e) for z >= 0, p e/(1 + e) below."""
        xp = self.xp
        return xp.where(self.pos, p / self.d, (_gate(xp, p, self.h1) / self.d) * self.h2)

    def times_d(self, p):
        """p sigma'(z) = p e/(1 + e)^2."""
        return (_gate(self.xp, p, self.h1) / (self.d * self.d)) * self.h2


# ----------------------------------------------------------------- gelu

SQRT_2_OVER_PI_X2 = dd_const("1.5957691216057307117597842397375274738034345446597")  # 2 sqrt(2/pi)
GELU_CUBIC = dd_const("0.044715")
GELU_SIGMOID = dd_const("1.702")
GELU_CLAMP = {"none": 40.0, "tanh": 40.0, "sigmoid": 800.0}  # beyond: gates exactly 0 or 1


def _gelu_z(xp, x, approximate):
    """The sigmoid gate's argument z = zh + zl of the approximations, with z' and z''.

    tanh: 0.5(1 + tanh(u)) = sigma(2u), z = 2 sqrt(2/pi) x (1 + 0.044715 x^2);
    sigmoid: z = 1.702 x. Both constants are the papers' decimals, carried
    (like every product) as double-doubles: z reaches 1e3 where e^-|z| still
    matters, and a rounded z would cost |z| ULP there.
    """
    xc = xp.clip(x, -GELU_CLAMP[approximate], GELU_CLAMP[approximate])
    if approximate == "sigmoid":
        zh, zl = two_prod(xp, xc, *GELU_SIGMOID)
        return xc, zh, zl, GELU_SIGMOID[0], 0.0
    ah, al = GELU_CUBIC
    kh, kl = SQRT_2_OVER_PI_X2
    qh, ql = split_square(xp, xc)  # x^2 exactly
    th, tl = two_prod(xp, qh, ah, al)  # 0.044715 x^2
    sh, sl = two_sum(1.0, th)
    mh, ml = two_prod(xp, xc, sh, sl + (tl + ah * ql))
    zh, zl = two_prod(xp, mh, kh, kl)
    zl = zl + kh * ml
    z1 = kh * (1.0 + 3.0 * ah * qh)
    z2 = 6.0 * kh * ah * xc
    return xc, zh, zl, z1, z2


def _gelu(xp, x, approximate):
    if approximate == "none":
        xc = xp.clip(x, -GELU_CLAMP["none"], GELU_CLAMP["none"])
        return xp.where(x > xc, x, ndtr(xp, xc, factor=xc))
    xc, zh, zl, _, _ = _gelu_z(xp, x, approximate)
    return xp.where(x > xc, x, _Sig(xp, zh, zl).times(xc))


def _dgelu(xp, x, approximate):
    if approximate == "none":
        xc = xp.clip(x, -GELU_CLAMP["none"], GELU_CLAMP["none"])
        return ndtr(xp, xc) + norm_pdf(xp, xc, factor=xc)
    xc, zh, zl, z1, _ = _gelu_z(xp, x, approximate)
    s = _Sig(xp, zh, zl)
    return s.times(xp.ones_like(xc)) + s.times_d(xc * z1)


def _d2gelu(xp, x, approximate):
    if approximate == "none":
        xc = xp.clip(x, -GELU_CLAMP["none"], GELU_CLAMP["none"])
        qh, ql = split_square(xp, xc)
        return norm_pdf(xp, xc, factor=(2.0 - qh) - ql)  # 2 - x^2 without cancellation at sqrt 2
    xc, zh, zl, z1, z2 = _gelu_z(xp, x, approximate)
    # (x sigma(z))'' = sigma'(z) (2 z' + x z'' - x z'^2 tanh(z/2)), as sigma'' = -sigma' tanh(z/2)
    return _Sig(xp, zh, zl).times_d(2.0 * z1 + xc * z2 - xc * z1 * z1 * xp.tanh(0.5 * zh))


_GELU_MIN = {"none": -0.16997120747990366, "tanh": -0.17004075057125405, "sigmoid": -0.16361018963635358}

define(
    name="gelu", variants={"gelu_tanh": {"approximate": "tanh"}, "gelu_erf": {"approximate": "none"}}, kind="E", family="ridge", group="smooth gated",
    summary="Gaussian error linear unit: x Phi(x), x gated by the standard normal CDF; "
            "tanh and sigmoid approximations on request.",
    latex=(r"x\,\Phi(x) = \frac{x}{2}\,\mathrm{erfc}\!\left(-\frac{x}{\sqrt2}\right)",
           r"\Phi(x) + x\,\varphi(x)", r"\varphi(x)\,(2 - x^2)"),
    params=(choice("approximate", "none", ("none", "tanh", "sigmoid"),
                   "'none': exact x Phi(x); 'tanh': 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))); "
                   "'sigmoid': x sigma(1.702x)"),),
    f=_gelu, df=_dgelu, d2f=_d2gelu,
    props=Props(range=lambda p: Range(_GELU_MIN[p["approximate"]], INF, True), continuity=INF,
                monotonic=False, derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=False),
    notes="phi is the standard normal density. f'(0) = 1/2. Exact in the lower tail: x Phi(x) is "
          "computed as x erfc(-x/sqrt 2)/2 with x/sqrt 2 in double-double (actlab.special), so it keeps "
          "full relative accuracy down to the underflow near x = -38; PyTorch's F.gelu computes "
          "0.5x(1 + erf(x/sqrt 2)) and F.gelu(approximate='tanh') 0.5x(1 + tanh(.)), which cancel "
          "(4 correct digits left at x = -7, none at -8, exactly 0 below about -8.3), and so does "
          "jax.nn.gelu's tanh form; "
          "jax.nn.gelu(approximate=False) uses erfc and agrees with actlab. The tanh form is evaluated as "
          "x sigma(2u), the same function without the cancellation. Defaults differ: PyTorch, Keras and "
          "TensorFlow default to the exact form, JAX (approximate=True) and NNlib (gelu = gelu_tanh) to "
          "the tanh form; actlab follows the paper and PyTorch (exact). The constants 0.044715 and 1.702 "
          "are the paper's decimals.",
    references=(HENDRYCKS,),
    peers={"PT": "torch.nn.functional.gelu (approximate='none'; 'tanh')",
           "JX": "jax.nn.gelu (approximate=True: the tanh form by default)",
           "KS": "keras.activations.gelu (approximate=False)", "NL": "gelu_tanh (gelu), gelu_erf",
           "TF": "tf.nn.gelu (approximate=False)", "WP": "Gaussian-error linear unit (GELU)"},
)


# ----------------------------------------------------------------- silu / swish

def _silu_z(xp, x, beta):
    return xp.clip(x, -1e300, 1e300) * beta  # clipped: beta * inf would be nan for beta = 0


def _silu(xp, x, beta):
    return _Sig(xp, _silu_z(xp, x, beta)).times(x)


def _dsilu(xp, x, beta):
    z = _silu_z(xp, x, beta)
    s = _Sig(xp, z)
    return s.times(xp.ones_like(z)) + s.times_d(z)  # sigma(z) + beta x sigma'(z)


def _d2silu(xp, x, beta):
    z = _silu_z(xp, x, beta)
    return _Sig(xp, z).times_d(beta * (2.0 - z * xp.tanh(0.5 * z)))


def _silu_beta(xp, x, beta):
    xc = xp.clip(x, -1e300, 1e300)
    return {"beta": _Sig(xp, xc * beta).times_d(xc) * xc}  # x^2 sigma'(beta x)


def _silu_claim(positive, zero):
    """A claim for beta > 0 or beta = 0 (per-channel betas: the smallest decides)."""
    return lambda p: positive if float(np.min(p["beta"])) > 0 else zero


def _silu_range(p):
    beta = float(np.min(p["beta"]))
    return Range(SILU_MIN / beta, INF, True) if beta > 0 else Range(-INF, INF)


SILU_MIN = -0.2784645427610738  # min of t sigma(t), at t = -1.2784645427610738 (= W(1/e) + 1)

define(
    name="silu", aliases=("swish",), kind="E", family="ridge", group="smooth gated",
    summary="Sigmoid linear unit (swish): x sigma(beta x), with an optionally learned beta.",
    latex=(r"x\,\sigma(\beta x)", r"\sigma(\beta x) + \beta x\,\sigma'(\beta x)",
           r"\beta\,\sigma'(\beta x)\,(2 - \beta x \tanh(\beta x / 2))"),
    params=(real("beta", 1.0, "gate sharpness: beta = 0 gives x/2, beta -> inf gives ReLU; "
                 "learnable (scalar or one per channel)", lo=0.0, learnable=True, array=True),),
    f=_silu, df=_dsilu, d2f=_d2silu, dparams=_silu_beta,
    props=Props(range=_silu_range,
                continuity=INF, monotonic=_silu_claim(False, True), derivative_monotonic=_silu_claim(False, True),
                identity_near_origin=False, saturating_left=_silu_claim(True, False), saturating_right=False),
    notes="beta = 1 is SiLU (Hendrycks & Gimpel; Elfwing et al.), a learned beta is Swish "
          "(Ramachandran et al.); param_grads gives dL/dbeta = sum g x^2 sigma'(beta x). The minimum "
          "is -0.27846.../beta at x = -1.27846.../beta. Claims are for the given beta (the smallest "
          "one for per-channel values). For beta != 1 the product beta*x is rounded before the "
          "exponential amplifies its error by |beta x|.",
    references=(HENDRYCKS, ELFWING, RAMACHANDRAN),
    peers={"PT": "torch.nn.functional.silu (beta fixed at 1)", "JX": "jax.nn.silu / jax.nn.swish (beta 1)",
           "KS": "keras.activations.silu / swish (beta 1)", "NL": "swish (beta 1)",
           "TF": "tf.nn.silu (beta=1.0)", "WP": "Sigmoid linear unit (SiLU, Sigmoid shrinkage, SiL, or Swish-1)"},
)


# ----------------------------------------------------------------- hard gates

define(
    name="hard_sigmoid", aliases=("hardsigmoid", "hardσ"), kind="E", family="ridge", group="hard gate",
    summary="Hard sigmoid: relu6(x + 3)/6, the piecewise-linear sigmoid of MobileNetV3.",
    latex=(r"\frac{\min(\max(x+3,0),6)}{6}", r"\begin{cases}1/6 & -3<x<3\\0&\text{otherwise}\end{cases}", r"0"),
    f=lambda xp, x: xp.clip(x + 3.0, 0.0, 6.0) / 6.0,
    df=lambda xp, x: xp.where((x > -3.0) & (x < 3.0), xp.full_like(x, 1.0 / 6.0), xp.zeros_like(x)),
    d2f=lambda xp, x: xp.zeros_like(x),
    props=Props(range=Range(0, 1, True, True), continuity=0, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    kinks=(-3.0, 3.0),
    notes="f'(-3) = f'(3) = 0, as PyTorch (hardsigmoid's backward, and relu6(x + 3)/6). PyTorch, "
          "Keras 3 and JAX use relu6(x + 3)/6; Keras 2 and TensorFlow used clip(0.2x + 0.5, 0, 1), "
          "NNlib hardsigmoid = max(0, min(1, (x + 3)/6)) (the same as ours), and BinaryConnect "
          "clip((x + 1)/2, 0, 1) (the gate of hard_elish). torch 2.13's float64 hardsigmoid backward "
          "returns float32(1/6); it has no double backward.",
    references=(HOWARD,),
    peers={"PT": "torch.nn.functional.hardsigmoid", "JX": "jax.nn.hard_sigmoid",
           "KS": "keras.activations.hard_sigmoid (Keras 3; Keras 2: clip(0.2x + 0.5, 0, 1))",
           "NL": "hardsigmoid (hardσ)", "TF": "tf.keras.activations.hard_sigmoid (0.2x + 0.5, clipped)"},
)


def _hard_swish(xp, x):
    xm = xp.clip(x, -3.0, 3.0)
    return xp.where(x >= 3.0, x, xm * (xm + 3.0) / 6.0)


define(
    name="hard_swish", aliases=("hardswish", "hard_silu"), kind="E", family="ridge", group="hard gate",
    summary="Hard swish: x relu6(x + 3)/6, a piecewise-quadratic SiLU.",
    latex=(r"x\,\frac{\min(\max(x+3,0),6)}{6}",
           r"\begin{cases}0 & x\le -3\\ (2x+3)/6 & -3<x<3\\ 1 & x\ge 3\end{cases}",
           r"\begin{cases}1/3 & -3<x<3\\0&\text{otherwise}\end{cases}"),
    f=_hard_swish,
    df=lambda xp, x: xp.where(x >= 3.0, xp.ones_like(x),
                              xp.where(x > -3.0, (2.0 * x + 3.0) / 6.0, xp.zeros_like(x))),
    d2f=lambda xp, x: xp.where((x > -3.0) & (x < 3.0), xp.full_like(x, 1.0 / 3.0), xp.zeros_like(x)),
    props=Props(range=Range(-0.375, INF, True), continuity=0, monotonic=False, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    kinks=(-3.0, 3.0),
    notes="f'(-3) = 0 and f'(3) = 1, f''(+-3) = 0, as PyTorch's hardswish autograd. Minimum -3/8 at "
          "x = -3/2.",
    references=(HOWARD,),
    peers={"PT": "torch.nn.functional.hardswish", "JX": "jax.nn.hard_swish / jax.nn.hard_silu",
           "KS": "keras.activations.hard_silu / hard_swish", "NL": "hardswish"},
)

define(
    name="sparse_sigmoid", kind="E", family="ridge", group="hard gate",
    summary="Sparse sigmoid: 0.5 clip(x + 1, 0, 2), the first entry of sparsemax((x, 0)) as sigmoid "
            "is of softmax((x, 0)); exactly 0 or 1 outside [-1, 1].",
    latex=(r"\tfrac12\min(\max(x+1,0),2)", r"\begin{cases}1/2 & -1<x<1\\0&\text{otherwise}\end{cases}", r"0"),
    f=lambda xp, x: 0.5 * xp.clip(x + 1.0, 0.0, 2.0),
    df=lambda xp, x: xp.where((x > -1.0) & (x < 1.0), xp.full_like(x, 0.5), xp.zeros_like(x)),
    d2f=lambda xp, x: xp.zeros_like(x),
    props=Props(range=Range(0, 1, True, True), continuity=0, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    kinks=(-1.0, 1.0),
    notes="f'(+-1) = 0, the convention of hard_sigmoid and hardtanh (the saturated side). JAX "
          "(jnp.clip, whose gradient splits ties) gives 1/4 there; PyTorch has no sparse_sigmoid.",
    references=(BLONDEL,),
    peers={"JX": "jax.nn.sparse_sigmoid", "KS": "keras.activations.sparse_sigmoid"},
)


# ----------------------------------------------------------------- mish

def _mish_parts(xp, x):
    """t = tanh(softplus(x)), g = t' = sech^2(softplus x) sigma(x), and
    F = sigma(-x) - 2 t sigma(x) (so f'' = g (2 + x F)), as rational
    functions of v = e^-|x| <= 1: no overflow, no cancellation. For x < 0, t
    and g are proportional to v = h1 h2 (:func:`exp_pair`): they are returned
    divided by m (h2 there, else 1) so that products with x round once."""
    h1, h2, c = exp_pair(xp, -xp.abs(x))
    h1 = h1 * (1.0 + c)
    v = h1 * h2
    v2 = v * v
    pos = x >= 0
    dp = 1.0 + 2.0 * v + 2.0 * v2  # x >= 0: ((1 + e^x)^2 + 1) e^-2x
    dn = v * (v + 2.0) + 2.0  # x < 0: (1 + e^x)^2 + 1
    t = xp.where(pos, (1.0 + 2.0 * v) / dp, h1 * (v + 2.0) / dn)
    g = xp.where(pos, 4.0 * v2 * (1.0 + v) / (dp * dp), 4.0 * h1 * (1.0 + v) / (dn * dn))
    f = xp.where(pos, -(2.0 + 3.0 * v - 2.0 * v2 - 2.0 * v2 * v) / (dp * (1.0 + v)),
                 (2.0 + 2.0 * v - 3.0 * v2 - 2.0 * v2 * v) / (dn * (1.0 + v)))
    return t, g, f, xp.where(pos, xp.ones_like(h2), h2)


def _mish(xp, x):
    t, _, _, m = _mish_parts(xp, x)
    return _gate(xp, x, t) * m


def _dmish(xp, x):
    t, g, _, m = _mish_parts(xp, x)
    return (t + _gate(xp, x, g)) * m


def _d2mish(xp, x):
    _, g, f, m = _mish_parts(xp, x)
    return _gate(xp, 2.0 + _gate(xp, x, f), g) * m


define(
    name="mish", kind="E", family="ridge", group="smooth gated",
    summary="Mish: x tanh(softplus(x)), a self-regularized non-monotonic smooth gate.",
    latex=(r"x\tanh(\ln(1+e^x))", r"\tanh(s) + x\,\sigma(x)\,\mathrm{sech}^2(s),\ s = \ln(1+e^x)",
           r"\sigma(x)\,\mathrm{sech}^2(s)\,\big(2 + x(1 - \sigma(x) - 2\sigma(x)\tanh s)\big)"),
    f=_mish, df=_dmish, d2f=_d2mish,
    props=Props(range=Range(-0.30884341301725041, INF, True), continuity=INF, monotonic=False,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=False),
    notes="f'(0) = 0.6. Minimum -0.30884... at x = -1.19243.... tanh(softplus x) is evaluated as a "
          "rational function of e^-|x| (((1+e^x)^2 - 1)/((1+e^x)^2 + 1)), exact in both tails; "
          "PyTorch's double backward returns nan for large x (f''(800)).",
    references=(MISRA,),
    peers={"PT": "torch.nn.functional.mish", "JX": "jax.nn.mish", "KS": "keras.activations.mish",
           "NL": "mish", "WP": "Mish"},
)


# ----------------------------------------------------------------- log_sigmoid

define(
    name="log_sigmoid", aliases=("logsigmoid", "logσ"), kind="E", family="ridge", group="smooth rectifier",
    summary="Log-sigmoid: log sigma(x) = -softplus(-x), a smooth min(x, 0).",
    latex=(r"\log\sigma(x) = -\log(1+e^{-x})", r"\sigma(-x)", r"-\sigma(x)\,\sigma(-x)"),
    f=lambda xp, x: xp.minimum(x, 0.0) - xp.log1p(xp.exp(-xp.abs(x))),
    df=lambda xp, x: sigmoid(xp, -x),
    d2f=lambda xp, x: -dsigmoid(xp, x),
    props=Props(range=Range(-INF, 0), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=False, saturating_right=True),
    notes="f(0) = -log 2; f' decreases from 1 to 0. The log-likelihood of the logistic model.",
    references=(Ref("D. R. Cox", "The regression analysis of binary sequences", 1958,
                    "https://doi.org/10.1111/j.2517-6161.1958.tb00292.x"),),
    peers={"PT": "torch.nn.functional.logsigmoid", "JX": "jax.nn.log_sigmoid",
           "KS": "keras.activations.log_sigmoid", "NL": "logsigmoid (logσ)", "TF": "tf.math.log_sigmoid"},
)


# ----------------------------------------------------------------- exponential relatives

define(
    name="celu", kind="E", family="ridge", group="exponential",
    summary="Continuously differentiable ELU: max(0, x) + min(0, alpha (e^(x/alpha) - 1)).",
    latex=(r"\max(0,x) + \min\!\big(0, \alpha(e^{x/\alpha}-1)\big)",
           r"\begin{cases}1 & x>0\\ e^{x/\alpha} & x\le 0\end{cases}",
           r"\begin{cases}0 & x\ge 0\\ e^{x/\alpha}/\alpha & x< 0\end{cases}"),
    params=(real("alpha", 1.0, "the value -alpha that f approaches as x -> -inf; also the scale of x",
                 lo=0.0, lo_open=True),),
    f=lambda xp, x, alpha: xp.where(x > 0, x, alpha * safe_expm1(xp, x / alpha)),
    df=lambda xp, x, alpha: xp.where(x > 0, xp.ones_like(x), xp.exp(xp.minimum(x / alpha, 0.0))),
    d2f=lambda xp, x, alpha: xp.where(x < 0, xp.exp(xp.minimum(x / alpha, 0.0)) / alpha, xp.zeros_like(x)),
    props=Props(range=lambda p: Range(-p["alpha"], INF), continuity=1, monotonic=True,
                derivative_monotonic=True, identity_near_origin=True, saturating_left=True,
                saturating_right=False),
    kinks=(0.0,),
    notes="C^1 for every alpha (unlike elu): f'(0) = 1; f'' jumps from 1/alpha to 0, and f''(0) = 0 as "
          "PyTorch autograd. alpha = 1 is elu. For alpha other than a power of 2, x/alpha is rounded "
          "before the exponential amplifies its error by |x/alpha|.",
    references=(BARRON,),
    peers={"PT": "torch.nn.functional.celu (alpha=1.0)", "JX": "jax.nn.celu (alpha=1.0)",
           "KS": "keras.activations.celu (alpha=1.0)", "NL": "celu (α=1)"},
)


def _elish(xp, x):
    e = xp.exp(-xp.abs(x))  # e^x for x < 0
    return xp.where(x >= 0, _silu(xp, x, 1.0), safe_expm1(xp, x) * e / (1.0 + e))


def _delish(xp, x):
    e = xp.exp(-xp.abs(x))
    # x < 0: e^x sigma + (e^x - 1) sigma' = e (e^2 + 2e - 1)/(1 + e)^2
    return xp.where(x >= 0, _dsilu(xp, x, 1.0), e * (e * e + 2.0 * e - 1.0) / ((1.0 + e) * (1.0 + e)))


def _d2elish(xp, x):
    e = xp.exp(-xp.abs(x))
    left = e * (((e + 3.0) * e + 5.0) * e - 1.0) / ((1.0 + e) * (1.0 + e) * (1.0 + e))
    return xp.where(x >= 0, _d2silu(xp, x, 1.0), left)


define(
    name="elish", kind="E", family="ridge", group="smooth gated",
    summary="ELiSH: x sigma(x) for x >= 0, (e^x - 1) sigma(x) for x < 0 (SiLU right, ELU-gated left).",
    latex=(r"\begin{cases}x\,\sigma(x) & x\ge 0\\ (e^x-1)\,\sigma(x) & x<0\end{cases}",
           r"\begin{cases}\sigma(x)+x\sigma'(x) & x\ge 0\\ e^x\sigma(x)+(e^x-1)\sigma'(x) & x<0\end{cases}",
           r"\begin{cases}\sigma'(x)(2 - x\tanh(x/2)) & x\ge 0\\ "
           r"\frac{e^x(e^{3x}+3e^{2x}+5e^x-1)}{(1+e^x)^3} & x<0\end{cases}"),
    f=_elish, df=_delish, d2f=_d2elish,
    props=Props(range=Range(-0.1715728752538099, INF, True), continuity=1, monotonic=False,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=False),
    kinks=(0.0,),
    notes="C^1: f'(0) = 1/2 from both sides, f'' jumps from 1 (left) to 1/2 (right); f''(0) = 1/2, "
          "the paper's x >= 0 branch. Minimum 2 sqrt 2 - 3 at x = log(sqrt 2 - 1).",
    references=(BASIRAT,),
    peers={},
)


def _hard_elish(xp, x):
    xm = xp.clip(x, -1.0, 1.0)
    h = 0.5 * (xm + 1.0)  # the hard sigmoid clip((x + 1)/2, 0, 1)
    return xp.where(x >= 1.0, x, xp.where(x >= 0, xm * h, safe_expm1(xp, xm) * h))


def _dhard_elish(xp, x):
    xm = xp.clip(x, -1.0, 1.0)
    left = 0.5 * (xp.exp(xm) * (xm + 1.0) + xp.expm1(xm))
    inner = xp.where(x >= 0, xm + 0.5, xp.where(x > -1.0, left, xp.zeros_like(x)))
    return xp.where(x >= 1.0, xp.ones_like(x), inner)


def _d2hard_elish(xp, x):
    xm = xp.clip(x, -1.0, 1.0)
    inner = xp.where(x >= 0, xp.ones_like(x), 0.5 * xp.exp(xm) * (xm + 3.0))
    return xp.where((x > -1.0) & (x < 1.0), inner, xp.zeros_like(x))


define(
    name="hard_elish", kind="E", family="ridge", group="hard gate",
    summary="HardELiSH: x h(x) for x >= 0, (e^x - 1) h(x) for x < 0, h(x) = clip((x + 1)/2, 0, 1).",
    latex=(r"\begin{cases}x\,h(x) & x\ge 0\\ (e^x-1)\,h(x) & x<0\end{cases},\ h(x)=\max(0,\min(1,\tfrac{x+1}{2}))",
           r"\begin{cases}1 & x\ge 1\\ x + \tfrac12 & 0\le x<1\\ \tfrac12(e^x(x+1) + e^x - 1) & -1<x<0\\"
           r" 0 & x\le -1\end{cases}",
           r"\begin{cases}1 & 0\le x<1\\ \tfrac12 e^x(x+3) & -1<x<0\\ 0 & \text{otherwise}\end{cases}"),
    f=_hard_elish, df=_dhard_elish, d2f=_d2hard_elish,
    props=Props(range=Range(-0.099673151528742618, INF, True), continuity=0, monotonic=False,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=False),
    kinks=(-1.0, 0.0, 1.0),
    notes="f' jumps at -1 (from 0 to (1/e - 1)/2) and at 1 (from 3/2 to 1); f'' jumps at 0 (from 3/2 "
          "to 1). At the corners of h the derivative takes the saturated side (f'(-1) "
          "= 0, f'(1) = 1), the hardtanh convention of PyTorch; f''(0) = 1 from the paper's x >= 0 branch. "
          "Minimum -0.09967... at x = -0.44285....",
    references=(BASIRAT,),
    peers={},
)


def _tanhexp_parts(xp, x):
    """x clamped where tanh(e^x) is exactly 0 or 1, e^x = h1 h2 (:func:`exp_pair`),
    tanh(e^x) = q m (q = h1, m = h2 where e^x is tiny, as tanh e = e there), sech^2(e^x)."""
    xc = xp.clip(x, -800.0, 40.0)
    h1, h2, c = exp_pair(xp, xc)
    h1 = h1 * (1.0 + c)
    e = h1 * h2
    t = xp.tanh(e)
    sub = h2 < 1.0
    return xc, h1, h2, e, t, xp.where(sub, h1, t), xp.where(sub, h2, xp.ones_like(h2)), sech2(xp, e)


def _tanhexp(xp, x):
    xc, _, _, _, _, q, m, _ = _tanhexp_parts(xp, x)
    return _gate(xp, xp.where(x < 0, xc, x), q) * m  # below -800, tanh(e^x) x = -0


def _dtanhexp(xp, x):
    xc, h1, h2, _, t, _, _, s = _tanhexp_parts(xp, x)
    return t + (xc * h1 * s) * h2


def _d2tanhexp(xp, x):
    xc, h1, h2, e, t, _, _, s = _tanhexp_parts(xp, x)
    return (h1 * s * (2.0 + xc - 2.0 * xc * e * t)) * h2


define(
    name="tanhexp", kind="E", family="ridge", group="smooth gated",
    summary="TanhExp: x tanh(e^x), a smooth gate that opens faster than SiLU.",
    latex=(r"x\tanh(e^x)", r"\tanh(e^x) + x e^x\,\mathrm{sech}^2(e^x)",
           r"e^x\,\mathrm{sech}^2(e^x)\,\big(2 + x - 2x e^x\tanh(e^x)\big)"),
    f=_tanhexp, df=_dtanhexp, d2f=_d2tanhexp,
    props=Props(range=Range(-0.35328577784821127, INF, True), continuity=INF, monotonic=False,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=False),
    notes="f'(0) = tanh 1. Minimum -0.35329... at x = -1.07886.... For x > 1, f'' ~ 4x e^x e^(-2e^x) "
          "is ill-conditioned: the rounding of e^x (half an ULP) is amplified by 2e^x, so f'' there "
          "is accurate to about e^x ULP (f and f' are not affected).",
    references=(LIU_DI,),
    peers={},
)


# ----------------------------------------------------------------- smht

def _smht_parts(xp, y, p, q, r, s, order):
    """f^(order) for y >= 0, the exponentials scaled by e^(-r y) (f), e^(-2r y)
    (f'), e^(-3r y) (f'') so that none overflows unless the result does; the
    exponents are exact sums of the parameters times y. x < 0 is the mirror
    image: f(x; a,b,c,d) = -f(-x; b,a,d,c)."""
    yc = xp.minimum(y, 1e300)  # (p - r) * inf would be nan where p == r
    e1 = xp.exp(-(r + s) * yc)
    den = 1.0 + e1
    if order == 0:
        return xp.exp((p - r) * yc) * -xp.expm1(-(p + q) * yc) / den
    k1 = (p - r) * xp.exp((p - r) * yc)
    k2 = (p + s) * xp.exp((p - 2.0 * r - s) * yc)
    k3 = (q + r) * xp.exp(-(q + r) * yc)
    k4 = (q - s) * xp.exp(-(q + 2.0 * r + s) * yc)
    if order == 1:
        return (k1 + k2 + k3 + k4) / (den * den)
    kk = ((r - s) + s * -xp.expm1(-(r + s) * yc)) / den  # D'/D = (r - s e1)/(1 + e1)
    # each term of f'' = N'/D^2 - 2 (N/D^2) D'/D grouped by exponential, the
    # first bracket rewritten so that nothing cancels when p == r
    return (k1 * ((p - r) + (p + r + 2.0 * s) * e1) / den + k2 * ((p - s) - 2.0 * kk)
            + k3 * ((r - q) - 2.0 * kk) + k4 * (-(q + s) - 2.0 * kk)) / (den * den)


def _smht(order):
    sign = -1.0 if order != 1 else 1.0  # f and f'' are odd in the mirror, f' is even

    def fn(xp, x, a, b, c, d):
        right = _smht_parts(xp, xp.maximum(x, 0.0), a, b, c, d, order)
        left = _smht_parts(xp, xp.maximum(-x, 0.0), b, a, d, c, order)
        return xp.where(x >= 0, right, sign * left)
    return fn


def _tanh_like(p):
    return p["a"] == p["c"] and p["b"] == p["d"]


def _smht_claim(value, why="depends on a, b, c, d in no closed form (checked for a = c, b = d)"):
    return lambda p: value if _tanh_like(p) else Unchecked(None, why)


define(
    name="smht", kind="E", family="ridge", group="sigmoidal",
    summary="Soboleva modified hyperbolic tangent: (e^(ax) - e^(-bx))/(e^(cx) + e^(-dx)); tanh at a=b=c=d=1.",
    latex=(r"\frac{e^{ax}-e^{-bx}}{e^{cx}+e^{-dx}}",
           r"\frac{a e^{ax}+b e^{-bx}}{e^{cx}+e^{-dx}}"
           r" - \mathrm{smht}(x)\,\frac{c e^{cx}-d e^{-dx}}{e^{cx}+e^{-dx}}",
           r"\frac{N'(x)}{D^2} - 2\,\mathrm{smht}'(x)\,\frac{D'(x)}{D},\ D = e^{cx}+e^{-dx},\ "
           r"N = (a e^{ax}+b e^{-bx})D - (e^{ax}-e^{-bx})D'"),
    params=(real("a", 1.0, "growth of the numerator's right arm", lo=0.0),
            real("b", 1.0, "growth of the numerator's left arm", lo=0.0),
            real("c", 1.0, "growth of the denominator's right arm (a <= c keeps f bounded above)", lo=0.0),
            real("d", 1.0, "growth of the denominator's left arm (b <= d keeps f bounded below)", lo=0.0)),
    f=_smht(0), df=_smht(1), d2f=_smht(2),
    props=Props(range=_smht_claim(Range(-1, 1)), continuity=INF, monotonic=_smht_claim(True),
                derivative_monotonic=_smht_claim(False),
                identity_near_origin=lambda p: (p["a"] + p["b"]) == 2.0,
                saturating_left=lambda p: p["b"] <= p["d"], saturating_right=lambda p: p["a"] <= p["c"],
                zero_centred=lambda p: p["a"] + p["b"] > 0,
                bounded_below=lambda p: p["b"] <= p["d"], bounded_above=lambda p: p["a"] <= p["c"]),
    notes="With a = c and b = d it is tanh((a + b)x/2); a = b = 1, c = d = 0 gives sinh x. f(0) = 0, "
          "f'(0) = (a + b)/2. Evaluated with every exponential scaled by the dominant one of the "
          "denominator (exponents are parameter sums times |x|), so it overflows only where f does. "
          "For non-default parameters the products a*x, ... are rounded before the exponentials "
          "amplify their error.",
    references=(SOBOLEVA,),
    peers={"WP": "Soboleva modified hyperbolic tangent (SMHT)"},
)
