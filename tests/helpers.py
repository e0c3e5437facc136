"""Shared test utilities: grids, ULP errors, mpmath references."""

from __future__ import annotations

import functools
import math

import mpmath as mp
import numpy as np

import actlab as al

from .oracles import ORACLES

MP_DPS = 40


def elementwise_names():
    return [n for n in al.names() if al.get(n).spec.elementwise]


def vector_names():
    return [n for n in al.names() if not al.get(n).spec.elementwise]


def cases(names, need=None):
    """(name, params) pairs over each name's oracle parameter sets; `need` is
    an oracle attribute that must be present (e.g. 'mp', 'torch')."""
    out = []
    for n in names:
        o = ORACLES.get(n)
        if o is None or (need and getattr(o, need) is None):
            continue
        for p in o.param_sets():
            out.append((n, p))
    return out


def case_id(case):
    n, p = case
    return n + ("[" + ",".join(f"{k}={v}" for k, v in p.items()) + "]" if p else "")


def accuracy_grid():
    """Over 300 points spanning [-1e3, 1e3], dense near 0, plus the extremes."""
    pos = np.concatenate([np.logspace(-300, -1, 25), np.linspace(0.03, 10.0, 110),
                          np.logspace(1, 3, 40), [0.5, 1.0, 2.0, 3.0, 6.0]])
    extremes = [5e-324, 1e-310, 1e300, 1.7976931348623157e308]
    return np.unique(np.concatenate([-pos, [0.0], pos, extremes, np.negative(extremes)]))


def special_values(dtype):
    fi = np.finfo(dtype)
    vals = [0.0, fi.smallest_subnormal, fi.tiny, fi.eps, 0.5, 1.0, 2.0, 100.0, float(fi.max), 1e300, np.inf]
    v = np.array(vals, dtype=np.float64)
    with np.errstate(over="ignore"):
        return np.concatenate([v, -v, [np.nan]]).astype(dtype)


def kinks_of(name, params):
    return tuple(al.get(name, **params).info.kinks) + tuple(ORACLES[name].kinks)


def near_kink(x, kinks, tol):
    return any(abs(x - k) <= tol * max(1.0, abs(k)) for k in kinks)


@functools.lru_cache(maxsize=None)
def mp_ref(name, params_items, x, order):
    """f^(order)(x) in mpmath: the oracle's formula, differentiated numerically.

    The step is relative to |x| (so it never straddles a kink at 0) and the
    precision resolves the steps next to f's magnitude: e^-1000 next to 1
    needs 1443 bits, a step of 1e-300 * 2^-100 next to 0.5 about 1100, and
    gelu's f''(20) ~ 1e-88 next to f(20) = 20 about 1500.
    """
    o = ORACLES[name]
    params = dict(params_items)
    f = lambda t: o.mp(t, **params)  # noqa: E731
    mag = abs(math.frexp(x)[1]) if x else 0
    prec = 300 + 2 * mag + (1500 if abs(x) > 10 else 0)
    with mp.workprec(prec):
        xm = mp.mpf(x)
        if order == 0:
            return f(xm)
        h = mp.ldexp(abs(xm), -100) if x else mp.ldexp(1, -250)
        d = mp.diff(f, xm, order, h=h)
        # What is left of an exact zero is noise: rounding at mp.diff's working
        # precision, (prec + 20)(order + 1) bits of f, divided by h^order; at
        # x = 0 (where f may vanish too) the truncation error, h^2 ~ 2^-500.
        if x:
            noise = abs(f(xm)) * mp.ldexp(1, 50 - (prec + 20) * (order + 1)) / h ** order
        else:
            noise = mp.ldexp(1, -400)
        return mp.mpf(0) if abs(d) < noise else d


def condition(name, params_items, x, order):
    """kappa = |x f^(order+1)(x) / f^(order)(x)|: the relative change of the
    result per relative change of x (inf at zeros of f^(order))."""
    num, den = mp_ref(name, params_items, x, order + 1), mp_ref(name, params_items, x, order)
    return float(abs(mp.mpf(x) * num / den)) if den else math.inf


def ulp_error(ours, ref, dtype):
    """|ours - ref| in units of the last place of ref rounded to dtype."""
    with np.errstate(over="ignore"):  # a reference beyond the dtype's range rounds to inf
        ref_d = np.asarray(float(ref)).astype(dtype) if mp.isfinite(ref) else np.asarray(float(ref), dtype)
    ours = np.asarray(ours, dtype=np.float64)
    if np.isnan(ours) or np.isnan(ref_d):
        return 0.0 if np.isnan(ours) and np.isnan(ref_d) else np.inf
    if np.isinf(ref_d) or np.isinf(ours):
        return 0.0 if ours == ref_d else np.inf
    err = abs(mp.mpf(float(ours)) - ref)
    a = np.abs(ref_d).astype(dtype)
    if a == np.finfo(dtype).max:  # the ulp below the largest float
        a = np.nextafter(a, dtype(0))
    return float(err / mp.mpf(float(np.spacing(a))))
