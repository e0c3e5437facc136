"""Radial and even functions of x (1-D radial basis functions, polynomials)."""

from ..numerics import exp_neg_square, split_square
from ..registry import INF, Props, Range, Ref, define

BROOMHEAD = Ref("D. S. Broomhead, D. Lowe", "Multivariable functional interpolation and adaptive networks",
                1988, "https://www.complex-systems.com/abstracts/v02_i03_a05/")


def _d2gauss(xp, x):
    xc = xp.clip(x, -40.0, 40.0)
    hi, lo = split_square(xp, xc)
    # (4x^2 - 2) e^{-x^2}; hi - 0.5 is exact near the root x^2 = 1/2 (Sterbenz).
    return (4.0 * (hi - 0.5) + 4.0 * lo) * exp_neg_square(xp, xc)


define(
    name="gaussian", kind="E", family="radial", group="radial basis",
    summary="Gaussian bump e^(-x^2): a radial basis function.",
    latex=(r"e^{-x^2}", r"-2x\,e^{-x^2}", r"(4x^2-2)\,e^{-x^2}"),
    f=lambda xp, x: exp_neg_square(xp, x),
    df=lambda xp, x: -2.0 * xp.clip(x, -40.0, 40.0) * exp_neg_square(xp, x),
    d2f=_d2gauss,
    props=Props(range=Range(0, 1, False, True), continuity=INF, monotonic=False, derivative_monotonic=False,
                identity_near_origin=False, saturating_left=True, saturating_right=True),
    references=(BROOMHEAD,),
    peers={"WP": "Gaussian"},
)

define(
    name="square", kind="E", family="ridge", group="polynomial",
    summary="Square x^2: the simplest polynomial non-linearity (used in the seed notebook).",
    latex=(r"x^2", r"2x", r"2"),
    f=lambda xp, x: x * x,
    df=lambda xp, x: 2.0 * x,
    d2f=lambda xp, x: xp.full_like(x, 2.0),
    props=Props(range=Range(0, INF, True), continuity=INF, monotonic=False, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=False, saturating_right=False),
    references=(Ref("R. Livni, S. Shalev-Shwartz, O. Shamir",
                    "On the computational efficiency of training neural networks", 2014,
                    "https://arxiv.org/abs/1410.1141"),),
    peers={},
)
