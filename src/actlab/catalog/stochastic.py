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
    # x * 0 would be NaN for x = inf; a dropped unit is exactly 0.
    return xp.where(noise == 0, xp.zeros_like(x), x * noise)


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
