"""Vector-valued (folding) kinds: values and vector-Jacobian products against
PyTorch and JAX with random upstream gradients along every axis, shape
changes, bad axes, +-inf and NaN rows, sparsemax against an independent
projection, and gumbel_softmax's sampling and straight-through estimator.
The list of functions is discovered from the catalog."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import actlab as al

from .oracles import ORACLES

VECTOR = [n for n in al.names() if not al.get(n).spec.elementwise]
# how each function changes the length of its axis (the others keep it)
LENGTH_FACTOR = {"crelu": 2.0, "glu": 0.5, "swiglu": 0.5, "geglu": 0.5, "reglu": 0.5}
HALVING = [n for n, k in LENGTH_FACTOR.items() if k == 0.5]
NORMALIZING = ["softmax", "softmin", "log_softmax", "sparsemax", "gumbel_softmax"]
SHAPES = [(12,), (6, 12), (6, 6, 12)]  # every length even and divisible by 3 (maxout pieces=3)


def _axes(shape):
    return sorted({0, len(shape) - 1, -1} | ({1} if len(shape) > 1 else set()))


def _cases(need):
    return [(n, p, shape, ax) for n in VECTOR if getattr(ORACLES.get(n), need, None) is not None
            for p in ORACLES[n].param_sets() for shape in SHAPES for ax in _axes(shape)]


def _id(case):
    n, p, shape, ax = case
    return f"{n}{p or ''}-{'x'.join(map(str, shape))}-axis{ax}"


def _forward(act, x, seed):
    """y, and the noise the forward drew (None for deterministic kinds)."""
    if not act.spec.stochastic:
        return act(x), None
    return act(x, rng=seed), np.random.default_rng(seed).gumbel(size=x.shape)


def test_vector_kinds_are_discovered():
    assert {"softmax", "crelu", "maxout", "log_softmax", "sparsemax", "glu", "gumbel_softmax"} <= set(VECTOR)
    assert all(n in ORACLES and ORACLES[n].torch is not None for n in VECTOR)


# ---------------------------------------------------------------- against PyTorch and JAX

@pytest.mark.parametrize("case", _cases("torch"), ids=_id)
def test_value_and_vjp_match_torch(case):
    name, params, shape, ax = case
    rng = np.random.default_rng(abs(hash((shape, ax))) % 2**32)
    act = al.get(name, axis=ax, **params)
    x = rng.normal(scale=3.0, size=shape)
    y, noise = _forward(act, x, seed=5)
    g = rng.normal(size=y.shape)  # random upstream gradient: all-ones proves nothing for softmax
    t = torch.tensor(x, requires_grad=True)
    extra = {} if noise is None else {"noise": torch.tensor(noise)}
    ty = ORACLES[name].torch(t, axis=ax, **params, **extra)
    ty.backward(torch.tensor(g))
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-12, atol=1e-14, err_msg="value")
    np.testing.assert_allclose(act.backward(x, g), t.grad.numpy(), rtol=1e-10, atol=1e-13, err_msg="vjp")


# 3-D only: jax compiles every operation for every new shape
@pytest.mark.parametrize("case", [c for c in _cases("jax") if len(c[2]) == 3], ids=_id)
def test_value_and_vjp_match_jax(case):
    import jax
    jax.config.update("jax_enable_x64", True)
    name, params, shape, ax = case
    rng = np.random.default_rng(11)
    act = al.get(name, axis=ax, **params)
    x = rng.normal(scale=3.0, size=shape)
    y = act(x)
    g = rng.normal(size=y.shape)
    jy, pullback = jax.vjp(lambda a: ORACLES[name].jax(a, axis=ax, **params), jax.numpy.asarray(x))
    np.testing.assert_allclose(y, np.asarray(jy), rtol=1e-12, atol=1e-14, err_msg="value")
    np.testing.assert_allclose(act.backward(x, g), np.asarray(pullback(jax.numpy.asarray(g))[0]),
                               rtol=1e-10, atol=1e-13, err_msg="vjp")


# ---------------------------------------------------------------- shapes and bad input

@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("ax", [0, 1, -1])
def test_shape_change_along_the_axis_only(name, ax):
    act = al.get(name, axis=ax)
    x = np.random.default_rng(0).normal(size=(6, 12, 4))
    factor = LENGTH_FACTOR.get(name, 1 / act.params["pieces"] if name == "maxout" else 1.0)
    expected = list(x.shape)
    expected[ax] = int(expected[ax] * factor)
    y = act(x, training=False)
    assert y.shape == tuple(expected)
    assert act.backward(x, np.ones_like(y)).shape == x.shape


@pytest.mark.parametrize("name", VECTOR)
def test_bad_axis_and_zero_d_input_are_value_errors(name):
    x = np.ones((2, 4))
    with pytest.raises(ValueError, match=r"axis 2 is out of range for an array of 2 dimensions"):
        al.get(name, axis=2)(x, training=False)
    with pytest.raises(ValueError, match=r"axis -3 is out of range"):
        al.get(name, axis=-3).backward(x, np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"needs an array of at least one dimension, got a 0-d array"):
        al.get(name)(np.float64(1.0), training=False)
    with pytest.raises(ValueError, match=r"axis must be an integer axis, got 1\.5"):
        al.get(name, axis=1.5)


@pytest.mark.parametrize("name", HALVING)
def test_glu_family_needs_an_even_axis(name):
    act = al.get(name, axis=0)
    with pytest.raises(ValueError, match=rf"{name}: the axis has length 5, which is odd.*must be even"):
        act(np.ones((5, 4)))
    with pytest.raises(ValueError, match="which is odd"):
        act.backward(np.ones((3, 4)), np.ones((1, 4)))
    assert act(np.ones((4, 5))).shape == (2, 5)  # only the acting axis needs to be even


def test_maxout_needs_a_divisible_axis():
    with pytest.raises(ValueError, match="length 4, which is not divisible by pieces=3"):
        al.get("maxout", pieces=3)(np.ones((2, 4)))


# ---------------------------------------------------------------- +-inf and NaN rows

INF, NAN = np.inf, np.nan
ROWS = np.array([
    [0.5, -1.0, 2.0, 0.0],
    [INF, 1.0, INF, -INF],
    [-INF, 3.0, -INF, -INF],
    [-INF, -INF, -INF, -INF],
    [INF, INF, INF, INF],
    [NAN, 1.0, 2.0, 3.0],
])


@pytest.mark.parametrize("name", VECTOR)
def test_inf_and_nan_rows_without_warnings(name):
    act = al.get(name)
    y = act(ROWS, training=False)  # RuntimeWarnings are errors
    gx = act.backward(ROWS, np.random.default_rng(2).normal(size=y.shape))
    assert np.isfinite(y[0]).all() and np.isfinite(gx[0]).all()
    if name in NORMALIZING:  # every output and every input's gradient depend on the whole row
        assert np.isnan(y[5]).all() and np.isnan(gx[5]).all()
    else:  # NaN exactly where the output depends on the NaN entry, as PyTorch
        ty = ORACLES[name].torch(torch.tensor(ROWS[5:]), axis=-1).numpy()
        np.testing.assert_array_equal(np.isnan(y[5:]), np.isnan(ty))


LIMITS = {  # rows 1-4 of ROWS: the limits of finite rows tending to them
    "softmax": [[0.5, 0, 0.5, 0], [0, 1, 0, 0], [0.25] * 4, [0.25] * 4],
    "sparsemax": [[0.5, 0, 0.5, 0], [0, 1, 0, 0], [0.25] * 4, [0.25] * 4],
    "gumbel_softmax": [[0.5, 0, 0.5, 0], [0, 1, 0, 0], [0.25] * 4, [0.25] * 4],  # eval mode
    "softmin": [[0, 0, 0, 1], [1 / 3, 0, 1 / 3, 1 / 3], [0.25] * 4, [0.25] * 4],
    "log_softmax": [[-np.log(2), -INF, -np.log(2), -INF], [-INF, 0, -INF, -INF], [-np.log(4)] * 4,
                    [-np.log(4)] * 4],
}


@pytest.mark.parametrize("name", LIMITS)
def test_normalizers_at_infinite_entries_take_the_limit(name):
    y = al.get(name)(ROWS, training=False)
    np.testing.assert_allclose(y[1:5], LIMITS[name], rtol=1e-15)
    assert np.isnan(y[5]).all()


def test_softmax_limit_is_approached_by_large_finite_rows():
    big = np.where(np.isinf(ROWS[1:5]), np.sign(ROWS[1:5]) * 1e300, ROWS[1:5])
    for name in ("softmax", "sparsemax", "softmin"):
        np.testing.assert_allclose(al.get(name)(big), al.get(name)(ROWS[1:5]), rtol=1e-15)


def test_glu_family_inf_times_zero_is_nan_and_the_rest_is_the_limit():
    x = np.array([[INF, 2.0, -3.0, 0.0, -INF, INF, 5.0, 0.0]])  # a | b
    with np.errstate(all="ignore"):
        want = {n: ORACLES[n].torch(torch.tensor(x), axis=-1).numpy() for n in HALVING}
    for name, ty in want.items():
        np.testing.assert_allclose(al.get(name)(x), ty, rtol=1e-14, err_msg=name)  # NaN and inf alike


# ---------------------------------------------------------------- sparsemax

def _project_onto_simplex(z):
    """Bisection on tau for sum(max(z - tau, 0)) = 1, row by row (not sort-based)."""
    lo = z.max(axis=-1, keepdims=True) - 1.0
    hi = z.max(axis=-1, keepdims=True)
    for _ in range(200):
        mid = (lo + hi) / 2
        over = np.maximum(z - mid, 0).sum(axis=-1, keepdims=True) > 1
        lo, hi = np.where(over, mid, lo), np.where(over, hi, mid)
    return np.maximum(z - (lo + hi) / 2, 0)


@given(x=hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 9)),
                    elements=st.floats(-1e3, 1e3)))
def test_sparsemax_is_the_euclidean_projection_onto_the_simplex(x):
    p = al.sparsemax(x)
    np.testing.assert_allclose(p, _project_onto_simplex(x), atol=1e-9)
    assert (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(al.sparsemax(x + 7.25), p, atol=1e-9)


def test_sparsemax_is_sparse_and_its_vjp_is_the_papers():
    x = np.array([[1.0, 0.9, -2.0, 0.2, 0.95]])
    p = al.sparsemax(x)
    np.testing.assert_allclose(p, [[23 / 60, 17 / 60, 0, 0, 20 / 60]], atol=1e-15)  # tau = 37/60
    g = np.array([[0.3, -1.1, 2.0, 0.7, 0.5]])
    on = p > 0
    want = np.where(on, g - g[on].mean(), 0.0)
    np.testing.assert_allclose(al.get("sparsemax").backward(x, g), want, atol=1e-15)


@pytest.mark.parametrize("ax", [0, -1])
def test_sparsemax_vjp_matches_finite_differences(ax):
    rng = np.random.default_rng(21)
    act = al.get("sparsemax", axis=ax)
    x = rng.normal(size=(7, 9))
    g = rng.normal(size=x.shape)
    fd = np.zeros_like(x)
    h = 1e-7
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        fd[i] = (np.sum(g * act(x + e)) - np.sum(g * act(x - e))) / (2 * h)
    p = act(x)
    assert (p == 0).any() and ((p > 0).sum(axis=ax) > 1).any()  # sparse, with supports of several entries
    np.testing.assert_allclose(act.backward(x, g), fd, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- gumbel_softmax

def test_gumbel_softmax_same_seed_same_sample_and_noise_is_gumbel():
    act = al.get("gumbel_softmax", tau=0.7)
    x = np.random.default_rng(0).normal(size=(4, 5))
    np.testing.assert_array_equal(act(x, rng=42), act(x, rng=42))
    np.testing.assert_array_equal(act(x, rng=np.random.default_rng(42)), act(x, rng=42))
    assert not np.array_equal(act(x, rng=42), act(x, rng=43))
    # Gumbel-max: the argmax of x + g is a sample of Categorical(softmax(x))
    logits = np.log(np.array([0.6, 0.3, 0.1]))
    counts = np.bincount(np.argmax(al.get("gumbel_softmax", tau=0.1)(np.tile(logits, (20000, 1)), rng=3),
                                   axis=-1), minlength=3) / 20000
    np.testing.assert_allclose(counts, [0.6, 0.3, 0.1], atol=0.015)


@pytest.mark.parametrize("ax", [0, -1])
def test_gumbel_softmax_hard_is_one_hot_with_the_straight_through_gradient(ax):
    rng = np.random.default_rng(8)
    x = rng.normal(size=(6, 5))
    hard, soft = al.get("gumbel_softmax", hard=True, axis=ax), al.get("gumbel_softmax", axis=ax)
    y, ys = hard(x, rng=9), soft(x, rng=9)
    assert set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_array_equal(y.sum(axis=ax), 1.0)
    np.testing.assert_array_equal(np.argmax(y, axis=ax), np.argmax(ys, axis=ax))
    g = rng.normal(size=y.shape)
    np.testing.assert_array_equal(hard.backward(x, g), soft.backward(x, g))
    # PyTorch's straight-through estimator with the same noise
    t = torch.tensor(x, requires_grad=True)
    y_soft = torch.softmax(t + torch.tensor(np.random.default_rng(9).gumbel(size=x.shape)), dim=ax)
    index = y_soft.max(dim=ax, keepdim=True)[1]
    y_hard = torch.zeros_like(y_soft).scatter_(ax, index, 1.0)
    (y_hard - y_soft.detach() + y_soft).backward(torch.tensor(g))
    np.testing.assert_array_equal(y, y_hard.detach().numpy())
    np.testing.assert_allclose(hard.backward(x, g), t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_gumbel_softmax_eval_is_deterministic_and_noise_free():
    x = np.random.default_rng(4).normal(size=(3, 6))
    act = al.get("gumbel_softmax", tau=0.5)
    y = act(x, training=False)
    np.testing.assert_array_equal(y, act(x, training=False))
    np.testing.assert_allclose(y, torch.softmax(torch.tensor(x) / 0.5, dim=-1).numpy(), rtol=1e-12)
    g = np.random.default_rng(5).normal(size=x.shape)
    t = torch.tensor(x, requires_grad=True)
    torch.softmax(t / 0.5, dim=-1).backward(torch.tensor(g))
    np.testing.assert_allclose(act.backward(x, g), t.grad.numpy(), rtol=1e-10, atol=1e-15)
    one_hot = al.get("gumbel_softmax", hard=True)(x, training=False)
    np.testing.assert_array_equal(one_hot, np.eye(6)[np.argmax(x, axis=-1)])


def test_gumbel_softmax_backward_uses_the_forwards_noise():
    act = al.get("gumbel_softmax")
    x = np.random.default_rng(6).normal(size=(2, 4))
    g = np.random.default_rng(7).normal(size=x.shape)
    act(x, rng=1)
    first = act.backward(x, g)
    act(x, rng=2)
    assert not np.allclose(act.backward(x, g), first)
    act(x, rng=1)
    np.testing.assert_array_equal(act.backward(x, g), first)


# ---------------------------------------------------------------- properties of random rows

ROWS_2D = hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 8)),
                     elements=st.floats(-700, 700))


@given(x=ROWS_2D, shift=st.floats(-1e3, 1e3))
def test_softmax_sums_to_one_and_is_shift_invariant(x, shift):
    s = al.softmax(x)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-13)
    np.testing.assert_allclose(al.softmax(x + shift), s, rtol=1e-9, atol=1e-300)


@given(x=ROWS_2D)
def test_log_softmax_softmin_agree_with_softmax(x):
    s = al.softmax(x)
    ls = al.log_softmax(x)
    assert (ls <= 0).all()
    np.testing.assert_allclose(np.exp(ls), s, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(al.softmin(x), al.softmax(-x), rtol=1e-15)
    # log-sum-exp of log_softmax is 0: it is a normalized log-probability
    m = ls.max(axis=-1, keepdims=True)
    np.testing.assert_allclose(m[..., 0] + np.log(np.exp(ls - m).sum(axis=-1)), 0.0, atol=1e-13)


@pytest.mark.parametrize("name", VECTOR)
def test_vjp_is_linear_in_the_upstream_gradient(name):
    rng = np.random.default_rng(13)
    act = al.get(name)
    x = rng.normal(size=(3, 6))
    y = act(x, training=False)
    g1, g2 = rng.normal(size=y.shape), rng.normal(size=y.shape)
    np.testing.assert_allclose(act.backward(x, 2.0 * g1 - g2),
                               2.0 * act.backward(x, g1) - act.backward(x, g2), rtol=1e-12, atol=1e-13)
