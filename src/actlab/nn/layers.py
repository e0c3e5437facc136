"""Layers and the Sequential model of actlab.nn.

Every layer computes on (batch, features) arrays. ``forward(x, training)``
caches what ``backward(dout)`` needs; ``backward`` returns dL/dx and fills
``grads`` (same keys as ``params``). Parameters are created by ``build``,
which :class:`Sequential` calls with its seeded generator and dtype.
"""

from __future__ import annotations

import difflib
import json
import zipfile

import numpy as np

from .. import Activation as _Act
from .. import get as _get
from . import init as _init

__all__ = ["Layer", "Dense", "Activation", "BatchNorm", "LayerNorm", "Dropout", "NAC", "NALU",
           "Sequential"]

FORMAT = "actlab.nn.Sequential/1"


class Layer:
    """Base class: subclasses define ``build``, ``forward``, ``backward`` and
    ``config`` (the constructor's keywords, for :meth:`Sequential.save`)."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}  # state that is saved but not trained
        self.in_features = self.out_features = None

    def build(self, in_features: int, rng: np.random.Generator, dtype) -> int:
        """Create the parameters for ``in_features`` inputs; return the output width."""
        self.in_features = self.out_features = in_features
        return in_features

    def forward(self, x, training=False):
        """The layer's output for the batch ``x``; ``training`` switches dropout and batch statistics."""
        raise NotImplementedError

    def backward(self, dout):
        """dL/dx for the upstream gradient ``dout`` of the last forward; stores the parameters'
        gradients in ``grads``."""
        raise NotImplementedError

    def config(self) -> dict:
        """The constructor's keywords that rebuild this layer (what :meth:`Sequential.save` stores)."""
        return {}

    def _features(self, what, value, expected):
        if expected is not None and value != expected:
            raise ValueError(f"{type(self).__name__}: {what} has {value} features, expected {expected}")

    def __repr__(self):
        kw = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({kw})"

    def label(self) -> str:
        """A short description for :meth:`Sequential.summary`: "Dense 2 -> 32, gelu"."""
        c = self.config()
        head = type(self).__name__
        if "in_features" in c and "out_features" in c:
            head += f" {c.pop('in_features')} -> {c.pop('out_features')}"
        act = c.pop("activation", None)
        bits = []
        if act is not None:
            name, params = (act["name"], act.get("params") or {}) if isinstance(act, dict) else (act, {})
            bits.append(name + (f"({', '.join(f'{k}={v}' for k, v in params.items())})" if params else ""))
        bits += [f"{k}={v}" for k, v in c.items() if (k, v) not in _QUIET]
        return head + (", " + ", ".join(bits) if bits else "")


# Settings at their usual values, left out of the summary's labels.
_QUIET = {("bias", True), ("trainable", True), ("init", None), ("per_channel", False), ("axis", -1)}


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


class _ActivationMixin:
    """An actlab activation whose learnable parameters are the layer's.

    The layer keeps each learnable parameter as a live array (shape (1,) for
    a scalar) and hands its current value to the activation before every use,
    so an optimizer's in-place update takes effect, and a value the function
    does not allow (snake's alpha <= 0, say) fails with the function's message.
    """

    def _set_activation(self, activation, trainable, params):
        if activation is None:
            self.act = None
        elif isinstance(activation, _Act):
            self.act = _get(activation.name, **{**activation.params, **params})
        elif isinstance(activation, str):
            self.act = _get(activation, **params)
        else:
            raise TypeError(f"activation must be an actlab name, an actlab Activation or None, "
                            f"got {type(activation).__name__}")
        self.trainable = bool(trainable)
        self._learned = ([p for p in self.act.spec.params if p.learnable]
                         if self.act is not None and self.trainable else [])

    def _build_activation(self, features, dtype, per_channel=False):
        for p in self._learned:
            value = np.asarray(self.act.params[p.name], dtype=dtype)
            if value.ndim == 0:  # shape (1,), as torch's PReLU: 0-d arithmetic returns scalars, not arrays
                value = np.full(features if per_channel and p.per_channel else 1, value, dtype=dtype)
            self.params[p.name] = value.copy()

    def _sync(self):
        if self._learned:
            self.act.set_params(**{p.name: self.params[p.name] for p in self._learned})

    def _act_forward(self, z, training, rng):
        self._sync()
        if self.act.spec.stochastic:
            return self.act.forward(z, training=training, rng=rng)
        return self.act.forward(z)

    def _act_backward(self, z, dout):
        self._sync()
        for p in self._learned:
            g = self.act.param_grads(z, dout)[p.name]
            self.grads[p.name] = np.asarray(g, dtype=self.params[p.name].dtype).reshape(
                self.params[p.name].shape)
        return self.act.backward(z, dout)

    def _activation_config(self):
        if self.act is None:
            return None
        fixed = {k: v for k, v in self.act.params.items() if k not in {p.name for p in self._learned}}
        return {"name": self.act.name,
                "params": {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in fixed.items()}}


class Dense(Layer, _ActivationMixin):
    """Fully connected layer y = f(x @ W + b), W of shape (in, out).

    ``activation``: an actlab name or Activation (its learnable parameters
    become this layer's unless ``trainable=False``). ``init``: a name of
    :mod:`actlab.nn.init`, a callable ``(fan_in, fan_out, rng, dtype=)``, or
    None for the one the activation calls for (:func:`actlab.nn.init.recommended`).

    >>> layer = Dense(3, 4, activation="relu")   # He-normal W, zero b
    """

    def __init__(self, in_features, out_features, activation=None, init=None, bias=True,
                 trainable=True, **activation_params):
        super().__init__()
        self.n_in = _positive_int("in_features", in_features)
        self.n_out = _positive_int("out_features", out_features)
        self._set_activation(activation, trainable, activation_params)
        self.init = init
        self._init = _init.resolve(init, self.act)
        self.bias = bool(bias)

    def build(self, in_features, rng, dtype):
        self._features("its input", in_features, self.n_in)
        self.in_features, self.out_features = self.n_in, self.n_out
        self.params["W"] = np.asarray(self._init(self.n_in, self.n_out, rng, dtype=dtype), dtype=dtype)
        if self.bias:
            self.params["b"] = np.zeros(self.n_out, dtype=dtype)
        self._build_activation(self.n_out, dtype)
        if self.act is not None:
            self.out_features = self.act.forward(np.zeros((1, self.n_out), dtype)).shape[-1]
        return self.out_features

    def forward(self, x, training=False, rng=None):
        self._x = x
        z = x @ self.params["W"]
        if self.bias:
            z += self.params["b"]
        if self.act is None:
            return z
        self._z = z
        return self._act_forward(z, training, rng)

    def backward(self, dout):
        dz = dout if self.act is None else self._act_backward(self._z, dout)
        self.grads["W"] = self._x.T @ dz
        if self.bias:
            self.grads["b"] = dz.sum(axis=0)
        return dz @ self.params["W"].T

    def config(self):
        return {"in_features": self.n_in, "out_features": self.n_out,
                "activation": self._activation_config(), "bias": self.bias,
                "trainable": self.trainable, "init": self.init if isinstance(self.init, str) else None}


class Activation(Layer, _ActivationMixin):
    """An actlab activation as a layer of its own: ``Activation("prelu")``.

    Learnable parameters are trained (one per feature with ``per_channel=True``
    where the function allows it); stochastic functions draw noise from the
    model's generator in training and are deterministic in eval mode;
    vector-valued ones (softmax, glu, maxout...) act along the feature axis
    with their exact VJP.

    >>> layer = Activation("prelu", per_channel=True, alpha=0.1)
    """

    def __init__(self, activation, per_channel=False, trainable=True, **params):
        super().__init__()
        self._set_activation(activation, trainable, params)
        if self.act is None:
            raise TypeError("Activation needs an actlab name or Activation, got None")
        self.per_channel = bool(per_channel)
        if self.per_channel and not any(p.per_channel for p in self._learned):
            raise ValueError(f"{self.act.name} has no per-channel learnable parameter "
                             f"(per_channel=True needs one, as prelu's alpha)")

    def build(self, in_features, rng, dtype):
        self.in_features = in_features
        self._build_activation(in_features, dtype, self.per_channel)
        self._sync()
        self.out_features = self.act.forward(np.zeros((1, in_features), dtype)).shape[-1]
        return self.out_features

    def forward(self, x, training=False, rng=None):
        self._z = x
        return self._act_forward(x, training, rng)

    def backward(self, dout):
        return self._act_backward(self._z, dout)

    def config(self):
        c = self._activation_config()
        return {"activation": c["name"], "per_channel": self.per_channel, "trainable": self.trainable,
                **c["params"]}


class Dropout(Layer):
    """Inverted dropout: in training each unit is zeroed with probability
    ``rate`` and the rest scaled by 1/(1 - rate); the identity in eval mode.
    The mask comes from the model's seeded generator.

    >>> layer = Dropout(0.2)
    """

    def __init__(self, rate=0.5):
        super().__init__()
        self.act = _get("dropout", rate=rate)
        self.rate = float(rate)

    def forward(self, x, training=False, rng=None):
        self._x = x
        return self.act.forward(x, training=training, rng=rng)

    def backward(self, dout):
        return self.act.backward(self._x, dout)

    def config(self):
        return {"rate": self.rate}


class _Normalization(Layer):
    """gamma * x_hat + beta, with x_hat normalized along ``axis``."""

    axis = 0

    def __init__(self, features, eps=1e-5):
        super().__init__()
        self.features = _positive_int("features", features)
        if not eps > 0:
            raise ValueError(f"eps must be a positive number, got {eps!r}")
        self.eps = float(eps)

    def build(self, in_features, rng, dtype):
        self._features("its input", in_features, self.features)
        self.params["gamma"] = np.ones(self.features, dtype=dtype)
        self.params["beta"] = np.zeros(self.features, dtype=dtype)
        return super().build(in_features, rng, dtype)

    def _normalize(self, x, mean, var):
        self._inv_std = 1.0 / np.sqrt(var + self.eps)
        self._xhat = (x - mean) * self._inv_std
        return self._xhat * self.params["gamma"] + self.params["beta"]

    def backward(self, dout):
        # d x_hat, then the VJP of (x - mean) / std with both statistics of the batch
        dxhat = dout * self.params["gamma"]
        self.grads["gamma"] = (dout * self._xhat).sum(axis=0)
        self.grads["beta"] = dout.sum(axis=0)
        if self._batch_stats:
            ax = self.axis
            dxhat = dxhat - dxhat.mean(axis=ax, keepdims=True) - self._xhat * (
                dxhat * self._xhat).mean(axis=ax, keepdims=True)
        return dxhat * self._inv_std


class BatchNorm(_Normalization):
    """Batch normalization over the batch axis (PyTorch's BatchNorm1d).

    Training normalizes by the batch mean and biased variance and updates
    running_mean/running_var as ``(1 - momentum) * running + momentum * batch``
    (the running variance takes the unbiased batch variance); eval mode
    normalizes by the running statistics.

    >>> layer = BatchNorm(128, momentum=0.1, eps=1e-5)
    """

    def __init__(self, features, momentum=0.1, eps=1e-5):
        super().__init__(features, eps)
        if not 0 <= momentum <= 1:
            raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)

    def build(self, in_features, rng, dtype):
        self.buffers["running_mean"] = np.zeros(self.features, dtype=dtype)
        self.buffers["running_var"] = np.ones(self.features, dtype=dtype)
        return super().build(in_features, rng, dtype)

    def forward(self, x, training=False, rng=None):
        self._batch_stats = training
        if not training:
            return self._normalize(x, self.buffers["running_mean"], self.buffers["running_var"])
        n = x.shape[0]
        if n < 2:
            raise ValueError(f"BatchNorm in training needs a batch of at least 2 samples, got {n}")
        mean, var = x.mean(axis=0), x.var(axis=0)
        m = self.momentum
        self.buffers["running_mean"][...] = (1 - m) * self.buffers["running_mean"] + m * mean
        self.buffers["running_var"][...] = (1 - m) * self.buffers["running_var"] + m * var * (n / (n - 1))
        return self._normalize(x, mean, var)

    def config(self):
        return {"features": self.features, "momentum": self.momentum, "eps": self.eps}


class LayerNorm(_Normalization):
    """Layer normalization over the features of each sample (PyTorch's
    LayerNorm(features)), with an elementwise gamma and beta.

    >>> layer = LayerNorm(64)
    """

    axis = -1

    def forward(self, x, training=False, rng=None):
        self._batch_stats = True
        return self._normalize(x, x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True))

    def config(self):
        return {"features": self.features, "eps": self.eps}


def _sigmoid(x):
    return 0.5 + 0.5 * np.tanh(0.5 * x)  # no overflow for large |x|


class NAC(Layer):
    """Neural accumulator (Trask et al. 2018): y = x @ W with
    W = tanh(W_hat) * sigmoid(M_hat), which biases W towards -1, 0 and 1, so
    the layer learns sums and differences that extrapolate.

    >>> layer = NAC(2, 1)
    """

    def __init__(self, in_features, out_features, init="glorot_uniform"):
        super().__init__()
        self.n_in = _positive_int("in_features", in_features)
        self.n_out = _positive_int("out_features", out_features)
        self.init = init
        self._init = _init.resolve(init, None)

    def build(self, in_features, rng, dtype):
        self._features("its input", in_features, self.n_in)
        for k in self._weights():
            self.params[k] = np.asarray(self._init(self.n_in, self.n_out, rng, dtype=dtype), dtype=dtype)
        self.in_features, self.out_features = self.n_in, self.n_out
        return self.n_out

    def _weights(self):
        return ("W_hat", "M_hat")

    def _w(self):
        self._t, self._s = np.tanh(self.params["W_hat"]), _sigmoid(self.params["M_hat"])
        return self._t * self._s

    def _dw(self, dW):
        """dL/dW_hat and dL/dM_hat from dL/dW."""
        self.grads["W_hat"] = dW * self._s * (1 - self._t ** 2)
        self.grads["M_hat"] = dW * self._t * self._s * (1 - self._s)

    def forward(self, x, training=False, rng=None):
        self._x, self._W = x, self._w()
        return x @ self._W

    def backward(self, dout):
        self._dw(self._x.T @ dout)
        return dout @ self._W.T

    def config(self):
        return {"in_features": self.n_in, "out_features": self.n_out,
                "init": self.init if isinstance(self.init, str) else None}


class NALU(NAC):
    """Neural arithmetic logic unit (Trask et al. 2018):
    y = g * a + (1 - g) * m, with a = x @ W (a NAC), m = exp(log(|x| + eps) @ W)
    (the same W, in log space: products and quotients) and the gate
    g = sigmoid(x @ G).

    >>> layer = NALU(2, 1)
    """

    def __init__(self, in_features, out_features, init="glorot_uniform", eps=1e-7):
        super().__init__(in_features, out_features, init)
        if not eps > 0:
            raise ValueError(f"eps must be a positive number, got {eps!r}")
        self.eps = float(eps)

    def _weights(self):
        return ("W_hat", "M_hat", "G")

    def forward(self, x, training=False, rng=None):
        W = self._W = self._w()
        self._x, self._log = x, np.log(np.abs(x) + self.eps)
        self._a = x @ W
        self._m = np.exp(self._log @ W)
        self._g = _sigmoid(x @ self.params["G"])
        return self._g * self._a + (1 - self._g) * self._m

    def backward(self, dout):
        W, g, x = self._W, self._g, self._x
        dzg = dout * (self._a - self._m) * g * (1 - g)
        da = dout * g
        dlog_m = dout * (1 - g) * self._m
        self.grads["G"] = x.T @ dzg
        self._dw(x.T @ da + self._log.T @ dlog_m)
        dlog = dlog_m @ W.T
        return dzg @ self.params["G"].T + da @ W.T + dlog * np.sign(x) / (np.abs(x) + self.eps)

    def config(self):
        return {**super().config(), "eps": self.eps}


LAYERS = {cls.__name__: cls for cls in (Dense, Activation, BatchNorm, LayerNorm, Dropout, NAC, NALU)}


class Sequential:
    """Layers applied in order, built with one seeded generator and one dtype.

    ``model(x, training=False)`` is the forward pass (training=True uses batch
    statistics and dropout, and caches for backward); ``model.backward(dout)``
    returns dL/dx and fills ``model.grads``. ``model.params`` maps "i.name"
    (layer index, parameter) to the live arrays: writing into them changes
    the model, and optimizers update them in place.

    >>> model = Sequential(Dense(2, 8, activation="tanh"), Dense(8, 1), seed=0)
    >>> model(np.zeros((5, 2))).shape
    (5, 1)
    """

    def __init__(self, *layers, seed=0, dtype=np.float32):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layer {i} is a {type(layer).__name__}, not an actlab.nn layer")
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {self.dtype}")
        self.layers = list(layers)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        width = next((getattr(l, "n_in", None) or getattr(l, "features", None) for l in layers
                      if getattr(l, "n_in", None) or getattr(l, "features", None)), None)
        if width is None:
            raise ValueError("cannot infer the input width: start with a Dense, NAC, NALU or a "
                             "normalization layer")
        self.in_features = width
        for i, layer in enumerate(layers):
            try:
                width = layer.build(width, self.rng, self.dtype)
            except ValueError as e:
                raise ValueError(f"layer {i}: {e}") from None
        self.out_features = width

    # ---------------------------------------------------------------- passes
    def __call__(self, x, training=False):
        x = self._input(x)
        for layer in self.layers:
            x = layer.forward(x, training=training, rng=self.rng)
        return x

    forward = __call__

    def backward(self, dout):
        """dL/dx given dL/d(output); fills :attr:`grads`."""
        dout = np.asarray(dout, dtype=self.dtype)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def predict(self, x, batch_size=None):
        """Eval-mode outputs, computed ``batch_size`` rows at a time."""
        x = self._input(x)
        if batch_size is None or len(x) <= batch_size:
            return self(x)
        return np.concatenate([self(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])

    def _input(self, x):
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise TypeError(f"input must be a real number array, got dtype {x.dtype}")
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"input has shape {x.shape}; the model takes (batch, {self.in_features})")
        return x.astype(self.dtype, copy=False)

    # ---------------------------------------------------------------- state
    def _collect(self, attr):
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in getattr(layer, attr).items()}

    @property
    def params(self) -> dict:
        """{"i.name": live parameter array}."""
        return self._collect("params")

    @property
    def grads(self) -> dict:
        """{"i.name": gradient of the last backward}, the keys of :attr:`params`."""
        return self._collect("grads")

    @property
    def buffers(self) -> dict:
        """{"i.name": saved state that is not trained (BatchNorm's running statistics)}."""
        return self._collect("buffers")

    def n_params(self) -> int:
        """The number of trainable scalars."""
        return sum(v.size for v in self.params.values())

    def summary(self) -> str:
        """A table of the layers, their output widths and parameter counts."""
        rows = [("#", "layer", "output", "params")]
        for i, layer in enumerate(self.layers):
            rows.append((str(i), layer.label(), f"(batch, {layer.out_features})",
                         f"{sum(v.size for v in layer.params.values()):,}"))
        w = [max(len(r[c]) for r in rows) for c in range(4)]
        line = lambda r: f"{r[0]:>{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]:>{w[3]}}"
        out = [line(rows[0]), "-" * (sum(w) + 6), *map(line, rows[1:]), "-" * (sum(w) + 6),
               f"{self.n_params():,} parameters ({self.dtype}), input (batch, {self.in_features})"]
        return "\n".join(out)

    def __repr__(self):
        return "Sequential(\n" + "".join(f"  {l!r},\n" for l in self.layers) + f"  seed={self.seed!r}, dtype={self.dtype.name})"

    # ---------------------------------------------------------------- files
    def save(self, path):
        """Write architecture, parameters and buffers to one .npz file."""
        meta = {"format": FORMAT, "dtype": self.dtype.name, "seed": self.seed,
                "layers": [[type(l).__name__, l.config()] for l in self.layers]}
        arrays = {**{f"params/{k}": v for k, v in self.params.items()},
                  **{f"buffers/{k}": v for k, v in self.buffers.items()}}
        with open(path, "wb") as f:
            np.savez(f, __actlab__=np.array(json.dumps(meta)), **arrays)

    @classmethod
    def load(cls, path) -> "Sequential":
        """The model that :meth:`save` wrote to ``path``."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if "__actlab__" not in data.files:
                    raise ValueError("it has no actlab model header")
                meta = json.loads(str(data["__actlab__"]))
                arrays = {k: data[k] for k in data.files if k != "__actlab__"}
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, json.JSONDecodeError) as e:
            if isinstance(e, FileNotFoundError):
                raise
            raise ValueError(f"{path} is not an actlab model file (or it is truncated): {e}") from None
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: unknown model format {meta.get('format')!r} (this actlab reads {FORMAT!r})")
        layers = []
        for name, config in meta["layers"]:
            if name not in LAYERS:
                close = difflib.get_close_matches(name, LAYERS, 1)
                raise ValueError(f"{path}: unknown layer {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            init = config.get("init")
            if name == "Dense":
                act = config.pop("activation", None)
                config.update(activation=act and act["name"], **((act or {}).get("params") or {}))
                config["init"] = "zeros"  # the weights come from the file: draw nothing
            layer = LAYERS[name](**config)
            if "init" in config:
                layer.init = init         # the file's setting, kept for the next save
            layers.append(layer)
        model = cls(*layers, seed=meta["seed"], dtype=meta["dtype"])
        for kind in ("params", "buffers"):
            target = getattr(model, kind)
            stored = {k.split("/", 1)[1]: v for k, v in arrays.items() if k.startswith(kind + "/")}
            if set(stored) != set(target):
                raise ValueError(f"{path}: {kind} {sorted(stored)} do not match the architecture's {sorted(target)}")
            for k, v in stored.items():
                if v.shape != target[k].shape:
                    raise ValueError(f"{path}: {kind} {k} has shape {v.shape}, the architecture needs {target[k].shape}")
                target[k][...] = v
        return model
