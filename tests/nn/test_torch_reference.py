"""actlab.nn against PyTorch (float64): the same network, initial weights and
mini-batches give the same loss at each of 20 steps for every optimizer and
option, with and without BatchNorm and with a learnable PReLU."""

import numpy as np
import pytest

from actlab import nn

torch = pytest.importorskip("torch")
tnn = torch.nn

STEPS, BATCH = 20, 16
RNG = np.random.default_rng(7)
X = RNG.standard_normal((STEPS * BATCH // 2, 5))
Y = RNG.integers(0, 3, len(X))
ORDER = np.concatenate([RNG.permutation(len(X)) for _ in range(2)])  # two epochs of 10 batches
BATCHES = [ORDER[i:i + BATCH] for i in range(0, STEPS * BATCH, BATCH)]


def build(batchnorm, prelu):
    """The actlab model and its torch twin with the same weights."""
    ours = [nn.Dense(5, 8, activation="tanh")]
    theirs = [tnn.Linear(5, 8), tnn.Tanh()]
    if batchnorm:
        ours.append(nn.BatchNorm(8, momentum=0.2))
        theirs.append(tnn.BatchNorm1d(8, momentum=0.2))
    ours.append(nn.Dense(8, 6))
    theirs.append(tnn.Linear(8, 6))
    if prelu:
        ours.append(nn.Activation("prelu"))
        theirs.append(tnn.PReLU())
    else:
        ours.append(nn.Activation("relu"))
        theirs.append(tnn.ReLU())
    if batchnorm:
        ours.append(nn.BatchNorm(6))
        theirs.append(tnn.BatchNorm1d(6))
    ours.append(nn.Dense(6, 3))
    theirs.append(tnn.Linear(6, 3))
    model = nn.Sequential(*ours, seed=0, dtype=np.float64)
    twin = tnn.Sequential(*theirs).double()
    pairs = []  # (actlab key, torch parameter)
    with_params = [(i, layer) for i, layer in enumerate(model.layers) if layer.params]
    for (i, layer), t in zip(with_params, [m for m in theirs if list(m.parameters())]):
        names = {"W": "weight", "b": "bias", "gamma": "weight", "beta": "bias", "alpha": "weight"}
        for k in layer.params:
            p = getattr(t, names[k])
            with torch.no_grad():
                value = model.params[f"{i}.{k}"]
                p.copy_(torch.from_numpy(value.T.copy() if k == "W" else value.reshape(p.shape)))
            pairs.append((f"{i}.{k}", p))
    assert len(pairs) == len(list(twin.parameters()))
    return model, twin, pairs


def losses_of(opt_name, kwargs, batchnorm=False, prelu=False, clip=None, schedule=None):
    model, twin, pairs = build(batchnorm, prelu)
    ours = getattr(nn.optim, opt_name)(model.params, **kwargs)
    theirs = getattr(torch.optim, opt_name)([p for _, p in pairs], **kwargs)
    if schedule:
        ours_s = getattr(nn.optim, schedule[0])(ours, **schedule[1])
        theirs_s = getattr(torch.optim.lr_scheduler, schedule[0])(theirs, **schedule[1])
    a, b = [], []
    for idx in BATCHES:
        logits = model(X[idx], training=True)
        loss, dout = nn.losses.cross_entropy(logits, Y[idx])
        model.backward(dout)
        grads = model.grads
        if clip:
            nn.optim.clip_grad_norm(grads, clip)
        ours.step(grads)
        a.append(loss)

        theirs.zero_grad()
        t_loss = tnn.functional.cross_entropy(twin(torch.from_numpy(X[idx])), torch.from_numpy(Y[idx]))
        t_loss.backward()
        if clip:
            tnn.utils.clip_grad_norm_([p for _, p in pairs], clip)
        theirs.step()
        b.append(t_loss.item())
        if schedule:
            ours_s.step()
            theirs_s.step()
    twin.eval()
    with torch.no_grad():
        t_eval = twin(torch.from_numpy(X)).numpy()
    return np.array(a), np.array(b), model(X), t_eval


CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.5)),
    ("SGD", dict(lr=0.05, momentum=0.8)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.9)),  # the EWMA form v = beta v + (1 - beta) g
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
]


@pytest.mark.parametrize("batchnorm,prelu", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("opt_name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_twenty_steps_match_pytorch(opt_name, kwargs, batchnorm, prelu):
    ours, theirs, eval_ours, eval_theirs = losses_of(opt_name, kwargs, batchnorm, prelu)
    assert not np.allclose(ours[0], ours[-1]), "the network should have trained"
    np.testing.assert_allclose(ours, theirs, rtol=1e-8)
    np.testing.assert_allclose(eval_ours, eval_theirs, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("schedule", [("StepLR", dict(step_size=5, gamma=0.5)),
                                      ("ExponentialLR", dict(gamma=0.9)),
                                      ("CosineAnnealingLR", dict(T_max=10))])
def test_schedules_and_clipping_match_pytorch(schedule):
    ours, theirs, eval_ours, eval_theirs = losses_of("SGD", dict(lr=0.2, momentum=0.9), True, True,
                                                     clip=0.5, schedule=schedule)
    np.testing.assert_allclose(ours, theirs, rtol=1e-8)
    np.testing.assert_allclose(eval_ours, eval_theirs, rtol=1e-8, atol=1e-12)
