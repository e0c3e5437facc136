"""Optimizers, schedules and clipping against torch.optim on scripted gradients
(float64), state that accumulates and survives a state_dict round trip, and
the messages for bad hyperparameters."""

import math

import numpy as np
import pytest

from actlab.nn import optim

torch = pytest.importorskip("torch")

SHAPES = {"w": (3, 4), "b": (4,), "s": ()}   # "s": a 0-d parameter (a learnable scalar)
RNG = np.random.default_rng(11)
START = {k: RNG.standard_normal(s) for k, s in SHAPES.items()}
GRADS = [{k: RNG.standard_normal(s) for k, s in SHAPES.items()} for _ in range(12)]

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.8, dampening=0.8)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
]


def _torch_run(name, kw, grads):
    ps = {k: torch.tensor(v, requires_grad=True) for k, v in START.items()}
    opt = getattr(torch.optim, name)(list(ps.values()), **kw)
    for g in grads:
        for k, p in ps.items():
            p.grad = torch.tensor(g[k])
        opt.step()
    return {k: p.detach().numpy() for k, p in ps.items()}


def _ours(name, kw):
    params = {k: v.copy() for k, v in START.items()}
    return params, getattr(optim, name)(params, **kw)


@pytest.fixture(params=["compiled", "numpy"])
def path(request, monkeypatch):
    """Adam's compiled loop and its NumPy fallback are each held to torch."""
    if request.param == "numpy":
        monkeypatch.setattr(optim, "_adam_kernel", False)
    elif not optim._fused_adam():
        pytest.skip("numba is not installed")
    return request.param


@pytest.mark.parametrize("name,kw", CASES, ids=[f"{n}-{'-'.join(kw)}" for n, kw in CASES])
def test_matches_torch_on_scripted_gradients(name, kw, path):
    params, opt = _ours(name, kw)
    for g in GRADS:
        opt.step({k: v.copy() for k, v in g.items()})
    want = _torch_run(name, kw, GRADS)
    for k in SHAPES:
        assert params[k].shape == SHAPES[k]
        np.testing.assert_allclose(params[k], want[k], rtol=1e-12, atol=1e-14, err_msg=k)


@pytest.mark.parametrize("name,kw", CASES[1:], ids=[f"{n}-{'-'.join(kw)}" for n, kw in CASES[1:]])
def test_state_dict_round_trip_continues_identically(name, kw):
    a, opt_a = _ours(name, kw)
    for g in GRADS[:6]:
        opt_a.step(g)
    b, opt_b = _ours(name, kw)
    b.update({k: v.copy() for k, v in a.items()})
    opt_b.load_state_dict(opt_a.state_dict())
    for g in GRADS[6:]:
        opt_a.step(g)
        opt_b.step(g)
    for k in SHAPES:
        np.testing.assert_array_equal(a[k], b[k])   # same code path, same numbers


def test_momentum_accumulates_and_a_fresh_optimizer_does_not():
    """The ztlearn bug: rebuilding the optimizer each step loses the velocity."""
    p = {"w": np.zeros(1)}
    opt = optim.SGD(p, lr=1.0, momentum=0.9)
    for _ in range(3):
        opt.step({"w": np.ones(1)})
    assert p["w"][0] == pytest.approx(-(1 + 1.9 + 2.71))
    q = {"w": np.zeros(1)}
    for _ in range(3):
        optim.SGD(q, lr=1.0, momentum=0.9).step({"w": np.ones(1)})
    assert q["w"][0] == pytest.approx(-3.0)


@pytest.mark.parametrize("name,kw", [c for c in CASES if c[0].startswith("Adam")])
def test_float32_matches_torch_float32(name, kw, path):
    start = {k: v.astype(np.float32) for k, v in START.items()}
    params = {k: v.copy() for k, v in start.items()}
    opt = getattr(optim, name)(params, **kw)
    ps = {k: torch.tensor(v, requires_grad=True) for k, v in start.items()}
    topt = getattr(torch.optim, name)(list(ps.values()), **kw)
    for g in GRADS:
        opt.step(g)                                    # float64 gradients are cast, as torch's .grad would be
        for k, t in ps.items():
            t.grad = torch.tensor(g[k], dtype=torch.float32)
        topt.step()
    for k in SHAPES:
        assert params[k].dtype == np.float32 and opt.state[k]["exp_avg"].dtype == np.float32
        np.testing.assert_allclose(params[k], ps[k].detach().numpy(), rtol=2e-6, atol=1e-6)


def _lrs_ours(make, n):
    opt = optim.SGD({"w": np.zeros(1)}, lr=0.5)
    s = make(opt)
    out = [opt.lr]
    for _ in range(n):
        s.step()
        out.append(opt.lr)
    return out


def _lrs_torch(make, n):
    import warnings
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    s = make(opt)
    out = [opt.param_groups[0]["lr"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "scheduler.step() before optimizer.step()"
        for _ in range(n):
            opt.step()
            s.step()
            out.append(opt.param_groups[0]["lr"])
    return out


S = torch.optim.lr_scheduler
SCHEDULES = {
    "step": (lambda o: optim.StepLR(o, 3, gamma=0.5), lambda o: S.StepLR(o, 3, gamma=0.5)),
    "exponential": (lambda o: optim.ExponentialLR(o, 0.9), lambda o: S.ExponentialLR(o, 0.9)),
    "cosine": (lambda o: optim.CosineAnnealingLR(o, 7, eta_min=0.01),
               lambda o: S.CosineAnnealingLR(o, 7, eta_min=0.01)),
    "warmup": (lambda o: optim.LinearWarmup(o, 4, start_factor=0.25),
               lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4)),
    "warmup-then-cosine": (
        lambda o: optim.SequentialLR(o, [optim.LinearWarmup(o, 3, 0.2), optim.CosineAnnealingLR(o, 8)], [3]),
        lambda o: S.SequentialLR(o, [S.LinearLR(o, 0.2, total_iters=3), S.CosineAnnealingLR(o, 8)], [3])),
}


@pytest.mark.parametrize("name", SCHEDULES)
def test_schedules_match_torch(name):
    ours, theirs = SCHEDULES[name]
    np.testing.assert_allclose(_lrs_ours(ours, 12), _lrs_torch(theirs, 12), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, math.inf])
def test_clip_grad_norm_matches_torch(norm_type):
    g = {k: np.array(v * 5) for k, v in GRADS[0].items()}
    ts = [torch.zeros(SHAPES[k], dtype=torch.float64, requires_grad=True) for k in SHAPES]
    for t, k in zip(ts, SHAPES):
        t.grad = torch.tensor(g[k])
    want = float(torch.nn.utils.clip_grad_norm_(ts, 2.0, norm_type=norm_type))
    got = optim.clip_grad_norm(g, 2.0, norm_type=norm_type)
    assert got == pytest.approx(want, rel=1e-12)
    for t, k in zip(ts, SHAPES):
        np.testing.assert_allclose(g[k], t.grad.numpy(), rtol=1e-12)


def test_clip_grad_value_matches_torch():
    g = {k: v.copy() for k, v in GRADS[1].items()}
    ts = [torch.zeros(SHAPES[k], dtype=torch.float64, requires_grad=True) for k in SHAPES]
    for t, k in zip(ts, SHAPES):
        t.grad = torch.tensor(g[k])
    torch.nn.utils.clip_grad_value_(ts, 0.5)
    optim.clip_grad_value(g, 0.5)
    for t, k in zip(ts, SHAPES):
        np.testing.assert_array_equal(g[k], t.grad.numpy())


@pytest.mark.parametrize("make,msg", [
    (lambda p: optim.SGD(p, lr=-1), "lr"),
    (lambda p: optim.SGD(p, momentum=0.9, nesterov=True, dampening=0.5), "nesterov"),
    (lambda p: optim.SGD(p, nesterov=True), "nesterov"),
    (lambda p: optim.SGD(p, momentun=0.9), "momentum"),       # a typo is an error, not ignored
    (lambda p: optim.Adam(p, betas=(0.9, 1.0)), "betas"),
    (lambda p: optim.Adam(p, eps=-1e-8), "eps"),
    (lambda p: optim.RMSprop(p, alpha=1.5), "alpha"),
    (lambda p: optim.Adagrad(p, lr_decay=-1), "lr_decay"),
    (lambda p: optim.get("adma", p), "adam"),
    (lambda p: optim.SGD([np.zeros(2)]), "dict"),
    (lambda p: optim.SGD({"w": np.zeros(2, int)}), "floating"),
])
def test_bad_hyperparameters_are_refused_with_the_name(make, msg):
    with pytest.raises((TypeError, ValueError), match=msg):
        make({"w": np.zeros(2)})


def test_bad_steps_and_state_dicts_are_refused():
    p = {"w": np.zeros(2)}
    opt = optim.Adam(p)
    with pytest.raises(ValueError, match="shape"):
        opt.step({"w": np.zeros(3)})
    with pytest.raises(ValueError, match="not parameters"):
        opt.step({"v": np.zeros(2)})
    opt.step({"w": np.ones(2)})
    d = opt.state_dict()
    with pytest.raises(ValueError, match="for Adam, not SGD"):
        optim.SGD(p).load_state_dict(d)
    bad = opt.state_dict()
    bad["state"]["w"]["exp_avg"] = np.zeros(5)
    with pytest.raises(ValueError, match="shape"):
        opt.load_state_dict(bad)
    bad = opt.state_dict()
    bad["hyper"]["lr"] = -1.0
    before = opt.hyperparams
    with pytest.raises(ValueError, match="lr"):
        opt.load_state_dict(bad)
    assert opt.hyperparams == before   # a refused load changes nothing
    with pytest.raises(TypeError, match="in place"):
        optim.clip_grad_norm({"s": np.float64(3.0)}, 1.0)   # a numpy scalar cannot be scaled in place
    with pytest.raises(ValueError, match="milestones"):
        optim.SequentialLR(opt, [optim.StepLR(opt, 1), optim.StepLR(opt, 2)], [])
