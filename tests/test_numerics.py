"""Numerics of every elementwise function: dtypes, shapes, special values,
accuracy against mpmath, derivatives against PyTorch and JAX autograd,
backward against finite differences. Parametrised over the whole catalog."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import actlab as al

from .helpers import (accuracy_grid, case_id, cases, condition, elementwise_names, kinks_of, mp_ref,
                      near_kink, special_values, ulp_error)
from .oracles import ORACLES

ELEMENTWISE = elementwise_names()
ALL = al.names()
MP_CASES = cases(ELEMENTWISE, "mp")
TORCH_CASES = cases(ELEMENTWISE, "torch")
JAX_CASES = cases(ELEMENTWISE, "jax")
EVAL = {"training": False}


def _act(name, params):
    return al.get(name, **params)


def _run_all(act, x, with_params=False):
    """Every method on x (the forward in eval mode): y, backward, f', f''
    [, the parameter gradients when with_params]."""
    y = act(x, training=False)
    g = np.full(np.shape(y), 0.5, dtype=y.dtype)
    out = [y, act.backward(x, g)]
    if act.spec.elementwise:
        out += [act.derivative(x), act.second_derivative(x)]
    if with_params:
        out += list(act.param_grads(x, g).values())
    return out


def test_every_function_has_an_oracle():
    missing = [n for n in ALL if n not in ORACLES]
    assert not missing, f"no reference oracle in tests/oracles for {missing}"


def test_every_elementwise_function_has_an_mpmath_reference():
    missing = [n for n in ELEMENTWISE if ORACLES[n].mp is None]
    assert not missing, f"no mpmath reference for {missing}"


# ---------------------------------------------------------------- dtypes and shapes

@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_kept(name, dtype):
    act = al.get(name)
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    for r in _run_all(act, x, with_params=True):
        assert r.dtype == dtype


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, np.bool_])
def test_integers_and_bools_compute_in_float64(name, dtype):
    act = al.get(name)
    x = np.arange(-4, 4).reshape(2, 4).astype(dtype)
    y = act(x, training=False)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, act(x.astype(np.float64), training=False))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shapes_kept_zero_d_empty_noncontiguous_readonly(name):
    act = al.get(name)
    base = np.linspace(-4, 4, 48).reshape(6, 8)
    ro = base.copy()
    ro.setflags(write=False)
    for x in (np.float64(0.7), np.array(-1.5), np.empty((0,)), np.empty((2, 0, 3)),
              base[::2, ::3], base.T, ro):
        for r in _run_all(act, x):
            assert r.shape == np.shape(x)
    # a strided view may take another path (compiled kernel or reference): both within 4 ULP
    np.testing.assert_array_max_ulp(act(base[::2, ::3], training=False),
                                    act(np.ascontiguousarray(base[::2, ::3]), training=False), 4)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_large_array(name):
    act = al.get(name)
    x = np.random.default_rng(1).normal(scale=5, size=1_000_003)
    y = act(x, training=False)
    assert y.shape == x.shape and y.dtype == x.dtype
    idx = [0, 77, 500_000, 1_000_002]
    np.testing.assert_array_equal(y[idx], act(x[idx], training=False))


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("bad", ["abc", None, np.array(["a", "b"]), np.array([1 + 2j]),
                                 np.array([object()]), {"x": 1}])
def test_non_numeric_input_is_a_type_error(name, bad):
    with pytest.raises(TypeError, match="real-valued array"):
        al.get(name)(bad)


# ---------------------------------------------------------------- special values

@pytest.mark.parametrize("case", cases(ELEMENTWISE), ids=case_id)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_special_values_no_warning_nan_propagates_limits(case, dtype):
    name, params = case
    act = _act(name, params)
    x = special_values(dtype)
    y, _, d, d2, *_ = _run_all(act, x, with_params=True)  # RuntimeWarnings are errors
    assert np.isnan(y[-1]) and np.isnan(d[-1]) and np.isnan(d2[-1])
    if not ORACLES[name].limits:
        return
    fmax = float(np.finfo(dtype).max)
    big = np.array([fmax, -fmax], dtype=dtype)
    inf = np.array([np.inf, -np.inf], dtype=dtype)
    for method in (lambda v: act(v, training=False), act.derivative):
        at_inf, at_big, at_quarter = (method(v).astype(np.float64) for v in (inf, big, big / 4))
        for a, b, q in zip(at_inf, at_big, at_quarter):
            # the value at +-inf is the one at the largest float, or f grows towards it there
            assert (a == b or abs(a - b) <= 1e-3 * max(1.0, abs(b))
                    or (np.isinf(a) and np.sign(a) == np.sign(b) and abs(b) > abs(q))), (name, a, b)


# ---------------------------------------------------------------- accuracy against mpmath

GRID = accuracy_grid()


def _accuracy(name, params, order, dtype):
    act = _act(name, params)
    o = ORACLES[name]
    method = {0: lambda v: act(v, training=False), 1: act.derivative, 2: act.second_derivative}[order]
    xs = GRID.astype(dtype) if dtype == np.float64 else np.unique(
        GRID[np.abs(GRID) < 3e38].astype(dtype))
    if order:  # numerical differentiation needs a neighbourhood free of kinks, within [-1e3, 1e3]
        kinks = kinks_of(name, params)
        xs = np.array([x for x in xs if abs(x) <= 1e3 and not near_kink(float(x), kinks, 1e-25)], dtype)
    ours = method(xs)
    eps = float(np.finfo(dtype).eps)
    key = tuple(sorted(params.items()))
    bad = []
    for x, y in zip(xs, ours):
        ref = mp_ref(name, key, float(x), order)
        err = ulp_error(y, ref, dtype)
        if err <= 4:
            continue
        if o.scale is not None and abs(float(y) - float(ref)) <= 4 * eps * float(o.scale(float(x), order, **params)):
            continue  # cancellation between terms of this size is inherent (a mixed error bound)
        if o.ill_conditioned and err <= 4 + 2 * condition(name, key, float(x), order):
            continue
        bad.append((float(x), float(y), float(ref), err))
    assert len(xs) >= 200
    assert not bad, f"{len(bad)} points beyond 4 ULP, e.g. (x, ours, ref, ulp) {bad[:5]}"


@pytest.mark.parametrize("case", MP_CASES, ids=case_id)
@pytest.mark.parametrize("order", [0, 1, 2])
def test_accuracy_float64(case, order):
    _accuracy(*case, order, np.float64)


@pytest.mark.parametrize("case", MP_CASES, ids=case_id)
@pytest.mark.parametrize("order", [0, 1])
def test_accuracy_float32(case, order):
    _accuracy(*case, order, np.float32)


# ---------------------------------------------------------------- derivatives against autograd

def _autograd_grid(name, params):
    kinks = kinks_of(name, params)
    pts = [k + d for k in kinks for d in (-1e-3, -1e-9, 0.0, 1e-9, 1e-3)]
    return np.unique(np.concatenate([np.linspace(-7, 7, 57), pts, [-30.0, -12.5, 12.5, 30.0]]))


def _torch_derivatives(fn, x, params):
    import torch
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t, **params)
    (g,) = torch.autograd.grad(y.sum(), t, create_graph=True)
    if g.requires_grad:
        (g2,) = torch.autograd.grad(g.sum(), t, allow_unused=True, materialize_grads=True)
    else:
        g2 = torch.zeros_like(t)
    return [v.detach().numpy() for v in (y, g, g2)]


@pytest.mark.parametrize("case", TORCH_CASES, ids=case_id)
def test_derivatives_match_torch_autograd(case):
    name, params = case
    act = _act(name, params)
    x = _autograd_grid(name, params)
    ty, tg, tg2 = _torch_derivatives(ORACLES[name].torch, x, params)
    if not ORACLES[name].torch_kink_convention:
        keep = np.array([not near_kink(v, kinks_of(name, params), 1e-12) for v in x])
        x, ty, tg, tg2 = x[keep], ty[keep], tg[keep], tg2[keep]
    np.testing.assert_allclose(act(x, training=False), ty, rtol=1e-12, atol=1e-300, err_msg="value")
    np.testing.assert_allclose(act.derivative(x), tg, rtol=1e-10, atol=1e-14, err_msg="f'")
    np.testing.assert_allclose(act.second_derivative(x), tg2, rtol=1e-8, atol=1e-12, err_msg="f''")


@pytest.mark.parametrize("case", JAX_CASES, ids=case_id)
def test_derivatives_match_jax(case):
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    name, params = case
    act = _act(name, params)
    fn = lambda v: ORACLES[name].jax(v, **params)  # noqa: E731
    kinks = kinks_of(name, params)
    x = np.array([v for v in _autograd_grid(name, params) if not near_kink(v, kinks, 1e-12)])
    d1 = jax.vmap(jax.grad(fn))
    d2 = jax.vmap(jax.grad(jax.grad(fn)))
    xj = jnp.asarray(x)
    np.testing.assert_allclose(act(x, training=False), np.asarray(fn(xj)), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(act.derivative(x), np.asarray(d1(xj)), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(act.second_derivative(x), np.asarray(d2(xj)), rtol=1e-8, atol=1e-12)


# ---------------------------------------------------------------- backward against finite differences

def _fd_grad(loss, x, h=1e-6):
    g = np.zeros_like(x)
    flat, gf = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        step = h * max(1.0, abs(flat[i]))
        xp_, xm_ = flat.copy(), flat.copy()
        xp_[i] += step
        xm_[i] -= step
        gf[i] = (loss(xp_.reshape(x.shape)) - loss(xm_.reshape(x.shape))) / (2 * step)
    return g


def _away_from_kinks(x, kinks, margin=1e-3):
    for k in kinks:
        x = np.where(np.abs(x - k) < margin, x + 3 * margin, x)
    return x


@pytest.mark.parametrize("name", ALL)
def test_backward_matches_finite_differences(name):
    rng = np.random.default_rng(7)
    act = al.get(name)
    x = _away_from_kinks(rng.normal(scale=2.0, size=(3, 4)), kinks_of(name, {}) if name in ORACLES else ())
    y = act(x, training=False)
    g = rng.normal(size=y.shape)  # never all-ones: that proves nothing for softmax
    fd = _fd_grad(lambda v: float(np.sum(g * act(v, training=False))), x)
    np.testing.assert_allclose(act.backward(x, g), fd, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_is_grad_times_derivative(name):
    act = al.get(name)
    x = np.linspace(-5, 5, 41)
    g = np.random.default_rng(3).normal(size=x.shape)
    act(x, training=False)
    np.testing.assert_array_equal(act.backward(x, g), g * act.derivative(x))


@pytest.mark.parametrize("name", ALL)
def test_backward_rejects_a_grad_of_the_wrong_shape(name):
    act = al.get(name)
    x = np.ones((2, 4))
    with pytest.raises(ValueError, match="grad has shape"):
        act.backward(x, np.ones((3, 5)))


# ---------------------------------------------------------------- property-based

@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if ORACLES.get(n) and ORACLES[n].mp])
@given(data=st.data())
def test_random_points_accurate_and_consistent_across_dtypes(name, data):
    x = data.draw(hnp.arrays(np.float64, 5, elements=st.floats(-50, 50, allow_subnormal=True)))
    act = al.get(name)
    y64 = act(x, training=False)
    y32 = act(x.astype(np.float32), training=False)
    # float32 results are within 4 ULP of the float64 result rounded once
    np.testing.assert_array_max_ulp(y32, act(x.astype(np.float32).astype(np.float64), training=False)
                                    .astype(np.float32), 4)
    for xi, yi in zip(x, y64):
        if not near_kink(float(xi), kinks_of(name, {}), 0):
            assert ulp_error(yi, mp_ref(name, (), float(xi), 0), np.float64) <= 4


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(a=st.floats(-1e6, 1e6), b=st.floats(-1e6, 1e6))
def test_monotonic_claim_holds_on_random_pairs(name, a, b):
    act = al.get(name)
    if act.info.monotonic is not True:
        return
    lo, hi = sorted((a, b))
    ylo, yhi = act(np.array([lo, hi]), training=False)
    assert ylo <= yhi


# ---------------------------------------------------------------- Array API

@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_array_api_strict_arrays(name, dtype):
    import array_api_strict as xs
    act = al.get(name)
    xn = np.linspace(-3, 3, 8, dtype=dtype).reshape(2, 4)
    x = xs.asarray(xn)
    y = act(x, training=False)
    assert isinstance(y, type(x)) and y.dtype == getattr(xs, dtype)
    # the reference formulas run on both; NumPy arrays may take a compiled kernel (within 4 ULP)
    np.testing.assert_array_max_ulp(np.asarray(y), act(xn, training=False), 4)
    gn = np.asarray(np.random.default_rng(0).normal(size=np.asarray(y).shape), dtype=dtype)
    gx = act.backward(x, xs.asarray(gn))
    assert isinstance(gx, type(x))
    np.testing.assert_array_max_ulp(np.asarray(gx), act.backward(xn, gn), 4)
    if act.spec.elementwise:
        for m in (act.derivative, act.second_derivative):
            np.testing.assert_array_max_ulp(np.asarray(m(x)), m(xn), 4)
