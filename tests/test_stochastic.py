"""Stochastic kinds (dropout, rrelu and any other S kind, found by kind): training/eval
semantics, seeding, backward with the forward's noise, and the functions' own contracts."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, strategies as st

import actlab as al

STOCHASTIC = [n for n in al.names() if al.get(n).spec.stochastic]


def _x(shape=(4, 6), seed=0):
    # away from 0 (rrelu's kink), where finite differences would straddle it
    x = np.random.default_rng(seed).normal(scale=2.0, size=shape)
    return np.where(np.abs(x) < 1e-2, 0.5, x)


def _fd_grad(loss, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = h * max(1.0, abs(x[i]))
        xp_, xm_ = x.copy(), x.copy()
        xp_[i] += step
        xm_[i] -= step
        g[i] = (loss(xp_) - loss(xm_)) / (2 * step)
    return g


def test_the_catalog_has_its_stochastic_functions():
    assert {"dropout", "rrelu"} <= set(STOCHASTIC)


@pytest.mark.parametrize("name", STOCHASTIC)
def test_same_seed_same_result_other_seed_other_result(name):
    act = al.get(name)
    x = _x((50, 8))
    y1 = act(x, rng=123)
    np.testing.assert_array_equal(y1, act(x, rng=123))
    np.testing.assert_array_equal(y1, act(x, rng=np.random.default_rng(123)))
    np.testing.assert_array_equal(y1, al.functional(name)(x, rng=123))
    assert not np.array_equal(y1, act(x, rng=124))


@pytest.mark.parametrize("name", STOCHASTIC)
def test_rng_must_be_a_generator_or_a_seed(name):
    act = al.get(name)
    act(_x(), rng=None)  # fresh entropy is allowed
    with pytest.raises(TypeError, match="rng must be"):
        act(_x(), rng="seed")


@pytest.mark.parametrize("name", STOCHASTIC)
def test_eval_mode_is_deterministic_and_ignores_rng(name):
    act = al.get(name)
    x = _x()
    y = act(x, training=False)
    np.testing.assert_array_equal(y, act(x, training=False, rng=1))
    np.testing.assert_array_equal(y, act(x, training=False, rng=2))
    assert not np.array_equal(act(x, rng=1), act(x, rng=2))  # training is not


@pytest.mark.parametrize("name", STOCHASTIC)
def test_backward_uses_the_forwards_noise(name):
    """backward after a training forward is the gradient of x -> f(x) with that noise held fixed:
    the same seed reproduces the noise at the perturbed inputs of the finite differences."""
    act = al.get(name)
    x = _x((3, 4))
    g = np.random.default_rng(5).normal(size=act(x, rng=7).shape)
    fd = _fd_grad(lambda v: float(np.sum(g * al.get(name)(v, rng=7))), x)
    act(x, rng=7)
    gx = act.backward(x, g)
    np.testing.assert_allclose(gx, fd, rtol=1e-6, atol=1e-8)
    # a later forward with other noise changes what backward uses
    act(x, rng=8)
    assert not np.allclose(act.backward(x, g), gx)
    # an eval forward drops the noise: backward is the eval-mode gradient
    act(x, training=False)
    fd_eval = _fd_grad(lambda v: float(np.sum(g * act(v, training=False))), x)
    np.testing.assert_allclose(act.backward(x, g), fd_eval, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", STOCHASTIC)
def test_derivative_for_x_of_another_shape_than_the_training_forward_raises(name):
    act = al.get(name)
    act(_x((3, 4)), rng=0)
    other = _x((4, 3))
    with pytest.raises(ValueError, match="shape"):
        act.backward(other, np.ones(al.get(name)(other, training=False).shape))
    if act.spec.elementwise:
        act(_x((3, 4)), rng=0)
        with pytest.raises(ValueError, match=r"\(3, 4\)"):
            act.derivative(other)
        with pytest.raises(ValueError, match="shape"):
            act.second_derivative(other)


# ---------------------------------------------------------------- dropout

def test_dropout_eval_is_identity_and_rate_zero_keeps_everything():
    x = _x()
    np.testing.assert_array_equal(al.dropout(x, training=False), x)
    np.testing.assert_array_equal(al.dropout(x, rate=0.0, rng=3), x)
    act = al.get("dropout", rate=0.0)
    act(x, rng=3)
    np.testing.assert_array_equal(act.derivative(x), np.ones_like(x))


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.9])
def test_dropout_drops_a_fraction_rate_and_rescales_the_rest(rate):
    x = np.random.default_rng(0).uniform(0.5, 2.0, size=1_000_000)
    act = al.get("dropout", rate=rate)
    y = act(x, rng=11)
    dropped = y == 0
    # binomial standard deviation sqrt(rate (1-rate) / n) <= 5e-4: 6 of them is far out
    assert abs(dropped.mean() - rate) < 3e-3
    np.testing.assert_allclose(y[~dropped], x[~dropped] / (1 - rate), rtol=1e-15)
    d = act.derivative(x)
    np.testing.assert_array_equal(d == 0, dropped)
    np.testing.assert_allclose(d[~dropped], 1 / (1 - rate), rtol=1e-15)


def test_dropout_of_inf_is_exactly_zero_when_dropped():
    x = np.full(1000, np.inf)
    y = al.dropout(x, rate=0.5, rng=0)  # RuntimeWarnings are errors: no inf * 0
    assert set(np.unique(y)) == {0.0, np.inf}


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5, float("nan"), float("inf"), "0.5", None, True])
def test_dropout_bad_rate_raises(rate):
    with pytest.raises(ValueError, match=r"rate must be a real number in \[0, 1\)"):
        al.get("dropout", rate=rate)


# ---------------------------------------------------------------- rrelu

def test_rrelu_training_slopes_are_uniform_in_lower_upper_per_element():
    lower, upper = 0.1, 0.4
    act = al.get("rrelu", lower=lower, upper=upper)
    x = -np.random.default_rng(1).uniform(0.5, 2.0, size=200_000)
    slopes = act(x, rng=9) / x
    assert slopes.min() >= lower and slopes.max() < upper
    # U(l, u): mean (l+u)/2 = 0.25, standard deviation of the mean 0.087/sqrt(2e5) = 2e-4
    assert abs(slopes.mean() - 0.25) < 2e-3
    assert abs(np.quantile(slopes, 0.25) - 0.175) < 3e-3  # uniform, not some other law
    np.testing.assert_allclose(act.derivative(x), slopes, rtol=1e-12)
    pos = np.abs(x)
    np.testing.assert_array_equal(act(pos, rng=9), pos)


def test_rrelu_eval_matches_torch():
    x = np.concatenate([np.linspace(-5, 5, 41), [0.0, -0.0, -1e300, np.inf, -np.inf]])
    for params in ({}, {"lower": 0.05, "upper": 0.5}, {"lower": 0.3, "upper": 0.3}):
        act = al.get("rrelu", **params)
        t = torch.tensor(x, requires_grad=True)
        y = F.rrelu(t, params.get("lower", 1 / 8), params.get("upper", 1 / 3), training=False)
        (g,) = torch.autograd.grad(y.sum(), t)
        np.testing.assert_allclose(act(x, training=False), y.detach().numpy(), rtol=1e-15)
        np.testing.assert_allclose(act.derivative(x), g.numpy(), rtol=1e-15)
    assert al.get("rrelu").derivative(np.array([0.0]))[0] == pytest.approx(11 / 48)


def test_rrelu_lower_equal_upper_is_deterministic_even_in_training():
    x = _x()
    act = al.get("rrelu", lower=0.2, upper=0.2)
    np.testing.assert_allclose(act(x, rng=1), np.where(x >= 0, x, 0.2 * x), rtol=1e-15)


@pytest.mark.parametrize("params", [{"lower": 0.5, "upper": 0.25}, {"lower": float("nan")},
                                    {"upper": float("inf")}, {"lower": "0.1"}])
def test_rrelu_bad_bounds_raise(params):
    with pytest.raises(ValueError, match="lower|upper"):
        al.get("rrelu", **params)


@given(lower=st.floats(0.0, 1.0), width=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_rrelu_output_between_the_two_leaky_bounds(lower, width, seed):
    upper = lower + width
    x = np.linspace(-3, 3, 25)
    y = al.rrelu(x, lower=lower, upper=upper, rng=seed)
    neg = x < 0  # there a slope in [lower, upper] puts y between upper*x and lower*x
    assert np.all(y[neg] >= upper * x[neg] * (1 + 1e-15)) and np.all(y[neg] <= lower * x[neg] * (1 - 1e-15))
    np.testing.assert_array_equal(y[~neg], x[~neg])
