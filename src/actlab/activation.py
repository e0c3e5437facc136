"""The :class:`Activation` object: a spec bound to parameter values."""

from __future__ import annotations

import contextlib
import functools
import inspect
from dataclasses import asdict, dataclass
from typing import Any, Mapping

import numpy as np

from . import kernels as _kernels
from ._arrays import finish, prepare
from .registry import Spec, lookup, resolve_claims, with_fixed

__all__ = ["Activation", "Info", "get"]


@dataclass(frozen=True)
class Info:
    """Metadata of an activation at given parameter values."""

    name: str
    aliases: tuple
    kind: str
    family: str
    group: str
    summary: str
    params: Mapping[str, Mapping[str, Any]]
    latex: Mapping[str, str]
    range: Any
    continuity: Any
    monotonic: Any
    derivative_monotonic: Any
    identity_near_origin: Any
    zero_centred: Any
    bounded_below: Any
    bounded_above: Any
    saturating_left: Any
    saturating_right: Any
    references: tuple
    peers: Mapping[str, str]
    kinks: tuple
    notes: str

    def as_dict(self) -> dict:
        """Every field in a dict (dataclasses.asdict)."""
        return asdict(self)


def _quiet(fn):
    """Run under np.errstate(over='ignore'): where the true value exceeds the
    largest float, inf is the correctly rounded answer, not an error. Invalid
    operations (inf - inf, 0 * inf) still warn and fail the tests."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore"):
            return fn(*args, **kwargs)
    return wrapper


def _fast_path(method):
    """Add ``out=`` to ``method``; NumPy float32/float64 input runs a compiled
    kernel where one exists (:mod:`actlab.kernels`), otherwise the reference.
    Both paths accept exactly the same calls: one the method does not take
    goes to the method, which raises the TypeError."""
    name = method.__name__
    params = list(inspect.signature(method).parameters.values())[2:]   # after self and x
    n_args = sum(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)
    keywords = {p.name for p in params if p.kind is p.KEYWORD_ONLY}

    @functools.wraps(method)
    def wrapper(self, x, *args, out=None, **kwargs):
        if len(args) != n_args or (kwargs and not kwargs.keys() <= keywords):
            return method(self, x, *args, **kwargs)
        if "training" in kwargs:
            _check_training(kwargs["training"])
        y = _kernels.run(self, name, x, *args, out=out)
        if y is None:
            y = method(self, x, *args, **kwargs)
            if out is not None:
                y = _kernels.store(out, y)
        return y
    return wrapper


_LOUD = contextlib.nullcontext()


def _chain(xp, g, d):
    """g * f'(x), where f'(x) = 0 gives 0 for an infinite or NaN g too (not NaN), as
    PyTorch's masks do: a zero derivative cuts the path. (A finite g keeps the sign of
    its zero product.)"""
    cut = (d == 0) & ~xp.isfinite(g)
    return xp.where(cut, xp.zeros_like(d), g * xp.where(cut, xp.ones_like(d), d))


def _check_training(training):
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be True or False, got {training!r}")


def _resolve(value, params):
    return value(params) if callable(value) else value


class Activation:
    """An activation function with bound parameters.

    ``act(x)`` is the forward pass; ``derivative``/``second_derivative`` are
    elementwise f' and f''; ``backward(x, grad)`` is the vector-Jacobian
    product dL/dx; ``param_grads(x, grad)`` gives dL/dparam for learnable
    parameters. Stochastic kinds take ``training=`` and ``rng=`` in the
    forward pass, and their derivatives use the noise that pass drew.
    """

    def __init__(self, spec: Spec, **params):
        self.spec = spec
        self._params = {p.name: p.default for p in spec.params}
        self._noise = None  # (shape, noise) of the last training-mode forward
        self.set_params(**params)

    # ------------------------------------------------------------ parameters
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def params(self) -> dict:
        """Current parameter values (a copy)."""
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in self._params.items()}

    def set_params(self, **params) -> "Activation":
        """Validate and set parameter values; returns self."""
        known = {p.name: p for p in self.spec.params}
        new = dict(self._params)
        for k, v in params.items():
            if k not in known:
                allowed = ", ".join(known) or "none"
                raise ValueError(f"{self.name}: unknown parameter {k!r} (parameters: {allowed})")
            try:
                new[k] = known[k].check(v)
            except ValueError as e:
                raise ValueError(f"{self.name}: {e}") from None
        if self.spec.check_params is not None:
            try:
                self.spec.check_params(new)
            except ValueError as e:
                raise ValueError(f"{self.name}: {e}") from None
        self._params = new
        return self

    @property
    def info(self) -> Info:
        s = self.spec
        claims = resolve_claims(s.props, self._params)
        return Info(
            name=s.name, aliases=s.aliases, kind=s.kind, family=s.family, group=s.group,
            summary=s.summary,
            params={p.name: {"value": self._params[p.name], "default": p.default,
                             "allowed": p.allowed, "learnable": p.learnable, "doc": p.doc}
                    for p in s.params},
            latex=dict(zip(("f", "df", "d2f"), s.latex)),
            references=s.references, peers=dict(s.peers),
            kinks=tuple(_resolve(s.kinks, self._params)), notes=s.notes, **claims,
        )

    def __repr__(self):
        ps = ", ".join(f"{k}={v!r}" for k, v in self._params.items())
        return f"Activation({self.name!r}{', ' if ps else ''}{ps})"

    # ------------------------------------------------------------ plumbing
    def _bind(self, xp, x) -> dict:
        """Parameters as the formulas take them: learnable arrays become
        arrays of x's namespace and dtype, shaped to broadcast against x."""
        out = {}
        for p in self.spec.params:
            v = self._params[p.name]
            if isinstance(v, np.ndarray):
                v = xp.asarray(v, dtype=x.dtype)
                if p.per_channel:
                    v = xp.reshape(v, _channel_shape(self.name, p.name, v.shape, x.shape))
            out[p.name] = v
        if not self.spec.elementwise:
            _check_axis(self.name, out["axis"], x.ndim)
        return out

    def _grad(self, xp, grad, y_shape, dtype, x_dtype):
        _, g, _ = prepare(grad, "grad")
        if tuple(g.shape) != tuple(y_shape):
            raise ValueError(f"{self.name}: grad has shape {tuple(g.shape)}, expected the output's shape {tuple(y_shape)}")
        return xp.astype(g, x_dtype) if g.dtype != x_dtype else g

    def _noise_for(self, x, training, rng):
        """Draw (training) or drop (eval) the noise; remember it for backward."""
        if not training:
            self._noise = None
            return None
        noise = self.spec.sample(_namespace(x), x, _as_rng(rng), **self._bind(_namespace(x), x))
        self._noise = (tuple(x.shape), noise)
        return noise

    def _last_noise(self, x):
        if self._noise is None:
            return None
        shape, noise = self._noise
        if tuple(x.shape) != shape:
            raise ValueError(
                f"{self.name}: the derivative uses the noise of the last training forward, "
                f"drawn for shape {shape}; got x of shape {tuple(x.shape)}")
        return noise

    def _extra(self, noise):
        """The noise keyword that stochastic kinds' formulas take."""
        return {"noise": noise} if self.spec.stochastic else {}

    # ------------------------------------------------------------ evaluation
    @_fast_path
    @_quiet
    def forward(self, x, *, training: bool = True, rng=None):
        """f(x). ``training``/``rng`` matter only for stochastic kinds."""
        _check_training(training)
        xp, xc, dt = prepare(x)
        p = self._bind(xp, xc)
        extra = {"noise": self._noise_for(xc, training, rng)} if self.spec.stochastic else {}
        y = self.spec.f(xp, xc, **p, **extra)
        if self.spec.elementwise:
            y = _keep_nan(xp, xc, y)
        return finish(xp, y, dt)

    __call__ = forward

    @_quiet
    def _elementwise(self, which, x):
        if not self.spec.elementwise:
            raise TypeError(
                f"{self.name} is vector-valued: its Jacobian is not diagonal; "
                f"use backward(x, grad) for the vector-Jacobian product")
        xp, xc, dt = prepare(x)
        fn = getattr(self.spec, which)
        y = fn(xp, xc, **self._bind(xp, xc), **self._extra(self._last_noise(xc)))
        return finish(xp, _keep_nan(xp, xc, y), dt)

    @_fast_path
    def derivative(self, x):
        """Elementwise f'(x) at the pre-activation x."""
        return self._elementwise("df", x)

    def second_derivative(self, x):
        """Elementwise f''(x)."""
        return self._elementwise("d2f", x)

    def reference(self, method: str, *args, **kwargs):
        """``method`` ("forward", "derivative", "backward") computed by the reference
        formulas, never a compiled kernel: for a few points (plots), where loading a
        kernel costs more than it saves, or to compare the two paths.

        >>> get("elu").reference("derivative", np.array([-1.0, 1.0]))
        array([0.36787944, 1.        ])
        """
        if method not in ("forward", "derivative", "backward"):
            raise ValueError(f"method must be 'forward', 'derivative' or 'backward', got {method!r}")
        fn = getattr(type(self), method)
        return fn.__wrapped__(self, *args, **kwargs)   # the method under its kernel dispatch

    @_fast_path
    @_quiet
    def backward(self, x, grad):
        """dL/dx given dL/dy (``grad``, the output's shape): the exact VJP."""
        xp, xc, dt = prepare(x)
        p = self._bind(xp, xc)
        extra = self._extra(self._last_noise(xc))
        if self.spec.elementwise:
            g = self._grad(xp, grad, xc.shape, dt, xc.dtype)
            gx = _chain(xp, g, _keep_nan(xp, xc, self.spec.df(xp, xc, **p, **extra)))
        else:
            y_shape = self.spec.f(xp, xc, **p, **extra).shape
            g = self._grad(xp, grad, y_shape, dt, xc.dtype)
            # an infinite upstream gradient makes inf - inf in J^T g: NaN is the answer there
            # (as in PyTorch), not a warning; finite ones keep invalid operations loud
            with np.errstate(invalid="ignore") if not bool(xp.all(xp.isfinite(g))) else _LOUD:
                gx = self.spec.vjp(xp, xc, g, **p, **extra)
        return finish(xp, gx, dt)

    @_quiet
    def param_grads(self, x, grad) -> dict:
        """{name: dL/dparam} for learnable parameters, summed over broadcast
        axes to each parameter's shape (empty for functions without any).

        ``spec.dparams`` gives elementwise partials: x's shape for scalar and
        per-channel parameters, x.shape + value.shape for coefficient vectors.
        """
        if not self.spec.learnable:
            return {}
        xp, xc, dt = prepare(x)
        p = self._bind(xp, xc)
        g = self._grad(xp, grad, xc.shape, dt, xc.dtype)
        partials = self.spec.dparams(xp, xc, **p, **self._extra(self._last_noise(xc)))
        return {q.name: finish(xp, _sum_to_param(xp, g, partials[q.name], self._params[q.name],
                                                 p[q.name], q.per_channel), dt)
                for q in self.spec.params if q.learnable}


def _sum_to_param(xp, g, partial, value, bound, per_channel):
    """sum(g * partial) over the axes the parameter was broadcast along.

    +inf and -inf contributions (from inputs +-inf) sum to NaN: the data's
    doing, not an invalid operation in a formula, so it does not warn.
    """
    with np.errstate(invalid="ignore"):
        if not isinstance(value, np.ndarray):
            return xp.sum(g * partial)
        if per_channel:
            total = g * partial
            axes = tuple(i for i, n in enumerate(bound.shape) if n == 1 and total.shape[i] != 1)
            return xp.reshape(xp.sum(total, axis=axes, keepdims=True), value.shape)
        # a vector of coefficients: the partial has shape x.shape + value.shape
        return xp.sum(xp.reshape(g, (*g.shape, *([1] * value.ndim))) * partial, axis=tuple(range(g.ndim)))



# ---------------------------------------------------------------- helpers

def _namespace(x):
    from ._arrays import namespace_of
    return namespace_of(x)


def _keep_nan(xp, x, y):
    """NaN in, NaN out, even through comparisons (which map NaN to a branch)."""
    return xp.where(xp.isnan(x), x, y)


def _as_rng(rng):
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


def _check_axis(name, axis, ndim):
    if ndim == 0:
        raise ValueError(f"{name} acts along an axis: it needs an array of at least one dimension, got a 0-d array")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis {axis} is out of range for an array of {ndim} dimensions")


def _channel_shape(name, param, pshape, xshape):
    """Where a per-channel parameter goes: PyTorch's channel axis (1, or 0 for
    1-D input) for a 1-D parameter; NumPy broadcasting for a full-rank one."""
    ndim = len(xshape)
    if len(pshape) == 1 and ndim >= 1:
        ch = 1 if ndim >= 2 else 0
        if pshape[0] not in (1, xshape[ch]):
            raise ValueError(
                f"{name}: {param} has {pshape[0]} channels but x has {xshape[ch]} along axis {ch} "
                f"(the channel axis); use a scalar or {xshape[ch]} values")
        view = [1] * ndim
        view[ch] = pshape[0]
        return tuple(view)
    if len(pshape) == ndim and all(p in (1, n) for p, n in zip(pshape, xshape)):
        return tuple(pshape)
    raise ValueError(f"{name}: {param} of shape {tuple(pshape)} does not broadcast against x of shape {tuple(xshape)}")


def get(name: str, **params) -> Activation:
    """The activation ``name`` (a canonical name, an alias or a variant such as ``gelu_tanh``,
    which fixes ``approximate='tanh'``) with ``params``.

    >>> get("leakyrelu", alpha=0.1)([-1.0, 2.0])
    array([-0.1,  2. ])
    """
    return Activation(lookup(name), **with_fixed(name, params))
