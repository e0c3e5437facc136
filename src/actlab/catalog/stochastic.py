"""Stochastic activations: noise drawn in training, a deterministic eval mode."""

from ..registry import INF, Props, Range, Ref, define, real

SRIVASTAVA = Ref("N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov",
                 "Dropout: a simple way to prevent neural networks from overfitting", 2014,
                 "https://jmlr.org/papers/v15/srivastava14a.html")


def _dropout_noise(xp, x, rng, rate):
    """Inverted-dropout multipliers: 0 with probability rate, else 1/(1-rate)."""
    keep = rng.random(tuple(x.shape)) >= rate
    return xp.asarray(keep / (1.0 - rate), dtype=x.dtype)


def _dropout(xp, x, rate, noise):
    if noise is None:
        return x + 0.0
    # x * 0 would be NaN for x = inf (even in the unused branch); a dropped unit is exactly 0.
    dropped = noise == 0
    return xp.where(dropped, xp.zeros_like(x), xp.where(dropped, 0.0, x) * noise)


define(
    name="dropout", kind="S", family="ridge", group="regularizer",
    summary="Inverted dropout: in training, zero each unit with probability rate and scale the rest "
            "by 1/(1-rate); the identity in eval mode.",
    latex=(r"\frac{m\,x}{1-p},\; m\sim\mathrm{Bernoulli}(1-p)", r"\frac{m}{1-p}", r"0"),
    params=(real("rate", 0.5, "probability of dropping a unit", lo=0.0, hi=1.0, hi_open=True),),
    sample=_dropout_noise,
    f=_dropout,
    df=lambda xp, x, rate, noise: xp.ones_like(x) if noise is None else noise + xp.zeros_like(x),
    d2f=lambda xp, x, rate, noise: xp.zeros_like(x),
    props=Props(range=Range(-INF, INF), continuity=INF, monotonic=True, derivative_monotonic=True,
                identity_near_origin=True, saturating_left=False, saturating_right=False),
    notes="Claims describe eval mode (the identity). In training, backward uses the mask of the "
          "forward that produced y; the same rng seed gives the same mask.",
    references=(SRIVASTAVA,),
    peers={"PT": "torch.nn.functional.dropout (p=0.5)", "KS": "keras.layers.Dropout",
           "TF": "tf.nn.dropout (listed among activation ops)"},
)

XU = Ref("B. Xu, N. Wang, T. Chen, M. Li", "Empirical evaluation of rectified activations in "
         "convolutional network", 2015, "https://arxiv.org/abs/1505.00853")


def _check_rrelu(p):
    if not p["lower"] <= p["upper"]:
        raise ValueError(f"lower must be at most upper, got lower={p['lower']!r} and upper={p['upper']!r}")


def _rrelu_slopes(xp, x, rng, lower, upper):
    """One slope per element, uniform on [lower, upper)."""
    return xp.asarray(rng.uniform(lower, upper, size=tuple(x.shape)), dtype=x.dtype)


def _rrelu_slope(lower, upper, noise):
    return (lower + upper) / 2 if noise is None else noise


def _rrelu(xp, x, lower, upper, noise):
    slope = _rrelu_slope(lower, upper, noise)
    # a zero slope (lower = upper = 0) times x = -inf is 0, not NaN
    return xp.where(x >= 0, x, slope * xp.where(xp.isinf(x) & (slope == 0), 0.0, x))


def _rrelu_range(p):
    s = (p["lower"] + p["upper"]) / 2
    return Range(0, INF, True) if s == 0 else Range(-INF, INF)


define(
    name="rrelu", kind="S", family="ridge", group="rectifier",
    summary="Randomized leaky ReLU: in training each element's negative slope is drawn from "
            "U(lower, upper); in eval mode the slope is their mean.",
    latex=(r"\begin{cases}x & x\ge 0\\ a x & x<0\end{cases},\; a\sim U(l, u)\ "
           r"\text{(training)},\ a=\tfrac{l+u}{2}\ \text{(eval)}",
           r"\begin{cases}1 & x>0\\ a & x\le 0\end{cases}", r"0"),
    params=(real("lower", 1 / 8, "lower bound l of the random slope"),
            real("upper", 1 / 3, "upper bound u of the random slope (>= lower)")),
    check_params=_check_rrelu,
    sample=_rrelu_slopes,
    f=_rrelu,
    # PyTorch: x > 0 ? 1 : slope (in training the element's drawn slope)
    df=lambda xp, x, lower, upper, noise: xp.where(
        x > 0, xp.ones_like(x), _rrelu_slope(lower, upper, noise) * xp.ones_like(x)),
    d2f=lambda xp, x, lower, upper, noise: xp.zeros_like(x),
    props=Props(range=_rrelu_range, continuity=lambda p: INF if p["lower"] + p["upper"] == 2 else 0,
                monotonic=lambda p: p["lower"] + p["upper"] >= 0,
                derivative_monotonic=lambda p: p["lower"] + p["upper"] <= 2,
                identity_near_origin=lambda p: p["lower"] + p["upper"] == 2,
                saturating_left=lambda p: p["lower"] + p["upper"] == 0, saturating_right=False),
    kinks=(0.0,),
    notes="Claims describe eval mode (leaky_relu with slope (lower+upper)/2). In training a slope is "
          "drawn for every element (PyTorch draws them for x <= 0 only; the values where x > 0 are "
          "unused), backward uses the slopes of the forward that produced y, and the same rng seed "
          "gives the same slopes. f'(0) = the slope, as PyTorch. The paper writes the negative part "
          "as x/a with a ~ U(3, 8) and tests with x/((l+u)/2), i.e. slopes 1/a in [1/8, 1/3] that "
          "are not uniform and an eval slope of 2/11 = 0.1818; actlab follows PyTorch (slope "
          "uniform on [lower, upper], eval slope (lower+upper)/2 = 11/48 = 0.2292 by default).",
    references=(XU,),
    peers={"PT": "torch.nn.functional.rrelu (lower=1/8, upper=1/3)",
           "NL": "rrelu (lo=1/8, hi=1/3; always random, no eval mode)",
           "WP": "Randomized leaky ReLU (RReLU)"},
)
