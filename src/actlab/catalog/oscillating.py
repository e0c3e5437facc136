"""Oscillating (periodic-factor) activations."""

from ..numerics import finite_or_nan
from ..registry import INF, Props, Range, Ref, Unchecked, define

NOEL = Ref("M. M. Noel, A. L, A. Trivedi, P. Dutta",
           "Growing cosine unit: a novel oscillatory activation function that can speedup training "
           "and reduce parameters in convolutional neural networks", 2021, "https://arxiv.org/abs/2108.12943")


def _gcu(xp, x):
    return x * xp.cos(finite_or_nan(xp, x))


def _dgcu(xp, x):
    xf = finite_or_nan(xp, x)
    return xp.cos(xf) - x * xp.sin(xf)


def _d2gcu(xp, x):
    xf = finite_or_nan(xp, x)
    return -2.0 * xp.sin(xf) - x * xp.cos(xf)


define(
    name="gcu", aliases=("growing_cosine", "growing_cosine_unit"), kind="E", family="ridge",
    group="oscillating",
    summary="Growing cosine unit: x cos x. A single GCU neuron can learn XOR.",
    latex=(r"x\cos x", r"\cos x - x\sin x", r"-2\sin x - x\cos x"),
    f=_gcu, df=_dgcu, d2f=_d2gcu,
    props=Props(range=Range(-INF, INF), continuity=INF, monotonic=False, derivative_monotonic=False,
                identity_near_origin=True,
                saturating_left=Unchecked(False, "f' oscillates with growing amplitude: no limit"),
                saturating_right=Unchecked(False, "f' oscillates with growing amplitude: no limit")),
    notes="At +-inf the limit does not exist: f, f' and f'' are NaN there.",
    references=(NOEL,),
    peers={"WP": "Growing cosine unit (mentioned in the text)"},
)
