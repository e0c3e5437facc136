"""Small data sets for actlab.nn, generated locally (no network).

Every generator returns ``(X, y)`` with ``X`` float64 of shape (n, d); class
labels are int64 of shape (n,), regression targets float64 of shape (n, 1).
Randomness comes from ``np.random.default_rng(seed)``: the same seed gives the
same arrays on every machine.

>>> X, y = moons(n=100, seed=0)
>>> X.shape, y.shape, np.bincount(y).tolist()
((100, 2), (100,), [50, 50])
"""

from __future__ import annotations

import numpy as np

__all__ = ["xor", "moons", "circles", "spirals", "sine", "linear", "linear_weights", "digits",
           "train_test_split"]


def _count(name, value, low=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def _noise(value):
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {value!r}")
    return float(value)


def _labelled(parts, rng):
    """Stack per-class point arrays, label them 0, 1, ... and shuffle, so that
    a prefix of the data (a batch, a slice) holds every class."""
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(parts)])
    order = rng.permutation(len(X))
    return X[order], y[order]


def _split(n, classes):
    """n points shared between the classes as evenly as possible."""
    return [n // classes + (k < n % classes) for k in range(classes)]


def xor(n=4, noise=0.0, seed=0):
    """The XOR problem: the corners of the unit square, labelled x0 != x1.

    With the defaults it is exactly the four corners (0,0), (0,1), (1,0),
    (1,1) with labels 0, 1, 1, 0. A larger ``n`` repeats the corners in that
    order and ``noise`` adds Gaussian jitter of that standard deviation.

    >>> X, y = xor()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n, noise = _count("n", n), _noise(noise)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = corners[idx] + noise * np.random.default_rng(seed).standard_normal((n, 2))
    return X, np.array([0, 1, 1, 0], dtype=np.int64)[idx]


def moons(n=500, noise=0.2, seed=0):
    """Two interleaving half circles (scikit-learn's make_moons), labels 0/1.

    >>> X, y = moons(n=10, noise=0.0)
    >>> bool(np.all((X >= -1) & (X <= 2)))
    True
    """
    n, noise = _count("n", n), _noise(noise)
    rng = np.random.default_rng(seed)
    n_out, n_in = _split(n, 2)
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])
    X, y = _labelled([outer, inner], rng)
    return X + noise * rng.standard_normal(X.shape), y


def circles(n=500, noise=0.1, factor=0.5, seed=0):
    """A circle of radius 1 (label 0) around one of radius ``factor`` (label 1).

    >>> X, y = circles(n=8, noise=0.0, factor=0.5)
    >>> np.round(np.hypot(*X.T), 6)[y == 1].tolist()
    [0.5, 0.5, 0.5, 0.5]
    """
    n, noise = _count("n", n), _noise(noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
    parts = []
    for m, radius in zip(_split(n, 2), (1.0, factor)):
        t = np.linspace(0, 2 * np.pi, m, endpoint=False)
        parts.append(radius * np.column_stack([np.cos(t), np.sin(t)]))
    X, y = _labelled(parts, rng)
    return X + noise * rng.standard_normal(X.shape), y


def spirals(n=500, classes=2, noise=0.2, turns=1.0, seed=0):
    """``classes`` interleaved spiral arms from the origin out to radius 1.

    Arm k winds ``turns`` times, rotated by 2*pi*k/classes. ``noise`` is the
    standard deviation of a jitter of the angle, in radians, so the points
    stay on their arm's radius (CS231n's spiral data).

    >>> X, y = spirals(n=300, classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n, noise = _count("n", n), _noise(noise)
    classes = _count("classes", classes, low=2)
    if not (np.isfinite(turns) and turns > 0):
        raise ValueError(f"turns must be a number > 0, got {turns!r}")
    rng = np.random.default_rng(seed)
    parts = []
    for k, m in enumerate(_split(n, classes)):
        r = np.linspace(0.05, 1, m)  # starting off the origin keeps the arms apart there
        t = 2 * np.pi * (turns * r + k / classes) + noise * rng.standard_normal(m)
        parts.append(r[:, None] * np.column_stack([np.cos(t), np.sin(t)]))
    return _labelled(parts, rng)


def sine(n=200, noise=0.1, seed=0):
    """1-D regression: x uniform in [-pi, pi], y = sin(x) + Gaussian noise.

    >>> X, y = sine(n=50)
    >>> X.shape, y.shape
    ((50, 1), (50, 1))
    """
    n, noise = _count("n", n), _noise(noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-np.pi, np.pi, (n, 1))
    return X, np.sin(X) + noise * rng.standard_normal((n, 1))


def linear_weights(features=2, seed=0):
    """The true weights that ``linear(features=..., seed=seed)`` uses when it
    is given no ``weights``: standard normal, shape (features,).

    >>> X, y = linear(n=100, features=3, noise=0.0, seed=1)
    >>> bool(np.allclose(X @ linear_weights(3, seed=1), y[:, 0]))
    True
    """
    return np.random.default_rng(seed).standard_normal(_count("features", features))


def linear(n=200, features=2, weights=None, bias=0.0, noise=0.1, seed=0):
    """Linear regression data: X standard normal, y = X @ weights + bias + noise.

    The data keep the ``(X, y)`` contract; the true weights are ``weights``
    when given, else :func:`linear_weights(features, seed) <linear_weights>`
    (drawn first from the same generator, so the two always agree).

    >>> X, y = linear(n=4, weights=[2.0, -1.0], bias=0.5, noise=0.0)
    >>> bool(np.allclose(y[:, 0], X @ [2.0, -1.0] + 0.5))
    True
    """
    n, noise = _count("n", n), _noise(noise)
    features = _count("features", features)
    rng = np.random.default_rng(seed)
    true = rng.standard_normal(features)
    if weights is not None:
        true = np.asarray(weights, dtype=np.float64)
        if true.shape != (features,):
            raise ValueError(f"weights must have shape ({features},) for features={features}, "
                             f"got shape {true.shape}")
    X = rng.standard_normal((n, features))
    y = X @ true + bias + noise * rng.standard_normal(n)
    return X, y[:, None]


def digits(seed=0):
    """scikit-learn's bundled 8x8 handwritten digits: X (1797, 64) in [0, 1]
    (the 0..16 ink counts divided by 16), y int64 in 0..9.

    ``seed`` shuffles the rows; ``seed=None`` keeps the file's order.

    >>> X, y = digits()
    >>> X.shape, float(X.max()), sorted(set(y.tolist())) == list(range(10))
    ((1797, 64), 1.0, True)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("digits() reads scikit-learn's bundled copy; install it with "
                          "pip install 'actlab[lab]'") from None
    data = load_digits()
    X, y = data.data.astype(np.float64) / 16.0, data.target.astype(np.int64)
    if seed is not None:
        order = np.random.default_rng(seed).permutation(len(X))
        X, y = X[order], y[order]
    return X, y


def train_test_split(X, y, test=0.25, seed=0, stratify=None):
    """Shuffle and split into ``X_train, X_test, y_train, y_test``.

    ``test`` is a fraction in (0, 1) or a row count in [1, n - 1].
    ``stratify``: True keeps each class's share of ``y`` in both parts (to
    within one row), an array stratifies by its values instead, False does
    not; None (the default) stratifies when ``y`` is 1-D integer labels.

    >>> X, y = moons(n=100)
    >>> Xtr, Xte, ytr, yte = train_test_split(X, y, test=0.2)
    >>> len(Xtr), len(Xte), np.bincount(yte).tolist()
    (80, 20, [10, 10])
    """
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X has {n} rows but y has {len(y)}; they must match")
    if n < 2:
        raise ValueError(f"splitting needs at least 2 rows, got {n}")
    if isinstance(test, (float, np.floating)) and 0 < test < 1:
        n_test = min(max(int(round(test * n)), 1), n - 1)
    elif isinstance(test, (int, np.integer)) and not isinstance(test, bool) and 1 <= test < n:
        n_test = int(test)
    else:
        raise ValueError(f"test must be a fraction in (0, 1) or a row count in [1, {n - 1}], got {test!r}")
    if stratify is None:
        stratify = y.ndim == 1 and y.dtype.kind in "iub"
    rng = np.random.default_rng(seed)
    if stratify is False:
        order = rng.permutation(n)
        return X[order[n_test:]], X[order[:n_test]], y[order[n_test:]], y[order[:n_test]]
    groups = y if stratify is True else np.asarray(stratify)
    if groups.shape != (n,):
        raise ValueError(f"stratify needs one label per row, shape ({n},); got shape {groups.shape}")
    values, inverse = np.unique(groups, return_inverse=True)
    counts = np.bincount(inverse)
    # each class gets its share of the test rows, rounded by largest remainder
    # so that the shares add up to exactly n_test
    share = counts * n_test / n
    take = np.floor(share).astype(int)
    take[np.argsort(take - share, kind="stable")[:n_test - take.sum()]] += 1
    test_idx, train_idx = [], []
    for k in range(len(values)):
        members = rng.permutation(np.flatnonzero(inverse == k))
        test_idx.append(members[:take[k]])
        train_idx.append(members[take[k]:])
    tr, te = rng.permutation(np.concatenate(train_idx)), rng.permutation(np.concatenate(test_idx))
    return X[tr], X[te], y[tr], y[te]
