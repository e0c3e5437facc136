"""Weight initializers for :mod:`actlab.nn`.

Every initializer has the signature ``fn(fan_in, fan_out, rng, *, dtype=np.float64,
**options) -> ndarray`` of shape ``(fan_in, fan_out)``: the layers compute
``y = x @ W + b``, so ``W`` is (in, out).  ``rng`` is a :class:`numpy.random.Generator`
(an int seed is accepted too).  Samples are drawn in float64 and then cast, so a
float32 model gets the same weights as a float64 one, rounded.

>>> import numpy as np
>>> from actlab.nn import init
>>> W = init.he_normal(256, 128, np.random.default_rng(0))
>>> W.shape
(256, 128)
>>> init.resolve(None, "selu") is init.lecun_normal
True

Scales (``fan`` is ``fan_in`` unless ``mode="fan_out"``):

=================  ==========================================================
glorot_normal      std   = gain * sqrt(2 / (fan_in + fan_out))
glorot_uniform     limit = gain * sqrt(6 / (fan_in + fan_out))
he_normal          std   = gain / sqrt(fan),   gain = sqrt(2) by default
he_uniform         limit = gain * sqrt(3 / fan)
lecun_normal       std   = gain / sqrt(fan_in), gain = 1
lecun_uniform      limit = gain * sqrt(3 / fan_in)
=================  ==========================================================

``truncated=True`` (normal-based ones) draws from N(0, s^2) truncated to
[-2 s, 2 s] with ``s = std / 0.87962566103423978``: that constant is the std of
a standard normal truncated to [-2, 2], so the variance is exactly ``std**2``
(the Keras ``VarianceScaling`` convention); every |w| <= 2 s = 2.2737 std.
"""

from __future__ import annotations

import difflib
import functools
import math
import numbers

import numpy as np

__all__ = [
    "zeros", "constant", "normal", "uniform", "truncated_normal",
    "glorot_normal", "glorot_uniform", "xavier_normal", "xavier_uniform",
    "he_normal", "he_uniform", "kaiming_normal", "kaiming_uniform",
    "lecun_normal", "lecun_uniform", "orthogonal",
    "gain", "recommended", "resolve", "names", "TRUNC_STD",
]

#: Std of a standard normal truncated to [-2, 2]: sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)).
TRUNC_STD = 0.87962566103423978


# ----------------------------------------------------------------- validation
def _fans(fan_in, fan_out):
    for name, v in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be a positive integer; got {v!r} ({type(v).__name__})")
        if v < 1:
            raise ValueError(f"{name} must be a positive integer (>= 1); got {v}")
    return int(fan_in), int(fan_out)


def _rng(rng):
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)) or an int seed; "
                    f"got {type(rng).__name__}")


def _dtype(dtype):
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float16, float32 or float64; got {dtype!r}") from None
    if dt not in (np.float16, np.float32, np.float64):
        raise TypeError(f"dtype must be float16, float32 or float64; got {dt}")
    return dt


def _nonneg(name, v):
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {v!r}")
    return float(v)


def _mode_fan(mode, fan_in, fan_out):
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"mode must be 'fan_in' or 'fan_out'; got {mode!r}")


def _gain_value(g, default):
    """``gain=`` may be a number, or an activation (name/object) whose gain() is used."""
    if g is None:
        return default
    if isinstance(g, numbers.Real) and not isinstance(g, bool):
        return _nonneg("gain", g)
    return gain(g)


# ------------------------------------------------------------------- samplers
def _normal(shape, rng, std, truncated):
    if not truncated:
        return rng.standard_normal(shape) * std
    # Rejection: redraw the entries outside [-2, 2]; about 4.6% per round.
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return z * (std / TRUNC_STD)


def _uniform(shape, rng, limit):
    return rng.uniform(-limit, limit, size=shape)


# --------------------------------------------------------------- initializers
def zeros(fan_in, fan_out, rng=None, *, dtype=np.float64):
    """All zeros (``rng`` is unused).

    >>> zeros(2, 3, None).shape
    (2, 3)
    """
    return np.zeros(_fans(fan_in, fan_out), dtype=_dtype(dtype))


def constant(fan_in, fan_out, rng=None, *, value=0.0, dtype=np.float64):
    """Every entry ``value`` (``rng`` is unused).

    >>> float(constant(2, 2, None, value=0.5)[1, 1])
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"value must be a finite real number; got {value!r}")
    return np.full(_fans(fan_in, fan_out), float(value), dtype=_dtype(dtype))


def normal(fan_in, fan_out, rng, *, std=0.05, mean=0.0, truncated=False, dtype=np.float64):
    """W ~ N(mean, std^2) (Keras RandomNormal's default std 0.05); ``truncated`` as the module doc.

    >>> W = normal(100, 100, np.random.default_rng(0), std=0.1)
    """
    shape = _fans(fan_in, fan_out)
    std = _nonneg("std", std)
    if isinstance(mean, bool) or not isinstance(mean, numbers.Real) or not math.isfinite(mean):
        raise ValueError(f"mean must be a finite real number; got {mean!r}")
    return (_normal(shape, _rng(rng), std, truncated) + mean).astype(_dtype(dtype))


def truncated_normal(fan_in, fan_out, rng, *, std=0.05, mean=0.0, dtype=np.float64):
    """``normal(..., truncated=True)``: variance exactly std^2, |w - mean| <= 2 std / 0.8796.

    >>> W = truncated_normal(100, 100, np.random.default_rng(0), std=0.1)
    >>> bool(abs(W).max() <= 2 * 0.1 / TRUNC_STD)
    True
    """
    return normal(fan_in, fan_out, rng, std=std, mean=mean, truncated=True, dtype=dtype)


def uniform(fan_in, fan_out, rng, *, limit=0.05, dtype=np.float64):
    """W ~ U(-limit, limit), variance limit^2 / 3 (Keras RandomUniform's default 0.05).

    >>> W = uniform(10, 10, np.random.default_rng(0), limit=0.5)
    """
    shape = _fans(fan_in, fan_out)
    return _uniform(shape, _rng(rng), _nonneg("limit", limit)).astype(_dtype(dtype))


def glorot_normal(fan_in, fan_out, rng, *, gain=1.0, truncated=False, dtype=np.float64):
    """Glorot & Bengio (2010): std = gain * sqrt(2 / (fan_in + fan_out)).

    >>> W = glorot_normal(64, 32, np.random.default_rng(0))
    """
    fi, fo = _fans(fan_in, fan_out)
    std = _gain_value(gain, 1.0) * math.sqrt(2.0 / (fi + fo))
    return _normal((fi, fo), _rng(rng), std, truncated).astype(_dtype(dtype))


def glorot_uniform(fan_in, fan_out, rng, *, gain=1.0, dtype=np.float64):
    """Glorot & Bengio (2010): U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).

    >>> W = glorot_uniform(64, 32, np.random.default_rng(0), gain="tanh")
    """
    fi, fo = _fans(fan_in, fan_out)
    limit = _gain_value(gain, 1.0) * math.sqrt(6.0 / (fi + fo))
    return _uniform((fi, fo), _rng(rng), limit).astype(_dtype(dtype))


def he_normal(fan_in, fan_out, rng, *, gain=None, mode="fan_in", truncated=False,
              dtype=np.float64):
    """He et al. (2015): std = gain / sqrt(fan); gain defaults to sqrt(2) (ReLU).

    ``gain`` may be a number or an activation (``"leaky_relu"``, ``al.get(...)``),
    whose :func:`gain` is used; ``mode`` is ``"fan_in"`` (forward) or ``"fan_out"``.

    >>> W = he_normal(64, 32, np.random.default_rng(0), gain="leaky_relu", mode="fan_out")
    """
    fi, fo = _fans(fan_in, fan_out)
    std = _gain_value(gain, math.sqrt(2.0)) / math.sqrt(_mode_fan(mode, fi, fo))
    return _normal((fi, fo), _rng(rng), std, truncated).astype(_dtype(dtype))


def he_uniform(fan_in, fan_out, rng, *, gain=None, mode="fan_in", dtype=np.float64):
    """He et al. (2015): U(-a, a), a = gain * sqrt(3 / fan); gain defaults to sqrt(2).

    >>> W = he_uniform(64, 32, np.random.default_rng(0))
    """
    fi, fo = _fans(fan_in, fan_out)
    limit = _gain_value(gain, math.sqrt(2.0)) * math.sqrt(3.0 / _mode_fan(mode, fi, fo))
    return _uniform((fi, fo), _rng(rng), limit).astype(_dtype(dtype))


def lecun_normal(fan_in, fan_out, rng, *, gain=1.0, truncated=False, dtype=np.float64):
    """LeCun et al. (1998), the SELU init: std = gain / sqrt(fan_in).

    >>> W = lecun_normal(64, 32, np.random.default_rng(0))
    """
    fi, fo = _fans(fan_in, fan_out)
    std = _gain_value(gain, 1.0) / math.sqrt(fi)
    return _normal((fi, fo), _rng(rng), std, truncated).astype(_dtype(dtype))


def lecun_uniform(fan_in, fan_out, rng, *, gain=1.0, dtype=np.float64):
    """LeCun: U(-a, a), a = gain * sqrt(3 / fan_in).

    >>> W = lecun_uniform(64, 32, np.random.default_rng(0))
    """
    fi, fo = _fans(fan_in, fan_out)
    limit = _gain_value(gain, 1.0) * math.sqrt(3.0 / fi)
    return _uniform((fi, fo), _rng(rng), limit).astype(_dtype(dtype))


def orthogonal(fan_in, fan_out, rng, *, gain=1.0, dtype=np.float64):
    """Saxe et al. (2013): a (semi-)orthogonal matrix times ``gain``.

    W^T W = gain^2 I when fan_in >= fan_out, else W W^T = gain^2 I.  Q of the QR
    of a Gaussian matrix, columns signed by diag(R) so Q is Haar-uniform (as torch).

    >>> W = orthogonal(5, 3, np.random.default_rng(0))
    >>> bool(np.allclose(W.T @ W, np.eye(3)))
    True
    """
    fi, fo = _fans(fan_in, fan_out)
    g = _gain_value(gain, 1.0)
    a = _rng(rng).standard_normal((max(fi, fo), min(fi, fo)))
    q, r = np.linalg.qr(a)
    q *= np.where(np.diag(r) < 0, -1.0, 1.0)  # sign(0) -> 1 keeps the column
    if fi < fo:
        q = q.T
    return (g * q).astype(_dtype(dtype))


xavier_normal, xavier_uniform = glorot_normal, glorot_uniform
kaiming_normal, kaiming_uniform = he_normal, he_uniform

_INITS = {
    "zeros": zeros, "constant": constant, "normal": normal, "uniform": uniform,
    "truncated_normal": truncated_normal, "glorot_normal": glorot_normal,
    "glorot_uniform": glorot_uniform, "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform, "he_normal": he_normal, "he_uniform": he_uniform,
    "kaiming_normal": kaiming_normal, "kaiming_uniform": kaiming_uniform,
    "lecun_normal": lecun_normal, "lecun_uniform": lecun_uniform, "orthogonal": orthogonal,
}
_HE = {he_normal, he_uniform}


def names():
    """The initializer names :func:`resolve` accepts (aliases included)."""
    return sorted(_INITS)


# --------------------------------------------------------- activation helpers
def _activation(activation, params=None):
    """(canonical name, params) of None, an actlab name, or an Activation-like object."""
    if activation is None:
        return "identity", {}
    if isinstance(activation, str):
        import actlab as al
        try:
            act = al.get(activation, **(params or {}))
        except (KeyError, ValueError) as e:
            raise ValueError(f"unknown activation {activation!r}: {e}") from None
        return act.name, dict(act.params)
    name = getattr(activation, "name", None)
    if not isinstance(name, str):
        raise TypeError("activation must be None, an actlab name or an Activation object; "
                        f"got {type(activation).__name__}")
    return name, dict(getattr(activation, "params", {}) or {})


_LINEAR_GAIN = {"identity", "sigmoid", "conv1d", "conv2d", "conv3d",
                "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"}


def gain(activation=None, **params):
    """The variance gain of ``activation``, as :func:`torch.nn.init.calculate_gain`.

    identity/linear 1, sigmoid 1, tanh 5/3, relu sqrt(2), selu 3/4, leaky_relu
    sqrt(2 / (1 + alpha^2)) with the activation's alpha (also prelu, and rrelu with
    its mean slope (lower + upper) / 2).  Beyond torch's list: sqrt(2) for the other
    activations :func:`recommended` gives He (ReLU-like: half the input is damped),
    1 for everything else.  ``params`` go to ``al.get`` with a name.

    >>> round(gain("leaky_relu", alpha=0.2), 6)
    1.38675
    """
    if isinstance(activation, str) and activation in _LINEAR_GAIN:
        return 1.0
    name, p = _activation(activation, params)
    if name in _LINEAR_GAIN:
        return 1.0
    if name == "tanh":
        return 5.0 / 3
    if name == "selu":
        return 3.0 / 4
    slope = {"leaky_relu": p.get("alpha"), "prelu": p.get("alpha")}.get(name)
    if name == "rrelu" and "lower" in p and "upper" in p:
        slope = (p["lower"] + p["upper"]) / 2
    if slope is not None and np.ndim(slope) == 0:   # a learnable per-channel alpha: use sqrt 2
        return math.sqrt(2.0 / (1.0 + float(slope) ** 2))
    return math.sqrt(2.0) if _family(name) == "he" else 1.0


# Groups of actlab's catalog that behave like a rectifier (one side ~0 or small,
# the other ~x): the He argument (half the variance is lost) applies to them.
_HE_GROUPS = {"rectifier", "smooth rectifier", "smooth gated", "exponential"}
_HE_NAMES = {"hard_swish", "hard_elish"}        # "hard gate" group, but ReLU-shaped
_NOT_HE = {"exponential", "selu"}              # exp(x) is no rectifier; selu -> lecun
_LECUN = {"selu"}                              # self-normalizing


def _family(name):
    if name in _LECUN:
        return "lecun"
    if name in _HE_NAMES:
        return "he"
    try:
        import actlab as al
        group = al.get(name).info.group
    except Exception:  # a custom object with an unknown name: no He argument known
        return "glorot"
    return "he" if group in _HE_GROUPS and name not in _NOT_HE else "glorot"


def recommended(activation=None):
    """The initializer name ``Dense`` uses for ``activation`` by default.

    Rule: ``"lecun_normal"`` for self-normalizing selu; ``"he_normal"`` for the
    activations whose catalog group is rectifier, smooth rectifier, smooth gated
    or exponential (relu, leaky_relu, prelu, rrelu, relu6, elu, celu, gelu, silu,
    mish, softplus, ...) and for hard_swish/hard_elish; ``"glorot_uniform"`` for
    everything else (identity/None, tanh, sigmoid, softsign, the oscillating,
    radial and normalizing ones, exp).

    >>> recommended("gelu"), recommended("selu"), recommended(None)
    ('he_normal', 'lecun_normal', 'glorot_uniform')
    """
    name, _ = _activation(activation)
    return {"he": "he_normal", "lecun": "lecun_normal"}.get(_family(name), "glorot_uniform")


def resolve(init, activation=None, **options):
    """A callable ``(fan_in, fan_out, rng, dtype=) -> W`` for ``init``.

    ``init`` is None (:func:`recommended` for the activation), a name from
    :func:`names`, or a callable (returned wrapped, its shape checked).  He
    initializers get ``gain=gain(activation)`` when an activation is given (the
    He default sqrt(2) otherwise); ``options`` override or add keywords.

    >>> f = resolve(None, "leaky_relu")
    >>> f(4, 3, np.random.default_rng(0)).shape
    (4, 3)
    """
    if init is None:
        init = recommended(activation)
    if isinstance(init, str):
        fn = _INITS.get(init.lower())
        if fn is None:
            close = difflib.get_close_matches(init.lower(), _INITS, n=3)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise ValueError(f"unknown initializer {init!r}{hint} (initializers: {', '.join(names())})")
        if fn in _HE and activation is not None and "gain" not in options:
            options["gain"] = gain(activation)
        return functools.partial(fn, **options) if options else fn
    if callable(init):
        @functools.wraps(init)
        def checked(fan_in, fan_out, rng, *, dtype=np.float64):
            W = np.asarray(init(fan_in, fan_out, rng, dtype=dtype, **options))
            if W.shape != (fan_in, fan_out):
                raise ValueError(f"initializer {getattr(init, '__name__', init)!r} returned shape "
                                 f"{W.shape}; expected (fan_in, fan_out) = {(fan_in, fan_out)}")
            return W.astype(_dtype(dtype), copy=False)
        return checked
    raise TypeError(f"init must be None, an initializer name or a callable; got {type(init).__name__}")
