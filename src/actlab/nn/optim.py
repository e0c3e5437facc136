"""Optimizers, learning-rate schedules and gradient clipping for :mod:`actlab.nn`.

The optimizers follow PyTorch 2.13's update rules and defaults (``torch/optim``,
single-tensor path) and act on a dict of live arrays, updating them in place:

>>> import numpy as np
>>> from actlab.nn import optim
>>> params = {"w": np.array([1.0, -2.0])}
>>> opt = optim.Adam(params, lr=0.1)
>>> opt.step({"w": 2 * params["w"]})          # grads of sum(w^2)
>>> params["w"]
array([ 0.9, -1.9])

``step(grads)`` takes a dict with (a subset of) the params' keys; a missing key
or ``None`` leaves that parameter and its state alone (torch's ``grad is None``).
State (momentum buffers, moments, step counts) is per parameter name and lives
across steps; ``state_dict()``/``load_state_dict()`` save and restore it.

Schedules (``StepLR``, ``ExponentialLR``, ``CosineAnnealingLR``, ``LinearWarmup``,
``SequentialLR``) set ``opt.lr``; call ``sched.step()`` after ``opt.step`` once
per epoch (or per batch).  They use torch's closed forms, which equal torch's
chained recursions up to rounding.

Adam and AdamW update float32/float64 parameters in one compiled pass over
memory (Numba, compiled on first use and cached on disk): NumPy's ten
separate array operations made the optimizer 40% of a training step of a wide
MLP.  Other dtypes, non-contiguous arrays and machines without Numba run the
same arithmetic in NumPy.
"""

from __future__ import annotations

import bisect
import difflib
import math
import numbers
from collections.abc import Mapping

import numpy as np

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "get", "names",
           "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearWarmup", "SequentialLR",
           "clip_grad_norm", "clip_grad_value"]


# ----------------------------------------------------------------- validation
def _reject_unknown(cls, unknown, allowed):
    """TypeError for misspelled keywords: a silently ignored 'momentun' trains without momentum."""
    if unknown:
        k = next(iter(unknown))
        close = difflib.get_close_matches(k, allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise TypeError(f"{cls}() got an unexpected keyword argument {k!r}{hint} "
                        f"(allowed: {', '.join(allowed)})")


def _real(name, v, lo=0.0, hi=math.inf, hi_open=False, lo_open=False):
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {v!r} ({type(v).__name__})")
    v = float(v)
    ok = math.isfinite(v) and (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)
    if not ok:
        rng = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
        raise ValueError(f"Invalid {name} value: {v!r}; {name} must be a finite number in {rng}")
    return v


def _bool(name, v):
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {v!r}")
    return bool(v)


def _int(name, v, lo):
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < lo:
        raise ValueError(f"{name} must be an integer >= {lo}; got {v!r}")
    return int(v)


# ----------------------------------------------------------------- optimizers
class Optimizer:
    """Base class: holds ``params`` (the live dict), hyperparameters and per-name state.

    Subclasses define ``_defaults`` (hyperparameter -> default), ``_buffers``
    (state arrays shaped like the parameter) and ``_update(p, g, state)``.
    """

    _defaults: dict = {}
    _buffers: tuple = ()       # state arrays every parameter has from the start
    _optional: tuple = ()      # state arrays some options add (created on first use)

    def __init__(self, params, **hyper):
        if hasattr(params, "params") and isinstance(getattr(params, "params"), Mapping):
            params = params.params          # a model: use its live dict
        if not isinstance(params, Mapping):
            raise TypeError(f"params must be a dict name -> ndarray (model.params); got {type(params).__name__}")
        for k, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"params[{k!r}] must be a floating ndarray updated in place; got "
                                f"{type(p).__name__}{'' if not isinstance(p, np.ndarray) else ' ' + str(p.dtype)}")
        self.params = params                 # the dict itself: arrays are looked up at each step
        self.state: dict[str, dict] = {}
        for k, v in hyper.items():
            setattr(self, k, v)
        self._check()

    # lr is a property so a schedule or a user can set it, validated.
    @property
    def lr(self):
        """The current learning rate (schedules change it)."""
        return self._lr

    @lr.setter
    def lr(self, v):
        self._lr = _real("lr", v)

    def _check(self):
        """Validate and normalize the hyperparameters (subclasses extend)."""
        self.weight_decay = _real("weight_decay", self.weight_decay)

    @property
    def hyperparams(self):
        """The hyperparameters as a plain dict."""
        return {k: getattr(self, k) for k in self._defaults}

    def step(self, grads):
        """Update every parameter that has a gradient in ``grads``, in place."""
        if not isinstance(grads, Mapping):
            raise TypeError(f"grads must be a dict with the params' keys; got {type(grads).__name__}")
        extra = [k for k in grads if k not in self.params]
        if extra:
            raise ValueError(f"grads has keys that are not parameters: {extra} (params: {list(self.params)})")
        for k, p in self.params.items():
            g = grads.get(k)
            if g is None:
                continue
            g = np.asarray(g, dtype=p.dtype)   # compute in the parameter's dtype, as torch
            if g.shape != p.shape:
                raise ValueError(f"grads[{k!r}] has shape {g.shape}; the parameter has {p.shape}")
            st = self.state.get(k)
            if st is None:
                st = self.state[k] = self._init_state(p)
            self._update(p, g, st)

    def _init_state(self, p):
        return {"step": 0, **{b: np.zeros_like(p) for b in self._buffers}}

    def _update(self, p, g, state):  # pragma: no cover - abstract
        raise NotImplementedError

    def state_dict(self):
        """{"type", "hyper", "state"}: plain numbers and deep-copied arrays."""
        return {"type": type(self).__name__, "hyper": dict(self.hyperparams),
                "state": {k: {n: (v.copy() if isinstance(v, np.ndarray) else v) for n, v in st.items()}
                          for k, st in self.state.items()}}

    def load_state_dict(self, d):
        """Restore a :meth:`state_dict` (validated: type, keys and shapes must match)."""
        if not isinstance(d, Mapping) or set(d) != {"type", "hyper", "state"}:
            raise ValueError("state dict must be a dict with keys 'type', 'hyper', 'state' (from state_dict())")
        if d["type"] != type(self).__name__:
            raise ValueError(f"state dict is for {d['type']}, not {type(self).__name__}")
        if set(d["hyper"]) != set(self._defaults):
            raise ValueError(f"state dict hyperparameters {sorted(d['hyper'])} do not match "
                             f"{type(self).__name__}'s {sorted(self._defaults)}")
        state = {}
        for k, st in d["state"].items():
            if k not in self.params:
                raise ValueError(f"state dict has state for {k!r}, which is not a parameter (params: {list(self.params)})")
            allowed = {"step", *self._buffers, *self._optional}
            if not isinstance(st, Mapping) or "step" not in st or not set(st) <= allowed \
                    or not set(self._buffers) <= set(st):
                raise ValueError(f"state for {k!r} has entries {sorted(st) if isinstance(st, Mapping) else st!r}; "
                                 f"expected 'step', {sorted(self._buffers)} and optionally {sorted(self._optional)}")
            new = {}
            for n, v in st.items():
                if n == "step":
                    new[n] = _int(f"state[{k!r}]['step']", v, 0)
                    continue
                v = np.asarray(v)
                if v.shape != self.params[k].shape:
                    raise ValueError(f"state[{k!r}][{n!r}] has shape {v.shape}; the parameter has "
                                     f"{self.params[k].shape}")
                new[n] = v.astype(self.params[k].dtype, copy=True)
            state[k] = new
        old = self.hyperparams
        try:                                   # validate the hyperparameters before committing
            for k, v in d["hyper"].items():
                setattr(self, k, tuple(v) if isinstance(v, list) else v)
            self._check()
        except (TypeError, ValueError):
            for k, v in old.items():
                setattr(self, k, v)
            raise
        self.state = state

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.hyperparams.items())})"


def _buffer(st, name, p):
    """An optional state array, zeros on first use (an option switched on mid-run works too)."""
    b = st.get(name)
    if b is None:
        b = st[name] = np.zeros_like(p)
    return b


class SGD(Optimizer):
    """Stochastic gradient descent with momentum (torch.optim.SGD).

    g <- g + weight_decay * p;  with momentum m > 0: b <- g at the first step,
    b <- m b + (1 - dampening) g afterwards (dampening = m gives the EWMA form);
    g <- g + m b (nesterov) or g <- b;  p <- p - lr g.

    >>> p = {"w": np.ones(2)}
    >>> SGD(p, lr=0.1, momentum=0.9).step({"w": np.ones(2)}); p["w"]
    array([0.9, 0.9])
    """

    _defaults = {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False}
    _optional = ("momentum_buffer",)

    def __init__(self, params, lr=1e-3, *, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False, **unknown):
        _reject_unknown("SGD", unknown, list(self._defaults))
        super().__init__(params, lr=lr, momentum=momentum, dampening=dampening,
                         weight_decay=weight_decay, nesterov=nesterov)

    def _check(self):
        super()._check()
        self.momentum = _real("momentum", self.momentum)
        self.dampening = _real("dampening", self.dampening, hi=1.0)
        self.nesterov = _bool("nesterov", self.nesterov)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(f"nesterov=True requires momentum > 0 and dampening = 0; got momentum="
                             f"{self.momentum}, dampening={self.dampening}")

    def _update(self, p, g, st):
        st["step"] += 1
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            buf = st.get("momentum_buffer")
            if buf is None:                    # first momentum step: the buffer is the gradient, undamped
                buf = st["momentum_buffer"] = np.array(g)   # an array even for a 0-d parameter
            else:
                buf *= self.momentum
                buf += (1 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        p -= self.lr * g


class Adagrad(Optimizer):
    """Adagrad (torch.optim.Adagrad).

    t <- t + 1;  g <- g + weight_decay p;  clr = lr / (1 + (t - 1) lr_decay);
    s <- s + g^2 (s starts at initial_accumulator_value);  p <- p - clr g / (sqrt(s) + eps).

    >>> p = {"w": np.ones(1)}
    >>> Adagrad(p, lr=0.5).step({"w": np.array([3.0])}); p["w"]
    array([0.5])
    """

    _defaults = {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0,
                 "eps": 1e-10}
    _buffers = ("sum",)

    def __init__(self, params, lr=1e-2, *, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10, **unknown):
        _reject_unknown("Adagrad", unknown, list(self._defaults))
        super().__init__(params, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                         initial_accumulator_value=initial_accumulator_value, eps=eps)

    def _check(self):
        super()._check()
        self.lr_decay = _real("lr_decay", self.lr_decay)
        self.initial_accumulator_value = _real("initial_accumulator_value", self.initial_accumulator_value)
        self.eps = _real("eps", self.eps)

    def _init_state(self, p):
        return {"step": 0, "sum": np.full_like(p, self.initial_accumulator_value)}

    def _update(self, p, g, st):
        st["step"] += 1
        if self.weight_decay:
            g = g + self.weight_decay * p
        clr = self.lr / (1 + (st["step"] - 1) * self.lr_decay)
        st["sum"] += g * g
        p -= clr * (g / (np.sqrt(st["sum"]) + self.eps))


class RMSprop(Optimizer):
    """RMSprop (torch.optim.RMSprop).

    g <- g + weight_decay p;  v <- alpha v + (1 - alpha) g^2;
    centered: a <- a + (1 - alpha)(g - a), denom = sqrt(v - a^2) + eps, else sqrt(v) + eps;
    momentum m > 0: b <- m b + g / denom, p <- p - lr b;  else p <- p - lr g / denom.

    >>> p = {"w": np.ones(1)}
    >>> RMSprop(p, lr=0.01).step({"w": np.ones(1)}); p["w"].round(4)
    array([0.9])
    """

    _defaults = {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
                 "centered": False}
    _buffers = ("square_avg",)
    _optional = ("momentum_buffer", "grad_avg")

    def __init__(self, params, lr=1e-2, *, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False, **unknown):
        _reject_unknown("RMSprop", unknown, list(self._defaults))
        super().__init__(params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                         momentum=momentum, centered=centered)

    def _check(self):
        super()._check()
        self.alpha = _real("alpha", self.alpha, hi=1.0)
        self.eps = _real("eps", self.eps)
        self.momentum = _real("momentum", self.momentum)
        self.centered = _bool("centered", self.centered)

    def _update(self, p, g, st):
        st["step"] += 1
        if self.weight_decay:
            g = g + self.weight_decay * p
        v = st["square_avg"]
        v *= self.alpha
        v += (1 - self.alpha) * (g * g)
        if self.centered:
            a = _buffer(st, "grad_avg", p)
            a += (1 - self.alpha) * (g - a)   # torch's lerp_(g, 1 - alpha)
            avg = np.sqrt(v - a * a) + self.eps
        else:
            avg = np.sqrt(v) + self.eps
        if self.momentum > 0:
            b = _buffer(st, "momentum_buffer", p)
            b *= self.momentum
            b += g / avg
            p -= self.lr * b
        else:
            p -= self.lr * (g / avg)


_adam_kernel = None   # the compiled Adam loop; False where Numba is missing


def _fused_adam():
    global _adam_kernel
    if _adam_kernel is None:
        try:
            import numba
        except ImportError:
            _adam_kernel = False
            return False

        # error_model="numpy": without it the division's ZeroDivisionError check stops SIMD.
        @numba.njit(cache=True, nogil=True, error_model="numpy")
        def adam(p, g, m, v, vmax, amsgrad, decay, wd, b1c, b2, b2c, step_size, bc2_sqrt, eps):
            for i in range(p.size):
                pi = p[i] * decay                      # AdamW's decoupled decay (decay = 1: none)
                gi = g[i] + wd * pi                    # Adam's L2 decay (wd = 0: none)
                mi = m[i] + b1c * (gi - m[i])
                vi = v[i] * b2 + b2c * (gi * gi)
                m[i] = mi
                v[i] = vi
                if amsgrad:
                    vi = max(vmax[i], vi)
                    vmax[i] = vi
                p[i] = pi - step_size * (mi / (np.sqrt(vi) / bc2_sqrt + eps))

        _adam_kernel = adam
    return _adam_kernel


def _flat_views(*arrays):
    """1-D views of C-contiguous float32/float64 arrays of one dtype, or None."""
    dt = arrays[0].dtype
    if dt not in (np.float32, np.float64) or any(a.dtype != dt or not a.flags.c_contiguous for a in arrays):
        return None
    return [a.reshape(-1) for a in arrays]


class Adam(Optimizer):
    """Adam (torch.optim.Adam; L2 weight decay added to the gradient).

    t <- t + 1;  g <- g + weight_decay p;  m <- m + (1 - b1)(g - m);
    v <- b2 v + (1 - b2) g^2;  (amsgrad: vmax <- max(vmax, v), used for v)
    p <- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).

    >>> p = {"w": np.ones(1)}
    >>> Adam(p, lr=0.1).step({"w": np.array([5.0])}); p["w"]
    array([0.9])
    """

    _defaults = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False}
    _buffers = ("exp_avg", "exp_avg_sq")
    _optional = ("max_exp_avg_sq",)
    _decoupled = False

    def __init__(self, params, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, **unknown):
        _reject_unknown(type(self).__name__, unknown, list(self._defaults))
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _check(self):
        super()._check()
        b = self.betas
        if not isinstance(b, (tuple, list)) or len(b) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2) in [0, 1); got {b!r}")
        self.betas = (_real("beta1 (betas[0])", b[0], hi=1.0, hi_open=True),
                      _real("beta2 (betas[1])", b[1], hi=1.0, hi_open=True))
        self.eps = _real("eps", self.eps)
        self.amsgrad = _bool("amsgrad", self.amsgrad)

    def _update(self, p, g, st):
        b1, b2 = self.betas
        st["step"] += 1
        t = st["step"]
        step_size = self.lr / (1 - b1 ** t)
        bc2_sqrt = (1 - b2 ** t) ** 0.5
        vmax = _buffer(st, "max_exp_avg_sq", p) if self.amsgrad else st["exp_avg_sq"]
        kernel = _fused_adam()
        views = kernel and _flat_views(p, g, st["exp_avg"], st["exp_avg_sq"], vmax)
        if views:
            decay, wd = ((1 - self.lr * self.weight_decay, 0.0) if self._decoupled
                         else (1.0, self.weight_decay))
            f = p.dtype.type                   # scalars in the parameter's dtype, as torch computes
            kernel(*views, self.amsgrad, f(decay), f(wd), f(1 - b1), f(b2), f(1 - b2), f(step_size),
                   f(bc2_sqrt), f(self.eps))
            return
        if self.weight_decay:
            if self._decoupled:                # AdamW: shrink the weights, not the gradient
                p *= 1 - self.lr * self.weight_decay
            else:
                g = g + self.weight_decay * p
        m, v = st["exp_avg"], st["exp_avg_sq"]
        m += (1 - b1) * (g - m)                # torch's lerp_(g, 1 - beta1)
        v *= b2
        v += (1 - b2) * (g * g)
        if self.amsgrad:
            np.maximum(vmax, v, out=vmax)
            v = vmax
        p -= step_size * (m / (np.sqrt(v) / bc2_sqrt + self.eps))


class AdamW(Adam):
    """AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default 1e-2.

    p <- p (1 - lr weight_decay) before the Adam step (Loshchilov & Hutter, 2019).

    >>> p = {"w": np.ones(1)}
    >>> AdamW(p, lr=0.1, weight_decay=0.5).step({"w": np.array([5.0])}); p["w"]
    array([0.85])
    """

    _defaults = {**Adam._defaults, "weight_decay": 1e-2}
    _decoupled = True

    def __init__(self, params, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, **unknown):
        super().__init__(params, lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, **unknown)


_OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}


def names():
    """The optimizer names :func:`get` accepts."""
    return sorted(_OPTIMIZERS)


def get(name, params=None, **kw):
    """Build the optimizer called ``name`` (case-insensitive) on ``params``; an Optimizer is returned as is.

    >>> get("adam", {"w": np.zeros(3)}, lr=1e-2)
    Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, amsgrad=False)
    """
    if isinstance(name, Optimizer):
        return name
    if not isinstance(name, str):
        raise TypeError(f"optimizer must be a name or an Optimizer; got {type(name).__name__}")
    cls = _OPTIMIZERS.get(name.lower())
    if cls is None:
        close = difflib.get_close_matches(name.lower(), _OPTIMIZERS, n=3)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"unknown optimizer {name!r}{hint} (optimizers: {', '.join(names())})")
    return cls(params, **kw)


# ------------------------------------------------------------------ schedules
class _Schedule:
    """A schedule sets ``opt.lr = f(epoch)`` from the optimizer's initial lr (torch's ``initial_lr``)."""

    def __init__(self, opt):
        if not isinstance(opt, Optimizer):
            raise TypeError(f"a schedule needs an actlab.nn.optim Optimizer; got {type(opt).__name__}")
        self.optimizer = opt
        # Shared by all schedules of one optimizer, as torch's group["initial_lr"].
        if getattr(opt, "initial_lr", None) is None:
            opt.initial_lr = opt.lr
        self.base_lr = opt.initial_lr
        self.last_epoch = 0
        opt.lr = self._lr_at(0)

    def _lr_at(self, epoch):  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def lr(self):
        """The learning rate this schedule gives now."""
        return self._lr_at(self.last_epoch)

    def step(self):
        """Advance one epoch (or batch) and set the optimizer's lr."""
        self.last_epoch += 1
        self.optimizer.lr = self._lr_at(self.last_epoch)

    def state_dict(self):
        """{"last_epoch", "base_lr"}."""
        return {"last_epoch": self.last_epoch, "base_lr": self.base_lr}

    def load_state_dict(self, d):
        """Restore :meth:`state_dict` and set the optimizer's lr to match."""
        if not isinstance(d, Mapping) or set(d) != {"last_epoch", "base_lr"}:
            raise ValueError("schedule state dict must have keys 'last_epoch' and 'base_lr'")
        self.last_epoch = _int("last_epoch", d["last_epoch"], 0)
        self.base_lr = _real("base_lr", d["base_lr"])
        self.optimizer.lr = self._lr_at(self.last_epoch)

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.lr:g})"


class StepLR(_Schedule):
    """lr = base_lr * gamma ** (epoch // step_size)  (torch StepLR).

    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0); s = StepLR(opt, 2, gamma=0.5)
    >>> [(s.step(), opt.lr)[1] for _ in range(4)]
    [1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, opt, step_size, gamma=0.1):
        self.step_size = _int("step_size", step_size, 1)
        self.gamma = _real("gamma", gamma, lo_open=True)
        super().__init__(opt)

    def _lr_at(self, e):
        return self.base_lr * self.gamma ** (e // self.step_size)


class ExponentialLR(_Schedule):
    """lr = base_lr * gamma ** epoch  (torch ExponentialLR).

    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0); s = ExponentialLR(opt, 0.5); s.step(); opt.lr
    0.5
    """

    def __init__(self, opt, gamma):
        self.gamma = _real("gamma", gamma, lo_open=True)
        super().__init__(opt)

    def _lr_at(self, e):
        return self.base_lr * self.gamma ** e


class CosineAnnealingLR(_Schedule):
    """lr = eta_min + (base_lr - eta_min) (1 + cos(pi epoch / T_max)) / 2  (torch, no restarts;
    past T_max it rises again as torch's does).

    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0); s = CosineAnnealingLR(opt, T_max=2)
    >>> s.step(); round(opt.lr, 12)
    0.5
    """

    def __init__(self, opt, T_max, eta_min=0.0):
        self.T_max = _int("T_max", T_max, 1)
        self.eta_min = _real("eta_min", eta_min)
        super().__init__(opt)

    def _lr_at(self, e):
        return self.eta_min + (self.base_lr - self.eta_min) * (1 + math.cos(math.pi * e / self.T_max)) / 2


class LinearWarmup(_Schedule):
    """Linear ramp of the factor from start_factor to end_factor over warmup_steps (torch LinearLR):
    lr = base_lr * (start + (end - start) * min(epoch, warmup_steps) / warmup_steps).

    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0); s = LinearWarmup(opt, 2, start_factor=0.5)
    >>> opt.lr, (s.step(), opt.lr)[1], (s.step(), opt.lr)[1]
    (0.5, 0.75, 1.0)
    """

    def __init__(self, opt, warmup_steps, start_factor=1.0 / 3, end_factor=1.0):
        self.warmup_steps = _int("warmup_steps", warmup_steps, 1)
        self.start_factor = _real("start_factor", start_factor, hi=1.0, lo_open=True)
        self.end_factor = _real("end_factor", end_factor, hi=1.0)
        super().__init__(opt)

    def _lr_at(self, e):
        f = self.start_factor + (self.end_factor - self.start_factor) * min(e, self.warmup_steps) / self.warmup_steps
        return self.base_lr * f


class SequentialLR(_Schedule):
    """Run ``schedules[i]`` from ``milestones[i-1]`` on, each restarted at its epoch 0 (torch SequentialLR).

    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0)
    >>> s = SequentialLR(opt, [LinearWarmup(opt, 5, 0.2), CosineAnnealingLR(opt, 20)], milestones=[5])
    """

    def __init__(self, opt, schedules, milestones):
        schedules, milestones = list(schedules), list(milestones)
        if not schedules:
            raise ValueError("SequentialLR needs at least one schedule")
        if any(not isinstance(s, _Schedule) or s.optimizer is not opt for s in schedules):
            raise ValueError("SequentialLR's schedules must be schedules of the same optimizer")
        if len(milestones) != len(schedules) - 1:
            raise ValueError(f"SequentialLR needs len(schedules) - 1 = {len(schedules) - 1} milestones; "
                             f"got {len(milestones)}")
        ms = [_int("milestone", m, 1) for m in milestones]
        if ms != sorted(ms):
            raise ValueError(f"milestones must be increasing; got {ms}")
        self.schedules, self.milestones = schedules, ms
        super().__init__(opt)

    def _lr_at(self, e):
        i = bisect.bisect_right(self.milestones, e)
        return self.schedules[i]._lr_at(e - (self.milestones[i - 1] if i else 0))


# ------------------------------------------------------------------- clipping
def _in_place(grads):
    """The gradient arrays of ``grads``, checked to be arrays that can be changed in place."""
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a dict name -> ndarray (model.grads); got {type(grads).__name__}")
    for k, g in grads.items():
        if g is not None and not (isinstance(g, np.ndarray) and g.dtype.kind == "f"):
            raise TypeError(f"grads[{k!r}] must be a floating ndarray (clipped in place); got {type(g).__name__}")
    return [g for g in grads.values() if g is not None]


def clip_grad_norm(grads, max_norm, norm_type=2.0):
    """Scale all gradients in place so their joint norm is at most ``max_norm``; return the norm.

    total = || (||g_1||, ||g_2||, ...) ||_p (p = inf: max |g|);
    g <- g * min(1, max_norm / (total + 1e-6))   (torch.nn.utils.clip_grad_norm_).

    >>> g = {"w": np.array([3.0, 4.0])}
    >>> clip_grad_norm(g, 1.0), g["w"].round(6)
    (5.0, array([0.6, 0.8]))
    """
    max_norm = _real("max_norm", max_norm)
    norm_type = _real("norm_type", norm_type, lo_open=True) if norm_type != math.inf else math.inf
    arrs = _in_place(grads)
    if not arrs:
        return 0.0
    if norm_type == math.inf:
        total = max(float(np.max(np.abs(g))) if g.size else 0.0 for g in arrs)
    else:
        norms = [float(np.linalg.norm(np.ravel(g).astype(np.float64), ord=norm_type)) if g.size else 0.0
                 for g in arrs]
        total = float(np.linalg.norm(np.array(norms), ord=norm_type))
    coef = min(max_norm / (total + 1e-6), 1.0)
    for g in arrs:
        g *= coef
    return total


def clip_grad_value(grads, clip_value):
    """Clamp every gradient in place to [-clip_value, clip_value] (torch.nn.utils.clip_grad_value_).

    >>> g = {"w": np.array([-3.0, 0.5])}; clip_grad_value(g, 1.0); g["w"]
    array([-1. ,  0.5])
    """
    c = _real("clip_value", clip_value)
    for g in _in_place(grads):
        np.clip(g, -c, c, out=g)
