"""Radial and even functions of x (1-D radial basis functions, polynomials)."""

from fractions import Fraction

from ..numerics import exp_neg_square, split_square
from ..registry import INF, Props, Range, Ref, define, real

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


HARDY = Ref("R. L. Hardy", "Multiquadric equations of topography and other irregular surfaces", 1971,
            "https://doi.org/10.1029/JB076i008p01905")
MICCHELLI = Ref("C. A. Micchelli", "Interpolation of scattered data: distance matrices and conditionally "
                "positive definite functions", 1986, "https://doi.org/10.1007/BF01893414")
SHAPE = real("a", 1.0, "shape parameter (the offset under the root; a^2 must not overflow)",
             lo=0.0, hi=1e150, lo_open=True)


def _a_over_sum_of_squares(xp, x, a):
    """a^2/(x^2 + a^2) to within an ulp: the sum is carried as s + e (split
    squares and TwoSum), so no rounding of x^2 or a^2 is lost; |x| is clamped
    at 1e150, where the quotient is below 1e-300 and f'' underflows anyway."""
    hi, lo = split_square(xp, xp.clip(x, -1e150, 1e150))
    a2 = a * a
    a2_lo = float(Fraction(a) ** 2 - Fraction(a2))
    s = hi + a2
    b = s - hi
    e = (hi - (s - b)) + (a2 - b) + lo + a2_lo
    return a2 / s * (1.0 - e / s) + a2_lo / s


def _hypot_parts(xp, x, a):
    """(h, u, v) = (sqrt(x^2+a^2), x/h, a/h): hypot never overflows, |u|, v <= 1,
    and u is sign(x) at +-inf (where x/h would be inf/inf)."""
    h = xp.hypot(x, xp.full_like(x, a))
    xs = xp.where(xp.isinf(x), xp.sign(x), x)
    u = xp.where(xp.isinf(x), xs, xs / h)
    return h, u, a / h


define(
    name="multiquadratic", aliases=("multiquadric",), kind="E", family="radial", group="radial basis",
    summary="Multiquadric sqrt(x^2 + a^2): a radial basis function growing like |x|.",
    latex=(r"\sqrt{x^2+a^2}", r"\frac{x}{\sqrt{x^2+a^2}}", r"\frac{a^2}{(x^2+a^2)^{3/2}}"),
    params=(SHAPE,),
    f=lambda xp, x, a: _hypot_parts(xp, x, a)[0],
    df=lambda xp, x, a: _hypot_parts(xp, x, a)[1],
    d2f=lambda xp, x, a: _a_over_sum_of_squares(xp, x, a) / _hypot_parts(xp, x, a)[0],
    props=Props(range=lambda p: Range(p["a"], INF, True), continuity=INF, monotonic=False,
                derivative_monotonic=True, identity_near_origin=False,
                saturating_left=False, saturating_right=False),
    notes="Computed as hypot(x, a): no overflow of x^2 for |x| > 1e154. The Wikipedia table's name "
          "is 'multiquadratic'; the radial-basis literature (Hardy) says 'multiquadric'.",
    references=(HARDY,),
    peers={"WP": "Multiquadratics (radial)"},
)

define(
    name="inverse_multiquadratic", aliases=("inverse_multiquadric",), kind="E", family="radial",
    group="radial basis",
    summary="Inverse multiquadric 1/sqrt(x^2 + a^2): a bump of height 1/a with heavy (1/|x|) tails.",
    latex=(r"\frac{1}{\sqrt{x^2+a^2}}", r"-\frac{x}{(x^2+a^2)^{3/2}}", r"\frac{2x^2-a^2}{(x^2+a^2)^{5/2}}"),
    params=(SHAPE,),
    f=lambda xp, x, a: 1.0 / _hypot_parts(xp, x, a)[0],
    df=lambda xp, x, a: -(p := _hypot_parts(xp, x, a))[1] / p[0] / p[0],
    # (2u^2 - v^2)/h^3 with u^2 + v^2 = 1; its zeros at x = +-a/sqrt 2 are cancellations
    d2f=lambda xp, x, a: (2.0 * (p := _hypot_parts(xp, x, a))[1] ** 2 - p[2] ** 2) / p[0] / p[0] / p[0],
    props=Props(range=lambda p: Range(0, 1 / p["a"], False, True), continuity=INF, monotonic=False,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=True),
    notes="Computed from hypot(x, a): no overflow of x^2 for |x| > 1e154.",
    references=(MICCHELLI,),
    peers={"WP": "Inverse multiquadratics (radial)"},
)
