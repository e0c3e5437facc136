"""Oscillating (periodic-factor) activations."""

import math

from ..numerics import finite_or_nan, horner
from ..registry import INF, Props, Range, Ref, Unchecked, define, real

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


SITZMANN = Ref("V. Sitzmann, J. N. P. Martel, A. W. Bergman, D. B. Lindell, G. Wetzstein",
               "Implicit neural representations with periodic activation functions", 2020,
               "https://arxiv.org/abs/2006.09661")
PARASCANDOLO = Ref("G. Parascandolo, H. Huttunen, T. Virtanen", "Taming the waves: sine as activation "
                   "function in deep neural networks", 2016, "https://openreview.net/forum?id=Sks3zF9eg")

OSCILLATES = Unchecked(False, "f' oscillates without a limit")


def _sin(xp, x):
    return xp.sin(finite_or_nan(xp, x))


def _cos(xp, x):
    return xp.cos(finite_or_nan(xp, x))


define(
    name="sinusoid", aliases=("sin",), kind="E", family="ridge", group="oscillating",
    summary="Sinusoid: sin x, a periodic activation.",
    latex=(r"\sin x", r"\cos x", r"-\sin x"),
    f=_sin, df=_cos, d2f=lambda xp, x: -_sin(xp, x),
    props=Props(range=Range(-1, 1, True, True), continuity=INF, monotonic=False, derivative_monotonic=False,
                identity_near_origin=True, saturating_left=OSCILLATES, saturating_right=OSCILLATES),
    notes="At +-inf the limit does not exist: f, f' and f'' are NaN there.",
    references=(PARASCANDOLO,),
    peers={"PT": "torch.sin", "JX": "jax.numpy.sin", "TF": "tf.math.sin", "WP": "Sinusoid"},
)


def _sinc_coefficients(n=14):
    """Maclaurin coefficients of sinc, f' / x and f'' in t = x^2 (enough terms
    for 1e-19 relative truncation at |x| = 2): sinc = sum (-1)^k x^2k / (2k+1)!."""
    c = [(-1) ** k / math.factorial(2 * k + 1) for k in range(n)]
    return c, [2 * k * c[k] for k in range(1, n)], [2 * k * (2 * k - 1) * c[k] for k in range(1, n)]


SINC_SERIES = _sinc_coefficients()
SINC_SERIES_BELOW = 2.0  # |x| below which the series replaces the closed form's cancelling terms


def _sinc_parts(xp, x):
    """(small, t, s, c, xs): the series region, x^2 there, and sin x/x, cos x/x, x
    elsewhere (+-inf and the series region replaced by 2 so nothing warns)."""
    small = xp.abs(x) < SINC_SERIES_BELOW
    xs = xp.where(small | xp.isinf(x), xp.full_like(x, 2.0), x)
    t = xp.where(small, x, xp.zeros_like(x)) ** 2
    return small, t, xp.sin(xs) / xs, xp.cos(xs) / xs, xs


def _sinc(xp, x):
    small, t, s, _, _ = _sinc_parts(xp, x)
    return xp.where(small, horner(xp, SINC_SERIES[0], t), xp.where(xp.isinf(x), xp.zeros_like(x), s))


def _dsinc_closed(s, c, xs):
    return c - s / xs


def _dsinc(xp, x):
    small, t, s, c, xs = _sinc_parts(xp, x)
    series = x * horner(xp, SINC_SERIES[1], t)
    return xp.where(small, series, xp.where(xp.isinf(x), xp.zeros_like(x), _dsinc_closed(s, c, xs)))


def _d2sinc(xp, x):
    small, t, s, c, xs = _sinc_parts(xp, x)
    closed = -s - 2.0 * _dsinc_closed(s, c, xs) / xs
    return xp.where(small, horner(xp, SINC_SERIES[2], t), xp.where(xp.isinf(x), xp.zeros_like(x), closed))


define(
    name="sinc", kind="E", family="ridge", group="oscillating",
    summary="Unnormalised sinc: sin x / x, with sinc 0 = 1 (a damped oscillation).",
    latex=(r"\frac{\sin x}{x}\ (1 \text{ at } 0)", r"\frac{\cos x}{x} - \frac{\sin x}{x^2}",
           r"-\frac{\sin x}{x} - \frac{2\cos x}{x^2} + \frac{2\sin x}{x^3}"),
    f=_sinc, df=_dsinc, d2f=_d2sinc,
    props=Props(range=Range(-0.21723362821122166, 1, True, True), continuity=INF, monotonic=False,
                derivative_monotonic=False, identity_near_origin=False,
                saturating_left=True, saturating_right=True),
    notes="Unnormalised: numpy.sinc, torch.sinc and jax.numpy.sinc compute sin(pi x)/(pi x); "
          "actlab's sinc(x) is their sinc(x/pi). For |x| < 2 a Maclaurin series replaces the closed "
          "forms, whose terms cancel near 0 (f'(0) = 0, f''(0) = -1/3). f, f', f'' tend to 0 at +-inf "
          "(the value there is 0). The minimum, -0.2172336..., is at x = +-4.4934 (tan x = x). "
          "PyTorch's autograd of torch.sinc is wrong at and near 0 (f'(1e-9) = 0 instead of -3.3e-10, "
          "f''(0) = NaN); JAX's Maclaurin rule is exact there, and actlab agrees with JAX.",
    references=(Ref("P. M. Woodward, I. L. Davies", "Information theory and inverse probability in "
                    "telecommunication", 1952),),
    peers={"PT": "torch.sinc (normalised: sin(pi x)/(pi x))", "JX": "jax.numpy.sinc (normalised)",
           "WP": "Sinc"},
)


SPLITTER = 134217729.0  # 2^27 + 1: Veltkamp's split into two 26-bit halves


def _split(x):
    t = SPLITTER * x
    hi = t - (t - x)
    return hi, x - hi


def _sincos_w0x(xp, x, w0):
    """(sin, cos) of w0 x, with the product exact: w0 x = hi + lo (Dekker), then
    sin(hi + lo) = sin hi cos lo + cos hi sin lo. Where |x| > 1e290/max(w0, 1)
    (the split would overflow) x is first reduced modulo the period 2 pi/w0:
    fmod is exact, and the rounding of the period perturbs x by < 1 ulp."""
    xf = finite_or_nan(xp, x)
    xr = xp.where(xp.abs(xf) > 1e290 / max(w0, 1.0), xp.remainder(xf, 2.0 * math.pi / w0), xf)
    wh, wl = _split(w0)
    xh, xl = _split(xr)
    hi = w0 * xr
    lo = ((wh * xh - hi) + wh * xl + wl * xh) + wl * xl
    sh, ch, sl, cl = xp.sin(hi), xp.cos(hi), xp.sin(lo), xp.cos(lo)
    return sh * cl + ch * sl, ch * cl - sh * sl


define(
    name="sine", aliases=("siren",), kind="E", family="ridge", group="oscillating",
    summary="SIREN's sine: sin(w0 x), w0 = 30 scaling the first layer's frequencies.",
    latex=(r"\sin(\omega_0 x)", r"\omega_0\cos(\omega_0 x)", r"-\omega_0^2\sin(\omega_0 x)"),
    params=(real("w0", 30.0, "frequency factor (SIREN's omega_0; at most 1e200, so that w0 x is formed "
                 "exactly)", lo=0.0, hi=1e200, lo_open=True),),
    f=lambda xp, x, w0: _sincos_w0x(xp, x, w0)[0],
    df=lambda xp, x, w0: w0 * _sincos_w0x(xp, x, w0)[1],
    # w0 (w0 s), not w0^2 s: w0^2 may overflow, and inf * 0 is NaN
    d2f=lambda xp, x, w0: -w0 * (w0 * _sincos_w0x(xp, x, w0)[0]),
    props=Props(range=Range(-1, 1, True, True), continuity=INF, monotonic=False, derivative_monotonic=False,
                identity_near_origin=lambda p: p["w0"] == 1.0,
                saturating_left=OSCILLATES, saturating_right=OSCILLATES),
    notes="The product w0 x is formed exactly (PyTorch and JAX round it first, an error that sin "
          "amplifies by |w0 x cot(w0 x)|: up to 1.8e-12 absolute at |x| near 1000, against 1.1e-16 here). "
          "Beyond |x| = 1e290/w0 x is "
          "reduced modulo the rounded period 2 pi/w0, a relative perturbation of x below one rounding. "
          "SIREN also scales the first layer's initial weights; that is the initializer's job, not this "
          "function's. At +-inf the limit does not exist: NaN.",
    references=(SITZMANN,),
    peers={"PT": "torch.sin(w0 * x)", "JX": "jax.numpy.sin(w0 * x)"},
)
