"""References for the Tier-1 functions."""

import jax.nn as jnn
import jax.numpy as jnp
import mpmath as mp
import torch
import torch.nn.functional as F

from . import Oracle, register

SELU_A = mp.mpf("1.6732632423543772848170429916717")
SELU_L = mp.mpf("1.0507009873554804934193349852946")


def _elu(x, alpha=1.0):
    return x if x > 0 else alpha * mp.expm1(x)


register(
    Oracle("identity", mp=lambda x: x, torch=lambda t: t * 1.0, jax=jnn.identity),
    Oracle("binary_step", mp=lambda x: mp.mpf(1) if x >= 0 else mp.mpf(0), kinks=(0.0,)),
    Oracle("sigmoid", mp=lambda x: 1 / (1 + mp.exp(-x)), torch=torch.sigmoid, jax=jnn.sigmoid),
    Oracle("tanh", mp=mp.tanh, torch=torch.tanh, jax=jnp.tanh),
    Oracle("relu", mp=lambda x: max(mp.mpf(0), x), torch=torch.relu, jax=jnn.relu, kinks=(0.0,)),
    Oracle("leaky_relu", mp=lambda x, alpha=0.01: x if x >= 0 else alpha * x,
           torch=lambda t, alpha=0.01: F.leaky_relu(t, alpha),
           jax=lambda a, alpha=0.01: jnn.leaky_relu(a, alpha),
           params=({"alpha": 0.2}, {"alpha": -0.5}, {"alpha": 0.0}), kinks=(0.0,)),
    Oracle("prelu", mp=lambda x, alpha=0.25: x if x >= 0 else alpha * x,
           torch=lambda t, alpha=0.25: F.prelu(t, torch.tensor([alpha], dtype=t.dtype)),
           params=({"alpha": 0.1}, {"alpha": 0.0}), kinks=(0.0,)),
    Oracle("elu", mp=_elu, torch=lambda t, alpha=1.0: F.elu(t, alpha), jax=lambda a, alpha=1.0: jnn.elu(a, alpha),
           params=({"alpha": 0.5}, {"alpha": 2.0}), kinks=(0.0,)),
    Oracle("selu", mp=lambda x: SELU_L * _elu(x, SELU_A), torch=F.selu, jax=jnn.selu, kinks=(0.0,)),
    Oracle("softplus", mp=lambda x, beta=1.0: mp.log1p(mp.exp(beta * x)) / beta,
           # threshold far away: PyTorch's default (20) returns x above it, an approximation
           torch=lambda t, beta=1.0: F.softplus(t, beta, threshold=1e4),
           jax=lambda a, beta=1.0: jnn.softplus(beta * a) / beta,
           params=({"beta": 2.5}, {"beta": 0.3}),
           ill_conditioned="for beta != 1 the product beta*x is rounded before exp amplifies its "
                           "relative error by |beta x| (the condition number)"),
    Oracle("softsign", mp=lambda x: x / (1 + abs(x)), torch=F.softsign, jax=jnn.soft_sign, kinks=(0.0,)),
    Oracle("relu6", mp=lambda x: min(max(mp.mpf(0), x), 6), torch=F.relu6, jax=jnn.relu6, kinks=(0.0, 6.0)),
    Oracle("clipped_relu", mp=lambda x, cap=6.0: min(max(mp.mpf(0), x), cap),
           torch=lambda t, cap=6.0: F.hardtanh(t, 0.0, cap), params=({"cap": 1.5},), kinks=(0.0, 1.5, 6.0)),
    Oracle("elliot_sigmoid", mp=lambda x: x / (2 * (1 + abs(x))) + mp.mpf(0.5),
           torch=lambda t: 0.5 * F.softsign(t) + 0.5, kinks=(0.0,)),
    Oracle("square", mp=lambda x: x * x, torch=torch.square, jax=jnp.square),
    Oracle("gcu", mp=lambda x: x * mp.cos(x), torch=lambda t: t * torch.cos(t), limits=False,
           scale=lambda x, order, **_: (abs(mp.cos(x)) + abs(x * mp.sin(x)) if order == 1
                                   else 2 * abs(mp.sin(x)) + abs(x * mp.cos(x)) if order == 2 else 0)),
    Oracle("gaussian", mp=lambda x: mp.exp(-x * x), torch=lambda t: torch.exp(-t * t)),
    # vector kinds: PyTorch where it has them
    Oracle("softmax", torch=lambda t, axis=-1: torch.softmax(t, dim=axis),
           jax=lambda a, axis=-1: jnn.softmax(a, axis=axis)),
    Oracle("crelu", torch=lambda t, axis=-1: torch.cat((torch.relu(t), torch.relu(-t)), dim=axis)),
    Oracle("maxout", torch=lambda t, pieces=2, axis=-1: torch.movedim(
        torch.movedim(t, axis, -1).unflatten(-1, (-1, pieces)).max(dim=-1).values, -1, axis),
        params=({"pieces": 3},)),
    Oracle("dropout", mp=lambda x: x, torch=lambda t: torch.nn.functional.dropout(t, training=False),
           notes="eval mode (the identity); training is tested in test_stochastic"),
)
