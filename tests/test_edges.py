"""Calls at the edges: both code paths accept the same calls, zero derivatives
select, unsupported arrays and parameters fail clearly, empty axes, the kernel
cache's upkeep."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

import actlab as al

X = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])


def _error(call):
    with pytest.raises(TypeError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize("name, call", [
    ("gelu", lambda a, x: a(x, approximate="tanh")),
    ("gelu", lambda a, x: a.backward(x, x, 7)),
    ("relu", lambda a, x: a.derivative(x, 1.0)),
    ("silu", lambda a, x: a.forward(x, traning=False)),
])
def test_kernel_and_reference_paths_reject_the_same_calls(name, call):
    act = al.get(name)
    # a NumPy float64 array takes the kernel path, a list the reference
    assert _error(lambda: call(act, X)) == _error(lambda: call(act, X.tolist()))
    assert "Activation." in _error(lambda: call(act, X))   # the user's call is named, not an internal one


@pytest.mark.parametrize("training", ["no", 1, None, np.array([True])])
def test_training_must_be_a_bool(training):
    for x in (X, X.tolist()):
        with pytest.raises(TypeError, match="training must be True or False"):
            al.get("relu")(x, training=training)
    assert np.array_equal(al.get("relu")(X, training=np.True_), np.maximum(X, 0))


@pytest.mark.parametrize("name, torch_fn", [
    ("relu", "relu"), ("relu6", "relu6"), ("hard_tanh", "hardtanh"), ("hard_sigmoid", "hardsigmoid"),
])
@pytest.mark.parametrize("dtype", ["float64", "float32", "list"])
def test_a_zero_derivative_selects_zero_like_pytorch(name, torch_fn, dtype):
    torch = pytest.importorskip("torch")
    x = np.array([-9.0, -4.0, 0.5, 7.0, 9.0])
    g = np.array([np.inf, np.nan, 1.0, -np.inf, np.nan])
    t = torch.tensor(x, requires_grad=True)
    getattr(torch.nn.functional, torch_fn)(t).backward(torch.tensor(g))
    expected = t.grad.numpy()
    args = (x.tolist(), g.tolist()) if dtype == "list" else (x.astype(dtype), g.astype(dtype))
    got = np.asarray(al.get(name).backward(*args), dtype=np.float64)
    masked = np.array([True, True, False, True, True])
    np.testing.assert_array_equal(got[masked], expected[masked])   # exactly 0, whatever g was
    np.testing.assert_allclose(got, expected, rtol=1e-7)           # torch's hardsigmoid uses a float32 1/6


def test_unsupported_arrays_fail_instead_of_losing_something():
    for x in (np.array([1.0], dtype=np.longdouble),) if np.finfo(np.longdouble).bits > 64 else ():
        with pytest.raises(TypeError, match="not supported .*float16, float32 or float64"):
            al.get("relu")(x)
    with pytest.raises(TypeError, match="masked arrays are not supported"):
        al.get("relu")(np.ma.array([1.0, -2.0], mask=[False, True]))
    with pytest.raises(TypeError, match="masked arrays"):
        al.get("softmax").backward(np.ma.array([[1.0, 2.0]]), np.ones((1, 2)))


def test_a_parameter_beyond_the_float_range_is_a_value_error():
    with pytest.raises(ValueError, match="alpha must be a finite real number"):
        al.get("leaky_relu", alpha=10 ** 400)


@pytest.mark.parametrize("name, peer", [
    ("softmax", "softmax"), ("log_softmax", "log_softmax"), ("softmin", "softmin"), ("sparsemax", None),
    ("gumbel_softmax", None),
])
@pytest.mark.parametrize("shape", [(2, 0), (0, 3), (0,)])
def test_an_empty_axis_gives_the_empty_result(name, peer, shape):
    torch = pytest.importorskip("torch")
    x = np.zeros(shape)
    act = al.get(name)
    y = act(x, training=False)
    assert y.shape == shape and y.dtype == np.float64
    assert act.backward(x, np.zeros(shape)).shape == shape
    if peer:
        assert tuple(getattr(torch.nn.functional, peer)(torch.zeros(shape), dim=-1).shape) == shape


def test_the_kernel_cache_drops_stale_versions(tmp_path):
    pytest.importorskip("numba")
    from actlab.kernels import _compile

    root = tmp_path / "kernels"
    stale, recent = root / ("a" * 16), root / ("b" * 16)
    for d in (stale, recent):
        d.mkdir(parents=True)
        (d / "relu_0.py").write_text("# old\n")
    old = time.time() - _compile.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    code = "import numpy as np, actlab as al; al.get('relu')(np.ones(4))"
    env = {**os.environ, "ACTLAB_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    left = sorted(d.name for d in root.iterdir() if d.is_dir())
    assert stale.name not in left and recent.name in left and len(left) == 2   # recent and the current one


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_an_infinite_upstream_gradient_gives_pytorchs_answer_without_warning(name):
    torch = pytest.importorskip("torch")
    x = np.array([[1.0, 2.0, 3.0, 0.5], [0.0, -1.0, 4.0, 2.0]])
    g = np.array([[np.inf, 1.0, 1.0, 1.0], [1.0, 2.0, -np.inf, 0.5]])
    t = torch.tensor(x, requires_grad=True)
    getattr(torch.nn.functional, name)(t, dim=-1).backward(torch.tensor(g))
    np.testing.assert_array_equal(al.get(name).backward(x, g), t.grad.numpy())   # NaN and inf where torch has them
