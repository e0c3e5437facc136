"""Initializers: each one's variance against its formula (statistically, on
10^5 samples), truncated normals with the variance corrected and the bound
kept, gains against torch.nn.init.calculate_gain, the recommended rule, and
the errors."""

import math

import mpmath
import numpy as np
import pytest

from actlab import nn
from actlab.nn import init

FI, FO = 300, 400          # 1.2e5 samples: the sample variance is within 1% (8 sd) of the truth


def _var(fn, **kw):
    W = fn(FI, FO, np.random.default_rng(3), **kw)
    assert W.shape == (FI, FO)
    return float(W.var()), float(W.mean()), W


@pytest.mark.parametrize("fn,kw,want", [
    (init.normal, dict(std=0.3), 0.09),
    (init.uniform, dict(limit=0.3), 0.09 / 3),
    (init.glorot_normal, {}, 2 / (FI + FO)),
    (init.glorot_uniform, {}, 2 / (FI + FO)),              # limit^2 / 3 = 6 / (in + out) / 3
    (init.glorot_normal, dict(gain=5 / 3), (5 / 3) ** 2 * 2 / (FI + FO)),
    (init.he_normal, {}, 2 / FI),
    (init.he_uniform, {}, 2 / FI),
    (init.he_normal, dict(mode="fan_out"), 2 / FO),
    (init.he_normal, dict(gain="leaky_relu"), 2 / (1 + 0.01 ** 2) / FI),
    (init.lecun_normal, {}, 1 / FI),
    (init.lecun_uniform, {}, 1 / FI),
    (init.he_normal, dict(truncated=True), 2 / FI),
    (init.lecun_normal, dict(truncated=True), 1 / FI),
    (init.glorot_normal, dict(truncated=True), 2 / (FI + FO)),
    (init.truncated_normal, dict(std=0.2), 0.04),
])
def test_variance_is_the_formulas(fn, kw, want):
    var, mean, _ = _var(fn, **kw)
    assert var == pytest.approx(want, rel=0.02)
    assert abs(mean) < 5 * math.sqrt(want / (FI * FO))


def test_trunc_std_is_the_truncated_normals_std():
    mpmath.mp.dps = 30
    phi2 = mpmath.npdf(2)
    mass = mpmath.ncdf(2) - mpmath.ncdf(-2)
    assert init.TRUNC_STD == pytest.approx(float(mpmath.sqrt(1 - 4 * phi2 / mass)), rel=1e-15)


def test_truncated_normal_is_bounded_and_an_untruncated_is_not():
    std = 1 / math.sqrt(FI)
    _, _, W = _var(init.lecun_normal, truncated=True)
    assert np.abs(W).max() <= 2 * std / init.TRUNC_STD
    _, _, W = _var(init.lecun_normal)
    assert np.abs(W).max() > 3 * std       # 1.2e5 normal draws exceed 3 sd ~300 times


def test_numpy_ml_bug_is_absent():
    """Truncating without correcting the variance gives 0.774 std^2: not ours."""
    var, _, _ = _var(init.normal, std=1.0, truncated=True)
    assert var == pytest.approx(1.0, rel=0.02)
    assert abs(var - init.TRUNC_STD ** 2) > 0.1


def test_orthogonal():
    for fi, fo in [(6, 4), (4, 6), (5, 5)]:
        W = init.orthogonal(fi, fo, np.random.default_rng(0), gain=2.0)
        small = W.T @ W if fi >= fo else W @ W.T
        np.testing.assert_allclose(small, 4 * np.eye(min(fi, fo)), atol=1e-12)


def test_zeros_constant_and_dtype():
    assert not init.zeros(3, 2).any()
    assert (init.constant(3, 2, value=0.5) == 0.5).all()
    W64 = init.he_normal(8, 5, np.random.default_rng(1))
    W32 = init.he_normal(8, 5, np.random.default_rng(1), dtype=np.float32)
    assert W32.dtype == np.float32
    np.testing.assert_allclose(W32, W64, rtol=1e-7)   # the same draws, rounded
    np.testing.assert_array_equal(init.he_normal(8, 5, 7), init.he_normal(8, 5, np.random.default_rng(7)))


torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name,params,torch_args", [
    ("identity", {}, ("linear",)),
    ("sigmoid", {}, ("sigmoid",)),
    ("tanh", {}, ("tanh",)),
    ("relu", {}, ("relu",)),
    ("selu", {}, ("selu",)),
    ("leaky_relu", {}, ("leaky_relu", 0.01)),
    ("leaky_relu", {"alpha": 0.2}, ("leaky_relu", 0.2)),
])
def test_gain_matches_torch(name, params, torch_args):
    assert init.gain(name, **params) == pytest.approx(torch.nn.init.calculate_gain(*torch_args), rel=1e-15)


def test_he_uniform_limit_matches_torch_kaiming_uniform():
    """torch draws (out, in) with the bound gain * sqrt(3 / fan_in): our (in, out) has the same bound."""
    t = torch.empty(FO, FI, dtype=torch.float64)
    torch.nn.init.kaiming_uniform_(t, a=0.2, nonlinearity="leaky_relu")
    ours = init.he_uniform(FI, FO, np.random.default_rng(0), gain=init.gain("leaky_relu", alpha=0.2))
    bound = math.sqrt(2 / (1 + 0.04)) * math.sqrt(3 / FI)
    assert float(t.abs().max()) <= bound and np.abs(ours).max() <= bound
    assert float(t.abs().max()) > 0.99 * bound and np.abs(ours).max() > 0.99 * bound


@pytest.mark.parametrize("act,want", [
    ("relu", "he_normal"), ("leaky_relu", "he_normal"), ("prelu", "he_normal"), ("elu", "he_normal"),
    ("gelu", "he_normal"), ("silu", "he_normal"), ("mish", "he_normal"), ("hard_swish", "he_normal"),
    ("selu", "lecun_normal"), ("tanh", "glorot_uniform"), ("sigmoid", "glorot_uniform"),
    (None, "glorot_uniform"), ("sin", "glorot_uniform"),
])
def test_recommended_rule(act, want):
    assert init.recommended(act) == want


def test_dense_uses_the_recommended_initializer_with_the_activations_gain():
    m = nn.Sequential(nn.Dense(FI, FO, activation="tanh"), nn.Dense(FO, FI, activation="relu"), seed=0)
    w0, w1 = (v for k, v in m.params.items() if k.endswith("W"))
    assert float(w0.var()) == pytest.approx(2 / (FI + FO), rel=0.02)     # glorot_uniform
    assert float(w1.var()) == pytest.approx(2 / FO, rel=0.02)            # he_normal, gain sqrt 2


def test_resolve_names_callables_and_errors():
    assert init.resolve("Kaiming_Normal") is init.he_normal
    f = init.resolve("he_normal", "leaky_relu")
    assert f.keywords["gain"] == pytest.approx(init.gain("leaky_relu"))
    g = init.resolve(lambda i, o, rng, dtype: np.ones((i, o), dtype))
    assert g(2, 3, None, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="expected \\(fan_in, fan_out\\) = \\(2, 3\\)"):
        init.resolve(lambda i, o, rng, dtype: np.ones((o, i)))(2, 3, None)
    with pytest.raises(ValueError, match="did you mean 'he_normal'"):
        init.resolve("he_nromal")
    with pytest.raises(TypeError, match="init must be"):
        init.resolve(3)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: init.he_normal(0, 3, 0), ValueError, "fan_in must be a positive integer"),
    (lambda: init.he_normal(2.5, 3, 0), TypeError, "fan_in"),
    (lambda: init.he_normal(2, 3, "seed"), TypeError, "rng must be"),
    (lambda: init.he_normal(2, 3, 0, mode="fan_avg"), ValueError, "mode must be 'fan_in' or 'fan_out'"),
    (lambda: init.normal(2, 3, 0, std=-1), ValueError, "std"),
    (lambda: init.glorot_uniform(2, 3, 0, dtype=np.int32), TypeError, "dtype must be"),
    (lambda: init.gain("gleu"), ValueError, "unknown activation 'gleu'"),
])
def test_bad_arguments(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()
