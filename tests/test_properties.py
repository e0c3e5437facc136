"""Metadata is measured, not just declared: every claim of ``info`` against the probe.

Three layers:
1. the probe itself, on reference functions written here in plain NumPy with
   known properties (extrema from mpmath), so that a wrong probe cannot
   vouch for wrong metadata;
2. every function of the catalog (parametrized over ``actlab.names()`` at
   collection time, so new functions are covered), and parameter-dependent
   claims;
3. our values against the Wikipedia "Activation function" table.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, strategies as st

import actlab as al
from actlab.activation import Activation
from actlab.properties import CLAIMS, SMOOTH_CUTOFF, Mismatch, continuity_label, probe, unchecked, verify
from actlab.registry import INF, Props, Range, Spec, Unchecked

# ----------------------------------------------------------------- 1. the probe on reference functions

_NO_CLAIMS = Props(*[None] * 7)


def _ref(f, df, d2f, kinks=()):
    """An unregistered elementwise activation from plain NumPy f, f', f''."""
    spec = Spec(name="reference", kind="E", family="ridge", group="test", summary="", latex=("", "", ""),
                f=lambda xp, x: f(x), df=lambda xp, x: df(x), d2f=lambda xp, x: d2f(x),
                props=_NO_CLAIMS, kinks=kinks)
    return Activation(spec)


def _sig(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _dsig(x):
    return _sig(x) * _sig(-x)


def _erf(x):
    return np.vectorize(math.erf, otypes=[float])(x)


def _mp_min(f, x0):
    """The minimum of f near x0 (root of f'), in mpmath at 30 digits."""
    with mp.workdps(30):
        return float(f(mp.findroot(lambda t: mp.diff(f, t), x0)))


SILU = _ref(lambda x: x * _sig(x), lambda x: _sig(x) + x * _dsig(x),
            lambda x: _dsig(x) * (2.0 - x * np.tanh(0.5 * x)))
GELU = _ref(lambda x: np.where(np.isinf(x), np.maximum(x, 0.0), 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
            lambda x: 0.5 * (1 + _erf(x / math.sqrt(2))) + np.where(
                np.isinf(x), 0.0, x * np.exp(-0.5 * np.minimum(x * x, 1e4)) / math.sqrt(2 * math.pi)),
            lambda x: np.where(np.isinf(x), 0.0,
                               (2 - x * x) * np.exp(-0.5 * np.minimum(x * x, 1e4)) / math.sqrt(2 * math.pi)))


def _safe(x):
    return np.where(x == 0, 1.0, x)


SINC = _ref(lambda x: np.where(np.isinf(x), 0.0, np.sinc(x / np.pi)),
            lambda x: np.where((x == 0) | np.isinf(x), 0.0, np.cos(x) / _safe(x) - np.sin(x) / _safe(x) ** 2),
            lambda x: np.where(x == 0, -1 / 3, -np.sin(x) / _safe(x) - 2 * np.cos(x) / _safe(x) ** 2
                               + 2 * np.sin(x) / _safe(x) ** 3))


def _power_relu(k):
    """max(0, x)^k: C^(k-1), its k-th derivative jumps at 0."""
    def deriv(j):
        c = math.perm(k, j)
        if j < k:
            return lambda x: c * np.maximum(x, 0.0) ** (k - j)
        if j == k:
            return lambda x: np.where(x > 0, float(c), 0.0)
        return lambda x: 0.0 * x
    return _ref(deriv(0), deriv(1), deriv(2), kinks=(0.0,))


def _sqnl_piece(right, mid_pos, mid_neg, left):
    def g(x):
        arms = [arm(x) if callable(arm) else np.full_like(x, arm) for arm in (right, mid_pos, mid_neg)]
        return np.select([x > 2, x >= 0, x >= -2], arms, left)
    return g


def _sqnl(kinks):
    """Wuraola & Patel's SQNL: x -+ x^2/4 on [-2, 2], +-1 outside."""
    return _ref(_sqnl_piece(1.0, lambda x: x - x * x / 4, lambda x: x + x * x / 4, -1.0),
                _sqnl_piece(0.0, lambda x: 1 - x / 2, lambda x: 1 + x / 2, 0.0),
                _sqnl_piece(0.0, -0.5, 0.5, 0.0), kinks=kinks)


@pytest.mark.parametrize("act, f, x0", [
    (SILU, lambda t: t / (1 + mp.exp(-t)), -1.28),
    (GELU, lambda t: t * mp.ncdf(t), -0.75),
    (SINC, lambda t: mp.sin(t) / t, 4.49),
], ids=["silu", "gelu", "sinc"])
def test_probe_finds_interior_minimum_as_mpmath(act, f, x0):
    rng = probe(act)["range"]
    assert rng.lo == pytest.approx(_mp_min(f, x0), abs=1e-11)
    assert rng.lo_closed  # attained at the critical point


def test_probe_on_silu_reference():
    p = probe(SILU)
    assert p["range"].hi == INF and not p["range"].hi_closed
    assert p["continuity"] == INF and p["undeclared_kinks"] == ()
    assert not p["monotonic"] and not p["derivative_monotonic"] and not p["identity_near_origin"]
    assert p["saturating_left"] and not p["saturating_right"]
    assert p["zero_centred"] and p["bounded_below"] and not p["bounded_above"]


@pytest.mark.parametrize("k", range(1, SMOOTH_CUTOFF + 2))
def test_probe_continuity_order_of_power_relu(k):
    """max(0, x)^k is C^(k-1); beyond the cutoff it reads as C^inf."""
    expected = k - 1 if k - 1 < SMOOTH_CUTOFF else INF
    assert probe(_power_relu(k))["continuity"] == expected


def test_probe_finds_undeclared_kinks_by_scanning():
    declared, bare = probe(_sqnl((-2.0, 0.0, 2.0))), probe(_sqnl(()))
    assert declared["undeclared_kinks"] == ()
    assert bare["undeclared_kinks"] == pytest.approx([-2.0, 0.0, 2.0], abs=1e-9)
    # f'' jumps at the kinks: C^1 either way; range attained at the plateaus
    assert declared["continuity"] == bare["continuity"] == 1
    assert str(declared["range"]) == "[-1, 1]"
    assert declared["monotonic"] and not declared["derivative_monotonic"] and declared["identity_near_origin"]
    assert declared["saturating_left"] and declared["saturating_right"]


def test_probe_jump_and_limit_not_attained():
    """x for x > 1 else 2: a jump at 1; inf 1 is a one-sided limit, not attained."""
    p = probe(_ref(lambda x: np.where(x > 1, x, 2.0), lambda x: np.where(x > 1, 1.0, 0.0),
                   lambda x: 0.0 * x, kinks=(1.0,)))
    assert p["continuity"] == -1
    assert p["range"].lo == pytest.approx(1.0, abs=1e-9) and not p["range"].lo_closed
    assert not p["monotonic"] and p["derivative_monotonic"]


def test_probe_removable_discontinuity_is_a_discontinuity():
    """f(0) must equal the one-sided limits for C^0."""
    p = probe(_ref(lambda x: np.where(x == 0, 1.0, x), lambda x: np.ones_like(x), lambda x: 0.0 * x,
                   kinks=(0.0,)))
    assert p["continuity"] == -1


def test_probe_asymptote_is_not_attained_but_plateau_is():
    tanh = probe(_ref(np.tanh, lambda x: 1 - np.tanh(x) ** 2, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)))
    assert str(tanh["range"]) == "(-1, 1)"  # tanh(20) rounds to 1.0: still not attained
    clip = probe(_ref(lambda x: np.clip(x, -1, 1), lambda x: np.where(np.abs(x) < 1, 1.0, 0.0),
                      lambda x: 0.0 * x, kinks=(-1.0, 1.0)))
    assert str(clip["range"]) == "[-1, 1]" and clip["continuity"] == 0 and clip["identity_near_origin"]


def test_probe_logarithmic_growth_is_unbounded():
    p = probe(_ref(lambda x: np.sign(x) * np.log1p(np.abs(x)), lambda x: 1 / (1 + np.abs(x)),
                   lambda x: -np.sign(x) / (1 + np.abs(x)) ** 2, kinks=(0.0,)))
    assert str(p["range"]) == "(-inf, inf)"
    assert p["saturating_left"] and p["saturating_right"] and p["continuity"] == 1


def test_probe_oscillation_does_not_saturate():
    p = probe(_ref(np.sin, np.cos, lambda x: -np.sin(x)))
    assert str(p["range"]) == "[-1, 1]" and p["identity_near_origin"]
    assert not p["saturating_left"] and not p["saturating_right"] and not p["monotonic"]


def test_probe_checks_the_derivatives():
    """A wrong f'' (here 1.5 times too big for x > 0.5) is caught, and breaks C^inf."""
    wrong = _ref(np.sin, np.cos, lambda x: np.where(x > 0.5, -1.5 * np.sin(x), -np.sin(x)))
    p = probe(wrong)
    assert set(p["derivative_errors"]) == {"d2f"} and p["derivative_errors"]["d2f"] == pytest.approx(0.5, abs=2e-3)
    assert "d2f" in {m.claim for m in verify(wrong)}
    assert probe(SILU)["derivative_errors"] == {}


def test_probe_rejects_bad_input():
    with pytest.raises(TypeError, match="probe needs an Activation"):
        probe("relu")
    with pytest.raises(ValueError, match="needs one value of alpha"):
        probe(al.get("prelu", alpha=np.array([0.1, 0.2])))


# ----------------------------------------------------------------- 2. the catalog's claims

def _mismatch_text(mismatches):
    return "\n".join(map(str, mismatches))


@pytest.mark.parametrize("name", al.names())
def test_every_claim_agrees_with_probe(name):
    act = al.get(name)
    mismatches = verify(act)
    assert not mismatches, _mismatch_text(mismatches)


@pytest.mark.parametrize("name", al.names())
def test_unchecked_claims_say_why(name):
    for claim, u in unchecked(al.get(name)).items():
        assert isinstance(u.why, str) and len(u.why) > 10, f"{name}.{claim}: Unchecked needs a reason"


PARAM_CASES = [
    ("elu", (("alpha", 1.0),)), ("elu", (("alpha", 0.5),)), ("elu", (("alpha", 2.0),)),
    ("leaky_relu", (("alpha", 1.0),)), ("leaky_relu", (("alpha", 0.0),)), ("leaky_relu", (("alpha", -0.5),)),
    ("leaky_relu", (("alpha", 2.0),)), ("prelu", (("alpha", 1.0),)),
    ("selu", (("alpha", 0.5),)), ("softplus", (("beta", 5.0),)), ("clipped_relu", (("cap", 0.01),)),
    ("dropout", (("rate", 0.9),)), ("gelu", (("approximate", "tanh"),)), ("gelu", (("approximate", "sigmoid"),)),
    ("silu", (("beta", 2.0),)), ("celu", (("alpha", 2.0),)), ("squareplus", (("b", 1.0),)),
    ("sine", (("w0", 1.0),)), ("isru", (("alpha", 4.0),)), ("hard_shrink", (("lambd", 2.0),)),
]


@pytest.mark.parametrize("name, params", [
    pytest.param(n, p, id=f"{n}-" + ",".join(f"{k}={v}" for k, v in p))
    for n, p in PARAM_CASES])
def test_parameter_dependent_claims_agree_with_probe(name, params):
    act = al.get(name, **dict(params))
    mismatches = verify(act)
    assert not mismatches, _mismatch_text(mismatches)


@pytest.mark.parametrize("alpha, order, identity", [(1.0, 1, True), (0.5, 0, False), (2.0, 0, False)])
def test_elu_is_c1_only_when_alpha_is_1(alpha, order, identity):
    p = probe(al.get("elu", alpha=alpha))
    assert p["continuity"] == order and p["identity_near_origin"] is identity
    assert p["range"].lo == pytest.approx(-alpha) and not p["range"].lo_closed


def test_leaky_relu_with_slope_1_is_the_identity():
    p = probe(al.get("leaky_relu", alpha=1.0))
    assert p["identity_near_origin"] and p["continuity"] == INF and str(p["range"]) == "(-inf, inf)"
    assert not probe(al.get("leaky_relu"))["identity_near_origin"]


@given(alpha=st.floats(0.05, 3.0))
def test_elu_claims_hold_for_any_alpha(alpha):
    assert not verify(al.get("elu", alpha=alpha))


@given(beta=st.floats(0.1, 10.0), cap=st.floats(0.01, 100.0))
def test_softplus_and_clipped_relu_claims_hold_for_any_parameter(beta, cap):
    assert not verify(al.get("softplus", beta=beta))
    assert not verify(al.get("clipped_relu", cap=cap))


def _with_claims(name, **claims):
    """The activation `name` with some claims replaced (not registered)."""
    spec = al.get(name).spec
    return Activation(dataclasses.replace(spec, props=dataclasses.replace(spec.props, **claims)))


def test_verify_catches_each_wrong_claim():
    wrong = _with_claims("relu", range=Range(0, INF), continuity=1, monotonic=False,
                         derivative_monotonic=False, identity_near_origin=True,
                         saturating_left=False, saturating_right=True)
    found = {m.claim for m in verify(wrong)}
    assert found == set(CLAIMS) - {"zero_centred", "bounded_below", "bounded_above"}
    m = next(m for m in verify(wrong) if m.claim == "continuity")
    assert (m.claimed, m.probed) == ("C^1", "C^0") and "relu: continuity" in str(m)


def test_verify_skips_unchecked_claims():
    act = _with_claims("sigmoid", monotonic=Unchecked(False, "a deliberately wrong value, unchecked"))
    assert verify(act) == [] and unchecked(act)["monotonic"].value is False


def test_verify_reports_undeclared_kinks():
    act = _with_claims("relu")
    act = Activation(dataclasses.replace(act.spec, kinks=()))
    assert [m.claim for m in verify(act)] == ["kinks"]


@pytest.mark.parametrize("name, wrong", [("softmax", Range(0, 0.5, False, True)), ("crelu", Range(0, 1, True, True)),
                                         ("maxout", Range(0, INF, True))])
def test_vector_range_is_sampled(name, wrong):
    assert not verify(al.get(name))
    assert [m.claim for m in verify(_with_claims(name, range=wrong))] == ["range"]


# ----------------------------------------------------------------- 3. the Wikipedia table

# Wikipedia, "Activation function", section "Table of activation functions"
# (https://en.wikipedia.org/wiki/Activation_function). Range and order of
# continuity as the current table gives them; monotonic, derivative monotonic
# and "approximates identity near the origin" from the revisions (2017-2020)
# that had those columns. Approximate bounds keep the digits Wikipedia prints
# (the tolerance is half a unit of the last one). None: no entry, or one that
# depends on learned parameters. The table's interval brackets are not
# compared (it writes {0, 1} for the step and an open bracket at GELU's
# attained minimum); the probe checks attainment.
# name, params, Wikipedia's row, (inf, sup, tolerance), continuity, monotonic, derivative monotonic, identity
WIKIPEDIA = [
    ("identity", {}, "Identity", (-INF, INF, 0), INF, True, True, True),
    ("binary_step", {}, "Binary step", (0, 1, 0), -1, True, False, False),
    ("sigmoid", {}, "Logistic, sigmoid, or soft step", (0, 1, 0), INF, True, False, False),
    ("tanh", {}, "Hyperbolic tangent (tanh)", (-1, 1, 0), INF, True, False, True),
    ("smht", {}, "Soboleva modified hyperbolic tangent (smht)", (-1, 1, 0), INF, None, None, None),
    ("relu", {}, "Rectified linear unit (ReLU)", (0, INF, 0), 0, True, True, False),
    ("gelu", {}, "Gaussian-error linear unit (GELU)", (-0.17, INF, 0.005), INF, False, False, False),
    ("softplus", {}, "Softplus", (0, INF, 0), INF, True, True, False),
    ("elu", {"alpha": 1.0}, "Exponential linear unit (ELU), alpha = 1", (-1, INF, 0), 1, True, True, True),
    ("elu", {"alpha": 0.5}, "Exponential linear unit (ELU), alpha = 0.5", (-0.5, INF, 0), 0, True, True, False),
    ("elu", {"alpha": 2.0}, "Exponential linear unit (ELU), alpha = 2", (-2, INF, 0), 0, True, False, False),
    ("selu", {}, "Scaled exponential linear unit (SELU)", (-1.7581, INF, 5e-5), 0, True, False, False),
    ("leaky_relu", {}, "Leaky rectified linear unit (Leaky ReLU)", (-INF, INF, 0), 0, True, True, False),
    ("prelu", {}, "Parametric rectified linear unit (PReLU), alpha = 0.25", (-INF, INF, 0), 0, True, True, False),
    ("rrelu", {}, "Randomized leaky rectified linear unit (RReLU)", (-INF, INF, 0), 0, True, True, False),
    ("silu", {}, "Sigmoid linear unit (SiLU, Swish-1)", (-0.278, INF, 5e-4), INF, False, False, None),
    ("gaussian", {}, "Gaussian", (0, 1, 0), INF, False, False, False),
    ("sinusoid", {}, "Sinusoid", (-1, 1, 0), INF, False, False, True),
    ("sinc", {}, "Sinc", (-0.217234, 1, 5e-7), INF, False, False, False),
    ("softsign", {}, "Softsign", (-1, 1, 0), 1, True, False, True),
    ("isru", {}, "Inverse square root unit (ISRU), alpha = 1", (-1, 1, 0), INF, True, False, True),
    ("isrlu", {}, "Inverse square root linear unit (ISRLU), alpha = 1", (-1, INF, 0), 2, True, True, True),
    ("bent_identity", {}, "Bent identity", (-INF, INF, 0), INF, True, True, True),
    ("soft_exponential", {"alpha": 0.0}, "SoftExponential, alpha = 0", (-INF, INF, 0), INF, True, True, True),
    ("arctan", {}, "ArcTan", (-math.pi / 2, math.pi / 2, 0), INF, True, False, True),
    ("apl", {}, "Adaptive piecewise linear (APL)", (None, None, 0), 0, None, None, None),
    ("srelu", {}, "S-shaped rectified linear unit (SReLU)", (None, None, 0), 0, None, None, None),
]

# Where we deliberately differ from the table, and why (the test asserts the difference still holds).
WIKIPEDIA_DIFFERS = {
    ("binary_step", "derivative_monotonic"):
        "f' = 0 wherever it exists (and 0 is our value at the jump); the table counts the Dirac delta at 0",
}


def _claim(value):
    return value.value if isinstance(value, Unchecked) else value


@pytest.mark.parametrize("row", WIKIPEDIA, ids=lambda r: r[0] + "".join(f"-{k}={v}" for k, v in r[1].items()))
def test_values_match_the_wikipedia_table(row):
    name, params, wp_row, (lo, hi, tol), order, mono, dmono, identity = row
    info = al.get(name, **params).info
    rng = _claim(info.range)
    for ours, theirs in ((rng.lo, lo), (rng.hi, hi)):
        if theirs is not None:
            assert ours == pytest.approx(theirs, abs=tol) if math.isfinite(theirs) else ours == theirs, \
                f"{name}: range {rng} vs Wikipedia's ({lo}, {hi}) in row {wp_row!r}"
    columns = {"continuity": order, "monotonic": mono, "derivative_monotonic": dmono,
               "identity_near_origin": identity}
    for claim, theirs in columns.items():
        if theirs is None:
            continue
        ours = _claim(getattr(info, claim))
        if (name, claim) in WIKIPEDIA_DIFFERS:
            assert ours != theirs, f"{name}.{claim} now agrees with Wikipedia: drop WIKIPEDIA_DIFFERS entry"
            continue
        shown = continuity_label if claim == "continuity" else repr
        assert ours == theirs, f"{name}: {claim} is {shown(ours)}, Wikipedia's row {wp_row!r} says {shown(theirs)}"


def test_mismatch_is_readable():
    m = Mismatch("elu", "continuity", "C^1", "C^0")
    assert str(m) == "elu: continuity claimed 'C^1', probe found 'C^0'"
