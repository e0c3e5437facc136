"""Sigmoidal (S-shaped) functions: bounded, monotonic, saturating."""

from ..numerics import dsigmoid, sech2, sigmoid as _sigmoid
from ..registry import INF, Props, Range, Ref, define

ELLIOTT = Ref("D. L. Elliott", "A better activation function for artificial neural networks "
              "(ISR technical report TR 93-8)", 1993, "https://drum.lib.umd.edu/handle/1903/5355")
LECUN = Ref("Y. LeCun, L. Bottou, G. B. Orr, K.-R. Mueller", "Efficient BackProp", 1998,
            "https://doi.org/10.1007/3-540-49430-8_2")

define(
    name="sigmoid", aliases=("logistic", "expit", "σ", "sigmoid_fast"), kind="E", family="ridge", group="sigmoidal",
    summary="Logistic sigmoid: squashes the real line into (0, 1).",
    latex=(r"\sigma(x) = \frac{1}{1+e^{-x}}", r"\sigma(x)\,(1-\sigma(x))",
           r"\sigma(x)(1-\sigma(x))(1-2\sigma(x))"),
    f=lambda xp, x: _sigmoid(xp, x),
    df=lambda xp, x: dsigmoid(xp, x),
    # s(1-s)(1-2s) = s'(x) * tanh(-x/2)
    d2f=lambda xp, x: dsigmoid(xp, x) * -xp.tanh(0.5 * x),
    props=Props(range=Range(0, 1), continuity=INF, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    references=(LECUN,),
    peers={"PT": "torch.sigmoid", "JX": "jax.nn.sigmoid", "KS": "keras.activations.sigmoid",
           "NL": "sigmoid (σ)", "TF": "tf.math.sigmoid", "ZT": "sigmoid", "WP": "Logistic"},
)

define(
    name="tanh", aliases=("tanh_fast",), kind="E", family="ridge", group="sigmoidal",
    summary="Hyperbolic tangent: a zero-centred sigmoid with range (-1, 1).",
    latex=(r"\tanh x = \frac{e^x-e^{-x}}{e^x+e^{-x}}", r"1-\tanh^2 x", r"-2\tanh x\,(1-\tanh^2 x)"),
    f=lambda xp, x: xp.tanh(x),
    df=lambda xp, x: sech2(xp, x),
    d2f=lambda xp, x: -2.0 * xp.tanh(x) * sech2(xp, x),
    props=Props(range=Range(-1, 1), continuity=INF, monotonic=True, derivative_monotonic=False,
                identity_near_origin=True, saturating_left=True, saturating_right=True),
    references=(LECUN,),
    peers={"PT": "torch.tanh", "JX": "jax.numpy.tanh", "KS": "keras.activations.tanh",
           "NL": "tanh", "TF": "tf.math.tanh", "ZT": "tanh", "WP": "Hyperbolic tangent"},
)


def _recip1p(xp, x):
    """1/(1+|x|), 0 at +-inf."""
    return 1.0 / (1.0 + xp.abs(x))


define(
    name="softsign", aliases=("soft_sign",), kind="E", family="ridge", group="sigmoidal",
    summary="Softsign: x/(1+|x|), a sigmoid with polynomial (slow) saturation.",
    latex=(r"\frac{x}{1+|x|}", r"\frac{1}{(1+|x|)^2}", r"\frac{-2\,\mathrm{sign}(x)}{(1+|x|)^3}"),
    # clamped so that +-inf does not give inf/inf; 1e300/(1+1e300) is already +-1.
    f=lambda xp, x: (xc := xp.clip(x, -1e300, 1e300)) / (1.0 + xp.abs(xc)),
    df=lambda xp, x: _recip1p(xp, x) ** 2,
    d2f=lambda xp, x: -2.0 * xp.sign(x) * _recip1p(xp, x) ** 3,
    props=Props(range=Range(-1, 1), continuity=1, monotonic=True, derivative_monotonic=False,
                identity_near_origin=True, saturating_left=True, saturating_right=True),
    kinks=(0.0,),
    notes="f'' jumps from 2 to -2 at 0; f''(0) = 0 (autograd's sign(0) = 0, as PyTorch).",
    references=(Ref("J. Bergstra, G. Desjardins, P. Lamblin, Y. Bengio",
                    "Quadratic polynomials learn better image features (Tech. Rep. 1337)", 2009),),
    peers={"PT": "torch.nn.functional.softsign", "JX": "jax.nn.soft_sign", "KS": "keras.activations.softsign",
           "NL": "softsign", "TF": "tf.nn.softsign", "WP": "Softsign"},
)

define(
    name="elliot_sigmoid", aliases=("elliott", "elliot"), kind="E", family="ridge", group="sigmoidal",
    summary="Elliott's sigmoid: 0.5 x/(1+|x|) + 0.5, a cheap logistic-like squashing into (0, 1).",
    latex=(r"\frac{1}{2}\,\frac{x}{1+|x|} + \frac{1}{2}", r"\frac{1}{2(1+|x|)^2}",
           r"\frac{-\mathrm{sign}(x)}{(1+|x|)^3}"),
    # 0.5 + 0.5 x/(1+|x|) cancels for x << 0: there it is 0.5/(1+|x|) exactly.
    f=lambda xp, x: xp.where(x < 0, 0.5 * _recip1p(xp, x), 1.0 - 0.5 * _recip1p(xp, x)),
    df=lambda xp, x: 0.5 * _recip1p(xp, x) ** 2,
    d2f=lambda xp, x: -xp.sign(x) * _recip1p(xp, x) ** 3,
    props=Props(range=Range(0, 1), continuity=1, monotonic=True, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    kinks=(0.0,),
    notes="ztlearn's ElliotSigmoid; f''(0) = 0 by the sign(0) = 0 convention.",
    references=(ELLIOTT,),
    peers={"ZT": "elliot_sigmoid (ElliotSigmoid)"},
)

define(
    name="binary_step", aliases=("heaviside", "step"), kind="E", family="ridge", group="threshold",
    summary="Heaviside step: 1 for x >= 0, else 0. Its derivative is 0 wherever it exists.",
    latex=(r"\begin{cases}1 & x \ge 0\\ 0 & x < 0\end{cases}", r"0", r"0"),
    f=lambda xp, x: xp.where(x >= 0, xp.ones_like(x), xp.zeros_like(x)),
    df=lambda xp, x: xp.zeros_like(x),
    d2f=lambda xp, x: xp.zeros_like(x),
    props=Props(range=Range(0, 1, True, True), continuity=-1, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    kinks=(0.0,),
    notes="Discontinuous at 0; the derivative is taken as 0 there (the Dirac delta is not a number). "
          "f(0) = 1, as the Wikipedia table and numpy.heaviside(x, 1).",
    references=(Ref("W. S. McCulloch, W. Pitts", "A logical calculus of the ideas immanent in nervous activity",
                    1943, "https://doi.org/10.1007/BF02478259"),),
    peers={"WP": "Binary step"},
)
