"""Rectifiers and their relatives: piecewise-linear or with an exponential left arm."""

import numpy as np

from ..numerics import dsigmoid, safe_expm1, sigmoid
from ..registry import INF, Props, Range, Ref, define, real

NAIR = Ref("V. Nair, G. E. Hinton", "Rectified linear units improve restricted Boltzmann machines", 2010,
           "https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf")
MAAS = Ref("A. L. Maas, A. Y. Hannun, A. Y. Ng",
           "Rectifier nonlinearities improve neural network acoustic models", 2013,
           "https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf")
HE = Ref("K. He, X. Zhang, S. Ren, J. Sun", "Delving deep into rectifiers: surpassing human-level "
         "performance on ImageNet classification", 2015, "https://arxiv.org/abs/1502.01852")
CLEVERT = Ref("D.-A. Clevert, T. Unterthiner, S. Hochreiter", "Fast and accurate deep network learning "
              "by exponential linear units (ELUs)", 2015, "https://arxiv.org/abs/1511.07289")
KLAMBAUER = Ref("G. Klambauer, T. Unterthiner, A. Mayr, S. Hochreiter", "Self-normalizing neural networks",
                2017, "https://arxiv.org/abs/1706.02515")
KRIZHEVSKY = Ref("A. Krizhevsky", "Convolutional deep belief networks on CIFAR-10", 2010,
                 "https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf")
DUGAS = Ref("C. Dugas, Y. Bengio, F. Belisle, C. Nadeau, R. Garcia",
            "Incorporating second-order functional knowledge for better option pricing", 2001,
            "https://papers.nips.cc/paper/1920")

ZERO = lambda xp, x: xp.zeros_like(x)  # noqa: E731
ONE = lambda xp, x: xp.ones_like(x)  # noqa: E731


def _leaky(xp, x, alpha):
    a = alpha * xp.ones_like(x)
    # at x = -inf, alpha*x is -inf*sign(alpha): 0 for alpha = 0, where 0*inf would be NaN
    at_minf = xp.where(a > 0, xp.full_like(x, -INF), xp.where(a < 0, xp.full_like(x, INF), xp.zeros_like(x)))
    finite_neg = xp.where((x < 0) & (x > -INF), x, -xp.ones_like(x))  # no 0*inf in unused lanes
    return xp.where(x >= 0, x, xp.where(x == -INF, at_minf, a * finite_neg))


def _dleaky(xp, x, alpha):
    # PyTorch's convention: slope alpha at exactly 0 (x > 0 ? 1 : alpha).
    return xp.where(x > 0, xp.ones_like(x), alpha * xp.ones_like(x))


def _leaky_props():
    """Claims of x if x >= 0 else alpha*x, for a scalar or per-channel alpha
    (a claim holds for an array alpha when it holds for every channel)."""
    def all_(cond):
        return lambda p: bool(np.all(cond(np.asarray(p["alpha"]))))

    return Props(
        range=lambda p: Range(-INF, INF) if np.all(np.asarray(p["alpha"]) > 0) else (
            Range(0, INF, True) if np.all(np.asarray(p["alpha"]) <= 0) else Range(-INF, INF)),
        continuity=lambda p: INF if np.all(np.asarray(p["alpha"]) == 1) else 0,
        monotonic=all_(lambda a: a >= 0),
        derivative_monotonic=True,  # f' is a step from alpha to 1 (or constant)
        identity_near_origin=all_(lambda a: a == 1),
        saturating_left=all_(lambda a: a == 0), saturating_right=False)


define(
    name="identity", aliases=("linear",), kind="E", family="ridge", group="linear",
    summary="Identity: f(x) = x (a linear unit; regression outputs).",
    latex=(r"x", r"1", r"0"),
    f=lambda xp, x: x + 0.0,  # a new array, as every other function returns
    df=ONE, d2f=ZERO,
    props=Props(range=Range(-INF, INF), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=True, saturating_left=False, saturating_right=False),
    references=(Ref("B. Widrow, M. E. Hoff", "Adaptive switching circuits (the linear ADALINE unit)", 1960,
                    "https://doi.org/10.21236/ad0241531"),),
    peers={"PT": "torch.nn.Identity", "KS": "keras.activations.linear", "ZT": "linear / identity",
           "WP": "Identity"},
)

define(
    name="relu", kind="E", family="ridge", group="rectifier",
    summary="Rectified linear unit: max(0, x).",
    latex=(r"\max(0, x)", r"\begin{cases}1 & x>0\\0 & x\le 0\end{cases}", r"0"),
    f=lambda xp, x: xp.where(x > 0, x, xp.zeros_like(x)),
    df=lambda xp, x: xp.where(x > 0, xp.ones_like(x), xp.zeros_like(x)),
    d2f=ZERO,
    props=Props(range=Range(0, INF, True), continuity=0, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    kinks=(0.0,),
    notes="f'(0) = 0, as PyTorch, JAX and TensorFlow.",
    references=(NAIR,),
    peers={"PT": "torch.relu", "JX": "jax.nn.relu", "KS": "keras.activations.relu", "NL": "relu",
           "TF": "tf.nn.relu", "ZT": "relu", "WP": "Rectified linear unit (ReLU)"},
)

define(
    name="leaky_relu", aliases=("lrelu", "leakyrelu"), kind="E", family="ridge", group="rectifier",
    summary="Leaky ReLU: x for x >= 0, alpha*x otherwise.",
    latex=(r"\begin{cases}x & x\ge 0\\ \alpha x & x<0\end{cases}",
           r"\begin{cases}1 & x>0\\ \alpha & x\le 0\end{cases}", r"0"),
    params=(real("alpha", 0.01, "slope for negative inputs"),),
    f=_leaky, df=_dleaky, d2f=lambda xp, x, alpha: xp.zeros_like(x),
    props=_leaky_props(),
    kinks=(0.0,),
    notes="f'(0) = alpha, as PyTorch (x > 0 ? 1 : alpha).",
    references=(MAAS,),
    peers={"PT": "torch.nn.functional.leaky_relu (negative_slope=0.01)",
           "JX": "jax.nn.leaky_relu (negative_slope=0.01)",
           "KS": "keras.activations.leaky_relu (negative_slope=0.2)",
           "NL": "leakyrelu (a=0.01)", "TF": "tf.nn.leaky_relu (alpha=0.2)",
           "ZT": "leaky_relu (alpha=0.01)", "WP": "Leaky ReLU"},
)

define(
    name="prelu", kind="P", family="ridge", group="rectifier",
    summary="Parametric ReLU: a leaky ReLU whose slope alpha is learned (scalar or per channel).",
    latex=(r"\begin{cases}x & x\ge 0\\ \alpha x & x<0\end{cases}",
           r"\begin{cases}1 & x>0\\ \alpha & x\le 0\end{cases}", r"0"),
    params=(real("alpha", 0.25, "learned slope for negative inputs; a scalar or one per channel "
                 "(channel axis 1, or 0 for 1-D input, as PyTorch)", learnable=True, array=True),),
    f=_leaky, df=_dleaky, d2f=lambda xp, x, alpha: xp.zeros_like(x),
    dparams=lambda xp, x, alpha: {"alpha": xp.where(x > 0, xp.zeros_like(x), x)},
    props=_leaky_props(),
    kinks=(0.0,),
    notes="Claims follow the current alpha (per channel: a claim holds when it holds for every channel). "
          "f'(0) = alpha and df/dalpha(0) = 0, as PyTorch.",
    references=(HE,),
    peers={"PT": "torch.nn.PReLU (init=0.25)", "WP": "Parametric ReLU (PReLU)"},
)


def _elu(xp, x, alpha):
    return xp.where(x > 0, x, alpha * safe_expm1(xp, x))


def _delu(xp, x, alpha):
    # PyTorch: x <= 0 ? alpha e^x : 1, so f'(0) = alpha.
    return xp.where(x > 0, xp.ones_like(x), alpha * xp.exp(xp.minimum(x, 0.0)))


def _d2elu(xp, x, alpha):
    # PyTorch's double backward gives 0 at exactly 0 (the x > 0 branch).
    return xp.where(x < 0, alpha * xp.exp(xp.minimum(x, 0.0)), xp.zeros_like(x))


define(
    name="elu", kind="E", family="ridge", group="exponential",
    summary="Exponential linear unit: x for x > 0, alpha (e^x - 1) otherwise.",
    latex=(r"\begin{cases}x & x>0\\ \alpha(e^x-1) & x\le 0\end{cases}",
           r"\begin{cases}1 & x>0\\ \alpha e^x & x\le 0\end{cases}",
           r"\begin{cases}0 & x\ge 0\\ \alpha e^x & x< 0\end{cases}"),
    params=(real("alpha", 1.0, "the value -alpha that f approaches as x -> -inf", lo=0.0),),
    f=_elu, df=_delu, d2f=_d2elu,
    props=Props(range=lambda p: Range(-p["alpha"], INF, p["alpha"] == 0),
                continuity=lambda p: 1 if p["alpha"] == 1 else 0,
                monotonic=True, derivative_monotonic=lambda p: p["alpha"] <= 1,
                identity_near_origin=lambda p: p["alpha"] == 1,
                saturating_left=True, saturating_right=False),
    kinks=(0.0,),
    notes="C^1 only for alpha = 1. f'(0) = alpha and f''(0) = 0, as PyTorch autograd.",
    references=(CLEVERT,),
    peers={"PT": "torch.nn.functional.elu (alpha=1.0)", "JX": "jax.nn.elu (alpha=1.0)",
           "KS": "keras.activations.elu (alpha=1.0)", "NL": "elu (α=1)", "TF": "tf.nn.elu (alpha 1, fixed)",
           "ZT": "elu (alpha=0.1)", "WP": "Exponential linear unit (ELU)"},
)

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

define(
    name="selu", kind="E", family="ridge", group="exponential",
    summary="Scaled ELU: scale * elu(x, alpha), with the constants that make activations self-normalizing.",
    latex=(r"\lambda\begin{cases}x & x>0\\ \alpha(e^x-1) & x\le 0\end{cases}",
           r"\lambda\begin{cases}1 & x>0\\ \alpha e^x & x\le 0\end{cases}",
           r"\lambda\begin{cases}0 & x\ge 0\\ \alpha e^x & x< 0\end{cases}"),
    params=(real("alpha", SELU_ALPHA, "the paper's alpha_01", lo=0.0),
            real("scale", SELU_SCALE, "the paper's lambda_01", lo=0.0, lo_open=True)),
    f=lambda xp, x, alpha, scale: xp.where(x > 0, scale * x, (scale * alpha) * safe_expm1(xp, x)),
    df=lambda xp, x, alpha, scale: scale * _delu(xp, x, alpha),
    d2f=lambda xp, x, alpha, scale: scale * _d2elu(xp, x, alpha),
    props=Props(range=lambda p: Range(-p["scale"] * p["alpha"], INF, p["alpha"] == 0),
                continuity=lambda p: 1 if p["alpha"] == 1 else 0,
                monotonic=True, derivative_monotonic=lambda p: p["alpha"] <= 1, identity_near_origin=False,
                saturating_left=True, saturating_right=False),
    kinks=(0.0,),
    notes="f'(0) = scale*alpha, as PyTorch. With the default alpha only C^0: f' jumps from "
          "scale*alpha to scale (C^1 only for alpha = 1).",
    references=(KLAMBAUER,),
    peers={"PT": "torch.nn.functional.selu", "JX": "jax.nn.selu", "KS": "keras.activations.selu",
           "NL": "selu", "TF": "tf.nn.selu", "ZT": "selu", "WP": "Scaled exponential linear unit (SELU)"},
)

define(
    name="softplus", kind="E", family="ridge", group="smooth rectifier",
    summary="Softplus: log(1 + e^(beta x))/beta, a smooth ReLU.",
    latex=(r"\frac{1}{\beta}\log(1+e^{\beta x})", r"\sigma(\beta x)", r"\beta\,\sigma(\beta x)(1-\sigma(\beta x))"),
    params=(real("beta", 1.0, "sharpness; beta -> inf gives ReLU", lo=0.0, lo_open=True),),
    # max(beta x, 0)/beta = max(x, 0) exactly: no rounding of beta*x, no overflow of it
    f=lambda xp, x, beta: xp.maximum(x, 0.0) + xp.log1p(xp.exp(-xp.abs(beta * x))) / beta,
    df=lambda xp, x, beta: sigmoid(xp, beta * x),
    d2f=lambda xp, x, beta: beta * dsigmoid(xp, beta * x),
    props=Props(range=Range(0, INF), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    notes="Exact everywhere: PyTorch switches to x above beta*x > threshold=20 (an approximation); "
          "actlab does not need to.",
    references=(DUGAS,),
    peers={"PT": "torch.nn.functional.softplus (beta=1, threshold=20)", "JX": "jax.nn.softplus",
           "KS": "keras.activations.softplus", "NL": "softplus", "TF": "tf.math.softplus",
           "ZT": "softplus", "WP": "Softplus"},
)


def _clip(xp, x, cap):
    return xp.minimum(xp.where(x > 0, x, xp.zeros_like(x)), cap)


def _dclip(xp, x, cap):
    # hardtanh's convention (PyTorch relu6): 0 at both corners.
    return xp.where((x > 0) & (x < cap), xp.ones_like(x), xp.zeros_like(x))


define(
    name="relu6", kind="E", family="ridge", group="rectifier",
    summary="ReLU capped at 6: min(max(0, x), 6).",
    latex=(r"\min(\max(0,x),6)", r"\begin{cases}1 & 0<x<6\\0&\text{otherwise}\end{cases}", r"0"),
    f=lambda xp, x: _clip(xp, x, 6.0), df=lambda xp, x: _dclip(xp, x, 6.0), d2f=ZERO,
    props=Props(range=Range(0, 6, True, True), continuity=0, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    kinks=(0.0, 6.0),
    notes="f'(0) = f'(6) = 0, as PyTorch (relu6 is hardtanh(x, 0, 6)).",
    references=(KRIZHEVSKY,),
    peers={"PT": "torch.nn.functional.relu6", "JX": "jax.nn.relu6", "KS": "keras.activations.relu6",
           "NL": "relu6", "TF": "tf.nn.relu6"},
)

define(
    name="clipped_relu", aliases=("relu_x",), kind="E", family="ridge", group="rectifier",
    summary="ReLU clipped at cap: min(max(0, x), cap).",
    latex=(r"\min(\max(0,x),c)", r"\begin{cases}1 & 0<x<c\\0&\text{otherwise}\end{cases}", r"0"),
    params=(real("cap", 6.0, "the ceiling", lo=0.0, lo_open=True),),
    f=_clip, df=_dclip, d2f=lambda xp, x, cap: xp.zeros_like(x),
    props=Props(range=lambda p: Range(0, p["cap"], True, True), continuity=0, monotonic=True,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=True),
    kinks=lambda p: (0.0, p["cap"]),
    notes="f'(0) = f'(cap) = 0, the hardtanh convention of relu6.",
    references=(Ref("A. Hannun et al.", "Deep Speech: scaling up end-to-end speech recognition", 2014,
                    "https://arxiv.org/abs/1412.5567"),),
    peers={"TF": "tf.nn.relu_x (removed; relu6 generalised)", "KS": "keras.activations.relu(max_value=cap)"},
)
