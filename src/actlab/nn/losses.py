"""Loss functions for :mod:`actlab.nn`: each returns ``(value, grad)``.

``value`` is a Python float, the mean over the batch as PyTorch's
``reduction="mean"``; ``grad`` is dL/d(input), same shape and dtype as the
predictions/logits (integer or bool inputs give float64).  The arithmetic runs
in float64 and the gradient is cast back.  Inputs must be finite (a NaN or inf
usually means training diverged); bad shapes or labels raise ValueError saying
what is allowed.

>>> import numpy as np
>>> from actlab.nn import losses
>>> loss, g = losses.cross_entropy(np.array([[2.0, 0.0], [0.0, 2.0]]), np.array([0, 1]))
>>> round(loss, 6), g.shape
(0.126928, (2, 2))
"""

from __future__ import annotations

import difflib

import numpy as np

__all__ = ["mse", "binary_cross_entropy", "cross_entropy", "accuracy", "get", "names"]


def _array(x, what):
    """x as an array plus the dtype the gradient gets (floats keep theirs)."""
    if not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except Exception:
            raise TypeError(f"{what} must be a real number array; got {type(x).__name__}") from None
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be a real number array; got dtype {x.dtype}")
    out = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    x64 = x.astype(np.float64, copy=False)
    if x64.size and not np.isfinite(x64).all():
        bad = "NaN" if np.isnan(x64).any() else "inf"
        raise ValueError(f"{what} contains {bad}; a loss needs finite values "
                         "(NaN/inf in predictions usually means training diverged: lower the learning rate)")
    return x64, out


def _same_shape(a, b, an, bn):
    if a.shape != b.shape:
        raise ValueError(f"{bn} must have the shape of {an} {a.shape}; got {b.shape} "
                         "(no broadcasting: it usually hides a (N,) vs (N, 1) mistake)")
    if a.size == 0:
        raise ValueError(f"{an} is empty; a mean over an empty batch is undefined")


def mse(pred, target):
    """Mean squared error over all elements (torch ``MSELoss(reduction="mean")``).

    L = mean((p - t)^2),  dL/dp = 2 (p - t) / p.size.

    >>> mse(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    (2.0, array([0., 2.]))
    """
    p, dt = _array(pred, "pred")
    t, _ = _array(target, "target")
    _same_shape(p, t, "pred", "target")
    d = p - t
    return float(np.mean(d * d)), (d * (2.0 / d.size)).astype(dt, copy=False)


def _sigmoid(x):
    e = np.exp(-np.abs(x))                 # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def binary_cross_entropy(logits, targets):
    """Binary cross-entropy from logits (torch ``BCEWithLogitsLoss``), mean over all elements.

    L = mean(max(x, 0) - x t + log1p(exp(-|x|))),  dL/dx = (sigmoid(x) - t) / x.size;
    the rearranged form is exact and stable for |x| up to the float range.
    ``targets`` are in [0, 1] (labels or probabilities), shaped as ``logits``.

    >>> v, g = binary_cross_entropy(np.array([1e4, -1e4]), np.array([1, 0]))
    >>> v, g
    (0.0, array([0., 0.]))
    """
    x, dt = _array(logits, "logits")
    t, _ = _array(targets, "targets")
    _same_shape(x, t, "logits", "targets")
    if ((t < 0) | (t > 1)).any():
        raise ValueError(f"targets must lie in [0, 1] (labels or probabilities); got values in "
                         f"[{t.min():g}, {t.max():g}]")
    value = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x))))
    return float(value), ((_sigmoid(x) - t) / x.size).astype(dt, copy=False)


def _log_softmax(x):
    z = x - x.max(axis=1, keepdims=True)   # shift: exp never overflows
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _targets(labels, n, c):
    """Probability targets (N, C) from class indices (N,) or (N, C) targets."""
    if not isinstance(labels, np.ndarray):
        labels = np.asarray(labels)
    if labels.dtype.kind not in "biuf":
        raise TypeError(f"labels must be integer class indices or an (N, C) array; got dtype {labels.dtype}")
    if labels.shape == (n, c):
        t, _ = _array(labels, "targets")
        if ((t < 0) | (t > 1)).any():
            raise ValueError("probability targets (N, C) must lie in [0, 1]; got values in "
                             f"[{t.min():g}, {t.max():g}]")
        return t
    if labels.shape != (n,):
        raise ValueError(f"labels must be class indices of shape (N,) = ({n},) or targets of shape "
                         f"(N, C) = {(n, c)}; got {labels.shape}")
    lab = labels
    if lab.dtype.kind == "f":            # float labels are fine if they hold whole numbers
        ok = np.isfinite(lab) & (lab == np.round(lab))
        if not ok.all():
            i = int(np.argmin(ok))
            raise ValueError(f"labels must be integer class indices in [0, {c}); got {float(lab[i])!r} at index {i}")
    lab = lab.astype(np.int64)
    bad = (lab < 0) | (lab >= c)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"labels must be class indices in [0, {c}) for {c} classes; got {lab[i]} at index {i}")
    t = np.zeros((n, c))
    t[np.arange(n), lab] = 1.0
    return t


def cross_entropy(logits, labels):
    """Softmax cross-entropy from logits (torch ``CrossEntropyLoss``), mean over the batch.

    ``logits`` (N, C); ``labels`` class indices (N,) or probability targets (N, C).
    L = -sum(t * log_softmax(x)) / N,
    dL/dx = (softmax(x) * sum_c t - t) / N   (= (softmax - onehot) / N for labels).

    >>> v, g = cross_entropy(np.array([[1e4, 0.0]]), np.array([1]))
    >>> v
    10000.0
    """
    x, dt = _array(logits, "logits")
    if x.ndim != 2:
        raise ValueError(f"logits must be 2-D (N, C): one row of class scores per sample; got shape {x.shape}")
    n, c = x.shape
    if n == 0 or c == 0:
        raise ValueError(f"logits must have N >= 1 samples and C >= 1 classes; got shape {x.shape}")
    t = _targets(labels, n, c)
    ls = _log_softmax(x)
    value = -np.sum(t * ls) / n
    grad = (np.exp(ls) * t.sum(axis=1, keepdims=True) - t) / n
    return float(value), grad.astype(dt, copy=False)


def accuracy(logits, labels):
    """Fraction of correct predictions: argmax over classes for (N, C>1) logits,
    ``logit > 0`` for binary logits ((N,) or (N, 1)); labels are indices, 0/1, or
    (N, C) targets (their argmax; >= 0.5 for binary).

    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
    0.5
    """
    x, _ = _array(logits, "logits")
    y = np.asarray(labels)
    if x.ndim == 2 and x.shape[1] > 1:
        pred = x.argmax(axis=1)
        y = y.argmax(axis=1) if y.shape == x.shape else y.reshape(-1)
    else:
        pred = (x > 0).reshape(-1)
        y = (y.astype(np.float64) >= 0.5).reshape(-1)
    if pred.shape != y.shape:
        raise ValueError(f"labels must match the logits' {pred.shape[0]} samples; got shape {np.shape(labels)}")
    if pred.size == 0:
        raise ValueError("accuracy of an empty batch is undefined")
    return float(np.mean(pred == y))


_LOSSES = {"mse": mse, "binary_cross_entropy": binary_cross_entropy, "cross_entropy": cross_entropy}
_ALIASES = {"mean_squared_error": "mse", "l2": "mse", "bce": "binary_cross_entropy",
            "bce_with_logits": "binary_cross_entropy", "binary_crossentropy": "binary_cross_entropy",
            "ce": "cross_entropy", "categorical_crossentropy": "cross_entropy",
            "sparse_categorical_crossentropy": "cross_entropy", "softmax_cross_entropy": "cross_entropy"}


def names():
    """The loss names :func:`get` accepts (aliases included)."""
    return sorted(_LOSSES) + sorted(_ALIASES)


def get(name):
    """The loss function called ``name`` (or an alias: bce, ce, ...); a callable is returned as is.

    >>> get("bce") is binary_cross_entropy
    True
    """
    if callable(name):
        return name
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name or a callable; got {type(name).__name__}")
    key = _ALIASES.get(name.lower(), name.lower())
    if key in _LOSSES:
        return _LOSSES[key]
    close = difflib.get_close_matches(name.lower(), names(), n=3)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"unknown loss {name!r}{hint} (losses: {', '.join(names())})")
