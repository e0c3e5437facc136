"""The catalog's data model: parameters, properties, specs, and the registry.

Every activation is one :class:`Spec`, created by :func:`define` in a module
of :mod:`actlab.catalog`. Everything else (the :class:`~actlab.Activation`
object, the functional forms, docstrings, tables, kernels' oracles) is
derived from it, so adding a function touches one place.
"""

from __future__ import annotations

import difflib
import math
import numbers
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping

import numpy as np

__all__ = [
    "Param", "Props", "Range", "Ref", "Spec", "Unchecked", "define",
    "lookup", "names", "aliases", "variants", "with_fixed", "canonical", "INF",
]

INF = math.inf
KINDS = ("E", "P", "S", "V", "SV")
FAMILIES = ("ridge", "radial", "folding")


# ----------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Param:
    """A parameter: its default, what values are allowed, whether it is learned.

    ``check(value)`` returns the normalised value or raises ValueError with a
    fragment saying what is allowed (``allowed`` is that fragment). An array
    value of a ``per_channel`` parameter broadcasts along x's channel axis;
    any other array value (e.g. a vector of coefficients) is passed whole.
    """

    name: str
    default: Any
    check: Callable[[Any], Any]
    allowed: str
    doc: str = ""
    learnable: bool = False
    per_channel: bool = False


def _fail(param: str, allowed: str, value) -> ValueError:
    return ValueError(f"{param} must be {allowed}, got {value!r}")


def _as_real(value, name, allowed):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        arr = np.asarray(value) if not isinstance(value, (str, bytes)) else None
        if arr is None or arr.ndim != 0 or arr.dtype.kind not in "iuf":
            raise _fail(name, allowed, value)
        value = arr.item()
    try:
        return float(value)
    except OverflowError:   # an int beyond the float range
        raise _fail(name, allowed, value) from None


def real(name, default, doc="", lo=-INF, hi=INF, lo_open=False, hi_open=False,
         learnable=False, array=False) -> Param:
    """A real parameter in an interval; finite unless an infinite bound is closed.

    ``array=True`` (learnable per-channel parameters) also accepts a 1-D or
    broadcastable array whose every element is allowed.
    """
    lb = "(" if lo_open else "["
    rb = ")" if hi_open else "]"
    if lo == -INF and hi == INF:
        allowed = "a finite real number"
    elif hi == INF:
        allowed = f"a finite real number {'>' if lo_open else '>='} {lo:g}"
    elif lo == -INF:
        allowed = f"a finite real number {'<' if hi_open else '<='} {hi:g}"
    else:
        allowed = f"a real number in {lb}{lo:g}, {hi:g}{rb}"
    if array:
        allowed += " (or an array of such numbers)"

    def ok(v):
        return (math.isfinite(v) and (v > lo if lo_open else v >= lo)
                and (v < hi if hi_open else v <= hi))

    def check(value):
        if array and not isinstance(value, numbers.Real) and np.ndim(value) > 0:
            arr = np.asarray(value)
            if arr.dtype.kind not in "iuf" or not all(ok(float(v)) for v in arr.ravel()):
                raise _fail(name, allowed, value)
            return np.array(arr, dtype=np.float64)
        v = _as_real(value, name, allowed)
        if not ok(v):
            raise _fail(name, allowed, value)
        return v

    return Param(name, default, check, allowed, doc, learnable, per_channel=array)


def integer(name, default, doc="", lo=1) -> Param:
    allowed = f"an integer >= {lo}"

    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
            raise _fail(name, allowed, value)
        return int(value)

    return Param(name, default, check, allowed, doc)


def axis(default=-1, doc="the axis the function acts along") -> Param:
    allowed = "an integer axis"

    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise _fail("axis", allowed, value)
        return int(value)

    return Param("axis", default, check, allowed, doc)


def choice(name, default, options, doc="") -> Param:
    allowed = "one of " + ", ".join(repr(o) for o in options)

    def check(value):
        if value not in options:
            raise _fail(name, allowed, value)
        return value

    return Param(name, default, check, allowed, doc)


def flag(name, default, doc="") -> Param:
    allowed = "True or False"

    def check(value):
        if not isinstance(value, (bool, np.bool_)):
            raise _fail(name, allowed, value)
        return bool(value)

    return Param(name, default, check, allowed, doc)


# ----------------------------------------------------------------- metadata

@dataclass(frozen=True)
class Unchecked:
    """A claim that numerical probes cannot verify, and why."""

    value: Any
    why: str

    def __repr__(self):
        return f"Unchecked({self.value!r}: {self.why})"


@dataclass(frozen=True)
class Range:
    """The image of f: inf and sup, and whether each is attained."""

    lo: float
    hi: float
    lo_closed: bool = False
    hi_closed: bool = False

    def __str__(self):
        def fmt(v):
            return "inf" if v == INF else "-inf" if v == -INF else f"{v:.6g}"
        return (("[" if self.lo_closed else "(") + fmt(self.lo) + ", " + fmt(self.hi)
                + ("]" if self.hi_closed else ")"))


@dataclass(frozen=True)
class Props:
    """Checkable claims about f. Each field may be a callable of the parameters
    (claims that depend on them), or :class:`Unchecked`.

    continuity: the largest k with f in C^k (-1: discontinuous; INF: smooth).
    zero_centred: f takes both signs (its range straddles 0), so outputs can
    average to 0, as in the Wikipedia table's sense; not symmetry.
    """

    range: Any
    continuity: Any
    monotonic: Any
    derivative_monotonic: Any
    identity_near_origin: Any
    saturating_left: Any  # f'(x) -> 0 as x -> -inf
    saturating_right: Any  # f'(x) -> 0 as x -> +inf
    zero_centred: Any = None  # these three are derived from range when None
    bounded_below: Any = None
    bounded_above: Any = None


@dataclass(frozen=True)
class Ref:
    authors: str
    title: str
    year: int
    link: str = ""

    def __str__(self):
        return f"{self.authors} ({self.year}). {self.title}." + (f" {self.link}" if self.link else "")


@dataclass(frozen=True)
class Spec:
    """One activation function, defined once.

    Elementwise kinds give ``f``, ``df``, ``d2f`` as ``(xp, x, **params)``;
    the vector kind gives ``f`` and ``vjp(xp, x, g, **params)``. Learnable
    parameters come with ``dparams(xp, x, **params) -> {name: df/dparam}``
    (elementwise partials; the Activation sums them over broadcast axes).
    Stochastic kinds give ``sample(xp, x, rng, **params)``, the noise that
    ``f``/``df``/``vjp`` then receive as ``noise=`` (``None`` in eval mode).
    """

    name: str
    kind: str
    family: str
    group: str
    summary: str
    latex: tuple
    f: Callable
    props: Props
    df: Callable | None = None
    d2f: Callable | None = None
    vjp: Callable | None = None
    dparams: Callable | None = None
    sample: Callable | None = None
    params: tuple = ()
    aliases: tuple = ()
    variants: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # names that fix parameters
    references: tuple = ()
    peers: Mapping[str, str] = field(default_factory=dict)
    kinks: Any = ()
    notes: str = ""
    check_params: Callable | None = None  # cross-parameter constraints

    @property
    def param_names(self):
        return tuple(p.name for p in self.params)

    @property
    def learnable(self):
        return tuple(p.name for p in self.params if p.learnable)

    @property
    def elementwise(self):
        return "V" not in self.kind

    @property
    def stochastic(self):
        return "S" in self.kind


_REGISTRY: dict[str, Spec] = {}
_ALIASES: dict[str, str] = {}
_VARIANTS: dict[str, tuple[str, dict]] = {}


def canonical(name: str) -> str:
    """Normalise spelling: case, dashes and spaces do not matter."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def define(**kw) -> Spec:
    """Create and register a :class:`Spec` (see its fields)."""
    spec = Spec(**kw)
    if spec.kind not in KINDS:
        raise ValueError(f"{spec.name}: kind must be one of {KINDS}")
    if spec.family not in FAMILIES:
        raise ValueError(f"{spec.name}: family must be one of {FAMILIES}")
    if spec.elementwise and (spec.df is None or spec.d2f is None):
        raise ValueError(f"{spec.name}: elementwise kinds need df and d2f")
    if not spec.elementwise and spec.vjp is None:
        raise ValueError(f"{spec.name}: the vector kind needs vjp")
    if spec.learnable and spec.dparams is None:
        raise ValueError(f"{spec.name}: learnable parameters need dparams")
    for n in (spec.name, *spec.aliases, *spec.variants):
        if n in _REGISTRY or n in _ALIASES or n in _VARIANTS:
            raise ValueError(f"{n!r} is defined twice")
    for v, fixed in spec.variants.items():
        unknown = set(fixed) - set(spec.param_names)
        if unknown:
            raise ValueError(f"{spec.name}: variant {v!r} fixes unknown parameters {sorted(unknown)}")
        _VARIANTS[v] = (spec.name, dict(fixed))
    _REGISTRY[spec.name] = spec
    for a in spec.aliases:
        _ALIASES[a] = spec.name
    return spec


def names() -> list[str]:
    """Sorted canonical names of every activation in the catalog."""
    return sorted(_REGISTRY)


def aliases() -> dict[str, str]:
    """Every alias and the canonical name it resolves to."""
    return dict(sorted(_ALIASES.items()))


def variants() -> dict[str, tuple[str, dict]]:
    """Every name that stands for a function with some parameters fixed: name -> (canonical, params).

    >>> variants()["gelu_tanh"]
    ('gelu', {'approximate': 'tanh'})
    """
    return dict(sorted(_VARIANTS.items()))


def with_fixed(name: str, params: Mapping[str, Any]) -> dict:
    """``params`` plus those the spelling ``name`` fixes (a variant's); a clash is a ValueError."""
    fixed = _VARIANTS.get(canonical(name), (None, {}))[1] if isinstance(name, str) else {}
    for k, v in fixed.items():
        if k in params and params[k] != v:
            raise ValueError(f"{name} fixes {k}={v!r}; got {k}={params[k]!r} "
                             f"(use {_VARIANTS[canonical(name)][0]!r} to choose {k})")
    return {**params, **fixed}


def lookup(name: str) -> Spec:
    """The spec for a canonical name or alias; ValueError naming close matches."""
    if not isinstance(name, str):
        raise TypeError(f"activation name must be a string, got {type(name).__name__}")
    key = canonical(name)
    key = _ALIASES.get(key, _VARIANTS.get(key, (key,))[0])
    try:
        return _REGISTRY[key]
    except KeyError:
        pass
    close = difflib.get_close_matches(key, [*_REGISTRY, *_ALIASES, *_VARIANTS], n=4, cutoff=0.6)
    close = list(dict.fromkeys(_ALIASES.get(c, c) for c in close))
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"unknown activation {name!r}{hint} (actlab.names() lists all)")


def resolve_claims(props: Props, params: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate parameter-dependent claims and fill the derived ones."""
    out = {}
    for f in fields(props):
        v = getattr(props, f.name)
        out[f.name] = v(params) if callable(v) and not isinstance(v, type) else v
    rng = out["range"]
    if isinstance(rng, Range):
        derived = {
            "bounded_below": rng.lo > -INF,
            "bounded_above": rng.hi < INF,
            "zero_centred": rng.lo < 0 < rng.hi,
        }
        for k, v in derived.items():
            if out[k] is None:
                out[k] = v
    return out
