"""actlab in PyTorch: every function as a ``torch.nn.Module`` and a function,
differentiated by actlab's analytic derivatives.

>>> import torch
>>> from actlab.torch import Activation, function
>>> model = torch.nn.Sequential(torch.nn.Linear(4, 8), Activation("mish"), torch.nn.Linear(8, 1))
>>> prelu = Activation("prelu", num_parameters=8)          # alpha: an nn.Parameter per channel
>>> y = function("gelu")(torch.randn(3, requires_grad=True))

Forward and backward run through one ``torch.autograd.Function``: the forward
saves only its input (and the learnable parameters), the backward is actlab's
exact VJP (the kink convention of ``.derivative``: hard_tanh'(1) = 0), and the
double backward of elementwise functions is f'' (``create_graph=True`` works;
vector-valued functions differentiate their VJP formula with torch's autograd).
CPU float32/float64 tensors run actlab's compiled kernels on the tensor's
memory, without a copy; other devices and dtypes run the reference formulas on
the tensor. Stochastic functions (dropout, rrelu, gumbel_softmax) draw their
noise in training mode from torch's generator (``torch.manual_seed`` makes
them repeatable) and are deterministic in eval mode (``module.eval()``).
"""

from __future__ import annotations

import numpy as np
import torch

from .activation import get

__all__ = ["Activation", "function"]


def _fast(*tensors) -> bool:
    """Whether actlab can run on NumPy views of these tensors (the compiled kernels)."""
    return all(t.device.type == "cpu" and t.dtype in (torch.float32, torch.float64) and t.layout == torch.strided
               for t in tensors)


def _call(act, method, x, *more, **kw):
    """act.method(x, *more) on NumPy views of CPU float tensors (kernels), else on the tensors."""
    if _fast(x, *more):
        out = getattr(act, method)(*(t.detach().numpy() for t in (x, *more)), **kw)
        return torch.from_numpy(np.asarray(out))
    return getattr(act, method)(*(t.detach() for t in (x, *more)), **kw)


def _bound(base, names, params):
    """A copy of ``base`` with the learnable parameters set from tensors."""
    act = get(base.name, **base.params)
    if names:
        act.set_params(**{n: (float(p) if p.ndim == 0 else p.detach().cpu().numpy().astype(np.float64))
                          for n, p in zip(names, params)})
    return act


class _FirstOrderOnly(torch.autograd.Function):
    """``t``, a function of ``source`` that actlab computes but cannot differentiate: its
    derivative is refused with a message (not a silent zero)."""

    @staticmethod
    def forward(ctx, t, source, what):
        ctx.what = what
        return t.clone()

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError(f"actlab.torch: {ctx.what} is not available (derivatives of order 3, and "
                           "second derivatives through learnable parameters, are not implemented)")


class _Derivative(torch.autograd.Function):
    """f'(x) of an elementwise function, differentiable once more: d/dx f'(x) = f''(x)."""

    @staticmethod
    def forward(ctx, x, act):
        ctx.act = act
        ctx.save_for_backward(x)
        return _call(act, "derivative", x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        f2 = _call(ctx.act, "second_derivative", x)
        if torch.is_grad_enabled():
            f2 = _FirstOrderOnly.apply(f2, x, f"the third derivative of {ctx.act.name}")
        return g * f2, None


class _Apply(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, base, names, training, seed, *params):
        act = _bound(base, names, params)
        kw = {"training": training, "rng": seed} if act.spec.stochastic else {}
        y = _call(act, "forward", x, **kw)
        ctx.act, ctx.names = act, names     # act keeps the noise this forward drew
        ctx.save_for_backward(x, *params)
        return y

    @staticmethod
    def backward(ctx, g):
        x, *params = ctx.saved_tensors
        act = ctx.act
        higher = torch.is_grad_enabled()     # create_graph=True: the result must be differentiable
        dx = None
        if ctx.needs_input_grad[0]:
            if not higher:
                dx = _call(act, "backward", x, g)
            elif act.spec.elementwise:
                dx = g * _Derivative.apply(x, act)
            else:                            # torch's autograd through the VJP formula, on the tensors
                with torch.enable_grad():
                    dx = act.backward(x, g)
        grads = []
        if params:
            pg = act.param_grads(*(t.detach().numpy() for t in (x, g))) if _fast(x, g) else \
                act.param_grads(x.detach(), g.detach())
            for name, p in zip(ctx.names, params):
                t = torch.as_tensor(pg[name]).to(p.dtype).reshape(p.shape)
                grads.append(_FirstOrderOnly.apply(t, p, f"the second derivative through {name}") if higher else t)
        return (dx, None, None, None, None, *grads)


def _apply(base, x, names=(), params=(), training=False):
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"actlab.torch.{base.name} takes a torch.Tensor; got {type(x).__name__} "
                        "(actlab.get(name) takes NumPy arrays)")
    seed = None
    if base.spec.stochastic and training:   # from torch's generator: torch.manual_seed repeats it
        seed = int(torch.randint(0, 2 ** 62, (1,), device="cpu"))
    return _Apply.apply(x, base, tuple(names), bool(training), seed, *params)


def function(name: str, **params):
    """``f(x, training=False)`` for torch tensors, with fixed parameters (no learnable ones).

    >>> f = function("leaky_relu", alpha=0.1)
    >>> f(torch.tensor([-1.0, 2.0]))
    tensor([-0.1000,  2.0000])
    """
    base = get(name, **params)

    def f(x, training=False):
        return _apply(base, x, training=training)

    f.__name__ = f.__qualname__ = base.name
    f.__doc__ = f"actlab's {base.name} on torch tensors, with actlab's derivatives ({base.params or 'no parameters'})."
    return f


class Activation(torch.nn.Module):
    """An actlab function as a module; learnable parameters are ``nn.Parameter``.

    ``num_parameters`` > 1 gives one value per channel (axis 1, as
    ``torch.nn.PReLU``) to the parameters that allow it; ``params`` set the
    initial values. Stochastic functions draw noise only in training mode.

    >>> m = Activation("prelu", num_parameters=3, alpha=0.1)
    >>> [(n, tuple(p.shape)) for n, p in m.named_parameters()]
    [('alpha', (3,))]
    """

    def __init__(self, name: str, num_parameters: int = 1, **params):
        super().__init__()
        self._base = get(name, **params)
        learnable = [p for p in self._base.spec.params if p.learnable]
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"num_parameters must be a positive integer; got {num_parameters!r}")
        if num_parameters > 1 and not any(p.per_channel for p in learnable):
            raise ValueError(f"{self._base.name} has no per-channel learnable parameter; num_parameters must be 1")
        self._names = []
        for p in learnable:
            value = np.asarray(self._base.params[p.name], dtype=np.float64)
            if num_parameters > 1 and p.per_channel:
                value = np.full(num_parameters, float(value))
            self.register_parameter(p.name, torch.nn.Parameter(
                torch.tensor(value, dtype=torch.get_default_dtype())))
            self._names.append(p.name)

    @property
    def name(self) -> str:
        return self._base.name

    def forward(self, x):
        return _apply(self._base, x, self._names, [getattr(self, n) for n in self._names], self.training)

    def extra_repr(self) -> str:
        fixed = {k: v for k, v in self._base.params.items() if k not in self._names}
        return repr(self._base.name) + "".join(f", {k}={v!r}" for k, v in fixed.items())
