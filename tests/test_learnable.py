"""Learnable parameters, for every function that has them (found by act.spec.learnable):
param_grads against finite differences of sum(g * f(x)) with random g, for scalar, per-channel
and coefficient-vector parameters; prelu against PyTorch; soft_exponential for alpha < 0."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, strategies as st

import actlab as al

LEARNABLE = [n for n in al.names() if al.get(n).spec.learnable]
C = 3  # channels


def _away_from(x, kinks, margin=1e-3):
    for k in kinks:
        x = np.where(np.abs(x - k) < margin, x + 3 * margin, x)
    return x


def _inputs(act, shape, seed=0):
    x = np.random.default_rng(seed).normal(scale=1.5, size=shape)
    return _away_from(x, act.info.kinks)


def _per_channel(act):
    """Each per-channel parameter as C values spread around its default."""
    out = {}
    for p in act.spec.params:
        if p.learnable and p.per_channel:
            out[p.name] = p.default + 0.05 * (np.arange(C) - (C - 1) / 2)
    return out


def _fd_param_grads(act, x, g, h=1e-7):
    """d/dtheta sum(g * f(x; theta)) by central differences, element by element."""
    out = {}
    for k in act.spec.learnable:
        value = np.asarray(act.params[k], dtype=np.float64)
        grad = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            step = h * max(1.0, abs(value[i]))
            losses = []
            for sign in (1, -1):
                v = value.copy()
                v[i] += sign * step
                other = al.get(act.name, **{**act.params, k: v if value.ndim else float(v)})
                losses.append(float(np.sum(g * other(x))))
            grad[i] = (losses[0] - losses[1]) / (2 * step)
        out[k] = grad
    return out


def _check_param_grads(act, x, seed=1):
    g = np.random.default_rng(seed).normal(size=x.shape)  # never all-ones
    got = act.param_grads(x, g)
    want = _fd_param_grads(act, x, g)
    assert set(got) == set(act.spec.learnable)
    for k in got:
        assert np.shape(got[k]) == np.shape(act.params[k]), k
        np.testing.assert_allclose(got[k], want[k], rtol=1e-6, atol=1e-7, err_msg=f"{act.name}: {k}")


def test_the_catalog_has_its_learnable_functions():
    assert {"prelu", "srelu", "apl", "soft_exponential", "snake", "star_relu", "rational"} <= set(LEARNABLE)
    for n in LEARNABLE:
        assert al.get(n).kind == "P" or "beta" in al.get(n).spec.learnable  # silu's beta: E or P


@pytest.mark.parametrize("name", LEARNABLE)
@pytest.mark.parametrize("shape", [(), (7,), (4, C)])
def test_param_grads_match_finite_differences_scalar_params(name, shape):
    act = al.get(name)
    _check_param_grads(act, _inputs(act, shape))


@pytest.mark.parametrize("name", [n for n in LEARNABLE if _per_channel(al.get(n))])
@pytest.mark.parametrize("shape", [(C,), (5, C), (2, C, 2, 3)])
def test_param_grads_match_finite_differences_per_channel(name, shape):
    act = al.get(name, **_per_channel(al.get(name)))
    x = _inputs(act, shape)
    _check_param_grads(act, x)
    # channel c uses the c-th values: the same as the scalar activation on that channel
    axis = 1 if len(shape) >= 2 else 0
    y = act(x)
    for c in range(C):
        scalar = al.get(name, **{k: (v[c] if isinstance(v, np.ndarray) else v) for k, v in act.params.items()})
        np.testing.assert_allclose(np.take(y, c, axis=axis), scalar(np.take(x, c, axis=axis)), rtol=1e-15)


@pytest.mark.parametrize("name", [n for n in LEARNABLE if _per_channel(al.get(n))])
def test_per_channel_params_of_the_wrong_length_are_rejected(name):
    act = al.get(name, **_per_channel(al.get(name)))
    with pytest.raises(ValueError, match="channels"):
        act(np.ones((2, C + 1)))


@pytest.mark.parametrize("name", LEARNABLE)
def test_param_grads_are_linear_in_grad_and_reject_wrong_shapes(name):
    act = al.get(name)
    x = _inputs(act, (3, 4))
    rng = np.random.default_rng(2)
    g1, g2 = rng.normal(size=x.shape), rng.normal(size=x.shape)
    p1, p2, p12 = act.param_grads(x, g1), act.param_grads(x, g2), act.param_grads(x, g1 + 2 * g2)
    for k in p1:
        np.testing.assert_allclose(p12[k], p1[k] + 2 * p2[k], rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="grad has shape"):
        act.param_grads(x, np.ones((4, 3)))


# ---------------------------------------------------------------- rational's coefficient vectors

def test_rational_other_degrees_and_bad_coefficients():
    act = al.get("rational", numerator=[0.1, 1.0, 0.3, 0.2], denominator=[0.5, 0.4])  # degrees (3, 2)
    x = _inputs(act, (5, C))
    _check_param_grads(act, x)
    assert act.param_grads(x, np.ones_like(x))["numerator"].shape == (4,)
    x0 = np.array([0.5, -2.0])
    want = [mp.mpf("0.1") + v + mp.mpf("0.3") * v**2 + mp.mpf("0.2") * v**3 for v in x0]
    want = [w / (1 + abs(mp.mpf("0.5") * v) + abs(mp.mpf("0.4") * v**2)) for w, v in zip(want, x0)]
    np.testing.assert_allclose(act(x0), [float(w) for w in want], rtol=1e-15)
    for bad in ([], [[1.0, 2.0]], [1.0, np.nan], "abc", 3.0):
        with pytest.raises(ValueError, match="numerator must be a non-empty 1-D sequence"):
            al.get("rational", numerator=bad)


def test_rational_default_approximates_leaky_relu_on_minus_3_3():
    x = np.linspace(-3, 3, 601)
    err = al.rational(x) - np.where(x >= 0, x, 0.01 * x)
    assert np.max(np.abs(err)) < 0.03 and np.sqrt(np.mean(err**2)) < 0.006


# ---------------------------------------------------------------- prelu against PyTorch

@pytest.mark.parametrize("shape, per_channel", [((6,), False), ((4, C), False), ((4, C), True),
                                                ((2, C, 3, 2), False), ((2, C, 3, 2), True)])
def test_prelu_matches_torch(shape, per_channel):
    """(For 1-D input PyTorch has no channel axis and takes one weight; actlab then uses axis 0.)"""
    rng = np.random.default_rng(4)
    x = rng.normal(size=shape)
    x.flat[::5] = 0.0  # the kink: f'(0) = alpha and df/dalpha(0) = 0, as PyTorch
    channels = shape[1] if len(shape) >= 2 else shape[0]
    alpha = np.linspace(0.1, 0.4, channels) if per_channel else 0.25
    g = rng.normal(size=shape)
    act = al.get("prelu", alpha=alpha)
    t = torch.tensor(x, requires_grad=True)
    w = torch.tensor(np.atleast_1d(alpha), requires_grad=True)
    y = F.prelu(t, w)
    gx, gw = torch.autograd.grad(y, (t, w), torch.tensor(g))
    np.testing.assert_allclose(act(x), y.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(act.backward(x, g), gx.numpy(), rtol=1e-14)
    got = act.param_grads(x, g)["alpha"]
    assert np.shape(got) == np.shape(alpha)
    np.testing.assert_allclose(np.atleast_1d(got), gw.numpy(), rtol=1e-12)


# ---------------------------------------------------------------- soft_exponential, alpha < 0

def _mp_softexp(x, alpha):
    inner = 1 - alpha * (x + alpha)
    return -mp.log(inner) / alpha if inner > 0 else mp.nan


@pytest.mark.parametrize("alpha", [-0.5, -1.0, -0.03])
def test_soft_exponential_log_branch_against_mpmath(alpha):
    act = al.get("soft_exponential", alpha=alpha)
    edge = 1 / alpha - alpha  # f is defined for x > edge
    x = np.concatenate([edge + np.logspace(-6, 3, 60), [edge - 1.0, edge - 1e-3, -np.inf, np.inf]])
    y, d, d2 = act(x), act.derivative(x), act.second_derivative(x)  # no RuntimeWarning
    eps = np.finfo(float).eps
    with mp.workdps(40):
        am = mp.mpf(alpha)
        for xi, *ours in zip(x[:60], y, d, d2):
            xm = mp.mpf(float(xi))
            # the rounding of x (and of the product alpha x) is amplified by kappa = |x f^(k+1)/f^(k)|
            refs = [_mp_softexp(xm, am)] + [mp.diff(lambda v: _mp_softexp(v, am), xm, k) for k in (1, 2, 3)]
            for k in range(3):
                kappa = abs(xm * refs[k + 1] / refs[k]) if refs[k] else mp.inf
                assert abs(ours[k] - refs[k]) <= (8 + 2 * kappa) * eps * abs(refs[k]), (k, float(xi))
    assert np.all(np.isnan(y[60:63])) and np.all(np.isnan(d[60:63])) and y[-1] == np.inf and d[-1] == 0
    _check_param_grads(act, edge + np.logspace(-1, 2, 12).reshape(3, 4))


def _mp_dsoftexp_dalpha(alpha, x):
    """The closed forms, at the precision their cancellation (of order 1/(alpha x)^2) needs."""
    if alpha == 0:
        return 1 + mp.mpf(x) ** 2 / 2
    small = max(abs(alpha * x), abs(alpha) ** 2, 1e-300)
    with mp.workdps(40 + 2 * int(-mp.log10(small))):
        a, xm = mp.mpf(alpha), mp.mpf(x)
        if a > 0:
            z = a * xm
            return (z * mp.exp(z) - mp.expm1(z)) / a**2 + 1
        u = -a * (xm + a)
        return mp.log1p(u) / a**2 + (xm + 2 * a) / (a * (1 + u))


@given(alpha=st.floats(-1e-3, 1e-3), x=st.floats(-30, 30))
def test_soft_exponential_dalpha_is_accurate_through_alpha_zero(alpha, x):
    """df/dalpha is continuous at alpha = 0 (1 + x^2/2 from either side) and computed without the
    cancellation of its closed forms for small alpha."""
    got = al.get("soft_exponential", alpha=alpha).param_grads(np.array([x]), np.array([1.0]))["alpha"]
    want = _mp_dsoftexp_dalpha(alpha, x)
    assert abs(got - want) <= 1e-13 * abs(want), (got, want)
