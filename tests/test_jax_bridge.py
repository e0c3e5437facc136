"""actlab.jax: jit, grad (twice), vmap; float32 without x64 (no warnings,
NumPy's numbers) and float64 with it; against jax.nn where JAX has the
function, and against mpmath where float32 accuracy matters."""

import warnings

import mpmath
import numpy as np
import pytest

import actlab as al

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

from actlab.jax import function  # noqa: E402

ELEMENTWISE = [n for n in al.names() if al.get(n).spec.elementwise]
X = np.array([-3.7, -1.2, -0.3, 0.4, 1.1, 2.9])


def away_from_kinks(name, x):
    x = x.copy()
    for k in al.get(name).info.kinks:
        near = np.abs(x - k) < 1e-2
        x[near] = k + 1e-2
    return x


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_without_x64_is_numpys_and_silent(name):
    x = away_from_kinks(name, X).astype(np.float32)
    f, act = function(name), al.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # no float64-truncation warning, no RuntimeWarning
        y = jax.jit(f)(jnp.asarray(x))
        d1 = jax.vmap(jax.grad(f))(jnp.asarray(x))
        d2 = jax.vmap(jax.grad(jax.grad(f)))(jnp.asarray(x))
    assert y.dtype == jnp.float32 and d2.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(y), act(x, training=False), rtol=1e-7, atol=1e-30)   # eval mode
    np.testing.assert_allclose(np.asarray(d1), act.derivative(x), rtol=1e-7, atol=1e-30)
    np.testing.assert_allclose(np.asarray(d2), act.second_derivative(x), rtol=1e-7, atol=1e-30)


JAX_NN = {
    "relu": jax.nn.relu, "gelu": lambda x: jax.nn.gelu(x, approximate=False), "silu": jax.nn.silu,
    "elu": jax.nn.elu, "selu": jax.nn.selu, "celu": jax.nn.celu, "softplus": jax.nn.softplus,
    "sigmoid": jax.nn.sigmoid, "tanh": jax.nn.tanh, "leaky_relu": jax.nn.leaky_relu,
    "hard_tanh": jax.nn.hard_tanh, "relu6": jax.nn.relu6, "log_sigmoid": jax.nn.log_sigmoid,
    "softsign": jax.nn.soft_sign, "hard_swish": jax.nn.hard_swish, "mish": jax.nn.mish,
    "squareplus": jax.nn.squareplus, "sparse_plus": jax.nn.sparse_plus,
}


@pytest.mark.parametrize("name", sorted(JAX_NN))
def test_float64_with_x64_matches_jax_nn(name):
    x = away_from_kinks(name, X)
    with jax.enable_x64(True):
        xs = jnp.asarray(x)
        f, peer = function(name), JAX_NN[name]
        assert f(xs).dtype == jnp.float64
        np.testing.assert_allclose(np.asarray(f(xs)), np.asarray(peer(xs)), rtol=1e-12, atol=1e-15)
        for g, h in ((jax.grad(f), jax.grad(peer)), (jax.grad(jax.grad(f)), jax.grad(jax.grad(peer)))):
            np.testing.assert_allclose(np.asarray(jax.vmap(g)(xs)), np.asarray(jax.vmap(h)(xs)),
                                       rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name,peer", [("softmax", jax.nn.softmax), ("log_softmax", jax.nn.log_softmax),
                                       ("glu", jax.nn.glu)])
def test_vector_valued_match_jax_nn_under_jit_and_grad(name, peer):
    x = np.random.default_rng(0).standard_normal((3, 4))
    with jax.enable_x64(True):
        xs, w = jnp.asarray(x), jnp.arange(2.0 if name == "glu" else 4.0)
        f = function(name)
        np.testing.assert_allclose(np.asarray(jax.jit(f)(xs)), np.asarray(peer(xs)), rtol=1e-12, atol=1e-15)
        ours = jax.jit(jax.grad(lambda z: (f(z) * w).sum()))(xs)
        theirs = jax.grad(lambda z: (peer(z) * w).sum())(xs)
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(np.asarray(jax.vmap(f)(xs)), np.asarray(peer(xs)), rtol=1e-12, atol=1e-15)


def test_gelu_float32_is_accurate_in_the_far_tail():
    """JAX's own float32 gelu route loses digits at x = -12 (erfc's tail); ours is within float32."""
    mpmath.mp.dps = 40
    for x in (-12.0, -8.0, -5.0):
        exact = float(0.5 * x * mpmath.erfc(-mpmath.mpf(x) / mpmath.sqrt(2)))
        got = float(function("gelu")(jnp.float32(x)))
        assert abs(got - exact) <= 1.2e-7 * abs(exact), (x, got, exact)


def test_jvp_forward_mode_and_parameters():
    f = function("leaky_relu", alpha=0.2)
    y, t = jax.jvp(f, (jnp.array([-1.0, 2.0]),), (jnp.array([1.0, 1.0]),))
    np.testing.assert_allclose(np.asarray(y), [-0.2, 2.0], rtol=1e-7)
    np.testing.assert_allclose(np.asarray(t), [0.2, 1.0], rtol=1e-7)
    assert function("dropout", rate=0.5)(jnp.ones(4)).tolist() == [1.0] * 4   # eval mode
    with pytest.raises(ValueError, match="did you mean"):
        function("gleu")
