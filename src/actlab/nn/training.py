"""Training loops: :func:`fit`, :func:`evaluate`, :class:`History` and callbacks."""

from __future__ import annotations

import difflib
import math
import sys
import time
from collections.abc import Callable, Mapping

import numpy as np

from . import losses as _losses
from . import optim as _optim
from .layers import Sequential

__all__ = ["fit", "evaluate", "History", "Callback", "EarlyStopping", "TrainingError"]

_METRICS = {"accuracy": _losses.accuracy}
_CLASSIFICATION = (_losses.cross_entropy, _losses.binary_cross_entropy)


class TrainingError(FloatingPointError):
    """Training diverged; ``.history`` holds the epochs completed before it did."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


class History:
    """Per-epoch losses and metrics of a :func:`fit`.

    ``history["loss"]``, ``history["val_accuracy"]``... are lists with one value
    per completed epoch (train metrics are means over the epoch's batches in
    training mode, validation ones are computed in eval mode at its end);
    ``times`` holds each epoch's wall time in seconds.

    >>> h = History(); h.append(0.5, {"loss": 1.0}); h["loss"], h.epochs
    ([1.0], 1)
    """

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.times: list[float] = []
        self.stopped_early = False

    def append(self, seconds, logs):
        """Record one epoch: its wall time and {metric: value}."""
        self.times.append(float(seconds))
        for k, v in logs.items():
            self.history.setdefault(k, []).append(float(v))

    def __getitem__(self, key):
        try:
            return self.history[key]
        except KeyError:
            raise KeyError(f"no metric {key!r} in this history; it has {sorted(self.history)}") from None

    def __contains__(self, key):
        return key in self.history

    @property
    def epochs(self) -> int:
        """The number of completed epochs."""
        return len(self.times)

    @property
    def wall_time(self) -> float:
        """Total training time in seconds."""
        return float(sum(self.times))

    def to_dict(self) -> dict:
        """{"epochs", "history": {metric: [...]}, "times", "stopped_early"}, plain JSON types."""
        return {"epochs": self.epochs, "history": {k: list(v) for k, v in self.history.items()},
                "times": list(self.times), "stopped_early": self.stopped_early}

    def plot(self, ax=None, metrics=None):
        """Draw each metric against the epoch, train and validation on one axes per metric.

        ``metrics``: the base names to draw (default all, e.g. ["loss", "accuracy"]);
        ``ax``: one Axes (draws the first metric) or a sequence, one per metric.
        Returns the matplotlib Figure. Needs matplotlib (``pip install 'actlab[plot]'``).
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - depends on the install
            raise ImportError("History.plot needs matplotlib: pip install 'actlab[plot]'") from None
        bases = [k for k in self.history if not k.startswith("val_") and k != "lr"]
        bases += [k[4:] for k in self.history if k.startswith("val_") and k[4:] not in bases]
        if metrics is not None:
            unknown = [m for m in metrics if m not in bases]
            if unknown:
                raise ValueError(f"unknown metrics {unknown}; this history has {bases}")
            bases = list(metrics)
        if not bases:
            raise ValueError("the history is empty: nothing to plot")
        if ax is None:
            fig, axes = plt.subplots(1, len(bases), figsize=(4.2 * len(bases), 3.2), squeeze=False)
            axes = list(axes[0])
        else:
            axes = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
            if len(axes) < len(bases):
                raise ValueError(f"got {len(axes)} axes for {len(bases)} metrics {bases}")
            fig = axes[0].figure
        for a, m in zip(axes, bases):
            for key, label, style in ((m, "train", "-"), ("val_" + m, "validation", "--")):
                if key in self.history:
                    v = self.history[key]
                    a.plot(range(1, len(v) + 1), v, style, label=label)
            a.set_xlabel("epoch")
            a.set_ylabel(m)
            a.legend(frameon=False)
        fig.tight_layout()
        return fig

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History(epochs={self.epochs}{', ' + last if last else ''})"


class Callback:
    """Hooks :func:`fit` calls; override what you need.

    ``on_train_begin(model, history)``, ``on_epoch_end(epoch, logs)`` (return True
    to stop training; ``epoch`` counts from 1) and ``on_train_end()``.
    """

    def on_train_begin(self, model, history):
        """Called once before the first epoch."""

    def on_epoch_end(self, epoch, logs) -> bool | None:
        """Called after each epoch with that epoch's metrics; True stops training."""
        return None

    def on_train_end(self):
        """Called once after the last epoch."""


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    ``mode`` is "min", "max" or "auto" (max for names containing "acc");
    ``restore_best`` puts the best epoch's parameters and buffers back at the end.

    >>> EarlyStopping("val_loss", patience=3)
    EarlyStopping(monitor='val_loss', patience=3, min_delta=0.0, mode='min')
    """

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, mode="auto", restore_best=True):
        if not isinstance(patience, int) or isinstance(patience, bool) or patience < 0:
            raise ValueError(f"patience must be an integer >= 0; got {patience!r}")
        if not (isinstance(min_delta, (int, float)) and min_delta >= 0):
            raise ValueError(f"min_delta must be a number >= 0; got {min_delta!r}")
        if mode not in ("min", "max", "auto"):
            raise ValueError(f"mode must be 'min', 'max' or 'auto'; got {mode!r}")
        self.monitor, self.patience, self.min_delta = monitor, patience, float(min_delta)
        self.mode = ("max" if "acc" in monitor else "min") if mode == "auto" else mode
        self.restore_best = restore_best

    def on_train_begin(self, model, history):
        self.model, self.best, self.best_epoch, self.wait, self._saved = model, None, 0, 0, None

    def on_epoch_end(self, epoch, logs):
        if self.monitor not in logs:
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, which fit does not compute; "
                             f"it has {sorted(logs)} (val_* needs validation=)")
        v = logs[self.monitor]
        better = self.best is None or (v < self.best - self.min_delta if self.mode == "min"
                                       else v > self.best + self.min_delta)
        if better:
            self.best, self.best_epoch, self.wait = v, epoch, 0
            if self.restore_best:
                self._saved = {k: a.copy() for d in (self.model.params, self.model.buffers) for k, a in d.items()}
            return False
        self.wait += 1
        return self.wait >= self.patience

    def on_train_end(self):
        if self.restore_best and self._saved is not None:
            for d in (self.model.params, self.model.buffers):
                for k, a in d.items():
                    a[...] = self._saved[k]

    def __repr__(self):
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"min_delta={self.min_delta}, mode={self.mode!r})")


# ---------------------------------------------------------------- validation
def _positive_int(name, v):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {v!r}")
    return int(v)


def _loss_fn(loss):
    if callable(loss):
        return loss
    if not isinstance(loss, str):
        raise TypeError(f"loss must be a name or a callable (pred, target) -> (value, grad); "
                        f"got {type(loss).__name__}")
    try:
        return _losses.get(loss)
    except ValueError:
        pass
    close = difflib.get_close_matches(loss.lower(), _losses.names(), n=3)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"unknown loss {loss!r}{hint} (losses: {', '.join(_losses.names())})")


def _metric_fns(metrics, loss_fn):
    if metrics is None:
        metrics = ["accuracy"] if loss_fn in _CLASSIFICATION else []
    if isinstance(metrics, (str, Callable)):
        metrics = [metrics]
    out = {}
    for m in metrics:
        if callable(m):
            out[getattr(m, "__name__", "metric")] = m
        elif m in _METRICS:
            out[m] = _METRICS[m]
        else:
            close = difflib.get_close_matches(str(m), _METRICS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown metric {m!r}{hint} (metrics: {', '.join(_METRICS)} or a callable)")
    return out


def _data(model, X, y, loss_fn, what):
    """X in the model's dtype and y shaped for the loss, checked in full before any step."""
    name = "X" if what == "training" else "validation X"
    X, y = np.asarray(X), np.asarray(y)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real number array; got dtype {X.dtype}")
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{what} y must be a real number array; got dtype {y.dtype}")
    if X.ndim != 2 or X.shape[1] != model.in_features:
        raise ValueError(f"{name} has shape {X.shape}; the model takes (N, {model.in_features})")
    if len(X) == 0:
        raise ValueError(f"the {what} set is empty (X has shape {X.shape})")
    if len(y) != len(X):
        raise ValueError(f"{what} X has {len(X)} rows but y has {len(y)}")
    for arr, n in ((X, name), (y, f"{what} y")):
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            bad = "NaN" if np.isnan(arr).any() else "inf"
            i = int(np.argmax(~np.isfinite(arr).reshape(len(arr), -1).all(axis=1)))
            raise ValueError(f"{n} contains {bad} (first in row {i}); the data must be finite")
    out = model.out_features
    if y.ndim == 1 and out == 1 and loss_fn in (_losses.mse, _losses.binary_cross_entropy):
        y = y[:, None]
    # The loss checks labels and shapes; run it on zero outputs, in chunks, so a bad
    # label anywhere in y fails now rather than in epoch 7.
    for i in range(0, len(y), 4096):
        try:
            loss_fn(np.zeros((min(4096, len(y) - i), out)), y[i:i + 4096])
        except (ValueError, TypeError) as e:
            msg = str(e)
            if i and "index" in msg:
                msg += f" (of the chunk starting at row {i})"
            raise type(e)(f"{what} y does not fit the loss and the model's {out} outputs: {msg}") from None
    return X.astype(model.dtype, copy=False), y


# ---------------------------------------------------------------- loops
def evaluate(model, X, y, loss="cross_entropy", metrics=None, batch_size=1024):
    """{"loss": ..., metric: ...} of ``model`` in eval mode on (X, y).

    >>> from actlab import nn
    >>> m = nn.Sequential(nn.Dense(2, 2), seed=0)
    >>> sorted(evaluate(m, [[0.0, 1.0]], [1]))
    ['accuracy', 'loss']
    """
    loss_fn = _loss_fn(loss)
    X, y = _data(model, X, y, loss_fn, "evaluation")
    return _evaluate(model, X, y, loss_fn, _metric_fns(metrics, loss_fn), batch_size)


def _evaluate(model, X, y, loss_fn, metric_fns, batch_size):
    pred = model.predict(X, batch_size=batch_size)
    with np.errstate(over="ignore", invalid="ignore"):
        finite = np.isfinite(pred).all()
    if not finite:
        return {"loss": math.nan, **{k: math.nan for k in metric_fns}}
    out = {"loss": loss_fn(pred, y)[0]}
    out.update({k: float(f(pred, y)) for k, f in metric_fns.items()})
    return out


def _progress(progress, total, epochs):
    if progress is None:
        progress = sys.stdout.isatty()
    if not progress:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, unit="step", file=sys.stdout, desc=f"epoch 1/{epochs}", leave=True)


def fit(model, X, y, loss="cross_entropy", optimizer="adam", epochs=10, batch_size=32,
        validation=None, seed=0, callbacks=(), progress=None, metrics=None, shuffle=True) -> History:
    """Train ``model`` on (X, y) by mini-batch gradient descent; return the :class:`History`.

    ``loss``: a name from :func:`actlab.nn.losses.names` or a callable
    ``(pred, target) -> (value, dL/dpred)``. ``optimizer``: an
    :mod:`actlab.nn.optim` optimizer on ``model.params``, or a name (built with
    its defaults). Each epoch visits the rows in an order drawn from ``seed``
    (the same seed and model give the same History, bit for bit).
    ``validation=(Xv, yv)`` adds val_loss and val_* metrics per epoch.
    ``callbacks``: :class:`Callback` objects (e.g. :class:`EarlyStopping`) and
    learning-rate schedules from :mod:`actlab.nn.optim`, stepped once per epoch.
    ``metrics``: names or callables ``(pred, target) -> float``; default
    accuracy for the classification losses. ``progress``: a bar with epoch,
    loss and metrics; None shows it only when stdout is a terminal.

    All input is checked before the first step. A loss that turns NaN or inf
    raises :class:`TrainingError` naming the epoch and step.

    >>> from actlab import nn
    >>> X, y = nn.datasets.moons(n=300, seed=0)
    >>> model = nn.Sequential(nn.Dense(2, 32, activation="relu"), nn.Dense(32, 2), seed=0)
    >>> h = fit(model, X, y, optimizer=nn.optim.Adam(model.params, lr=0.02), epochs=30, progress=False)
    >>> h["accuracy"][-1] > 0.95
    True
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be an actlab.nn.Sequential; got {type(model).__name__}")
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    loss_fn = _loss_fn(loss)
    metric_fns = _metric_fns(metrics, loss_fn)
    opt = _optim.get(optimizer, model.params) if isinstance(optimizer, str) else optimizer
    if not isinstance(opt, _optim.Optimizer):
        raise TypeError(f"optimizer must be an actlab.nn.optim optimizer or a name "
                        f"({', '.join(_optim.names())}); got {type(optimizer).__name__}")
    if set(opt.params) != set(model.params) or any(opt.params[k] is not v for k, v in model.params.items()):
        raise ValueError("the optimizer does not hold this model's parameters: build it with "
                         "optimizer(model.params, ...)")
    X, y = _data(model, X, y, loss_fn, "training")
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise ValueError("validation must be a pair (X_val, y_val)")
        Xv, yv = _data(model, *validation, loss_fn, "validation")
    callbacks = list(callbacks or ())
    schedules = [c for c in callbacks if isinstance(c, _optim._Schedule)]
    hooks = [c for c in callbacks if isinstance(c, Callback)]
    other = [c for c in callbacks if c not in schedules and c not in hooks]
    if other:
        raise TypeError(f"callbacks must be Callback objects or optim schedules; got {type(other[0]).__name__}")

    rng = np.random.default_rng(seed)
    n = len(X)
    steps = -(-n // batch_size)
    history = History()
    for c in hooks:
        c.on_train_begin(model, history)
    bar = _progress(progress, epochs * steps, epochs)
    try:
        for epoch in range(1, epochs + 1):
            t0 = time.perf_counter()
            order = rng.permutation(n) if shuffle else np.arange(n)
            total = 0.0
            sums = dict.fromkeys(metric_fns, 0.0)
            lr = opt.lr
            if bar is not None:
                bar.set_description(f"epoch {epoch}/{epochs}", refresh=False)
            for step in range(steps):
                idx = order[step * batch_size:(step + 1) * batch_size]
                xb, yb = X[idx], y[idx]
                # Overflow in a diverging step is reported below as a NaN loss with its epoch and step.
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    pred = model(xb, training=True)
                    finite = np.isfinite(pred).all()
                    value, dout = loss_fn(pred, yb) if finite else (math.nan, None)
                    if not math.isfinite(value):
                        raise TrainingError(
                            f"the loss became {'NaN' if math.isnan(value) else value} at epoch {epoch}, "
                            f"step {step + 1} of {steps} (lr {opt.lr:g}): training diverged; lower "
                            "the learning rate, clip gradients or check the data", history)
                    model.backward(dout)
                    opt.step(model.grads)
                total += value * len(idx)
                for k, f in metric_fns.items():
                    sums[k] += f(pred, yb) * len(idx)
                if bar is not None:
                    bar.update(1)
            logs = {"loss": total / n, **{k: s / n for k, s in sums.items()}}
            if validation is not None:
                logs.update({f"val_{k}": v for k, v in _evaluate(model, Xv, yv, loss_fn, metric_fns, 1024).items()})
            if schedules:
                logs["lr"] = lr
            history.append(time.perf_counter() - t0, logs)
            if bar is not None:
                bar.set_postfix({k: f"{v:.4g}" for k, v in logs.items() if k != "lr"})
            for s in schedules:
                s.step()
            stop = [c.on_epoch_end(epoch, logs) for c in hooks]
            if any(stop):
                history.stopped_early = True
                break
    finally:
        if bar is not None:
            bar.close()
    for c in hooks:
        c.on_train_end()
    return history
