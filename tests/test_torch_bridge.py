"""actlab.torch: gradcheck and gradgradcheck for every function, values
against torch's own functions, actlab's kink values, modules trained by a
torch optimizer, state_dict, stochastic modes, memory saved for backward."""

import numpy as np
import pytest

import actlab as al

torch = pytest.importorskip("torch")
from actlab.torch import Activation, _apply, function  # noqa: E402

F = torch.nn.functional


def points(name, shape=(3, 4), seed=0):
    """float64 inputs in [-2.5, 2.5], kept 1e-2 away from the function's kinks
    (central differences across a kink measure neither side)."""
    x = np.random.default_rng(seed).uniform(-2.5, 2.5, shape)
    for k in al.get(name).info.kinks:
        near = np.abs(x - k) < 1e-2
        x[near] = k + np.where(x[near] >= k, 1e-2, -1e-2)
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("name", al.names())
def test_gradcheck_and_gradgradcheck(name):
    base = al.get(name)
    x = points(name)
    names = [p.name for p in base.spec.params if p.learnable]
    params = [torch.tensor(np.asarray(base.params[n], dtype=np.float64), requires_grad=True) for n in names]

    def f(x, *ps):
        return _apply(base, x, names, ps, training=False)

    assert torch.autograd.gradcheck(f, (x, *params))
    # second order: through x (parameters enter as constants)
    assert torch.autograd.gradgradcheck(lambda x: f(x, *[p.detach() for p in params]), (x,))


@pytest.mark.parametrize("name", [n for n in al.names() if not al.get(n).spec.stochastic])
def test_values_and_gradients_are_actlabs(name):
    x = points(name, seed=1)
    y = function(name)(x)
    ours = al.get(name)
    np.testing.assert_allclose(y.detach().numpy(), ours(x.detach().numpy()), rtol=1e-15, atol=0)
    g = torch.from_numpy(np.random.default_rng(2).standard_normal(tuple(y.shape)))
    (dx,) = torch.autograd.grad(y, x, g)
    np.testing.assert_allclose(dx.numpy(), ours.backward(x.detach().numpy(), g.numpy()), rtol=1e-15, atol=0)


TORCH_OWN = {
    "relu": F.relu, "gelu": F.gelu, "silu": F.silu, "mish": F.mish, "elu": F.elu, "selu": F.selu,
    "celu": F.celu, "softplus": F.softplus, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "leaky_relu": F.leaky_relu, "hard_tanh": F.hardtanh, "softsign": F.softsign, "relu6": F.relu6,
    "hard_swish": F.hardswish, "hard_sigmoid": F.hardsigmoid, "log_sigmoid": F.logsigmoid,
    "tanh_shrink": F.tanhshrink,
}


@pytest.mark.parametrize("name", sorted(TORCH_OWN))
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_against_torchs_own_functions(name, dtype):
    """float64: torch's function and ours agree; float32: ours is within float32's error of
    torch's float64 result (torch's own float32 gelu is off by 1e-5 near x = -2.4)."""
    x0 = points(name, shape=(257,), seed=3).detach().to(dtype)
    x1, x2 = x0.clone().requires_grad_(), x0.double().requires_grad_()
    ours, theirs = function(name)(x1), TORCH_OWN[name](x2)
    assert ours.dtype == dtype
    tol = dict(rtol=1e-12, atol=1e-14) if dtype == torch.float64 else dict(rtol=2e-6, atol=1e-7)
    torch.testing.assert_close(ours.double(), theirs, **tol)
    ours.sum().backward()
    theirs.sum().backward()
    if name == "hard_sigmoid":   # torch's float64 backward uses 1/6 rounded to float32: ours is 1/6
        inside = x0.abs() < 3
        assert (x1.grad[inside] == torch.tensor(1 / 6, dtype=dtype)).all()
        assert (x2.grad[inside].float() == torch.tensor(1 / 6, dtype=torch.float32)).all()
        return
    torch.testing.assert_close(x1.grad.double(), x2.grad, **tol)


@pytest.mark.parametrize("name,at,want", [("hard_tanh", 1.0, 0.0), ("hard_tanh", -1.0, 0.0),
                                          ("relu", 0.0, 0.0), ("relu6", 6.0, 0.0)])
def test_kinks_take_actlabs_value(name, at, want):
    x = torch.tensor([at], dtype=torch.float64, requires_grad=True)
    function(name)(x).sum().backward()
    assert float(x.grad[0]) == want == float(al.get(name).derivative(np.array([at]))[0])


def test_double_backward_is_f_second():
    x = torch.linspace(-3, 3, 13, dtype=torch.float64, requires_grad=True)
    (d1,) = torch.autograd.grad(function("gelu")(x).sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    np.testing.assert_allclose(d2.numpy(), al.get("gelu").second_derivative(x.detach().numpy()), rtol=1e-14)
    (d1,) = torch.autograd.grad(function("gelu")(x).sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match="third derivative of gelu is not available"):
        torch.autograd.grad(d2.sum(), x)
    m = Activation("prelu").double()
    (ga,) = torch.autograd.grad(m(x).sum(), m.alpha, create_graph=True)
    with pytest.raises(RuntimeError, match="second derivative through alpha is not available"):
        torch.autograd.grad(ga, m.alpha)


def test_modules_train_inside_a_model_and_round_trip():
    torch.manual_seed(0)
    X = torch.randn(256, 4)
    y = (X[:, :1] * X[:, 1:2]).tanh()
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), Activation("prelu", num_parameters=16),
                                torch.nn.Linear(16, 16), Activation("mish"), torch.nn.Linear(16, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(150):
        opt.zero_grad()
        loss = F.mse_loss(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]
    alpha = model[1].alpha
    assert alpha.shape == (16,) and not torch.allclose(alpha, torch.full((16,), 0.25))
    twin = torch.nn.Sequential(torch.nn.Linear(4, 16), Activation("prelu", num_parameters=16),
                               torch.nn.Linear(16, 16), Activation("mish"), torch.nn.Linear(16, 1))
    twin.load_state_dict(model.state_dict())
    assert set(model.state_dict()) >= {"1.alpha"}
    torch.testing.assert_close(twin(X), model(X), rtol=0, atol=0)


def test_prelu_matches_torch_prelu_with_per_channel_alpha():
    torch.manual_seed(1)
    x = torch.randn(5, 3, 4, dtype=torch.float64)
    ours, theirs = Activation("prelu", num_parameters=3).double(), torch.nn.PReLU(3).double()
    x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
    torch.testing.assert_close(ours(x1), theirs(x2))
    (ours(x1) ** 2).sum().backward()
    (theirs(x2) ** 2).sum().backward()
    torch.testing.assert_close(ours.alpha.grad, theirs.weight.grad)
    torch.testing.assert_close(x1.grad, x2.grad)


def test_stochastic_modules_follow_training_and_torchs_seed():
    m = Activation("dropout", rate=0.5)
    x = torch.ones(1000, requires_grad=True)
    torch.manual_seed(3)
    a = m(x)
    torch.manual_seed(3)
    b = m(x)
    torch.testing.assert_close(a, b)
    assert 400 < int((a == 0).sum()) < 600 and set(a.detach().unique().tolist()) == {0.0, 2.0}
    a.sum().backward()
    torch.testing.assert_close(x.grad, a.detach())      # the mask of this very forward, scaled
    m.eval()
    torch.testing.assert_close(m(x), x)


def saved_bytes(fn, x):
    total = []

    def pack(t):
        total.append(t.nelement() * t.element_size())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn(x).sum().backward()
    return sum(total)


def test_memory_saved_for_backward_is_the_input_only():
    x = torch.randn(1 << 16, requires_grad=True)
    ours = saved_bytes(function("mish"), x)
    formula = saved_bytes(lambda t: t * torch.tanh(F.softplus(t)), x)
    assert ours == x.nbytes                     # one tensor: x
    assert formula >= 3 * x.nbytes              # torch's autograd keeps the intermediates


def test_other_dtypes_run_the_reference_on_the_tensor():
    x = torch.linspace(-3, 3, 7, dtype=torch.bfloat16, requires_grad=True)
    y = function("gelu")(x)
    assert y.dtype == torch.bfloat16
    torch.testing.assert_close(y.float(), F.gelu(x.detach().float()), rtol=1e-2, atol=1e-2)
    y.sum().backward()
    assert x.grad.dtype == torch.bfloat16


def test_errors():
    with pytest.raises(TypeError, match="takes a torch.Tensor"):
        function("relu")(np.ones(3))
    with pytest.raises(ValueError, match="no per-channel learnable parameter"):
        Activation("relu", num_parameters=4)
    with pytest.raises(ValueError, match="did you mean"):
        Activation("gleu")
    assert "rate=0.3" in repr(Activation("dropout", rate=0.3))
