"""actlab.special against mpmath: erf, erfc, the normal CDF and density, over a
wide grid including both tails, the branch boundaries of fdlibm's
approximations and the subnormal range; special values; the double-double
building blocks; and PyTorch's and JAX's gelu where their formulas do not
cancel (the numerics tests use accurate expressions for them, see
tests/oracles/smooth_gated.py)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, strategies as st

import actlab as al
from actlab import special as sp

# measured maxima over the grid below (tests/test_special.py, float64): erf 0.80,
# erfc 1.76, ndtr 1.72, norm_pdf 1.84 ULP; the bounds leave a little room
BOUNDS = {"erf": 1.0, "erfc": 2.0, "ndtr": 2.0, "norm_pdf": 2.0}

def _far(fn, inf_value, neg_inf_value):
    """fn, with its limits past |x| = 1e4 (mpmath's erfc overflows for |x| ~ 1e150;
    there the functions are their limits far past any precision used here)."""
    return lambda x: fn(x) if abs(x) < 1e4 else mp.mpf(inf_value if x > 0 else neg_inf_value)


REFS = {"erf": _far(mp.erf, 1, -1), "erfc": _far(mp.erfc, 0, 2), "ndtr": _far(mp.ncdf, 1, 0),
        "norm_pdf": _far(mp.npdf, 0, 0)}


def _grid():
    rng = np.random.default_rng(20261122)
    edges = np.array([0.25, 0.5, 0.84375, 1.25, 1 / 0.35, 6.0, 26.5, 27.2, 28.0])
    near = np.concatenate([np.nextafter(edges, 0), edges, np.nextafter(edges, 10)])
    pos = np.concatenate([
        rng.uniform(0, 1.5, 600), rng.uniform(1.5, 6, 600), rng.uniform(6, 40, 400),
        np.logspace(-320, 0, 120), near, [1e300, 1.7976931348623157e308],
    ])
    return np.unique(np.concatenate([pos, -pos, [0.0]]))


GRID = _grid()


def ulp_error(ours: float, ref) -> float:
    """|ours - ref| in units of the float64 spacing at ref (the subnormal spacing below 2^-1022)."""
    r = float(ref)
    if not math.isfinite(r):
        return 0.0 if ours == r else math.inf
    spacing = float(np.spacing(np.float64(abs(r)))) if r else 5e-324
    return float(abs(mp.mpf(float(ours)) - ref) / mp.mpf(spacing))


def _worst(name, xs, ys, ref=None):
    ref = ref or REFS[name]
    with mp.workprec(200):
        errs = [ulp_error(y, ref(mp.mpf(float(x)))) for x, y in zip(xs, ys)]
    i = int(np.argmax(errs))
    return errs[i], xs[i]


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_accuracy_against_mpmath(name):
    y = getattr(sp, name)(np, GRID)
    worst, at = _worst(name, GRID, y)
    assert worst <= BOUNDS[name], f"{name}: {worst:.2f} ULP at x = {at!r}"


@pytest.mark.parametrize("name", ["ndtr", "norm_pdf"])
def test_factor_is_applied_before_the_last_rounding(name):
    """x Phi(x) and x phi(x) stay exact where Phi(x) and phi(x) are subnormal (x ~ -38):
    rounding Phi first would lose up to |x| subnormal steps."""
    x = -np.linspace(37.0, 38.6, 81)
    y = getattr(sp, name)(np, x, factor=x)
    ref = REFS[name]
    worst, at = _worst(name, x, y, lambda t: t * ref(t))
    assert worst <= BOUNDS[name], f"x*{name}: {worst:.2f} ULP at x = {at!r}"
    assert np.all(y <= 0) and np.any((y < 0) & (y > -np.finfo(np.float64).tiny))  # subnormals reached


def test_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    erf, erfc = sp.erf(np, x), sp.erfc(np, x)
    np.testing.assert_array_equal(erf, [0.0, -0.0, 1.0, -1.0, np.nan])
    assert np.signbit(erf[1]) and not np.signbit(erf[0])
    np.testing.assert_array_equal(erfc, [1.0, 1.0, 0.0, 2.0, np.nan])
    np.testing.assert_array_equal(sp.ndtr(np, x), [0.5, 0.5, 1.0, 0.0, np.nan])
    phi0 = float(1 / mp.sqrt(2 * mp.pi))
    np.testing.assert_array_equal(sp.norm_pdf(np, x), [phi0, phi0, 0.0, 0.0, np.nan])
    big = np.array([1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324])
    np.testing.assert_array_equal(sp.erfc(np, big), [0.0, 2.0, 1.0, 1.0])
    np.testing.assert_array_equal(sp.ndtr(np, big), [1.0, 0.0, 0.5, 0.5])


@given(st.floats(-30, 30, allow_subnormal=True))
def test_symmetries(x):
    a = np.array([x, -x])
    e, c = sp.erf(np, a), sp.erfc(np, a)
    assert e[0] == -e[1]  # erf is odd, exactly
    assert abs(c[0] + c[1] - 2.0) <= 4.5e-16  # erfc(x) + erfc(-x) = 2, to rounding
    p = sp.ndtr(np, a)
    assert abs(p[0] + p[1] - 1.0) <= 2.3e-16
    with mp.workprec(200):
        assert ulp_error(e[0], mp.erf(mp.mpf(x))) <= BOUNDS["erf"]
        assert ulp_error(c[0], mp.erfc(mp.mpf(x))) <= BOUNDS["erfc"]


def test_float32_is_computed_in_float64_and_rounded_once():
    x = np.linspace(-9, 9, 301, dtype=np.float32)
    for name in ("erf", "erfc", "ndtr", "norm_pdf"):
        y = getattr(sp, name)(np, x)
        assert y.dtype == np.float32
        np.testing.assert_array_equal(y, getattr(sp, name)(np, x.astype(np.float64)).astype(np.float32))
        with mp.workprec(100):
            ref = np.array([float(REFS[name](mp.mpf(float(v)))) for v in x], dtype=np.float32)
        ulps = np.abs(y.astype(np.float64) - ref) / np.spacing(np.maximum(np.abs(ref), np.float32(1e-38)))
        assert ulps.max() <= 1, (name, ulps.max())


def test_array_api_strict_arrays():
    import array_api_strict as xs
    x = np.linspace(-8, 8, 33)
    for name in ("erf", "erfc", "ndtr", "norm_pdf"):
        y = getattr(sp, name)(xs, xs.asarray(x))
        assert isinstance(y, type(xs.asarray(x)))
        np.testing.assert_array_equal(np.asarray(y), getattr(sp, name)(np, x))


@given(st.floats(-1e3, 1e3).filter(lambda a: a == 0 or abs(a) > 1e-280),  # no underflow
       st.sampled_from([1.702, 0.044715, 0.7071067811865476, 3.0]))
def test_two_prod_is_exact(a, b):
    p, e = sp.two_prod(np, np.array([a]), b)
    with mp.workprec(300):
        assert mp.mpf(float(p[0])) + mp.mpf(float(e[0])) == mp.mpf(a) * mp.mpf(b)


def test_dd_const_carries_the_decimal():
    hi, lo = sp.dd_const("1.702")
    with mp.workprec(300):
        assert abs(mp.mpf(hi) + mp.mpf(lo) - mp.mpf("1.702")) < mp.mpf(2) ** -105


# ---------------------------------------------------------------- gelu's peers

PEER_X = np.linspace(-3.0, 7.0, 101)  # 0.5x(1 + erf) and 0.5x(1 + tanh) keep >= 13 digits here


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_torch_gelu_agrees_where_it_does_not_cancel(approximate):
    import torch
    import torch.nn.functional as F
    t = torch.tensor(PEER_X, dtype=torch.float64, requires_grad=True)
    y = F.gelu(t, approximate=approximate)
    (g,) = torch.autograd.grad(y.sum(), t)
    act = al.get("gelu", approximate=approximate)
    np.testing.assert_allclose(act(PEER_X), y.detach().numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(act.derivative(PEER_X), g.numpy(), rtol=1e-10, atol=1e-14)
    # below x ~ -8.3 PyTorch's formula returns 0; x Phi(x) is about -4.6e-35 at -12.5
    assert float(F.gelu(torch.tensor(-12.5, dtype=torch.float64))) == 0.0
    with mp.workprec(200):
        assert ulp_error(al.gelu(np.array([-12.5]))[0], mp.mpf(-12.5) * mp.ncdf(-12.5)) <= 4


@pytest.mark.parametrize("approximate", [False, True])
def test_jax_gelu_agrees_and_defaults_to_the_tanh_form(approximate):
    import jax
    jax.config.update("jax_enable_x64", True)
    y = np.asarray(jax.nn.gelu(PEER_X, approximate=approximate))
    ours = al.gelu(PEER_X, approximate="tanh" if approximate else "none")
    np.testing.assert_allclose(ours, y, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(np.asarray(jax.nn.gelu(PEER_X)), al.gelu(PEER_X, approximate="tanh"), rtol=1e-12)
