"""actlab.compat.ztlearn: ztlearn's API, names and defaults, without its bugs.

References come from torch autograd (float64) and mpmath closed forms.
"""

import warnings

import mpmath
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from actlab.compat import ztlearn as zt
from actlab.compat.ztlearn import ActivationFunction

mpmath.mp.dps = 50

# ztlearn's name -> (class, torch reference with ztlearn's defaults)
TORCH = {
    "elu": (zt.ELU, lambda t: torch.nn.functional.elu(t, alpha=0.1)),
    "selu": (zt.SELU, torch.selu),
    "relu": (zt.ReLU, torch.relu),
    "tanh": (zt.TanH, torch.tanh),
    "linear": (zt.Linear, lambda t: t * 1.0),
    "identity": (zt.Linear, lambda t: t * 1.0),
    "sigmoid": (zt.Sigmoid, torch.sigmoid),
    "softmax": (zt.Softmax, lambda t: torch.softmax(t, dim=-1)),
    # torch returns x itself above its threshold (20 by default): lift it
    "softplus": (zt.SoftPlus, lambda t: torch.nn.functional.softplus(t, threshold=50)),
    "leaky_relu": (zt.LeakyReLU, lambda t: torch.nn.functional.leaky_relu(t, 0.01)),
    "elliot_sigmoid": (zt.ElliotSigmoid, lambda t: 0.5 * t / (1 + t.abs()) + 0.5),
}
ELEMENTWISE = [n for n in TORCH if n != "softmax"]

# Kinks and ordinary points; 0 is the kink of relu, leaky_relu, elu, selu, elliot.
GRID = np.concatenate([[-30.0, -5.0, -1.0, -0.5, -1e-3, -0.0, 0.0, 1e-3, 0.5, 1.0, 5.0, 30.0],
                       np.random.default_rng(0).uniform(-8, 8, 40)])


def torch_grad(ref, x, g):
    """dL/dx of L = sum(g * ref(x)) by torch autograd, float64."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (ref(t) * torch.tensor(g, dtype=torch.float64)).sum().backward()
    return t.grad.numpy()


def torch_value(ref, x):
    return ref(torch.tensor(x, dtype=torch.float64)).numpy()


# ---------------------------------------------------------------- names, classes

@pytest.mark.parametrize("name", TORCH)
def test_every_name_builds_its_class(name):
    cls = TORCH[name][0]
    act = ActivationFunction(name)
    assert isinstance(act.activation_func, cls)
    assert act.name == cls.__name__ == act.activation_func.activation_name


def test_name_values_are_ztlearns_class_names():
    expected = {"elu": "ELU", "selu": "SELU", "relu": "ReLU", "tanh": "TanH", "linear": "Linear",
                "identity": "Linear", "sigmoid": "Sigmoid", "softmax": "Softmax",
                "softplus": "SoftPlus", "leaky_relu": "LeakyReLU", "elliot_sigmoid": "ElliotSigmoid"}
    assert {n: ActivationFunction(n).name for n in expected} == expected


def test_module_exposes_ztlearns_classes():
    for cls in ("ELU", "SELU", "ReLU", "TanH", "Sigmoid", "SoftPlus", "Softmax", "LeakyReLU",
                "ElliotSigmoid", "Linear"):
        obj = getattr(zt, cls)({})
        assert obj.activation_name == cls
        assert callable(obj.activation) and callable(obj.derivative)


def test_defaults_are_ztlearns():
    assert zt.ELU({}).alpha == 0.1
    assert zt.LeakyReLU({}).alpha == 0.01
    assert ActivationFunction("elu").activation_func.alpha == 0.1
    assert zt.SELU.ALPHA == float(mpmath.mpf("1.6732632423543772848170429916717"))
    assert zt.SELU._LAMBDA == float(mpmath.mpf("1.0507009873554804934193349852946"))
    # the defaults act: ELU(-1) = 0.1 (e^-1 - 1), LeakyReLU(-2) = -0.02
    assert ActivationFunction("elu").forward(-1.0) == pytest.approx(
        float(0.1 * mpmath.expm1(-1)), rel=1e-15)
    assert ActivationFunction("leaky_relu").forward(-2.0) == pytest.approx(-0.02, rel=1e-15)


def test_alpha_is_read_from_activation_dict():
    elu = ActivationFunction("elu", {"alpha": 0.3})
    assert elu.forward(-2.0) == pytest.approx(float(0.3 * mpmath.expm1(-2)), rel=1e-15)
    assert elu.backward(-2.0) == pytest.approx(float(0.3 * mpmath.exp(-2)), rel=1e-15)
    leaky = ActivationFunction("leaky_relu", {"alpha": 0.2})
    assert leaky.forward(-3.0) == pytest.approx(-0.6, rel=1e-15)
    assert leaky.backward(-3.0) == pytest.approx(0.2, rel=1e-15)


# ---------------------------------------------------------------- values and derivatives

@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_and_derivative_match_torch(name):
    cls, ref = TORCH[name]
    act = ActivationFunction(name)
    np.testing.assert_allclose(act.forward(GRID), torch_value(ref, GRID), rtol=1e-14, atol=1e-300)
    expected = torch_grad(ref, GRID, np.ones_like(GRID))  # elementwise: ones give f'(x)
    # torch's tanh/sigmoid derivatives, 1 - y^2 and y (1 - y), carry an absolute
    # error of about eps where they saturate; the mpmath test holds ours to ULPs
    np.testing.assert_allclose(act.backward(GRID), expected, rtol=1e-14, atol=4e-16)
    np.testing.assert_allclose(cls({}).derivative(GRID), expected, rtol=1e-14, atol=4e-16)


def _mp_reference(name, x):
    """f(x) and f'(x) in closed form (PyTorch's kink convention at 0)."""
    x = mpmath.mpf(x)
    lam, alpha = mpmath.mpf("1.0507009873554804934193349852946"), mpmath.mpf("1.6732632423543772848170429916717")
    if name == "elu":
        return (x, 1) if x > 0 else (mpmath.mpf("0.1") * mpmath.expm1(x), mpmath.mpf("0.1") * mpmath.exp(x))
    if name == "selu":
        return (lam * x, lam) if x > 0 else (lam * alpha * mpmath.expm1(x), lam * alpha * mpmath.exp(x))
    if name == "relu":
        return (x, 1) if x > 0 else (0, 0)
    if name == "leaky_relu":
        return (x, 1) if x > 0 else (mpmath.mpf("0.01") * x, mpmath.mpf("0.01"))
    if name == "tanh":
        return mpmath.tanh(x), mpmath.sech(x) ** 2
    if name in ("linear", "identity"):
        return x, 1
    if name == "sigmoid":
        e = mpmath.exp(-abs(x))  # s (1 - s) in a form without cancellation
        return 1 / (1 + mpmath.exp(-x)), e / (1 + e) ** 2
    if name == "softplus":
        return mpmath.log1p(mpmath.exp(x)), 1 / (1 + mpmath.exp(-x))
    if name == "elliot_sigmoid":
        return x / (2 * (1 + abs(x))) + mpmath.mpf(0.5), 1 / (2 * (1 + abs(x)) ** 2)
    raise AssertionError(name)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_and_derivative_match_mpmath_over_a_wide_range(name):
    x = np.concatenate([-np.logspace(-6, 3, 25), [0.0], np.logspace(-6, 3, 25)])
    act = ActivationFunction(name)
    ref = np.array([[float(v) for v in _mp_reference(name, xi)] for xi in x])
    np.testing.assert_allclose(act.forward(x), ref[:, 0], rtol=9e-16, atol=1e-300)
    np.testing.assert_allclose(act.backward(x), ref[:, 1], rtol=9e-16, atol=1e-300)


@pytest.mark.parametrize("name", TORCH)
def test_backward_with_random_grad_is_torchs_vjp(name):
    rng = np.random.default_rng(1)
    x = rng.uniform(-6, 6, (4, 7))
    x[0, :3] = 0.0  # kinks
    g = rng.standard_normal(x.shape)
    got = ActivationFunction(name).backward(x, g)
    np.testing.assert_allclose(got, torch_grad(TORCH[name][1], x, g), rtol=1e-13, atol=1e-15)


def test_backward_without_grad_is_the_derivative():
    x = GRID.reshape(4, 13)
    for name, (cls, _) in TORCH.items():
        np.testing.assert_array_equal(ActivationFunction(name).backward(x), cls({}).derivative(x))


# ---------------------------------------------------------------- ztlearn's bugs, fixed

def test_softplus_derivative_works_and_is_the_sigmoid():
    # ztlearn: TypeError (Sigmoid() built without its activation_dict)
    x = np.array([-800.0, -30.0, -1.0, 0.0, 2.5, 40.0, 800.0])
    expected = torch_grad(torch.nn.functional.softplus, x, np.ones_like(x))
    np.testing.assert_allclose(zt.SoftPlus({}).derivative(x), expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(ActivationFunction("softplus").backward(x), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("shape", [(), (0,), (5,), (3, 4), (2, 3, 2)])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_linear_derivative_is_ones_of_xs_shape(shape, dtype):
    x = np.random.default_rng(2).uniform(-3, 3, shape).astype(dtype)
    for name in ("linear", "identity"):
        d = ActivationFunction(name).backward(x)
        assert d.shape == shape and d.dtype == dtype
        assert np.all(d == 1)


def test_softmax_derivative_keeps_ztlearns_meaning_the_jacobian_diagonal():
    x = np.random.default_rng(3).normal(size=(3, 5))
    diag = np.stack([torch.autograd.functional.jacobian(
        lambda t: torch.softmax(t, dim=-1), torch.tensor(row)).diagonal().numpy() for row in x])
    np.testing.assert_allclose(zt.Softmax({}).derivative(x), diag, rtol=1e-14, atol=0)
    np.testing.assert_allclose(ActivationFunction("softmax").backward(x), diag, rtol=1e-14, atol=0)


def test_softmax_vjp_with_a_random_grad_is_exact_and_not_grad_times_diagonal():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(6, 9)) * 3
    g = rng.standard_normal(x.shape)
    act = ActivationFunction("softmax")
    expected = torch_grad(lambda t: torch.softmax(t, dim=-1), x, g)
    np.testing.assert_allclose(act.backward(x, g), expected, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(zt.Softmax({}).vjp(x, g), expected, rtol=1e-13, atol=1e-16)
    # ztlearn's layer computes grad * derivative(x): far off for a random grad
    assert np.max(np.abs(g * act.backward(x) - expected)) > 1e-2


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
                  elements=st.floats(-50, 50)),
       st.integers(0, 2**32 - 1))
def test_softmax_vjp_matches_torch_property(x, seed):
    g = np.random.default_rng(seed).standard_normal(x.shape)
    got = ActivationFunction("softmax").backward(x, g)
    expected = torch_grad(lambda t: torch.softmax(t, dim=-1), x, g)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["elu", "selu"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_elu_selu_never_warn_on_huge_and_infinite_input(name, dtype):
    huge = 1e300 if dtype == np.float64 else np.finfo(dtype).max  # ztlearn warns from ~710
    x = np.array([-np.inf, -huge, -1e4, 1e4, huge, np.inf], dtype=dtype)
    act = ActivationFunction(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, d = act.forward(x), act.backward(x)
        g = act.backward(x, np.full_like(x, 0.5))
    lam, alpha = (1.0507009873554805, 1.6732632423543772) if name == "selu" else (1.0, 0.1)
    with np.errstate(over="ignore"):  # lam * max(float16/32) rounds to inf, as it should
        expected = np.array([-lam * alpha] * 3 + [lam * float(v) for v in x[3:]]).astype(dtype)
    np.testing.assert_allclose(y, expected, rtol=1e-3)
    np.testing.assert_array_equal(d, np.array([0, 0, 0, lam, lam, lam]).astype(dtype))
    np.testing.assert_array_equal(g, 0.5 * d)


def test_elliot_sigmoid_is_finite_at_infinity():
    act = ActivationFunction("elliot_sigmoid")
    np.testing.assert_array_equal(act.forward(np.array([-np.inf, np.inf])), [0.0, 1.0])
    assert act.forward(-1e300) == pytest.approx(float(mpmath.mpf(0.5) / (1 + mpmath.mpf(1e300))), rel=1e-15)


def test_kinks_follow_pytorch():
    x = np.array([0.0])
    assert ActivationFunction("relu").backward(x)[0] == 0.0
    assert ActivationFunction("leaky_relu").backward(x)[0] == 0.01
    assert ActivationFunction("elu").backward(x)[0] == 0.1
    assert ActivationFunction("selu").backward(x)[0] == pytest.approx(1.0507009873554805 * 1.6732632423543772)


# ---------------------------------------------------------------- dtypes and errors

@pytest.mark.parametrize("name", TORCH)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_kept(name, dtype):
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    g = np.ones_like(x)
    act = ActivationFunction(name)
    for out in (act.forward(x), act.backward(x), act.backward(x, g)):
        assert out.dtype == dtype and out.shape == x.shape


@pytest.mark.parametrize("name", TORCH)
def test_integers_compute_in_float64(name):
    act = ActivationFunction(name)
    x = np.array([[-2, 0, 3]])
    assert act.forward(x).dtype == np.float64
    np.testing.assert_allclose(act.forward(x), act.forward(x.astype(np.float64)), rtol=0)


def test_unknown_name_lists_the_supported_names():
    with pytest.raises(ValueError, match="supported: elu, selu, relu, tanh, linear, identity, sigmoid, "
                                         "softmax, softplus, leaky_relu, elliot_sigmoid"):
        ActivationFunction("swish")
    with pytest.raises(TypeError, match="must be a string"):
        ActivationFunction(3)


@pytest.mark.parametrize("bad", [{"alpha": float("nan")}, {"alpha": float("inf")}, {"alpha": "0.1"},
                                 {"alpha": -1.0}])
def test_bad_alpha_raises_value_error(bad):
    with pytest.raises(ValueError, match="alpha must be"):
        ActivationFunction("elu", bad)


def test_activation_dict_keys_the_function_does_not_read_raise():
    with pytest.raises(ValueError, match=r"'beta'.*reads 'alpha'"):
        ActivationFunction("leaky_relu", {"beta": 1.0})
    with pytest.raises(ValueError, match="'alpha'.*reads no keys"):
        ActivationFunction("relu", {"alpha": 0.2})
    with pytest.raises(TypeError, match="must be a dict"):
        ActivationFunction("elu", [("alpha", 0.1)])


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="real-valued"):
        ActivationFunction("tanh").forward(np.array(["a"]))


@pytest.mark.parametrize("name", ["softmax", "elu", "linear"])
def test_array_api_input_keeps_its_type_and_dtype(name):
    xps = pytest.importorskip("array_api_strict")
    x = xps.asarray([[-1.5, 0.0, 2.0]], dtype=xps.float32)
    g = xps.asarray([[0.3, -1.2, 0.7]], dtype=xps.float32)
    act = ActivationFunction(name)
    for out in (act.forward(x), act.backward(x), act.backward(x, g)):
        assert type(out) is type(x) and out.dtype == xps.float32
    ref = torch_grad(TORCH[name][1], np.array([[-1.5, 0.0, 2.0]]), np.array([[0.3, -1.2, 0.7]]))
    np.testing.assert_allclose(np.asarray(act.backward(x, g)), ref, rtol=1e-6, atol=1e-7)
