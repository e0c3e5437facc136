"""actlab in JAX: every function as a JAX-transformable function with actlab's
analytic derivatives.

>>> import jax, jax.numpy as jnp
>>> from actlab.jax import function
>>> gelu = function("gelu")
>>> round(float(jax.grad(jax.grad(gelu))(jnp.float32(0.5))), 6)     # f''(0.5), under grad twice
0.616114

The values are actlab's, computed on the host by NumPy (the compiled kernels
where they apply) through :func:`jax.pure_callback`: the same numbers in
float32 as NumPy gives, with no float64 truncation warnings when x64 is off,
and float64 with it. Works under ``jit``, ``vmap`` and ``grad``; elementwise
functions are a :func:`jax.custom_jvp` (f' for the first derivative, f'' for
the second, so forward and reverse mode work, twice), vector-valued ones a
:func:`jax.custom_vjp` from actlab's exact VJP (reverse mode, once).
Parameters are fixed; stochastic functions run in eval mode (deterministic).
On an accelerator the callback moves the data to the host and back.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .activation import get

__all__ = ["function"]


def _host(act, method, dtype):
    """A callback running ``act.method`` on host arrays, returning ``dtype``; the forward
    in eval mode (stochastic functions are deterministic there, as a pure function must be)."""
    kw = {"training": False} if method == "forward" else {}

    def call(*arrays):
        out = getattr(act, method)(*(np.asarray(a) for a in arrays), **kw)
        return np.asarray(out, dtype=dtype)
    return call


def _on_host(act, method, like, *arrays):
    """act.method(*arrays) as a JAX value shaped like ``like``, under jit and vmap."""
    spec = jax.ShapeDtypeStruct(like.shape, like.dtype)
    return jax.pure_callback(_host(act, method, like.dtype), spec, *arrays, vmap_method="broadcast_all")


def _check(x):
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.result_type(float))          # ints and bools compute in the default float
    return x


def _elementwise(act):
    @jax.custom_jvp
    def f(x):
        x = _check(x)
        return _on_host(act, "forward", x, x)

    @jax.custom_jvp
    def df(x):
        return _on_host(act, "derivative", x, x)

    def d2f(x):
        return _on_host(act, "second_derivative", x, x)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        x = _check(x)
        return f(x), df(x) * t

    @df.defjvp
    def df_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return df(x), d2f(x) * t

    return f


def _vector(act):
    @jax.custom_vjp
    def f(x):
        x = _check(x)
        return jax.pure_callback(_host(act, "forward", x.dtype), _out_shape(act, x), x, vmap_method="sequential")

    def fwd(x):
        x = _check(x)
        return f(x), x

    def bwd(x, g):
        return (jax.pure_callback(_host(act, "backward", x.dtype), jax.ShapeDtypeStruct(x.shape, x.dtype), x, g,
                                  vmap_method="sequential"),)

    f.defvjp(fwd, bwd)
    return f


def _out_shape(act, x):
    """The output's shape and dtype (glu halves its axis): from a forward on zeros of x's shape."""
    y = act.forward(np.zeros(x.shape, dtype=np.dtype(x.dtype.name)), training=False)
    return jax.ShapeDtypeStruct(y.shape, x.dtype)


def function(name: str, **params):
    """actlab's ``name`` with ``params`` as a function of JAX arrays (see the module doc).

    >>> f = function("leaky_relu", alpha=0.1)
    >>> f(jnp.array([-1.0, 2.0]))
    Array([-0.1,  2. ], dtype=float32)
    """
    act = get(name, **params)
    f = _elementwise(act) if act.spec.elementwise else _vector(act)
    f.__name__ = f.__qualname__ = act.name
    f.__doc__ = f"actlab's {act.name} on JAX arrays with actlab's derivatives ({act.params or 'no parameters'})."
    return f
