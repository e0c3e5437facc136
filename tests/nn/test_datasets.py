"""Data sets: shapes, dtypes, seeding, class balance, the geometry each one
promises, and the errors for bad arguments."""

import numpy as np
import pytest

from actlab.nn import datasets as ds

CLASSIFIERS = [ds.moons, ds.circles, ds.spirals]


@pytest.mark.parametrize("make", CLASSIFIERS)
def test_classification_sets_are_seeded_balanced_and_shuffled(make):
    X, y = make(n=301, seed=4)
    assert X.shape == (301, 2) and X.dtype == np.float64 and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert len(set(y[:20].tolist())) > 1           # shuffled: a prefix holds more than one class
    X2, y2 = make(n=301, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(n=301, seed=5)[0])


def test_xor_is_the_four_corners():
    X, y = ds.xor()
    assert (X.sum(axis=1) == 1).tolist() == (y == 1).tolist()
    X, y = ds.xor(n=400, noise=0.1, seed=1)
    assert X.shape == (400, 2) and np.bincount(y).tolist() == [200, 200]
    assert 0.08 < np.std(X - np.round(X)) < 0.12


def test_circles_radii_and_moons_shape():
    X, y = ds.circles(n=400, noise=0.0, factor=0.5)
    r = np.hypot(*X.T)
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.5)
    X, y = ds.moons(n=400, noise=0.0)
    assert X[y == 0, 1].min() >= -1e-12         # the upper moon is above 0
    assert X[y == 1, 1].max() <= 0.5 + 1e-12    # the lower one is centred at y = 0.5 down


def test_spirals_classes_and_radius():
    X, y = ds.spirals(n=300, classes=3, noise=0.0)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.hypot(*X.T).max() == pytest.approx(1.0)


def test_sine_and_linear_regression():
    X, y = ds.sine(n=500, noise=0.0, seed=2)
    assert X.shape == y.shape == (500, 1)
    assert np.abs(X).max() <= np.pi
    np.testing.assert_allclose(y, np.sin(X))
    X, y = ds.linear(n=2000, features=3, bias=0.7, noise=0.1, seed=3)
    A = np.column_stack([X, np.ones(len(X))])
    fit = np.linalg.lstsq(A, y[:, 0], rcond=None)[0]
    np.testing.assert_allclose(fit[:3], ds.linear_weights(3, seed=3), atol=0.01)
    assert fit[3] == pytest.approx(0.7, abs=0.01)
    assert np.std(y[:, 0] - A @ fit) == pytest.approx(0.1, rel=0.05)


def test_digits_is_scaled_to_unit_interval():
    pytest.importorskip("sklearn")
    X, y = ds.digits(seed=0)
    assert X.shape == (1797, 64) and X.min() == 0.0 and X.max() == 1.0
    assert sorted(np.unique(y).tolist()) == list(range(10))
    X0, _ = ds.digits(seed=None)
    np.testing.assert_array_equal(np.sort(X.sum(axis=1)), np.sort(X0.sum(axis=1)))   # a permutation


def test_train_test_split_stratifies_and_keeps_every_row():
    X, y = ds.spirals(n=303, classes=3, seed=0)
    Xtr, Xte, ytr, yte = ds.train_test_split(X, y, test=0.2, seed=1)
    assert len(Xte) == 61 and len(Xtr) == 242
    assert np.abs(np.bincount(yte) - 61 / 3).max() < 1
    both = np.concatenate([Xtr, Xte])
    assert sorted(map(tuple, both)) == sorted(map(tuple, X))
    Xtr2, *_ = ds.train_test_split(X, y, test=0.2, seed=1)
    np.testing.assert_array_equal(Xtr, Xtr2)
    _, Xte, _, _ = ds.train_test_split(X, y, test=10, stratify=False)
    assert len(Xte) == 10


@pytest.mark.parametrize("call,msg", [
    (lambda: ds.moons(n=0), "n must be an integer >= 1, got 0"),
    (lambda: ds.moons(n=2.5), "n must be an integer"),
    (lambda: ds.circles(noise=-1), "noise must be a finite number >= 0"),
    (lambda: ds.spirals(classes=1), "classes must be an integer >= 2"),
    (lambda: ds.spirals(turns=0), "turns must be a number > 0"),
    (lambda: ds.linear(features=2, weights=[1.0, 2.0, 3.0]), r"weights must have shape \(2,\)"),
    (lambda: ds.train_test_split(np.zeros((5, 1)), np.zeros(4)), "X has 5 rows but y has 4"),
    (lambda: ds.train_test_split(np.zeros((5, 1)), np.zeros(5), test=5), r"row count in \[1, 4\]"),
    (lambda: ds.train_test_split(np.zeros((5, 1)), np.zeros(5), test=1.5), "fraction"),
])
def test_bad_arguments(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()
