"""References for the algebraic and elementary functions (catalog/algebraic.py)."""

import mpmath as mp
import torch
import torch.nn.functional as F

from . import Oracle, register


def _jax():
    import jax
    return jax


def _sparse_plus(x):
    return mp.mpf(0) if x <= -1 else x if x >= 1 else (x + 1) ** 2 / 4


def _sparse_plus_torch(t):
    # PyTorch has no sparse_plus: the where() a user would write (jax.nn.sparse_plus's own form)
    return torch.where(t <= -1, torch.zeros_like(t), torch.where(t >= 1, t, (t + 1) ** 2 / 4))


def _isru(x, alpha=1.0):
    return x / mp.sqrt(1 + alpha * x * x)


def _isru_torch(t, alpha=1.0):
    return t * torch.rsqrt(1 + alpha * t * t)


def _sqnl(x):
    # Wuraola & Patel's pieces
    if x > 2:
        return mp.mpf(1)
    if x >= 0:
        return x - x * x / 4
    if x >= -2:
        return x + x * x / 4
    return mp.mpf(-1)


def _sqnl_torch(t):
    one = torch.ones_like(t)
    return torch.where(t > 2, one, torch.where(t >= 0, t - t * t / 4, torch.where(t >= -2, t + t * t / 4, -one)))


def _lisht_scale(x, order, **_):
    # f'' = 2 sech^2 x (1 - x tanh x): the two terms of the bracket cancel at x = +-1.19968
    if order != 2:
        return 0
    s2 = 1 / mp.cosh(x) ** 2
    return 2 * s2 * (1 + abs(x * mp.tanh(x)))


ALPHAS = ({"alpha": 0.25}, {"alpha": 3.0})

register(
    Oracle("squareplus", mp=lambda x, b=4.0: (x + mp.sqrt(x * x + b)) / 2,
           torch=lambda t, b=4.0: 0.5 * (t + torch.sqrt(t * t + b)),
           jax=lambda a, b=4.0: _jax().nn.squareplus(a, b),
           params=({"b": 1.0}, {"b": 0.3})),
    Oracle("sparse_plus", mp=_sparse_plus, torch=_sparse_plus_torch, jax=lambda a: _jax().nn.sparse_plus(a)),
    Oracle("exponential", mp=mp.exp, torch=torch.exp, jax=lambda a: _jax().numpy.exp(a)),
    Oracle("logcosh", mp=lambda x: mp.log(mp.cosh(x)), torch=lambda t: torch.log(torch.cosh(t))),
    Oracle("lisht", mp=lambda x: x * mp.tanh(x), torch=lambda t: t * torch.tanh(t), scale=_lisht_scale),
    Oracle("arctan", mp=mp.atan, torch=torch.atan, jax=lambda a: _jax().numpy.arctan(a)),
    Oracle("isru", mp=_isru, torch=_isru_torch, params=ALPHAS),
    Oracle("isrlu", mp=lambda x, alpha=1.0: x if x >= 0 else _isru(x, alpha),
           torch=lambda t, alpha=1.0: torch.where(t >= 0, t, _isru_torch(t, alpha)), params=ALPHAS),
    Oracle("bent_identity", mp=lambda x: (mp.sqrt(x * x + 1) - 1) / 2 + x,
           torch=lambda t: (torch.sqrt(t * t + 1) - 1) / 2 + t),
    Oracle("soft_clipping",
           mp=lambda x, alpha=0.5: mp.log((1 + mp.exp(alpha * x)) / (1 + mp.exp(alpha * (x - 1)))) / alpha,
           # the softplus difference: the log of the ratio loses digits where the ratio is near 1
           torch=lambda t, alpha=0.5: (F.softplus(alpha * t, threshold=1e4)
                                       - F.softplus(alpha * (t - 1), threshold=1e4)) / alpha,
           params=({"alpha": 2.0}, {"alpha": 0.3}),
           ill_conditioned="for alpha not a power of 2 the product alpha*x is rounded before exp amplifies "
                           "its relative error by |alpha x| (the condition number)"),
    Oracle("sqnl", mp=_sqnl, torch=_sqnl_torch),
    Oracle("tanh_shrink", mp=lambda x: x - mp.tanh(x), torch=F.tanhshrink),
)
