"""What the training experiments share: data sets and MLPs built by name."""

from __future__ import annotations

import numpy as np

from ... import nn

DATASETS = ("moons", "circles", "spirals", "digits", "xor")


def dataset(name, seed=0, n=600):
    """(X_train, y_train, X_test, y_test, classes) of a named data set."""
    if name == "digits":
        X, y = nn.datasets.digits(seed=seed)
    elif name == "xor":
        X, y = nn.datasets.xor(n=n, noise=0.1, seed=seed)
    else:
        X, y = getattr(nn.datasets, name)(n=n, seed=seed)
    Xtr, Xte, ytr, yte = nn.datasets.train_test_split(X, y, test=0.25, seed=seed)
    return Xtr, ytr, Xte, yte, int(y.max()) + 1


def mlp(widths, activation, seed, dtype=np.float64, init=None, batchnorm=False):
    """Dense layers of the given widths; the activation between them, none after the last."""
    layers = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        last = i == len(widths) - 2
        layers.append(nn.Dense(a, b, activation=None if last else activation, init=None if last else init))
        if batchnorm and not last:
            layers.append(nn.BatchNorm(b))
    return nn.Sequential(*layers, seed=seed, dtype=dtype)


def epochs_to(curve, target):
    """The first epoch (1-based) whose value reaches ``target``, or None."""
    return next((i + 1 for i, a in enumerate(curve) if a >= target), None)


def accuracy(model, X, y):
    return float(np.mean(np.argmax(model.predict(X), axis=1) == y))
