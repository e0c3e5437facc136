"""References for the learnable functions (catalog/learnable.py) and rrelu's eval mode.

mpmath formulas are the papers' definitions; the torch ones are the expressions a PyTorch user
would write (PyTorch has none of these functions), so their autograd gives the kink conventions.
"""

import mpmath as mp
import torch
import torch.nn.functional as F

from . import Oracle, register

# rational's coefficient sets besides the default (tuples: oracle parameters must be hashable)
PAU_A32_LEAKY = {"numerator": (0.11440311001189646, 0.5891610756805713, 0.5423986871505561,
                               0.13286948390430828),
                 "denominator": (0.2074994452826854, 0.20726656124953777)}
PAU_BOUNDED = {"numerator": (0.5, 0.25, 0.1), "denominator": (0.0, 0.2)}  # degrees (2, 2), -> 0.5


def _mp_srelu(x, t_left=0.0, a_left=0.01, t_right=1.0, a_right=1.0):
    if x >= t_right:
        return t_right + a_right * (x - t_right)
    return x if x > t_left else t_left + a_left * (x - t_left)


def _torch_srelu(t, t_left=0.0, a_left=0.01, t_right=1.0, a_right=1.0):
    return torch.where(t >= t_right, t_right + a_right * (t - t_right),
                       torch.where(t > t_left, t, t_left + a_left * (t - t_left)))


def _mp_softexp(x, alpha=0.0):
    if alpha > 0:
        return mp.expm1(alpha * x) / alpha + alpha
    if alpha < 0:
        inner = 1 - alpha * (x + alpha)
        return -mp.log(inner) / alpha if inner > 0 else mp.nan
    return x


def _softexp_scale(x, order, alpha=0.0):
    # alpha > 0: f = expm1(alpha x)/alpha + alpha cancels at x = log(1 - alpha^2)/alpha (both
    # terms ~alpha there): an ulp of expm1's rounding is many ulps of f
    if order != 0 or alpha <= 0:
        return 0
    return abs(mp.expm1(alpha * mp.mpf(x)) / alpha) + alpha


def _torch_softexp(t, alpha=0.0):
    if alpha > 0:
        # (e^(alpha t) - 1)/alpha + alpha, arranged so that e^t survives for alpha = 1
        return torch.exp(alpha * t) / alpha - (1 - alpha) * (1 + alpha) / alpha
    if alpha < 0:
        return -torch.log1p(-alpha * (t + alpha)) / alpha
    return t * 1.0


def _mp_rational(x, numerator=None, denominator=None):
    from actlab.catalog.learnable import LEAKY_DENOMINATOR, LEAKY_NUMERATOR  # the paper's data
    a = numerator or LEAKY_NUMERATOR
    b = denominator or LEAKY_DENOMINATOR
    p = mp.fsum(mp.mpf(c) * x ** j for j, c in enumerate(a))
    return p / (1 + mp.fsum(abs(mp.mpf(c) * x ** (k + 1)) for k, c in enumerate(b)))


def _rational_scale(x, order, numerator=None, denominator=None):
    """Magnitudes of the terms that cancel in P/Q and its derivatives: those of P, P', P'' with
    |a_j| for a_j, and of the quotient rule's differences."""
    from actlab.catalog.learnable import LEAKY_DENOMINATOR, LEAKY_NUMERATOR
    a = [abs(mp.mpf(c)) for c in numerator or LEAKY_NUMERATOR]
    b = [abs(mp.mpf(c)) for c in denominator or LEAKY_DENOMINATOR]
    x = abs(mp.mpf(x))
    p = [mp.fsum(c * mp.ff(j, d) * x ** (j - d) for j, c in enumerate(a) if j >= d) for d in range(3)]
    q = [(1 if d == 0 else 0) + mp.fsum(c * mp.ff(k, d) * x ** (k - d) for k, c in enumerate(b, 1) if k >= d)
         for d in range(3)]
    first = (p[1] * q[0] + p[0] * q[1]) / q[0] ** 2
    return [p[0] / q[0], first, (p[2] * q[0] + p[0] * q[2]) / q[0] ** 2 + 2 * q[1] * first / q[0]][order]


def _torch_rational(t, numerator=None, denominator=None):
    from actlab.catalog.learnable import LEAKY_DENOMINATOR, LEAKY_NUMERATOR
    a = numerator or LEAKY_NUMERATOR
    b = denominator or LEAKY_DENOMINATOR
    p = sum(c * t ** j for j, c in enumerate(a))
    # |b_k x^k| = |b_k| x^k for even k: abs() there would make autograd's f''(0) wrong (0),
    # although x = 0 is a kink only of the odd terms
    q = 1 + sum(abs(c) * (t ** k if k % 2 == 0 else torch.abs(t) ** k) for k, c in enumerate(b, 1))
    return p / q


def _rrelu_mp(x, lower=1 / 8, upper=1 / 3):
    return x if x >= 0 else (mp.mpf(lower) + upper) / 2 * x


register(
    Oracle("srelu", mp=_mp_srelu, torch=_torch_srelu,
           params=({"t_left": -1.0, "a_left": 0.2, "t_right": 2.0, "a_right": 0.5},
                   {"t_left": -0.5, "a_left": 0.0, "t_right": 0.5, "a_right": 0.0},
                   {"t_left": 0.25, "a_left": -0.3, "t_right": 0.25, "a_right": 2.0})),
    Oracle("apl", mp=lambda x, a=-0.25, b=0.0: max(x, 0) + a * max(b - x, 0),
           torch=lambda t, a=-0.25, b=0.0: torch.relu(t) + a * torch.relu(b - t),
           params=({"a": 0.5, "b": 1.0}, {"a": 0.0, "b": -0.5}, {"a": -2.0, "b": -1.5})),
    Oracle("soft_exponential", mp=_mp_softexp, torch=_torch_softexp,
           # alpha < 0 (NaN below its domain, so no limit at -inf) is tested in test_learnable.py
           params=({"alpha": 0.5}, {"alpha": 1.0}, {"alpha": 2.5}), scale=_softexp_scale,
           ill_conditioned="alpha*x is rounded before exp amplifies its relative error by |alpha x|"),
    Oracle("snake", mp=lambda x, alpha=1.0: x + mp.sin(alpha * x) ** 2 / alpha,
           torch=lambda t, alpha=1.0: t + torch.sin(alpha * t) ** 2 / alpha,
           params=({"alpha": 0.5}, {"alpha": 3.0}), limits=False,
           # f' = 1 + sin(2 alpha x) and f'' cancel or vanish periodically
           scale=lambda x, order, alpha=1.0: (1 + abs(x) * alpha if order == 1
                                              else 2 * alpha * (1 + 2 * abs(x) * alpha) if order == 2 else 0)),
    Oracle("star_relu", mp=lambda x, scale=0.8944, bias=-0.4472: scale * max(x, 0) ** 2 + bias,
           torch=lambda t, scale=0.8944, bias=-0.4472: scale * torch.relu(t) ** 2 + bias,
           params=({"scale": -0.5, "bias": 1.0}, {"scale": 0.0, "bias": 0.25}, {"scale": 2.0, "bias": 0.0})),
    Oracle("rational", mp=_mp_rational, torch=_torch_rational, params=(PAU_A32_LEAKY, PAU_BOUNDED),
           scale=_rational_scale),
    Oracle("rrelu", mp=_rrelu_mp, torch=lambda t, lower=1 / 8, upper=1 / 3: F.rrelu(t, lower, upper, training=False),
           params=({"lower": 0.0, "upper": 0.5}, {"lower": 0.3, "upper": 0.3}, {"lower": 0.0, "upper": 0.0}),
           kinks=(0.0,),
           notes="eval mode; training is tested in test_stochastic.py"),
)
