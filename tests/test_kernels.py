"""The compiled kernels (actlab.kernels) against the reference formulas.

The reference path (the catalog's formulas through Activation, with the
kernel hook bypassed) is the oracle: same dtype, within 4 ULP in float32 and
float64, the same NaN/inf/signed-zero results and kink values. Exceptions
(see _explain_far_points and EXCEPTIONS): near the zeros of a cancelling
f or f' the tolerance is 4 eps times the cancelling terms (the oracles'
scale), and at rare float64 points where the reference's own rounding puts
it more than 4 ULP away, the kernel must be within 2 ULP of the exact value.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import mpmath as mp
import numpy as np
import pytest

import actlab as al
from actlab import kernels
from actlab.activation import Activation

from .helpers import mp_ref, ulp_error
from .oracles import ORACLES

pytest.importorskip("numba")
from actlab.kernels.formulas import TABLE  # noqa: E402  (needs numba)

MAX_ULP = 4
DTYPES = (np.float32, np.float64)
METHODS = ("forward", "derivative", "backward")
REFERENCE = {m: getattr(Activation, m).__wrapped__ for m in METHODS}  # the hook bypassed


def _param_sets(name):
    """Those of: the defaults, every numeric parameter at half its default, at
    0 (or else 5 times the default), where allowed, and each kernel's ``when``
    (e.g. gelu's approximate='tanh'), for which a kernel serves."""
    spec = al.get(name).spec
    alts = []
    for candidates in ((lambda d: d * 0.5 if d else 0.5,), (lambda d: 0.0, lambda d: d * 5.0)):
        alt = {}
        for p in spec.params:
            if isinstance(p.default, float):
                for c in candidates:  # the first allowed value
                    try:
                        alt[p.name] = p.check(c(p.default))
                        break
                    except ValueError:
                        pass
        try:
            al.get(name, **alt)  # cross-parameter constraints
            alts.append(alt)
        except ValueError:
            pass
    sets = [{}, *(a for a in alts if a), *(f.when for f in TABLE[name] if f.when)]
    return [p for p in sets if kernels._plan(al.get(name, **p))[0]]


CASES = [(n, p) for n in kernels.names() for p in _param_sets(n)]


def _case_id(case):
    n, p = case
    return n + "".join(f"[{k}={v:g}]" if isinstance(v, float) else f"[{k}={v}]" for k, v in p.items())


def ulp_distance(a, b):
    """|a - b| in units in the last place (0 for NaN vs NaN; huge for NaN vs a number)."""
    itype = np.int64 if a.dtype == np.float64 else np.int32
    ia, ib = (v.view(itype).astype(np.int64) for v in (a, b))
    lo = np.int64(np.iinfo(itype).min)
    ia = np.where(ia < 0, lo - ia, ia)  # map the bits to a monotonic integer scale
    ib = np.where(ib < 0, lo - ib, ib)
    d = np.abs(ia - ib)
    d[np.isnan(a) & np.isnan(b)] = 0
    d[np.isnan(a) != np.isnan(b)] = np.iinfo(np.int64).max
    return d


def inputs(dtype, name, params, n_random=3000, seed=0):
    """Random values at several scales, magnitudes from subnormal to max, the
    special values, and each kink with its neighbours."""
    rng = np.random.default_rng(seed)
    fi = np.finfo(dtype)
    parts = [rng.standard_normal(n_random) * s for s in (0.01, 0.5, 2.0, 10.0, 100.0)]
    with np.errstate(over="ignore"):  # the last point may round past max
        mags = np.minimum(np.logspace(np.log10(float(fi.smallest_subnormal)), np.log10(float(fi.max)), 600),
                          float(fi.max))
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 6.0, -6.0, 20.0, -20.0, 40.0, -40.0,
                88.7, -88.7, 103.9, -103.9, 709.7, -709.7, 745.2, -745.2, 1e300, -1e300]
    with np.errstate(over="ignore"):
        x = np.concatenate([*parts, mags, -mags, specials]).astype(dtype)
    kinks = np.array(al.get(name, **params).info.kinks, dtype=dtype)
    near = [np.nextafter(kinks, dtype(np.inf)), np.nextafter(kinks, dtype(-np.inf))]
    return np.concatenate([x, kinks, *near, -kinks])


# Where the reference loses precision for a reason the scale of cancelling
# terms does not capture, an absolute tolerance replaces the ULP test:
# name -> (methods, dtypes, exempt(x) -> mask, tolerance(x)).
EXCEPTIONS = {
    # -2x e^(-x^2) for |x| > 26.6: e^(-x^2) is subnormal, so each rounding of it
    # (exp, then the product with 1 - lo) is worth up to a subnormal ULP
    # absolutely, in the reference as in the kernel; -2x multiplies that.
    "gaussian": (("derivative", "backward"), (np.float64,), lambda x: np.abs(x) > 26.6,
                 lambda x: np.abs(x) * (MAX_ULP * 2 * 2.0 ** -1074)),
    # x + sin^2(alpha x)/alpha cancels for x < 0 (down to 0.27|x|, where the
    # second term is 0.72|x|; the oracle gives f no scale): the kernel's sin and
    # NumPy's, each within 1 ULP, differ by up to 1 ULP of sin^2, amplified up
    # to 3.6-fold (measured 8 ULP). Scale: the cancelling terms, at most 2|x|.
    "snake": (("forward",), (np.float64,), lambda x: (-1e300 < x) & (x < 0),
              lambda x: MAX_ULP * float(np.finfo(np.float64).eps) * 2 * np.abs(x)),
}


def _explain_far_points(name, params, method, x, got, want, g, idx):
    """Points where kernel and reference are more than MAX_ULP apart pass if
    (a) the function cancels there: |got - want| <= 4 ulp + 4 eps * scale,
        with the oracle's scale of the cancelling terms (tests/oracles), or
    (b) the reference's own rounding is to blame (float64 compositions such
        as g * s(1-s) reach 3-4 ULP): then the kernel must be within 2 ULP
        of the exact value (mpmath; 2.5 for backward, whose product with g
        rounds once more), and such points must be rare."""
    oracle = ORACLES.get(name)
    items = tuple(sorted(params.items()))
    order = 0 if method == "forward" else 1
    eps = float(np.finfo(x.dtype).eps)
    rest = []
    for i in idx:
        gi = abs(float(g[i])) if method == "backward" else 1.0
        if oracle is not None and oracle.scale is not None:
            with np.errstate(over="ignore"):  # the spacing at max is inf
                ulp = float(np.spacing(np.abs(want[i])))
            tol = MAX_ULP * ulp + MAX_ULP * eps * gi * float(oracle.scale(float(x[i]), order, **params))
            if abs(float(got[i]) - float(want[i])) <= tol:
                continue
        rest.append(i)
    assert len(rest) <= max(2, x.size // 500), f"{name}.{method}: {len(rest)} points beyond {MAX_ULP} ULP"
    for i in rest:
        exact = mp_ref(name, items, float(x[i]), order) * (float(g[i]) if method == "backward" else 1)
        err = ulp_error(got[i], exact, x.dtype.type)
        bound = 2.5 if method == "backward" else 2  # backward rounds g * f' once more: + 0.5 ULP
        assert err <= bound, (f"{name}.{method} {x.dtype}: at x={x[i]!r} the kernel gives {got[i]!r}, "
                          f"{err:.2f} ULP from the exact value; the reference gives {want[i]!r}")


def _check_close(name, params, method, x, got, want, g=None):
    assert got.dtype == want.dtype and got.shape == want.shape
    d = ulp_distance(got, want)
    exc = EXCEPTIONS.get(name)
    if exc and method in exc[0] and x.dtype.type in exc[1]:
        mask = exc[2](x)
        tol = exc[3](x[mask]) * (1 if g is None or method != "backward" else np.abs(g[mask]))
        err = np.abs(got[mask] - want[mask])
        assert np.all(err <= np.maximum(tol, MAX_ULP * np.spacing(np.abs(want[mask])))), \
            f"{name}.{method}: beyond the stated tolerance"
        d[mask] = 0
    far = np.flatnonzero(d > MAX_ULP)
    if far.size:
        _explain_far_points(name, params, method, x, got, want, g, far)
    # identical special values: NaN where NaN, infinities, and the sign of zero
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[np.isinf(want)], want[np.isinf(want)])
    zero = want == 0
    np.testing.assert_array_equal(np.signbit(got[zero]), np.signbit(want[zero]),
                                  err_msg=f"{name}.{method}: sign of zero")


def _kernel(act, method, x, g):
    y = kernels.run(act, method, x, *((g,) if method == "backward" else ()))
    assert y is not None, f"{act.name}: no kernel ran"
    return y


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_kernel_matches_reference(case, dtype):
    name, params = case
    act = al.get(name, **params)
    x = inputs(dtype, name, params)
    g = np.random.default_rng(1).standard_normal(x.size).astype(dtype)
    for method in METHODS:
        args = (x, g) if method == "backward" else (x,)
        # the reference's own warnings are tests/test_numerics.py's business; the
        # kernel's are not silenced (pyproject turns RuntimeWarning into errors)
        with np.errstate(over="ignore", invalid="ignore"):
            want = REFERENCE[method](act, *args)
        got = _kernel(act, method, x, g)
        _check_close(name, params, method, x, got, want, g)
        # the public methods take the kernel path and return the same
        np.testing.assert_array_equal(getattr(act, method)(*args), got)


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu", "relu6", "clipped_relu", "softsign",
                                  "elliot_sigmoid", "binary_step"])
def test_kinks_follow_pytorch(name):
    """The derivative at a kink is the one torch.autograd gives (or the catalog's documented value)."""
    act = al.get(name)
    kinks = np.array(act.info.kinks, dtype=np.float64)
    for dtype in DTYPES:
        x = kinks.astype(dtype)
        np.testing.assert_array_equal(_kernel(act, "derivative", x, x),
                                      REFERENCE["derivative"](act, x))
    torch = pytest.importorskip("torch")
    fn = {"relu": torch.relu, "leaky_relu": torch.nn.functional.leaky_relu, "elu": torch.nn.functional.elu,
          "relu6": torch.nn.functional.relu6, "softsign": torch.nn.functional.softsign}.get(name)
    if fn is not None:
        t = torch.tensor(kinks, requires_grad=True)
        (grad,) = torch.autograd.grad(fn(t).sum(), t)
        np.testing.assert_array_equal(act.derivative(kinks), grad.numpy())


def test_trig_reduction_and_libm_pass():
    """sinusoid and gcu near multiples of pi/2 (where the argument reduction
    cancels most), up to and beyond the limit of the vectorized reduction
    (those go through libm in a second pass): sin and cos within 1 ULP of
    mpmath, gcu's products and differences within 1.5."""
    from actlab.kernels._math import TRIG_LIMIT

    k = np.unique(np.geomspace(1, 4 * TRIG_LIMIT, 60).astype(np.int64))
    near = np.array([float(mp.mpf(int(j)) * mp.pi / 2) for j in k])
    x = np.concatenate([near, np.nextafter(near, 0), -near, [TRIG_LIMIT, np.nextafter(TRIG_LIMIT, np.inf), 3.0]])
    for name, bound, f, df in (("sinusoid", 1.0, mp.sin, mp.cos),
                               ("gcu", 1.5, lambda t: t * mp.cos(t), lambda t: mp.cos(t) - t * mp.sin(t))):
        act = al.get(name)
        for method, exact in (("forward", f), ("derivative", df)):
            got = _kernel(act, method, x, x)
            with mp.workprec(200):
                errs = [ulp_error(got[i], exact(mp.mpf(float(xi))), np.float64) for i, xi in enumerate(x)]
            assert max(errs) <= bound, f"{name}.{method}: {max(errs):.2f} ULP at x = {x[int(np.argmax(errs))]!r}"


def test_log_expm1_sinh_and_powers_against_mpmath():
    """_math's expm1, sinh, log1p, log and rsqrt_pow within 0.8 ULP of mpmath
    (~2000 points each: random over the whole range, near 0 and the range
    edges), their special values, and the single-grade ones (and log1p_unit's)
    within 1e-9."""
    from numba import njit

    from actlab.kernels import _math as M

    rng = np.random.default_rng(5)
    tiny = np.exp(rng.uniform(np.log(1e-310), 0.0, 400))
    cases = [
        ("expm1", M.expm1, mp.expm1, np.concatenate([rng.uniform(-40, 709.78, 1000), rng.uniform(-1, 1, 400), tiny,
                                                     -tiny, [709.78, 709.4, 709.45, -40.0, 37.4, 36.7]])),
        ("sinh", M.sinh, mp.sinh, np.concatenate([rng.uniform(-22, 22, 800), rng.uniform(22, 710.47, 600), tiny,
                                                  [22.0, 710.47, -710.47]])),
        ("log1p", M.log1p, mp.log1p, np.concatenate([rng.uniform(-1, 3, 800), np.exp(rng.uniform(-700, 700, 600)),
                                                     -tiny * 0.999, [2.0 ** 53 + 2, 1e308, -0.5, -1 + 2.0 ** -53]])),
        ("log", M.log, mp.log, np.concatenate([np.exp(rng.uniform(-744, 709, 1200)), rng.uniform(0.5, 2, 800),
                                               [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]])),
        ("rsqrt_pow 1/2", M.jit(lambda t: M.rsqrt_pow(t, 0.0, 0.5)), lambda t: t ** -0.5,
         np.exp(rng.uniform(0, 709, 2000))),
        ("rsqrt_pow 3/2", M.jit(lambda t: M.rsqrt_pow(t, 0.0, 1.5)), lambda t: t ** -1.5,
         np.concatenate([np.exp(rng.uniform(0, 709, 2000)), [2.0 ** 700, 2.0 ** 716, 1.7976931348623157e308]])),
    ]
    cases.append(("log1p_unit", M.log1p_unit, mp.log1p, np.concatenate([rng.uniform(0, 1, 1000), tiny, [1.0, 0.4142]])))
    singles = {"expm1": M.expm1_single, "log1p": M.log1p_single, "log": M.log_single, "log1p_unit": M.log1p_unit_single}
    for name, f, exact, x in cases:
        for fn, single in ((f, False), (singles.get(name), True)):
            if fn is None:
                continue
            g = njit(error_model="numpy")(lambda a, fn=fn: [fn(v) for v in a])
            got = np.array(g(x))
            with mp.workprec(120):
                want = [exact(mp.mpf(float(v))) for v in x]
                if single:
                    err = max(float(abs((mp.mpf(float(y)) - w) / w)) for y, w in zip(got, want) if w)
                    assert err <= 1e-9, f"{name}_single: {err:.2e} relative"
                else:
                    errs = [ulp_error(y, w, np.float64) for y, w in zip(got, want)]
                    assert max(errs) <= 0.8, f"{name}: {max(errs):.2f} ULP at x = {x[int(np.argmax(errs))]!r}"
    # log1p_or_log: log1p's bits where near, log's elsewhere
    u = np.concatenate([rng.uniform(-0.5, 0.5, 500), [0.0, -0.0]])
    w = np.concatenate([np.exp(rng.uniform(-744, 709, 500)), [0.0, np.inf]])
    both = njit(error_model="numpy")(lambda u, w: [(M.log1p_or_log(True, a, 1.0 + a), M.log1p(a),
                                                    M.log1p_or_log(False, 0.5, b), M.log(b)) for a, b in zip(u, w)])
    got = np.array(both(u, w))
    np.testing.assert_array_equal(got[:, 0], got[:, 1])
    np.testing.assert_array_equal(np.signbit(got[:, 0]), np.signbit(got[:, 1]))
    np.testing.assert_array_equal(got[:, 2], got[:, 3])
    specials = {M.expm1: ([np.inf, -np.inf, -0.0, 709.79], [np.inf, -1.0, -0.0, np.inf]),
                M.sinh: ([np.inf, -np.inf, -0.0, 710.48], [np.inf, -np.inf, -0.0, np.inf]),
                M.log1p: ([np.inf, -1.0, -2.0, -0.0], [np.inf, -np.inf, np.nan, -0.0]),
                M.log: ([np.inf, 0.0, -1.0, 1.0], [np.inf, -np.inf, np.nan, 0.0])}
    for fn, (x, want) in specials.items():
        got = np.array(njit(error_model="numpy")(lambda a, fn=fn: [fn(v) for v in a])(np.array(x)))
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_float32_primitives_against_mpmath():
    """_math.FLOAT32's exp, exp_pair, expm1 (x <= 0 and all x) and tanh, in float32
    arithmetic: within 1 ULP (tanh 2.5) of the exact value (mpmath), over the
    range and near 0, the overflow and underflow edges included."""
    from numba import njit

    from actlab.kernels import _math as M

    rng = np.random.default_rng(7)
    tiny = np.exp(rng.uniform(-80, 0, 500))
    cases = [("exp", mp.exp, 1, np.concatenate([rng.uniform(-104, 89, 2000), rng.uniform(-1, 1, 500),
                                                [0.0, 88.72, 88.73, -87.3, -103.9, -104.0, 1e-30]])),
             ("expm1_neg", mp.expm1, 1, np.concatenate([rng.uniform(-25, 0, 2000), -tiny, [0.0, -0.0]])),
             ("expm1", mp.expm1, 1, np.concatenate([rng.uniform(-25, 89, 2000), tiny, -tiny, [0.0, -0.0, 88.72]])),
             ("tanh", mp.tanh, 2.5, np.concatenate([rng.uniform(-12, 12, 2000), tiny, -tiny, [0.0, -0.0, 20.0]]))]
    for name, exact, bound, x in cases:
        fn = M.FLOAT32[name]

        @njit(error_model="numpy")
        def apply(a, out):
            for i in range(a.shape[0]):
                out[i] = fn(a[i])

        x = x.astype(np.float32)
        got = np.empty_like(x)
        apply(x, got)
        errs = [ulp_error(y, exact(mp.mpf(float(v))), np.float32) for y, v in zip(got, x)]
        assert max(errs) <= bound, f"{name}: {max(errs):.2f} ULP at x = {x[int(np.argmax(errs))]!r}"
        zero = got == 0  # expm1 and tanh keep the sign of x (exp and expm1_neg, as float64's, give +0)
        np.testing.assert_array_equal(np.signbit(got[zero]), np.signbit(x[zero]) & (name in ("expm1", "tanh")),
                                      err_msg=f"{name}: sign of zero")
    pair = M.FLOAT32["exp_pair"]

    @njit(error_model="numpy")
    def product(a, out):
        for i in range(a.shape[0]):
            h1, h2 = pair(a[i])
            out[i] = h1 * h2

    x = rng.uniform(-150, 89, 2000).astype(np.float32)
    got = np.empty_like(x)
    product(x, got)
    assert max(ulp_error(y, mp.exp(mp.mpf(float(v))), np.float32) for y, v in zip(got, x)) <= 1


def test_float32_arithmetic_where_declared():
    """The float32 variants compute in float32 (their result type) unless FLOAT64_INSIDE
    names them, with a reason; every name there has a kernel."""
    from numba import float32, float64

    from actlab.kernels.formulas import FLOAT64_INSIDE

    assert set(FLOAT64_INSIDE) <= set(TABLE)
    for name, (which, reason) in FLOAT64_INSIDE.items():
        assert set(which) <= {"f", "df"} and which and reason
    for name in ("sigmoid", "tanh", "elu", "hard_swish", "silu", "gelu", "softplus"):
        formula = TABLE[name][0]
        for part, fn in zip(("f", "df"), formula.single()):
            in32 = part not in FLOAT64_INSIDE.get(name, ((),))[0]
            args = (float32 if in32 else float64,) * (1 + len(formula.params))
            fn.compile(args)
            (returns,) = [s.return_type for s in fn.nopython_signatures if s.args == args]
            assert returns == args[0], f"{name} {part}: {returns}"


@pytest.mark.parametrize("case", [("soft_exponential", {"alpha": a}) for a in (-0.5, -1.0, 1.0, 2.5)]
                         + [("smht", {"a": 0.5, "b": 1.5, "c": 1.0, "d": 2.0}),
                            ("smht", {"a": 1.0, "b": 1.0, "c": 0.0, "d": 0.0}),
                            ("isru", {"alpha": 1e300}), ("soft_clipping", {"alpha": 100.0})], ids=_case_id)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_kernel_matches_reference_at_more_parameters(case, dtype):
    """Parameters _param_sets leaves out: soft_exponential's log branch (alpha < 0)
    and alpha >= 1, smht unbounded (sinh) and asymmetric, extreme alphas."""
    test_kernel_matches_reference(case, dtype)


# ------------------------------------------------------------------ out=

@pytest.mark.parametrize("dtype", DTYPES + (np.float16, np.int32), ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("method", METHODS)
def test_out_on_every_method(method, dtype):
    act = al.get("elu", alpha=0.5)
    x = np.linspace(-3, 3, 12, dtype=np.float64).reshape(3, 4).astype(dtype)
    g = np.ones_like(x)
    args = (x, g) if method == "backward" else (x,)
    want = getattr(act, method)(*args)
    out = np.full(x.shape, 7, dtype=want.dtype)
    got = getattr(act, method)(*args, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)


def test_out_in_place_and_overlapping():
    act = al.get("sigmoid")
    x = np.linspace(-5, 5, 101)
    want = act(x)
    y = x.copy()
    assert act(y, out=y) is y
    np.testing.assert_array_equal(y, want)
    buf = np.concatenate([x, [0.0]])
    act(buf[:-1], out=buf[1:])  # out overlaps x, shifted by one element
    np.testing.assert_array_equal(buf[1:], want)


def test_out_is_validated():
    act = al.get("relu")
    x = np.ones(5, dtype=np.float32)
    with pytest.raises(ValueError, match="shape"):
        act(x, out=np.empty(4, dtype=np.float32))
    with pytest.raises(ValueError, match="dtype"):
        act(x, out=np.empty(5, dtype=np.float64))
    with pytest.raises(TypeError, match="NumPy array"):
        act(x, out=[0.0] * 5)
    with pytest.raises(ValueError, match="dtype"):  # the reference path checks too
        act(x.astype(np.float16), out=np.empty(5, dtype=np.float32))


# ------------------------------------------------------------------ fallback

def test_fallback_for_other_arrays_and_dtypes():
    act = al.get("softplus")
    x = np.linspace(-4, 4, 24)
    assert kernels.run(act, "forward", x.astype(np.float16)) is None
    assert kernels.run(act, "forward", x.tolist()) is None
    # integers compute in float64 as in the reference; non-contiguous arrays through a copy
    np.testing.assert_array_equal(kernels.run(act, "forward", np.arange(-3, 4)), act(np.arange(-3.0, 4.0)))
    np.testing.assert_array_equal(kernels.run(act, "forward", x[::2]), act(x)[::2])
    assert kernels.run(act, "forward", x.astype(">f8")) is None  # not in native byte order
    # the reference against the kernel: two code paths, held to the 4 ULP bound, not to bits
    np.testing.assert_array_max_ulp(act(x.astype(">f8")), act(x), maxulp=4)
    np.testing.assert_array_equal(act(x[::2]), act(np.ascontiguousarray(x[::2])))
    torch = pytest.importorskip("torch")
    y = act(torch.from_numpy(x))
    assert isinstance(y, torch.Tensor)
    np.testing.assert_allclose(y.numpy(), act(x), rtol=4e-16)


def test_layouts_and_shapes():
    act = al.get("tanh")
    x = np.random.default_rng(2).standard_normal((6, 5))
    for a in (x, np.asfortranarray(x), x.reshape(2, 3, 5), np.float64(0.5) * np.ones(()), np.empty((0, 3))):
        got = act(a)
        assert got.shape == a.shape and got.dtype == a.dtype
        _check_close("tanh", {}, "forward", a.ravel(), got.ravel(), REFERENCE["forward"](act, a).ravel())
    g = np.ones_like(x)
    xf = np.asfortranarray(x)
    np.testing.assert_array_equal(act.backward(xf, np.asfortranarray(g)), act.backward(x, g))


def test_per_channel_parameters_use_the_reference():
    act = al.get("prelu", alpha=np.array([0.1, 0.2, 0.3]))
    x = np.linspace(-1, 1, 12).reshape(4, 3)  # 3 channels on axis 1, as PyTorch
    assert kernels.run(act, "forward", x) is None
    np.testing.assert_array_equal(act(x), np.where(x >= 0, x, x * np.array([0.1, 0.2, 0.3])))


@pytest.mark.parametrize("name, params", [("apl", {"b": np.array([0.0, 1.0, -1.0])}),
                                          ("srelu", {"t_right": np.array([1.0, 2.0, 3.0])}),
                                          ("star_relu", {"scale": np.array([1.0, 0.5, 2.0])}),
                                          ("snake", {"alpha": np.array([1.0, 0.5, 2.0])})])
def test_per_channel_learnable_parameters_use_the_reference(name, params):
    act = al.get(name, **params)
    assert kernels._plan(act) == ({}, ())
    assert kernels.run(act, "forward", np.linspace(-2, 2, 12).reshape(4, 3)) is None


@pytest.mark.parametrize("coefficients", [
    {}, {"numerator": (0.11440311001189646, 0.5891610756805713, 0.5423986871505561, 0.13286948390430828),
         "denominator": (0.2074994452826854, 0.20726656124953777)},  # the oracles' PAU_A32_LEAKY
    {"numerator": (0.5, 0.25, 0.1), "denominator": (0.0, 0.2)},  # PAU_BOUNDED: degrees (2, 2)
    {"numerator": (1.0,), "denominator": (0.5,)}])  # degrees (0, 1): f = s^-1 (...), f' = s^-2 (...)
def test_coefficient_vectors_reach_the_kernel(coefficients):
    """rational's numerator and denominator are one polynomial for all inputs
    (not per channel): the kernel takes them as tuples of floats (compiled for
    their lengths), and matches the reference at every degree."""
    act = al.get("rational", **coefficients)
    loops, values = kernels._plan(act)
    assert loops and all(type(v) is tuple and all(type(c) is float for c in v) for v in values)
    for dtype in DTYPES:
        x = inputs(dtype, "rational", {})
        g = np.random.default_rng(1).standard_normal(x.size).astype(dtype)
        for method in METHODS:
            args = (x, g) if method == "backward" else (x,)
            with np.errstate(over="ignore", invalid="ignore"):
                want = REFERENCE[method](act, *args)
            _check_close("rational", coefficients, method, x, _kernel(act, method, x, g), want, g)
    # new coefficients of the same lengths: the same compiled loops, the new values
    act.set_params(numerator=[2.0 * c for c in act.params["numerator"]])
    assert kernels._plan(act)[0] is loops
    np.testing.assert_array_equal(act(x), REFERENCE["forward"](act, x))


def test_changing_parameters_changes_the_kernel():
    act = al.get("leaky_relu", alpha=0.1)
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(act(x), [-0.2, 3.0])
    act.set_params(alpha=0.5)
    np.testing.assert_array_equal(act(x), [-1.0, 3.0])


# ------------------------------------------------------------------ threads

@pytest.fixture
def threads(monkeypatch):
    """Restore the thread count; make every array above the size threshold
    go parallel (once its loop's speed has been measured)."""
    before = kernels.get_num_threads()
    monkeypatch.setattr(kernels, "PARALLEL_MIN_SECONDS", 0.0)
    yield
    kernels.set_num_threads(before)


def test_parallel_path_matches_serial(threads, monkeypatch):
    monkeypatch.setattr(kernels, "PARALLEL_MIN_SECONDS", 0.0)  # however fast the loops: threads once timed
    parallel_run = kernels._parallel
    x = np.random.default_rng(3).standard_normal(3 * kernels.PARALLEL_THRESHOLD + 17).astype(np.float32) * 5
    g = np.ones_like(x)
    for name in ("sigmoid", "relu"):
        act = al.get(name)
        kernels.set_num_threads(1)
        act(x), act.backward(x, g)  # a loop's first call (compile or cache load) is not timed
        serial = [act(x), act.backward(x, g)]  # times the loops
        kernels.set_num_threads(3)
        calls = []
        monkeypatch.setattr(kernels, "_parallel", lambda *a: (calls.append(1), parallel_run(*a)))
        parallel = [act(x), act.backward(x, g)]
        assert len(calls) == 2
        for s, p in zip(serial, parallel):
            np.testing.assert_array_equal(s, p)
        _check_close(name, {}, "forward", x, parallel[0], REFERENCE["forward"](act, x))


def test_thread_count_api(threads, monkeypatch):
    kernels.set_num_threads(3)
    assert kernels.get_num_threads() == 3
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="positive integer"):
            kernels.set_num_threads(bad)
    monkeypatch.setenv("ACTLAB_NUM_THREADS", "5")
    assert kernels._default_threads() == 5
    monkeypatch.setenv("ACTLAB_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="ACTLAB_NUM_THREADS"):
        kernels._default_threads()
    monkeypatch.delenv("ACTLAB_NUM_THREADS")
    assert kernels._default_threads() >= 1
    assert al.set_num_threads is kernels.set_num_threads and al.get_num_threads is kernels.get_num_threads


def test_concurrent_calls_from_python_threads(threads):
    kernels.set_num_threads(2)
    rng = np.random.default_rng(4)
    data = [rng.standard_normal(kernels.PARALLEL_THRESHOLD + 1000 * i) for i in range(8)]
    acts = [al.get(n) for n in ("sigmoid", "tanh", "elu", "softplus")]
    want = [[a.backward(x, x) for a in acts] for x in data]
    got = [None] * len(data)
    errors = []

    def work(i):
        try:
            for _ in range(3):
                got[i] = [a.backward(data[i], data[i]) for a in acts]
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(len(data))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    for w, gt in zip(want, got):
        for a, b in zip(w, gt):
            np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ import, cache

def test_import_compiles_nothing():
    code = "import sys, actlab; assert 'numba' not in sys.modules, 'numba imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cache_dir_falls_back_when_not_writable(tmp_path, monkeypatch):
    from actlab.kernels import _compile

    blocked = tmp_path / "file"
    blocked.write_text("")  # a file: no directory can be made under it
    monkeypatch.setenv("ACTLAB_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked / "xdg"))
    d = _compile.cache_dir()
    assert d is not None and d.is_dir() and not str(d).startswith(str(blocked))
    monkeypatch.setenv("ACTLAB_CACHE_DIR", str(tmp_path / "mine"))
    assert _compile.cache_dir() == tmp_path / "mine" / "kernels"


def test_a_first_call_that_compiles_is_not_timed_as_the_loops_cost():
    import time

    class Loop:  # a dispatcher stand-in: its first call "compiles" (sleeps), as Numba's do
        signatures: list = []

        def __call__(self, x, out):
            if not self.signatures:
                time.sleep(0.05)
                self.signatures = ["float64[::1]"]
            out[:] = x

    loop = Loop()
    x = np.ones(2 * kernels.PARALLEL_THRESHOLD)
    out = np.empty_like(x)
    kernels._execute(loop, [x, out], ())
    assert loop not in kernels._seconds_per_element
    kernels._execute(loop, [x, out], ())
    assert kernels._seconds_per_element[loop] < 0.05 / x.size   # the sleep is not counted
    np.testing.assert_array_equal(out, x)
