"""References for the oscillating and radial functions (sinusoid, sinc, sine; the multiquadrics),
and for the vector kinds of catalog/folding.py that PyTorch has."""

import math

import mpmath as mp
import torch
import torch.nn.functional as F

from . import Oracle, register


def _jnp():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    return jnp


def _sinc(x):
    return mp.sin(x) / x if x else mp.mpf(1)


def _sinc_scale(x, order, **_):
    """Sizes of the closed-form terms that cancel near the zeros of f' and f''."""
    x = mp.mpf(x)
    if not x or order == 0:
        return 0
    s, c = abs(mp.sin(x)), abs(mp.cos(x))
    return c / abs(x) + s / x**2 if order == 1 else s / abs(x) + 2 * c / x**2 + 2 * s / abs(x) ** 3


def _imq_scale(x, order, a=1.0, **_):
    """Inverse multiquadric: f'' = (2x^2 - a^2)/h^5 cancels at x = +-a/sqrt 2."""
    x2, a2 = mp.mpf(x) ** 2, mp.mpf(a) ** 2
    return (2 * x2 + a2) / (x2 + a2) ** 2.5 if order == 2 else 0


register(
    Oracle("sinusoid", mp=mp.sin, torch=torch.sin, jax=lambda a: _jnp().sin(a), limits=False),
    # torch.sinc and jnp.sinc are normalised: sin(pi x)/(pi x)
    Oracle("sinc", mp=_sinc, jax=lambda a: _jnp().sinc(a / math.pi), scale=_sinc_scale,
           notes="torch.sinc's double backward at 0 is not f''(0); jnp.sinc's Maclaurin custom JVP is"),
    Oracle("sine", mp=lambda x, w0=30.0: mp.sin(w0 * x),
           torch=lambda t, w0=30.0: torch.sin(w0 * t), jax=lambda a, w0=30.0: _jnp().sin(w0 * a),
           params=({"w0": 1.0}, {"w0": 2.5}), limits=False,
           ill_conditioned="beyond |x| = 1e290/w0, x is reduced modulo the rounded period 2 pi/w0: a "
                           "relative perturbation of x below one rounding, amplified by |w0 x cot(w0 x)|"),
    Oracle("multiquadratic", mp=lambda x, a=1.0: mp.sqrt(x * x + mp.mpf(a) ** 2),
           torch=lambda t, a=1.0: torch.sqrt(t * t + a * a), params=({"a": 0.5}, {"a": 3.0})),
    Oracle("inverse_multiquadratic", mp=lambda x, a=1.0: 1 / mp.sqrt(x * x + mp.mpf(a) ** 2),
           torch=lambda t, a=1.0: torch.rsqrt(t * t + a * a), params=({"a": 0.5}, {"a": 3.0}),
           scale=_imq_scale),
)


# ---------------------------------------------------------------- vector kinds (catalog/folding.py)

def _halves(t, axis):
    return t.chunk(2, dim=axis)


def _sparsemax_torch(t, axis=-1):
    """Martins & Astudillo's Algorithm 1, in PyTorch: sort, cumulative sum, threshold."""
    z = torch.movedim(t, axis, -1)
    zs, _ = torch.sort(z, dim=-1, descending=True)
    k = torch.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    support = 1 + k * zs > torch.cumsum(zs, dim=-1)
    size = support.sum(dim=-1, keepdim=True)
    tau = (torch.where(support, zs, 0).sum(dim=-1, keepdim=True) - 1) / size
    return torch.movedim(torch.clamp(z - tau, min=0), -1, axis)


register(
    Oracle("log_softmax", torch=lambda t, axis=-1: F.log_softmax(t, dim=axis),
           jax=lambda a, axis=-1: __import__("jax").nn.log_softmax(a, axis=axis)),
    Oracle("softmin", torch=lambda t, axis=-1: F.softmin(t, dim=axis),
           jax=lambda a, axis=-1: __import__("jax").nn.softmax(-a, axis=axis)),
    Oracle("sparsemax", torch=_sparsemax_torch),
    Oracle("glu", torch=lambda t, axis=-1: F.glu(t, dim=axis),
           jax=lambda a, axis=-1: __import__("jax").nn.glu(a, axis=axis)),
    Oracle("swiglu", torch=lambda t, axis=-1: (lambda a, b: a * F.silu(b))(*_halves(t, axis))),
    Oracle("geglu", torch=lambda t, axis=-1: (lambda a, b: a * F.gelu(b))(*_halves(t, axis))),
    Oracle("reglu", torch=lambda t, axis=-1: (lambda a, b: a * F.relu(b))(*_halves(t, axis))),
    Oracle("gumbel_softmax", torch=lambda t, tau=1.0, axis=-1, noise=None: torch.softmax(
        (t if noise is None else t + noise) / tau, dim=axis),
        params=({"tau": 0.5},), notes="the soft sample given the noise (eval: none); "
                                      "hard=True and the sampling are tested in test_vector"),
)
