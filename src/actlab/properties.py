"""Numerical probes that measure an activation's properties and check its metadata.

:func:`probe` measures, for any activation and parameter set, what
``act.info`` claims: range (inf, sup, and whether each is attained), order of
continuity, monotonicity of f and of f', identity near the origin,
zero-centred, bounded below/above, saturating left/right. :func:`verify`
compares each claim with the probe; claims marked
:class:`~actlab.registry.Unchecked` are skipped (:func:`unchecked` lists them).

How the elementwise probes work (f, f', f'' are exact: ``act.derivative`` and
``act.second_derivative``; f''' and f'''' are one-sided polynomial fits to f''):

- Grids: a dense grid on [-20, 20] (step 1e-3), +-10^k for k in [-12, 300],
  points either side of each kink, and +-inf (where the library returns the
  limits).
- Range: inf and sup over the grids, the limits at +-inf and the one-sided
  limits at kinks; an interior extremum is refined on a 1e-6 grid. An
  extremum is attained where f reaches it at a kink, on a plateau beside a
  kink (f' = 0 there), or at an interior critical point (f' changes sign);
  a limit at infinity that f merely rounds to (tanh(20) == 1.0) is not.
- Continuity: C^k is the largest k such that none of f, f', ..., f^(k) jumps.
  Jumps are looked for with one-sided limits at each kink of ``info.kinks``
  and at every undeclared kink that a scan of [-20, 20] finds (residuals of
  f against f', of f' against f'' and second differences of f'' that stand
  out from their neighbours, located by bisection, kept where one-sided
  limits confirm a jump). f is also discontinuous
  where f(c) differs from its one-sided limits. No jump up to f'''' counts as
  C^inf: the cutoff is ``SMOOTH_CUTOFF`` (C^4 and smoother read as C^inf).
  The dense step sets the resolution: a smooth bend much narrower than 1e-3
  (softplus with beta >~ 1e3) reads as a kink.
- Monotonic / derivative monotonic: signs of the differences of f (and of f')
  over all grid points, with a rounding tolerance; f' is not sampled at the
  kinks themselves, where it is a convention.
- Derivatives: f' and f'' must integrate to f and f' (Simpson's rule on the
  dense grid, to 1e-6 of the scale, away from kinks); every probe above
  trusts them.
- Identity near the origin: f(0) = 0, f'(0) = 1 and f'(0-) = f'(0+) = 1.
- Saturating left/right: f'(x) -> 0 as x -> -inf / +inf (|f'| below 1e-8
  times its scale for |x| in [1e250, 1e300], and f'(+-inf) = 0 where defined).

Vector-valued kinds: only the range is probed, by sampling (inputs of several
scales; every output must lie in the claimed range, finite bounds must be
approached, infinite ones exceeded by inputs scaled up).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .activation import Activation
from .registry import INF, Props, Range, Unchecked, resolve_claims

__all__ = ["probe", "verify", "unchecked", "Mismatch", "CLAIMS", "SMOOTH_CUTOFF", "continuity_label"]

#: the claims of ``act.info`` that :func:`probe` measures
CLAIMS = tuple(f.name for f in fields(Props))
#: highest derivative order examined for jumps: no jump up to it reads as C^inf
SMOOTH_CUTOFF = 4

_SPAN = 20.0  # the dense grid and the plateau / interior-extremum search cover [-_SPAN, _SPAN]
_STEP = 1e-3
_VALUE_TOL = 1e-6  # relative tolerance when comparing a probed bound with a claimed one


@dataclass(frozen=True)
class Mismatch:
    """A claim of ``act.info`` that the probe contradicts."""

    name: str
    claim: str
    claimed: Any
    probed: Any

    def __str__(self):
        return f"{self.name}: {self.claim} claimed {self.claimed!r}, probe found {self.probed!r}"


def continuity_label(k) -> str:
    """'C^-1', 'C^0', ..., 'C^inf' for an order of continuity."""
    return "C^inf" if k == INF else f"C^{k}"


# ----------------------------------------------------------------- evaluation

class _Fn:
    """f, f', f'' of an activation's reference formulas as float64 NumPy
    functions (eval mode for stochastic kinds).

    The compiled fast path is bypassed (``inspect.unwrap``): the reference is
    the definition the claims are about, and needs no compilation.
    """

    _forward = staticmethod(inspect.unwrap(Activation.forward))
    _derivative = staticmethod(inspect.unwrap(Activation.derivative))
    _second = staticmethod(inspect.unwrap(Activation.second_derivative))

    def __init__(self, act: Activation):
        for prm in act.spec.params:
            v = act.params[prm.name]
            if prm.per_channel and np.size(v) > 1:
                raise ValueError(f"{act.name}: the probe needs one value of {prm.name} (per-channel "
                                 f"values describe many functions), got shape {np.shape(v)}")
        self.act = Activation(act.spec, **act.params)  # a fresh object: no noise from earlier calls
        self.stochastic = act.spec.stochastic

    def _run(self, fn, x, **kw):
        return np.asarray(fn(self.act, np.asarray(x, dtype=np.float64), **kw), dtype=np.float64)

    def f(self, x):
        return self._run(self._forward, x, training=False) if self.stochastic else self._run(self._forward, x)

    def d1(self, x):
        return self._run(self._derivative, x)

    def d2(self, x):
        return self._run(self._second, x)

    def order(self, k, x):
        return (self.f, self.d1, self.d2)[k](x)


def _tol(value: float) -> float:
    """Equality tolerance for values of f near ``value`` (a few thousand ULP)."""
    return 1e-9 * (1.0 + abs(value)) if math.isfinite(value) else 0.0


# ----------------------------------------------------------------- kinks and jumps

def _one_sided_jumps(fn: _Fn, c: float, gap: float) -> list[bool]:
    """Whether f, f', ..., f^(SMOOTH_CUTOFF) jump at c (one-sided limits).

    f, f', f'': values at c -+ h for h = 1e-6 and 1e-8 (scaled by |c|); a jump
    does not shrink with h. f also jumps where f(c) differs from both sides.
    f''', f'''': derivatives at c of cubic fits to f'' at c -+ h t, t = 1..6.
    """
    s = max(1.0, abs(c))
    jumps = []
    for k in range(3):
        h1, h2 = 1e-6 * s, 1e-8 * s
        lo1, hi1, lo2, hi2 = fn.order(k, [c - h1, c + h1, c - h2, c + h2])
        j1, j2 = hi1 - lo1, hi2 - lo2
        if not all(map(math.isfinite, (lo1, hi1, lo2, hi2))):
            jumps.append(bool(lo2 != hi2))  # an infinite one-sided value: a jump unless both agree
            continue
        thr = 1e-6 * (1.0 + max(abs(lo2), abs(hi2)))
        jump = abs(j2) > thr and abs(j2) > 0.1 * abs(j1)
        if k == 0 and not jump:
            fc = float(fn.f([c])[0])
            jump = abs(fc - 0.5 * (lo2 + hi2)) > thr
        jumps.append(jump)
    h = min(1e-3, gap / 12.0) * s
    t = np.arange(1.0, 7.0)
    sides = []
    for sign in (-1.0, 1.0):
        g = fn.d2(c + sign * h * t)
        p = np.polynomial.Polynomial.fit(sign * h * t, g, 3).convert()
        sides.append((p.deriv(1)(0.0), p.deriv(2)(0.0)))
    for k, (left, right) in enumerate(zip(*sides), start=3):
        if k > SMOOTH_CUTOFF:
            break
        # the fit of order k-2 loses about 10^(k-2) digits more than the exact f''
        thr = 10.0 ** (k - 8) * (1.0 + abs(left) + abs(right))
        jumps.append(bool(abs(right - left) > thr))
    return jumps


def _outliers(r: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Indices where |r| stands out (1e3 times) from its neighbours at distance 2 and 3."""
    a = np.abs(r)
    pad = np.pad(a, 3, mode="edge")
    n = len(a)
    neigh = np.max([pad[3 + d: 3 + d + n] for d in (-3, -2, 2, 3)], axis=0)
    return np.flatnonzero((a > 1e3 * neigh) & (a > floor))


def _bisect(fn: _Fn, k: int, a: float, b: float) -> float:
    """Locate a defect of f^(k) in [a, b]: keep the half where it shows."""
    for _ in range(60):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        if k < 2:
            g = fn.order(k, [a, m, b])
            dg = fn.order(k + 1, [a, m, b])
            left = abs(g[1] - g[0] - (m - a) * 0.5 * (dg[0] + dg[1]))
            right = abs(g[2] - g[1] - (b - m) * 0.5 * (dg[1] + dg[2]))
        else:
            q1, q3 = 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b
            g = fn.d2([a, q1, m, q3, b])
            left = abs(g[0] - 2 * g[1] + g[2])
            right = abs(g[2] - 2 * g[3] + g[4])
        a, b = (a, m) if left >= right else (m, b)
    return 0.5 * (a + b)


def _derivative_errors(x, f, d1, d2, kinks) -> dict[str, float]:
    """Where f' is not the derivative of f, or f'' of f' ({"df"/"d2f": first x}).

    Simpson's rule over [x - h, x + h] must give g(x + h) - g(x - h) to 1e-6
    of its scale (its own error is h^5 g^(5) / 90); windows holding a kink
    are skipped.
    """
    h = x[1] - x[0]
    near_kink = np.zeros(len(x) - 2, dtype=bool)
    for c in kinks:
        near_kink |= (x[:-2] - 1e-9 <= c) & (c <= x[2:] + 1e-9)
    out = {}
    for which, g, dg in (("df", f, d1), ("d2f", d1, d2)):
        r = g[2:] - g[:-2] - h / 3 * (dg[:-2] + 4 * dg[1:-1] + dg[2:])
        dmax = np.maximum(np.maximum(np.abs(dg[:-2]), np.abs(dg[1:-1])), np.abs(dg[2:]))
        scale = 2 * h * dmax + 1e-7 * (1.0 + np.abs(g[1:-1]))
        bad = np.flatnonzero((np.abs(r) > 1e-6 * scale) & np.isfinite(r) & ~near_kink)
        if bad.size:
            out[which] = float(x[bad[0] + 1])
    return out


def _undeclared_kinks(fn: _Fn, x, f, d1, d2, kinks) -> list[float]:
    """Defects of f, f' or f'' on the dense grid away from the declared kinks."""
    h = x[1] - x[0]
    found = []
    residuals = (
        (0, np.diff(f) - 0.5 * h * (d1[1:] + d1[:-1]), f),
        (1, np.diff(d1) - 0.5 * h * (d2[1:] + d2[:-1]), d1),
        (2, d2[2:] - 2 * d2[1:-1] + d2[:-2], d2),
    )
    for k, r, g in residuals:
        floor = 1e-10 * (1.0 + np.abs(g[: len(r)]))
        for i in _outliers(np.nan_to_num(r), floor):
            a, b = x[max(i - 1, 0)], x[min(i + 2, len(x) - 1)]
            if any(a - 2 * h <= c <= b + 2 * h for c in (*kinks, *found)):
                continue
            found.append(_bisect(fn, k, a, b))
    return sorted(found)


def _jumps_at(fn: _Fn, kinks) -> dict[float, list[bool]]:
    """For each kink, whether f, f', ..., f^(SMOOTH_CUTOFF) jump there."""
    pts = sorted(kinks)
    return {c: _one_sided_jumps(fn, c, min((abs(c - o) for o in pts if o != c), default=1.0)) for c in pts}


def _continuity(jumps: dict[float, list[bool]]) -> int | float:
    """The largest k with no jump of f, ..., f^(k) at any kink (INF: none)."""
    orders = [j.index(True) - 1 for j in jumps.values() if any(j)]
    return min(orders, default=INF)


# ----------------------------------------------------------------- range

def _refine(fn: _Fn, x0: float, sign: float) -> tuple[float, float]:
    """(x, f(x)) at the extremum (max for sign=1, min for -1) near x0, on a 1e-6 grid."""
    xs = np.linspace(x0 - 2 * _STEP, x0 + 2 * _STEP, 4001)
    v = sign * fn.f(xs)
    i = int(np.nanargmax(v))
    return float(xs[i]), float(sign * v[i])


def _grows(fn: _Fn, sign: float, side: float) -> bool:
    """f(side * 10^k) keeps increasing (sign=1) or decreasing (sign=-1) without
    slowing as k -> 300: unbounded even where the growth is only logarithmic."""
    v = sign * fn.f(side * 10.0 ** np.arange(250.0, 301.0, 10.0))
    if not np.all(np.isfinite(v)):
        return False
    d = np.diff(v)
    return bool(np.all(d > 0) and d[-1] >= 0.5 * d[0])


def _bound(fn: _Fn, sign, xs, fx, limits, kinks, sides):
    """sup (sign=1) or inf (sign=-1) of f, and whether it is attained.

    ``sides`` holds (x, f, f') just beside each kink. A bound is attained at a
    kink, on a plateau (f' = 0) that adjoins a kink (f is analytic elsewhere:
    constant on an interval only where a piece begins), or at an interior
    critical point where f' changes sign.
    """
    tails = [v for v in limits if not math.isnan(v)]
    # f beyond 1e200 at |x| <= 1e300 is growth, not a bound (x cos x has no limit to report)
    if (any(sign * v == INF for v in tails) or np.any(sign * fx > 1e200)
            or any(_grows(fn, sign, s) for s in (-1.0, 1.0))):
        return sign * INF, False
    i = int(np.argmax(sign * np.where(np.isfinite(fx), fx, -sign * INF)))
    best_x, best = float(xs[i]), float(fx[i])
    inner = abs(best_x) <= _SPAN and all(abs(best_x - c) > 1e-4 for c in kinks)
    if inner:
        best_x, best = _refine(fn, best_x, sign)
    kink_f = fn.f(list(kinks)) if kinks else np.zeros(0)
    candidates = [best, *kink_f, *sides[1], *tails]
    value = sign * max(sign * v for v in candidates if not math.isnan(v))
    tol = _tol(value)
    attained = bool(np.any(np.abs(kink_f - value) <= tol)
                    or np.any((np.abs(sides[1] - value) <= tol) & (sides[2] == 0)))
    if not attained and inner and abs(best - value) <= tol:
        lo, hi = fn.d1([best_x - 2e-6, best_x + 2e-6])
        attained = bool(sign * lo > 0 > sign * hi)
    return value, attained


def _range(fn: _Fn, xs, fx, kinks) -> Range:
    limits = [float(v) for v in fn.f([-INF, INF])]
    x = np.array([c + s * 1e-12 * max(1.0, abs(c)) for c in kinks for s in (-1.0, 1.0)])
    sides = (x, fn.f(x), fn.d1(x)) if kinks else (x, x, x)
    lo, lo_closed = _bound(fn, -1.0, xs, fx, limits, kinks, sides)
    hi, hi_closed = _bound(fn, 1.0, xs, fx, limits, kinks, sides)
    return Range(lo + 0.0, hi + 0.0, lo_closed, hi_closed)  # + 0.0: no "-0" bound


# ----------------------------------------------------------------- monotonicity and tails

def _monotonic(v: np.ndarray) -> bool:
    v = v[~np.isnan(v)]
    d = np.nan_to_num(np.diff(v), nan=0.0)  # inf - inf: equal infinite values, no change
    tol = np.nan_to_num(4 * np.finfo(float).eps * (np.abs(v[1:]) + np.abs(v[:-1])), posinf=0.0)
    return bool(np.all(d >= -tol) or np.all(d <= tol))


def _saturating(fn: _Fn, side: float, scale: float):
    """f'(x) -> 0 as x -> side * inf; None if the probe cannot tell (NaN)."""
    tail = fn.d1(side * 10.0 ** np.linspace(250.0, 300.0, 26))
    at_inf = float(fn.d1([side * INF])[0])
    if np.all(np.isnan(tail)):
        return None
    tiny = 1e-8 * max(scale, 1.0)
    return bool(np.nanmax(np.abs(tail)) <= tiny) and (math.isnan(at_inf) or abs(at_inf) <= tiny)


def _identity_near_origin(fn: _Fn) -> bool:
    f0 = float(fn.f([0.0])[0])
    d = fn.d1([-1e-8, 0.0, 1e-8])
    return bool(abs(f0) <= 1e-12 and np.all(np.abs(d - 1.0) <= 1e-6))


# ----------------------------------------------------------------- public

def _probe_elementwise(act: Activation) -> dict:
    fn = _Fn(act)
    kinks = tuple(float(c) for c in act.info.kinks)
    dense = np.linspace(-_SPAN, _SPAN, int(round(2 * _SPAN / _STEP)) + 1)
    f, d1, d2 = fn.f(dense), fn.d1(dense), fn.d2(dense)
    candidates = _undeclared_kinks(fn, dense, f, d1, d2, kinks)
    jumps = _jumps_at(fn, {*kinks, *candidates})
    # a candidate counts only where one-sided limits confirm a jump (not a steep smooth bend)
    found = tuple(float(c) for c in candidates if any(jumps[c]))
    all_kinks = tuple(sorted({*kinks, *found}))

    logs = 10.0 ** np.linspace(-12.0, 300.0, 1249)
    near = [c + s * e * max(1.0, abs(c)) for c in all_kinks for s in (-1, 1) for e in (1e-9, 1e-6, 1e-4)]
    xs = np.unique(np.concatenate([dense, logs, -logs, [0.0], np.asarray(all_kinks), np.asarray(near)]))
    fx, d1x = fn.f(xs), fn.d1(xs)
    at_kink = np.isin(xs, np.asarray(all_kinks))

    rng = _range(fn, xs, fx, all_kinks)
    scale = float(np.nanmax(np.abs(d1)))
    out = {
        "range": rng,
        "continuity": _continuity(jumps),
        "monotonic": _monotonic(fx),
        "derivative_monotonic": _monotonic(d1x[~at_kink]),
        "identity_near_origin": _identity_near_origin(fn),
        "saturating_left": _saturating(fn, -1.0, scale),
        "saturating_right": _saturating(fn, 1.0, scale),
    }
    out.update(_derived(rng))
    out["undeclared_kinks"] = found
    out["derivative_errors"] = _derivative_errors(dense, f, d1, d2, all_kinks)
    return out


def _derived(rng: Range) -> dict:
    """zero_centred, bounded_below, bounded_above from a range, by the registry's own rule."""
    derived = resolve_claims(Props(**{f.name: None for f in fields(Props)} | {"range": rng}), {})
    return {k: derived[k] for k in ("zero_centred", "bounded_below", "bounded_above")}


def _vector_inputs(seed=0):
    rng = np.random.default_rng(seed)
    base = [rng.standard_normal((64, n)) * s for n in (1, 2, 8) for s in (0.1, 1.0, 5.0)]
    base += [np.clip(rng.standard_normal((64, 8)) * 40.0, -_SPAN, _SPAN), np.zeros((4, 8))]
    return base


def _probe_vector(act: Activation) -> dict:
    """Sampled range of a vector-valued function: (min, max) at moderate inputs,
    and whether the outputs keep growing when the inputs are scaled up."""
    fresh = Activation(act.spec, **act.params)
    kw = {"training": False} if act.spec.stochastic else {}
    errors = []

    def run(x):
        try:
            return np.asarray(_Fn._forward(fresh, x, **kw), dtype=np.float64).ravel()
        except ValueError as e:  # an axis length this function does not accept (glu: odd)
            errors.append(e)
            return None

    moderate = [y for y in map(run, _vector_inputs()) if y is not None]
    scaled = [y for x in _vector_inputs(1) for s in (1e3, 1e6) if (y := run(x * s)) is not None]
    if not moderate or not scaled:
        raise ValueError(f"{act.name}: the probe found no input it accepts; the first error: {errors[0]}")
    mod, big = np.concatenate(moderate), np.concatenate(scaled)
    return {"sampled": (float(np.nanmin(mod)), float(np.nanmax(mod))),
            "sampled_scaled": (float(np.nanmin(big)), float(np.nanmax(big)))}


def probe(act: Activation) -> dict:
    """Measure the claims of ``act.info`` numerically (see the module docstring).

    Elementwise kinds: a dict with every key of :data:`CLAIMS` (values as the
    claims are written: a :class:`Range`, an int or ``INF``, booleans; ``None``
    where the probe cannot tell), ``undeclared_kinks``, the points where f,
    f', ... jumps that ``info.kinks`` does not list, and ``derivative_errors``,
    {"df" or "d2f": the first x where it is not the derivative of f or f'}.
    Vector kinds: ``sampled`` and ``sampled_scaled``, the (min, max) output over sample
    inputs of moderate and of huge (1e3, 1e6 times) magnitude.
    """
    if not isinstance(act, Activation):
        raise TypeError(f"probe needs an Activation (actlab.get(name, ...)), got {type(act).__name__}")
    # the probe evaluates far outside the usual range on purpose: overflow to inf,
    # inf - inf and the like are data here (a function's own NaN is tested elsewhere)
    with np.errstate(all="ignore"):
        return _probe_elementwise(act) if act.spec.elementwise else _probe_vector(act)


def unchecked(act: Activation) -> dict[str, Unchecked]:
    """The claims of ``act.info`` that are marked Unchecked, with the reason."""
    info = act.info
    return {c: getattr(info, c) for c in CLAIMS if isinstance(getattr(info, c), Unchecked)}


def _same_bound(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= _VALUE_TOL * (1.0 + abs(b))


def _same_range(claimed: Range, probed: Range) -> bool:
    return (_same_bound(probed.lo, claimed.lo) and _same_bound(probed.hi, claimed.hi)
            and probed.lo_closed == claimed.lo_closed and probed.hi_closed == claimed.hi_closed)


def _vector_range_ok(claimed: Range, p: dict) -> bool:
    lo, hi = p["sampled"]
    big_lo, big_hi = p["sampled_scaled"]
    inside = (lo > claimed.lo or (claimed.lo_closed and lo >= claimed.lo)) and \
             (hi < claimed.hi or (claimed.hi_closed and hi <= claimed.hi))
    inside_big = claimed.lo <= big_lo and big_hi <= claimed.hi
    near_lo = big_lo < -1e5 if claimed.lo == -INF else abs(lo - claimed.lo) <= 1e-6 * (1 + abs(claimed.lo))
    near_hi = big_hi > 1e5 if claimed.hi == INF else abs(hi - claimed.hi) <= 1e-6 * (1 + abs(claimed.hi))
    return bool(inside and inside_big and near_lo and near_hi)


def verify(act: Activation, probed: dict | None = None) -> list[Mismatch]:
    """Every claim of ``act.info`` that the probe contradicts (empty: all agree).

    Unchecked claims are skipped (see :func:`unchecked`); a claim the probe
    cannot decide is reported with ``probed=None``. Undeclared kinks are
    reported as a mismatch of the claim ``kinks``, wrong derivatives as
    mismatches of ``df`` / ``d2f``.
    """
    p = probe(act) if probed is None else probed
    info = act.info
    out = []
    if not act.spec.elementwise:
        claimed = info.range
        if not isinstance(claimed, Unchecked) and not _vector_range_ok(claimed, p):
            out.append(Mismatch(act.name, "range", str(claimed), f"sampled {p['sampled']}, "
                                f"scaled inputs {p['sampled_scaled']}"))
        return out
    for claim in CLAIMS:
        claimed = getattr(info, claim)
        if claimed is None or isinstance(claimed, Unchecked):  # no claim, or not checkable
            continue
        got = p[claim]
        if claim == "range":
            if not _same_range(claimed, got):
                out.append(Mismatch(act.name, claim, str(claimed), str(got)))
        elif claim == "continuity":
            if got != claimed:
                out.append(Mismatch(act.name, claim, continuity_label(claimed), continuity_label(got)))
        elif got is None or bool(got) != bool(claimed):
            out.append(Mismatch(act.name, claim, claimed, got))
    if p["undeclared_kinks"]:
        out.append(Mismatch(act.name, "kinks", tuple(info.kinks),
                            tuple(round(c, 9) + 0.0 for c in p["undeclared_kinks"])))
    for which, x in p["derivative_errors"].items():
        out.append(Mismatch(act.name, which, "the derivative of " + ("f" if which == "df" else "f'"),
                            f"disagrees from x = {x:.6g} (Simpson's rule on the dense grid)"))
    return out
