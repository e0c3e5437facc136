"""Losses: values and gradients against torch (float64 autograd), stability
for logits of 1e4, dtype kept, and the errors for bad targets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from actlab.nn import losses

torch = pytest.importorskip("torch")
F = torch.nn.functional

RNG = np.random.default_rng(5)


def _torch(fn, x, *args):
    t = torch.tensor(x, requires_grad=True)
    v = fn(t, *args)
    v.backward()
    return float(v.detach()), t.grad.numpy()


def _check(ours, theirs, rtol=1e-12):
    (v, g), (tv, tg) = ours, theirs
    assert v == pytest.approx(tv, rel=rtol, abs=1e-300)
    np.testing.assert_allclose(g, tg, rtol=rtol, atol=1e-15)


finite = st.floats(-30, 30)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (6, 4), elements=finite), arrays(np.float64, (6, 4), elements=finite))
def test_mse_matches_torch(p, t):
    _check(losses.mse(p, t), _torch(lambda a: F.mse_loss(a, torch.tensor(t)), p))


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (8, 1), elements=st.floats(-800, 800)),
       arrays(np.float64, (8, 1), elements=st.floats(0, 1)))
def test_binary_cross_entropy_matches_torch(x, t):
    _check(losses.binary_cross_entropy(x, t),
           _torch(lambda a: F.binary_cross_entropy_with_logits(a, torch.tensor(t)), x), rtol=1e-10)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (7, 5), elements=st.floats(-1e3, 1e3)), st.integers(0, 2 ** 31))
def test_cross_entropy_labels_and_probabilities_match_torch(x, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 5, 7)
    _check(losses.cross_entropy(x, labels),
           _torch(lambda a: F.cross_entropy(a, torch.tensor(labels)), x), rtol=1e-10)
    probs = rng.dirichlet(np.ones(5), 7)
    _check(losses.cross_entropy(x, probs),
           _torch(lambda a: F.cross_entropy(a, torch.tensor(probs)), x), rtol=1e-10)


def test_logits_of_1e4_are_stable():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]])
    v, g = losses.cross_entropy(x, np.array([0, 0]))
    assert v == pytest.approx(1e4)               # (0 + 2e4) / 2
    assert np.isfinite(g).all()
    np.testing.assert_allclose(g, [[0, 0, 0], [-0.5, 0.5, 0]], atol=1e-15)
    v, g = losses.binary_cross_entropy(np.array([1e4, -1e4, 1e4]), np.array([1.0, 0.0, 0.0]))
    assert v == pytest.approx(1e4 / 3)
    np.testing.assert_allclose(g, [0, 0, 1 / 3], atol=1e-15)


def test_float32_gradients_stay_float32_and_ints_become_float64():
    _, g = losses.cross_entropy(RNG.standard_normal((4, 3)).astype(np.float32), [0, 1, 2, 0])
    assert g.dtype == np.float32
    _, g = losses.mse(np.array([1, 2]), np.array([0, 0]))
    assert g.dtype == np.float64


def test_accuracy():
    assert losses.accuracy(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), [0, 1, 1]) == pytest.approx(2 / 3)
    assert losses.accuracy(np.array([[0.3], [-2.0]]), np.array([[1], [1]])) == 0.5
    with pytest.raises(ValueError, match="3 samples"):
        losses.accuracy(np.zeros((3, 2)), [0, 1])


@pytest.mark.parametrize("call,msg", [
    (lambda: losses.cross_entropy(np.zeros((3, 4)), [0, 4, 1]), r"class indices in \[0, 4\).*got 4 at index 1"),
    (lambda: losses.cross_entropy(np.zeros((3, 4)), [0, -1, 1]), r"got -1 at index 1"),
    (lambda: losses.cross_entropy(np.zeros((3, 4)), [0.0, 1.5, 1.0]), r"got 1.5 at index 1"),
    (lambda: losses.cross_entropy(np.zeros((3, 4)), [0, 1]), r"shape \(N,\) = \(3,\)"),
    (lambda: losses.cross_entropy(np.zeros(4), [0]), "2-D"),
    (lambda: losses.cross_entropy(np.array([[np.nan, 0.0]]), [0]), "NaN"),
    (lambda: losses.mse(np.zeros((3, 1)), np.zeros(3)), r"no broadcasting"),
    (lambda: losses.mse(np.zeros(0), np.zeros(0)), "empty"),
    (lambda: losses.binary_cross_entropy(np.zeros(2), np.array([0.0, 2.0])), r"\[0, 1\]"),
    (lambda: losses.mse(np.array([np.inf]), np.zeros(1)), "inf"),
    (lambda: losses.get("cross_entropyy"), "did you mean 'cross_entropy'"),
])
def test_bad_inputs_say_what_is_wrong(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


def test_names_and_aliases():
    assert losses.get("bce") is losses.binary_cross_entropy
    assert losses.get("CE") is losses.cross_entropy
    assert {"mse", "binary_cross_entropy", "cross_entropy"} <= set(losses.names())
