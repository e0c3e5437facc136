"""Fused compiled kernels for NumPy float32/float64 arrays (the fast path).

:meth:`actlab.Activation.forward`, ``derivative`` and ``backward`` route a
NumPy float32 or float64 array here when the function has a kernel (see
:func:`names`): one pass over memory (``backward`` reads x and grad once and
writes once), SIMD-vectorized transcendental functions, several threads for
large arrays. The results match the reference formulas in
:mod:`actlab.catalog` to 4 ULP, with the same special values and kink
conventions (tests/test_kernels.py holds them to it). Integer and bool arrays
are computed in float64 (as the reference does), non-contiguous ones through a
contiguous copy. Everything else (other array types, float16, per-channel
parameters, functions without a kernel, Numba not installed) runs the reference.

Importing this module is cheap: Numba is imported, and a kernel generated and
compiled (or loaded from the disk cache), on the first call that needs it.

Threads: ``set_num_threads(n)``, or the environment variable
``ACTLAB_NUM_THREADS``; the default is the number of cores this process may
use. Arrays smaller than :data:`PARALLEL_THRESHOLD` elements run on one thread,
and so do larger ones whose kernel is cheap enough to finish in
:data:`PARALLEL_MIN_SECONDS` (timed on its first single-threaded calls).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["names", "run", "store", "set_num_threads", "get_num_threads", "PARALLEL_THRESHOLD",
           "PARALLEL_MIN_SECONDS"]

#: Below this many elements, always one thread: handing work to a pool
#: thread costs 10-30 us (measured on the 2-core development machine), more
#: than the cheapest kernels take for 32k elements.
PARALLEL_THRESHOLD = 32_768
#: Above it, threads are used once a call is expected to take longer than
#: this on one thread; each loop's time per element is measured on its
#: single-threaded calls (a relu and a gcu differ 100-fold).
PARALLEL_MIN_SECONDS = 150e-6
_CHUNK_ALIGN = 1024  # elements: thread boundaries on cache-line (and page-ish) multiples
_seconds_per_element: dict = {}

_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_lock = threading.Lock()
_threads: int | None = None
_pool: ThreadPoolExecutor | None = None
_table = None  # formulas.TABLE once Numba is imported; False if it is not installed


# ------------------------------------------------------------------ threads

def _default_threads() -> int:
    env = os.environ.get("ACTLAB_NUM_THREADS")
    if env is not None:
        try:
            n = int(env)
        except ValueError:
            n = 0
        if n < 1:
            raise ValueError(f"ACTLAB_NUM_THREADS must be a positive integer, got {env!r}")
        return n
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """The number of threads the kernels use for large arrays."""
    global _threads
    if _threads is None:
        _threads = _default_threads()
    return _threads


def set_num_threads(n: int) -> None:
    """Use ``n`` threads (a positive integer) for large arrays from now on."""
    global _threads, _pool
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"the number of threads must be a positive integer, got {n!r}")
    with _lock:
        _threads = int(n)
        if _pool is not None and _pool._max_workers != _threads - 1:
            _pool.shutdown(wait=False)  # calls in flight finish on the old pool
            _pool = None


def _get_pool(workers: int) -> ThreadPoolExecutor:
    global _pool
    pool = _pool
    if pool is None or pool._max_workers != workers:
        with _lock:
            if _pool is None or _pool._max_workers != workers:
                _pool = ThreadPoolExecutor(workers, thread_name_prefix="actlab-kernel")
            pool = _pool
    return pool


def _execute(loop, arrays, params):
    n = arrays[0].shape[0]
    if n < PARALLEL_THRESHOLD:
        loop(*arrays, *params)
        return
    per = _seconds_per_element.get(loop)
    if per is not None and n * per > PARALLEL_MIN_SECONDS and get_num_threads() > 1:
        _parallel(loop, arrays, params)
        return
    # a loop's first call compiles it or loads it from the disk cache: not its cost per element
    ready = bool(getattr(loop, "signatures", True))
    start = time.perf_counter()
    loop(*arrays, *params)
    if ready:
        _seconds_per_element[loop] = (time.perf_counter() - start) / n


def _parallel(loop, arrays, params):
    """Run ``loop(*arrays, *params)`` on 1-D arrays split across the threads."""
    n = arrays[0].shape[0]
    threads = get_num_threads()
    if threads == 1:
        loop(*arrays, *params)
        return
    step = -(-n // threads // _CHUNK_ALIGN) * _CHUNK_ALIGN
    bounds = [(a, min(a + step, n)) for a in range(0, n, step)]
    pool = _get_pool(threads - 1)
    futures = [pool.submit(loop, *(a[lo:hi] for a in arrays), *params) for lo, hi in bounds[1:]]
    lo, hi = bounds[0]
    loop(*(a[lo:hi] for a in arrays), *params)
    for fut in futures:
        fut.result()


# ------------------------------------------------------------------ dispatch

def _formulas():
    global _table
    if _table is None:
        try:
            from .formulas import TABLE
        except ImportError:  # the 'fast' extra (numba) is not installed
            TABLE = False
        else:
            from ._compile import _source_hash
            _source_hash()  # now, while the sources on disk are those just imported
        _table = TABLE
    return _table


def names() -> list[str]:
    """Sorted names of the activations that have a kernel (empty without Numba)."""
    return sorted(_formulas() or ())


def _argument(param, value):
    """A parameter value as the loops take it: a float; a coefficient vector
    (an array that is not per-channel) as a tuple of floats, whose length
    Numba compiles in, so that loops over it unroll and the element loop still
    vectorizes (one compilation per length); None for per-channel arrays."""
    if isinstance(value, float):
        return value
    if isinstance(value, np.ndarray) and not param.per_channel:
        return tuple(float(v) for v in value.ravel())
    return None


def _plan(act):
    """({(method, dtype): loop}, parameter values) for act's current parameters
    (no loops where no kernel serves them)."""
    table = _formulas()
    for index, formula in enumerate(table.get(act.spec.name, ()) if table else ()):
        params = act._params
        if all(params.get(k) == v for k, v in formula.when.items()):
            specs = {p.name: p for p in act.spec.params}
            values = tuple(_argument(specs[p], params[p]) for p in formula.params)
            if any(v is None for v in values):
                break  # per-channel (array) parameters: the reference broadcasts them
            from ._compile import loops
            return loops(act.spec.name, index), values
    return {}, ()


def _flat(a):
    """A 1-D view in memory order, or None if a is not contiguous."""
    if a.flags.c_contiguous:
        return a if a.ndim == 1 else a.reshape(-1)
    if a.flags.f_contiguous:
        return a.T.reshape(-1)
    return None


def run(act, method: str, x, grad=None, *, out=None):
    """``act.<method>(x[, grad])`` by a kernel; None where no kernel serves
    (the caller then runs the reference formulas)."""
    if type(x) is not np.ndarray:
        return None
    if x.dtype.kind in "biu":  # the reference computes these in float64: so do we, same results
        x = x.astype(np.float64)
    # The plan is kept on the Activation until its parameters change
    # (set_params replaces the dict): the hot path is a few lookups.
    plan = act.__dict__.get("_kernel_plan")
    if plan is None or plan[0] is not act._params:
        plan = act._kernel_plan = (act._params, *_plan(act))
    loop = plan[1].get((method, x.dtype))  # None: no kernel, or not float32/float64
    if loop is None:
        return None
    params = plan[2]
    # the common small case, kept short: per-call overhead is the cost at 1e3
    if out is None and x.ndim == 1 and x.size < PARALLEL_THRESHOLD and x.flags.c_contiguous:
        if grad is None:
            y = np.empty_like(x)
            loop(x, y, *params)
            return y
        if type(grad) is np.ndarray and grad.dtype is x.dtype and grad.shape == x.shape and grad.flags.c_contiguous:
            y = np.empty_like(x)
            loop(x, grad, y, *params)
            return y
    return _run(loop, params, method, x, grad, out)


def _run(loop, params, method, x, grad, out):
    xf = _flat(x)
    if xf is None:  # not contiguous: a contiguous copy, so that results never depend on layout
        x = np.ascontiguousarray(x)
        xf = _flat(x)
    if method == "backward":
        if type(grad) is not np.ndarray or grad.dtype != x.dtype or grad.shape != x.shape:
            return None  # the reference casts, or says what is wrong
        if _flat(grad) is None or grad.flags.c_contiguous != x.flags.c_contiguous:
            grad = np.ascontiguousarray(grad) if x.flags.c_contiguous else np.asfortranarray(grad)
        arrays = [xf, _flat(grad)]
    else:
        arrays = [xf]
    result = out
    if out is not None:
        _check_out(out, x.shape, x.dtype)
        if (_flat(out) is None or out.flags.c_contiguous != x.flags.c_contiguous
                or any(a is not out and np.may_share_memory(out, a) for a in (x, grad) if a is not None)):
            result = None  # overlapping or differently ordered: go through a temporary
    if result is None:
        result = np.empty_like(x)
    arrays.append(_flat(result))
    _execute(loop, arrays, params)
    if result is not out and out is not None:
        out[...] = result
        return out
    return result


def _check_out(out, shape, dtype):
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a NumPy array, got {type(out).__name__}")
    if out.shape != tuple(shape) or out.dtype != dtype:
        raise ValueError(f"out must have the result's shape {tuple(shape)} and dtype {dtype}, "
                         f"got shape {out.shape} and dtype {out.dtype}")
    if not out.flags.writeable:
        raise ValueError("out is read-only")


def store(out, y):
    """Copy a reference result ``y`` into ``out`` (same shape and dtype) and return out."""
    if type(y) is np.ndarray or isinstance(y, np.generic):
        _check_out(out, np.shape(y), y.dtype)
    elif tuple(out.shape) != tuple(y.shape) or out.dtype != y.dtype:
        raise ValueError(f"out must have the result's shape {tuple(y.shape)} and dtype {y.dtype}, "
                         f"got shape {tuple(out.shape)} and dtype {out.dtype}")
    out[...] = y
    return out
