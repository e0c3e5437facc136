"""References for the smooth gated units and their relatives (catalog/smooth_gated.py).

mpmath formulas are the papers' definitions. Two identities are used where the
literal formula cancels even at the references' working precision: the tanh
form of GELU, 0.5x(1 + tanh u) = x sigma(2u), and log sigma(x) = -log1p(e^-x).

PyTorch's F.gelu (both forms) and jax.nn.gelu's tanh form compute 0.5x(1 + .)
and lose every digit for x < -8 (they return 0 where x Phi(x) ~ -1e-35), so the
autograd references for gelu are the accurate expressions a user would write
(erfc, sigmoid); tests/test_special.py holds F.gelu and jax.nn.gelu themselves
to gelu where their formulas do not cancel.
"""

import math

import mpmath as mp
import torch
import torch.nn.functional as F

from . import Oracle, register

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _sig(z):
    return 1 / (1 + mp.exp(-z))


def _dsig(z):
    return _sig(z) * _sig(-z)


def _gelu_z(x, approximate):
    """z, z', z'' of the sigmoid gate x sigma(z) of the two approximations."""
    # the papers' decimal constants, made at the working precision of the call
    if approximate == "sigmoid":
        c = mp.mpf("1.702")
        return c * x, c, mp.mpf(0)
    a, k = mp.mpf("0.044715"), 2 * mp.sqrt(2 / mp.pi)
    return k * (x + a * x ** 3), k * (1 + 3 * a * x ** 2), 6 * k * a * x


def _gelu_mp(x, approximate="none"):
    if approximate == "none":
        # mpmath's erfc overflows for |x| ~ 1e150; beyond 1e4, Phi is 0 or 1 far past any precision used
        return x * mp.ncdf(x) if abs(x) < 1e4 else (x if x > 0 else mp.mpf(0))
    return x * _sig(_gelu_z(x, approximate)[0])


def _gelu_scale(x, order, approximate="none"):
    """The terms of f' and f'' that cancel near their zeros (x ~ -0.75, +-1.4)."""
    x = mp.mpf(x)
    if approximate == "none":
        return (mp.ncdf(x) + abs(x) * mp.npdf(x)) if order == 1 else mp.npdf(x) * (2 + x * x)
    z, z1, z2 = _gelu_z(x, approximate)
    if order == 1:
        return _sig(z) + abs(x * z1) * _dsig(z)
    return _dsig(z) * (2 * abs(z1) + abs(x * z2) + abs(x * z1 * z1 * mp.tanh(z / 2)))


def _gelu_torch(t, approximate="none"):
    if approximate == "none":
        return 0.5 * t * torch.special.erfc(-t / math.sqrt(2.0))
    if approximate == "tanh":
        return t * torch.sigmoid(2.0 * SQRT_2_OVER_PI * (t + 0.044715 * t ** 3))
    return t * torch.sigmoid(1.702 * t)


def _gelu_jax(a, approximate="none"):
    import jax
    if approximate == "none":
        return jax.nn.gelu(a, approximate=False)
    if approximate == "tanh":
        return a * jax.nn.sigmoid(2.0 * SQRT_2_OVER_PI * (a + 0.044715 * a ** 3))
    return a * jax.nn.sigmoid(1.702 * a)


def _silu_scale(x, order, beta=1.0):
    z = beta * mp.mpf(x)
    if order == 1:
        return _sig(z) + abs(z) * _dsig(z)
    return beta * _dsig(z) * (2 + abs(z * mp.tanh(z / 2)))


def _silu_jax(a, beta=1.0):
    import jax
    return jax.nn.silu(a) if beta == 1.0 else a * jax.nn.sigmoid(beta * a)


def _mish_mp(x):
    return x * mp.tanh(mp.log1p(mp.exp(x)))


def _mish_scale(x, order):
    x = mp.mpf(x)
    s = mp.log1p(mp.exp(x))
    t, g = mp.tanh(s), mp.sech(s) ** 2 * _sig(x)
    if order == 1:
        return abs(t) + abs(x) * g
    return g * (2 + abs(x) * (_sig(-x) + 2 * t * _sig(x)))


def _elish_mp(x):
    return x * _sig(x) if x >= 0 else mp.expm1(x) * _sig(x)


def _elish_scale(x, order):
    x = mp.mpf(x)
    e = mp.exp(x)
    if x >= 0:
        return _sig(x) + x * _dsig(x) if order == 1 else _dsig(x) * (2 + abs(x * mp.tanh(x / 2)))
    # the product-rule terms e^x sigma, (e^x - 1) sigma', ... in absolute value
    return e * (1 + e * e) / (1 + e) ** 2 if order == 1 else e * (e ** 3 + 3 * e * e + 5 * e + 1) / (1 + e) ** 3


def _hard_gate(x):
    return min(mp.mpf(1), max(mp.mpf(0), (x + 1) / 2))


def _hard_elish_mp(x):
    return x * _hard_gate(x) if x >= 0 else mp.expm1(x) * _hard_gate(x)


def _hard_elish_scale(x, order):
    x = mp.mpf(x)
    if order == 1 and -1 < x < 0:
        return (mp.exp(x) * (x + 1) + abs(mp.expm1(x))) / 2
    return 0


def _hard_elish_torch(t):
    h = 0.5 * (F.hardtanh(t) + 1.0)
    return torch.where(t >= 0, t * h, torch.expm1(t) * h)


def _tanhexp_scale(x, order):
    x = mp.mpf(x)
    e = mp.exp(x)
    t, s = mp.tanh(e), mp.sech(e) ** 2
    if order == 1:
        return abs(t) + abs(x) * e * s
    return e * s * (2 + abs(x) + 2 * abs(x) * e * t)


def _smht_mp(x, a=1.0, b=1.0, c=1.0, d=1.0):
    return (mp.exp(a * x) - mp.exp(-b * x)) / (mp.exp(c * x) + mp.exp(-d * x))


def _smht_torch(t, a=1.0, b=1.0, c=1.0, d=1.0):
    return (torch.exp(a * t) - torch.exp(-b * t)) / (torch.exp(c * t) + torch.exp(-d * t))


def _smht_scale(x, order, a=1.0, b=1.0, c=1.0, d=1.0):
    """The exponential terms of the quotient rule in absolute value:
    f' = (N'/D - f D'/D), f'' = N''/D - 2 f' D'/D - f D''/D, N = e^ax - e^-bx, D = e^cx + e^-dx."""
    x = mp.mpf(x)
    ea, eb, ec, ed = mp.exp(a * x), mp.exp(-b * x), mp.exp(c * x), mp.exp(-d * x)
    den = ec + ed
    f = (ea - eb) / den
    f1 = (a * ea + b * eb - f * (c * ec - d * ed)) / den
    if order == 1:
        return (a * ea + b * eb + abs(f) * (c * ec + d * ed)) / den
    return (a * a * ea + b * b * eb + 2 * abs(f1) * (c * ec + d * ed) + abs(f) * (c * c * ec + d * d * ed)) / den


register(
    Oracle("gelu", mp=_gelu_mp, torch=_gelu_torch, jax=_gelu_jax,
           params=({"approximate": "tanh"}, {"approximate": "sigmoid"}), scale=_gelu_scale),
    Oracle("silu", mp=lambda x, beta=1.0: x * _sig(beta * x),
           torch=lambda t, beta=1.0: F.silu(t) if beta == 1.0 else t * torch.sigmoid(beta * t),
           jax=_silu_jax, params=({"beta": 2.5}, {"beta": 0.3}, {"beta": 0.0}), scale=_silu_scale,
           ill_conditioned="for beta != 1 the product beta*x is rounded before the exponential "
                           "amplifies its relative error by |beta x| (the condition number)"),
    Oracle("hard_sigmoid", mp=lambda x: min(max(x + 3, mp.mpf(0)), 6) / 6,
           # F.hardsigmoid has no double backward (torch 2.13); relu6(x + 3)/6 is the same function
           torch=lambda t: F.relu6(t + 3.0) / 6.0,
           jax=lambda a: __import__("jax").nn.hard_sigmoid(a)),
    Oracle("hard_swish", mp=lambda x: x * min(max(x + 3, mp.mpf(0)), 6) / 6, torch=F.hardswish,
           jax=lambda a: __import__("jax").nn.hard_swish(a)),
    Oracle("mish", mp=_mish_mp, torch=F.mish, jax=lambda a: __import__("jax").nn.mish(a), scale=_mish_scale),
    Oracle("log_sigmoid", mp=lambda x: -mp.log1p(mp.exp(-x)), torch=F.logsigmoid,
           jax=lambda a: __import__("jax").nn.log_sigmoid(a)),
    Oracle("sparse_sigmoid", mp=lambda x: min(max(x + 1, mp.mpf(0)), 2) / 2,
           torch=lambda t: 0.5 * (F.hardtanh(t) + 1.0),
           jax=lambda a: __import__("jax").nn.sparse_sigmoid(a)),
    Oracle("celu", mp=lambda x, alpha=1.0: max(mp.mpf(0), x) + min(mp.mpf(0), alpha * mp.expm1(x / alpha)),
           torch=lambda t, alpha=1.0: F.celu(t, alpha),
           jax=lambda a, alpha=1.0: __import__("jax").nn.celu(a, alpha),
           params=({"alpha": 0.5}, {"alpha": 2.0}, {"alpha": 1.5}),
           ill_conditioned="for alpha other than a power of 2, x/alpha is rounded before the "
                           "exponential amplifies its relative error by |x/alpha|"),
    Oracle("elish", mp=_elish_mp, torch=lambda t: torch.where(t >= 0, t, torch.expm1(t)) * torch.sigmoid(t),
           scale=_elish_scale),
    Oracle("hard_elish", mp=_hard_elish_mp, torch=_hard_elish_torch, scale=_hard_elish_scale),
    # tanh(e^x) is 1 to within e^(-2e^1000) past x = 1e3 (and mpmath cannot form e^(e^(1e300)))
    Oracle("tanhexp", mp=lambda x: x * mp.tanh(mp.exp(x)) if x < 1e3 else x,
           torch=lambda t: t * torch.tanh(torch.exp(t)),
           scale=_tanhexp_scale,
           ill_conditioned="e^x is rounded (half an ULP) before sech^2(e^x) ~ 4 e^(-2 e^x) amplifies its "
                           "relative error by 2 e^x: f'' for x > 1"),
    Oracle("smht", mp=_smht_mp, torch=_smht_torch,
           # bounded parameter sets (a <= c, b <= d): where f outgrows float32, the float32
           # accuracy test cannot cast its reference (helpers.ulp_error warns on the overflow)
           params=({"a": 0.5, "b": 1.5, "c": 1.0, "d": 2.0}, {"a": 1.0, "b": 0.5, "c": 2.0, "d": 0.75},
                   {"a": 2.0, "b": 2.0, "c": 2.0, "d": 2.0}),
           scale=_smht_scale,
           ill_conditioned="for parameters other than 1 the products a*x, b*x, ... are rounded before "
                           "the exponentials amplify their relative error by |a x|, ..."),
)
