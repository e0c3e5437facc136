"""actlab.nn: a small NumPy network engine that trains with any actlab activation.

>>> from actlab import nn
>>> model = nn.Sequential(nn.Dense(2, 16, activation="relu"), nn.Dense(16, 2), seed=0)
>>> X, y = nn.datasets.moons(n=200, seed=0)
>>> hist = nn.fit(model, X, y, loss="cross_entropy", optimizer=nn.optim.Adam(model.params, lr=1e-2),
...               epochs=5, batch_size=32, seed=0, progress=False)
"""

from . import datasets, init, losses, optim  # noqa: F401
from .layers import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from . import layers as _layers, training as _training

__all__ = [*_layers.__all__, *_training.__all__, "datasets", "init", "losses", "optim"]
