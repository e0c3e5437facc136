"""ztlearn's activation API (``ztlearn.dl.activations``), computed by actlab.

>>> import numpy as np
>>> from actlab.compat.ztlearn import ActivationFunction
>>> act = ActivationFunction("elu", {"alpha": 0.1})
>>> act.name
'ELU'
>>> x, grad = np.array([-1.0, 2.0]), np.array([1.0, 3.0])
>>> y = act.forward(x)
>>> d = act.backward(x)           # f'(x), ztlearn's meaning
>>> gx = act.backward(x, grad)    # the exact VJP dL/dx

ztlearn's names (``elu``, ``selu``, ``relu``, ``tanh``, ``linear``/``identity``,
``sigmoid``, ``softmax``, ``softplus``, ``leaky_relu``, ``elliot_sigmoid``),
its classes (each with ``activation``, ``derivative`` and ``activation_name``)
and its defaults (ELU alpha 0.1, LeakyReLU alpha 0.01, read from the
``activation_dict`` as ztlearn does) are kept. Every value comes from
:func:`actlab.get`, so actlab's conventions hold: float16/32/64 kept,
integers and bools computed in float64, +-inf give the limits, NaN
propagates, no RuntimeWarning.

Where ztlearn is wrong, this module does the right thing:

- ``SoftPlus.derivative`` crashes in ztlearn (it calls ``Sigmoid()`` without
  its ``activation_dict``); here it is the logistic sigmoid.
- ``Linear.derivative`` is not ones in ztlearn (the source we read returns
  the input itself; a user's report says an identity matrix); here it is ones of
  x's shape.
- ``Softmax.derivative`` is only the Jacobian's diagonal s(1 - s). It stays
  that (the name promises it in ztlearn), but ``backward(x, grad)`` gives the
  true vector-Jacobian product s * (g - sum(g * s)); ztlearn's layer computes
  ``grad * backward(x)``, which is wrong for softmax.
- ``ELU``/``SELU`` overflow in ztlearn's unused exponential branch and warn
  for x > ~709; here they never warn. ``ElliotSigmoid`` gives NaN at +-inf in
  ztlearn; here 0 and 1.
- ``SELU``'s source sets lambda to alpha's value (1.6733); here lambda is
  the paper's (and ztlearn's documented) 1.0507009873554805.
- At the kink x = 0, the derivative takes PyTorch's convention, as all of
  actlab does: ReLU 0, LeakyReLU alpha, ELU alpha, SELU lambda * alpha
  (ztlearn uses the right-hand slope there).
- Bad input is a clear error: an unknown name raises ValueError listing the
  supported names (ztlearn: a bare Exception); an ``activation_dict`` key
  the function does not read, or a bad value (a non-finite alpha, ...),
  raises ValueError (ztlearn ignores unknown keys).
"""

from __future__ import annotations

from collections.abc import Mapping

from .._arrays import finish, prepare
from ..activation import get
from ..registry import canonical

__all__ = [
    "ActivationFunction", "ELU", "SELU", "ReLU", "TanH", "Sigmoid", "SoftPlus",
    "Softmax", "LeakyReLU", "ElliotSigmoid", "Linear",
]


class _ZtActivation:
    """A ztlearn activation class backed by the actlab function ``_actlab``.

    ``_reads`` holds the ``activation_dict`` keys ztlearn reads and its
    defaults; the keys are actlab's parameter names.
    """

    _actlab: str
    _reads: dict = {}

    def __init__(self, activation_dict: Mapping | None = None):
        given = {} if activation_dict is None else activation_dict
        if not isinstance(given, Mapping):
            raise TypeError(f"activation_dict must be a dict, got {type(given).__name__}")
        unused = sorted(set(given) - set(self._reads), key=str)
        if unused:
            reads = ", ".join(repr(k) for k in self._reads) or "no keys"
            raise ValueError(
                f"{type(self).__name__}: activation_dict has keys it does not use: "
                f"{', '.join(repr(k) for k in unused)} (it reads {reads})")
        self._act = get(self._actlab, **{**self._reads, **given})

    @property
    def activation_name(self) -> str:
        return type(self).__name__

    def activation(self, input_signal):
        """f(x)."""
        return self._act.forward(input_signal)

    def derivative(self, input_signal):
        """f'(x), elementwise, at the pre-activation x."""
        return self._act.derivative(input_signal)

    def vjp(self, input_signal, grad):
        """dL/dx given dL/dy = ``grad``: the exact vector-Jacobian product."""
        return self._act.backward(input_signal, grad)

    def __repr__(self):
        return f"{type(self).__name__}({self._act.params})"


class _Alpha:
    @property
    def alpha(self) -> float:
        return self._act.params["alpha"]


class ELU(_Alpha, _ZtActivation):
    """Exponential linear unit: x for x >= 0, alpha (e^x - 1) otherwise.

    ``activation_dict``: ``alpha`` (default 0.1, ztlearn's; actlab's ``elu``
    defaults to 1.0). f'(x) = 1 for x > 0, alpha e^x otherwise.
    Unlike ztlearn: no overflow warning for large x, and f'(0) = alpha
    (PyTorch's convention; ztlearn gives 1).
    """

    _actlab = "elu"
    _reads = {"alpha": 0.1}


class SELU(_ZtActivation):
    """Scaled ELU: lambda x for x >= 0, lambda alpha (e^x - 1) otherwise.

    ``ALPHA`` = 1.6732632423543772, ``_LAMBDA`` = 1.0507009873554805 (the
    paper's); ``activation_dict`` is not read. Unlike ztlearn: its source sets
    ``_LAMBDA`` to ALPHA's value; no overflow warning for large x; f'(0) =
    lambda alpha (PyTorch's convention; ztlearn gives lambda).
    """

    _actlab = "selu"
    ALPHA = get("selu").params["alpha"]
    _LAMBDA = get("selu").params["scale"]


class ReLU(_ZtActivation):
    """Rectified linear unit: max(0, x); f' = 1 for x > 0, else 0.

    Unlike ztlearn: f'(0) = 0 (PyTorch's convention; ztlearn gives 1).
    """

    _actlab = "relu"


class TanH(_ZtActivation):
    """Hyperbolic tangent: tanh x; f' = 1 - tanh^2 x. As in ztlearn."""

    _actlab = "tanh"


class Sigmoid(_ZtActivation):
    """Logistic sigmoid: s = 1 / (1 + e^-x); f' = s (1 - s). As in ztlearn."""

    _actlab = "sigmoid"


class SoftPlus(_ZtActivation):
    """Softplus: log(1 + e^x); f' = 1 / (1 + e^-x).

    Unlike ztlearn, whose derivative raises TypeError (it builds ``Sigmoid()``
    without the ``activation_dict`` argument), the derivative works.
    """

    _actlab = "softplus"


class Softmax(_ZtActivation):
    """Softmax along the last axis: s_i = e^x_i / sum_j e^x_j.

    ``derivative`` keeps ztlearn's meaning: the Jacobian's diagonal
    s_i (1 - s_i), which is not the gradient. For backpropagation use
    ``vjp(x, grad)`` (or ``ActivationFunction("softmax").backward(x, grad)``),
    the true vector-Jacobian product s * (g - sum(g * s)), which ztlearn lacks.
    """

    _actlab = "softmax"

    def derivative(self, input_signal):
        """The diagonal of the softmax Jacobian, s (1 - s) (ztlearn's "derivative")."""
        xp, x, dtype = prepare(input_signal)
        s = self._act.forward(x)  # x is float64 here: round once, at the end
        return finish(xp, s * (1.0 - s), dtype)


class LeakyReLU(_Alpha, _ZtActivation):
    """Leaky ReLU: x for x >= 0, alpha x otherwise.

    ``activation_dict``: ``alpha`` (default 0.01). f' = 1 for x > 0, else
    alpha. Unlike ztlearn: f'(0) = alpha (PyTorch's convention; ztlearn gives 1).
    """

    _actlab = "leaky_relu"
    _reads = {"alpha": 0.01}


class ElliotSigmoid(_ZtActivation):
    """Elliott's sigmoid: 0.5 x / (1 + |x|) + 0.5, into (0, 1); f' = 0.5 / (1 + |x|)^2.

    Unlike ztlearn: 0 and 1 at -inf and +inf (ztlearn: NaN), and no
    cancellation for x << 0.
    """

    _actlab = "elliot_sigmoid"


class Linear(_ZtActivation):
    """Identity: f(x) = x; f' = 1.

    Unlike ztlearn, whose derivative returns the input itself (or, by issue
    2's report, an identity matrix), the derivative is ones of x's shape.
    """

    _actlab = "identity"


_FUNCTIONS = {
    "elu": ELU,
    "selu": SELU,
    "relu": ReLU,
    "tanh": TanH,
    "linear": Linear,
    "identity": Linear,
    "sigmoid": Sigmoid,
    "softmax": Softmax,
    "softplus": SoftPlus,
    "leaky_relu": LeakyReLU,
    "elliot_sigmoid": ElliotSigmoid,
}


class ActivationFunction:
    """ztlearn's activation front end: ``ActivationFunction(name, activation_dict={})``.

    ``name`` is one of ztlearn's names (case, dashes and spaces do not
    matter); ``activation_dict`` holds the parameters the function reads
    (``alpha`` for ``elu`` and ``leaky_relu``).
    """

    def __init__(self, name: str, activation_dict: Mapping | None = None):
        if not isinstance(name, str):
            raise TypeError(f"activation name must be a string, got {type(name).__name__}")
        cls = _FUNCTIONS.get(canonical(name))
        if cls is None:
            raise ValueError(
                f"unknown ztlearn activation {name!r}; supported: {', '.join(_FUNCTIONS)}")
        self.activation_func = cls(activation_dict)

    @property
    def name(self) -> str:
        """The class name, e.g. ``'LeakyReLU'``."""
        return self.activation_func.activation_name

    def forward(self, input_signal):
        """f(x)."""
        return self.activation_func.activation(input_signal)

    def backward(self, input_signal, grad=None):
        """Without ``grad``: ztlearn's meaning, the class's ``derivative(x)``.
        With ``grad`` (dL/dy): the exact vector-Jacobian product dL/dx."""
        if grad is None:
            return self.activation_func.derivative(input_signal)
        return self.activation_func.vjp(input_signal, grad)

    def __repr__(self):
        return f"ActivationFunction({self.activation_func!r})"
