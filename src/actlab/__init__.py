"""actlab: the activation-function lab.

>>> import actlab as al
>>> al.get("leaky_relu", alpha=0.05)(x)      # doctest: +SKIP
>>> al.gelu(x, approximate="tanh")           # doctest: +SKIP

Every canonical name in :func:`names` is also a function ``actlab.<name>(x, **params)``.
"""

from __future__ import annotations

from . import catalog as _catalog  # noqa: F401  (registers the catalog)
from ._docs import docstring as _docstring
from .activation import Activation, Info, get
from .registry import aliases, canonical as _canonical, lookup as _lookup, names, variants
from .registry import with_fixed as _with_fixed
from .kernels import get_num_threads, set_num_threads  # threads of the compiled kernels
from .table import table  # the comparison table (actlab.table().to_markdown(), ...)

__version__ = "0.1.0"
__all__ = ["Activation", "Info", "get", "names", "aliases", "variants", "functional"]


def _make_functional(spec):
    if spec.stochastic:
        def fn(x, *, training=True, rng=None, **params):
            return Activation(spec, **params).forward(x, training=training, rng=rng)
    else:
        def fn(x, **params):
            return Activation(spec, **params).forward(x)
    fn.__name__ = fn.__qualname__ = spec.name
    fn.__module__ = __name__
    fn.__doc__ = _docstring(spec)
    return fn


def functional(name: str):
    """The functional form of ``name`` (canonical, alias or variant).

    >>> print(functional("gelu_tanh")(1.0), gelu(1.0, approximate="tanh"))
    0.8411919906082768 0.8411919906082768
    """
    fn = globals()[_lookup(name).name]
    if not _with_fixed(name, {}):
        return fn

    def variant(x, **params):
        return fn(x, **_with_fixed(name, params))
    variant.__name__ = variant.__qualname__ = _canonical(name)
    variant.__doc__ = f"{_canonical(name)}: {fn.__name__} with {_with_fixed(name, {})}.\n\n{fn.__doc__}"
    return variant


for _name in names():
    globals()[_name] = _make_functional(_lookup(_name))
    __all__.append(_name)
del _name


def __getattr__(name):
    # actlab.plot (matplotlib) is imported on first use: `import actlab` stays fast.
    if name == "plot":
        import importlib
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'actlab' has no attribute {name!r}")
