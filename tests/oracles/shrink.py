"""References for the clipping, shrinkage and threshold functions (catalog/shrink.py)."""

import mpmath as mp
import torch
import torch.nn.functional as F

from . import Oracle, register


def _jax_hard_tanh(a, min_val=-1.0, max_val=1.0):
    import jax
    # jax.nn.hard_tanh has no parameters; other bounds use the expression a JAX user would write
    if (min_val, max_val) == (-1.0, 1.0):
        return jax.nn.hard_tanh(a)
    return jax.numpy.clip(a, min_val, max_val)


register(
    Oracle("hard_tanh", mp=lambda x, min_val=-1.0, max_val=1.0: min(max(x, mp.mpf(min_val)), mp.mpf(max_val)),
           torch=lambda t, min_val=-1.0, max_val=1.0: F.hardtanh(t, min_val, max_val),
           jax=_jax_hard_tanh,  # its kink convention differs (f' = 1 at the corners); that test skips kinks
           params=({"min_val": -0.5, "max_val": 2.0}, {"min_val": 0.25, "max_val": 0.75})),
    Oracle("soft_shrink", mp=lambda x, lambd=0.5: x - lambd if x > lambd else x + lambd if x < -lambd else mp.mpf(0),
           torch=lambda t, lambd=0.5: F.softshrink(t, lambd), params=({"lambd": 1.5}, {"lambd": 0.0})),
    Oracle("hard_shrink", mp=lambda x, lambd=0.5: x if abs(x) > lambd else mp.mpf(0),
           torch=lambda t, lambd=0.5: F.hardshrink(t, lambd), params=({"lambd": 2.0},)),
    Oracle("threshold", mp=lambda x, threshold=0.0, value=0.0: x if x > threshold else mp.mpf(value),
           torch=lambda t, threshold=0.0, value=0.0: F.threshold(t, threshold, value),
           params=({"threshold": 0.5, "value": -2.0}, {"threshold": -1.0, "value": 3.0})),
    Oracle("thresholded_relu", mp=lambda x, theta=1.0: x if x > theta else mp.mpf(0),
           torch=lambda t, theta=1.0: F.threshold(t, theta, 0.0),
           params=({"theta": 0.0}, {"theta": -0.75})),
    Oracle("squared_relu", mp=lambda x: max(x, mp.mpf(0)) ** 2, torch=lambda t: torch.relu(t) ** 2),
)
