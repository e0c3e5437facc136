"""actlab.nn layers and Sequential: whole-network gradients against central
differences (float64), save/load, summary and the errors users meet."""

import numpy as np
import pytest

import actlab as al
from actlab import nn

RNG = np.random.default_rng(1)


def numeric_grad(f, a, eps=1e-6):
    """Central differences of the scalar f() with respect to the array a (in place)."""
    g = np.zeros_like(a)
    flat, gflat = a.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        hi = f()
        flat[i] = old - eps
        lo = f()
        flat[i] = old
        gflat[i] = (hi - lo) / (2 * eps)
    return g


def check_network(model, x, training=False, rtol=1e-6, atol=1e-8):
    """Every parameter's gradient and dL/dx against central differences of
    L = sum(R * model(x)) for a random upstream R (not all ones)."""
    seed = 12345

    def loss():
        model.rng = np.random.default_rng(seed)  # the same dropout mask / rrelu slopes every time
        return float(np.sum(R * model(x, training=training)))

    model.rng = np.random.default_rng(seed)
    out = model(x, training=training)
    R = RNG.standard_normal(out.shape)
    gx = model.backward(R)
    grads = {k: v.copy() for k, v in model.grads.items()}
    assert set(grads) == set(model.params)
    for k, p in model.params.items():
        np.testing.assert_allclose(grads[k], numeric_grad(loss, p), rtol=rtol, atol=atol, err_msg=k)
    np.testing.assert_allclose(gx, numeric_grad(loss, x), rtol=rtol, atol=atol, err_msg="dL/dx")


def mlp(*middle, n_in=4, seed=0):
    return nn.Sequential(nn.Dense(n_in, 6, activation="tanh"), *middle, seed=seed, dtype=np.float64)


X = RNG.standard_normal((7, 4))


@pytest.mark.parametrize("activation", ["relu", "gelu", "elu", "selu", "sigmoid", "softplus", "mish", None])
def test_dense_gradients(activation):
    model = nn.Sequential(nn.Dense(4, 5, activation=activation), nn.Dense(5, 3, bias=False),
                          seed=0, dtype=np.float64)
    check_network(model, X)


@pytest.mark.parametrize("name,params", [
    ("prelu", {}), ("silu", {}), ("snake", {}), ("soft_exponential", {"alpha": 0.3}),
    ("srelu", {"t_left": -0.3, "t_right": 0.4}), ("apl", {}), ("star_relu", {}), ("rational", {}),
])
def test_learnable_activation_gradients(name, params):
    model = mlp(nn.Activation(name, **params), nn.Dense(6, 2))
    assert any(k.startswith("1.") for k in model.params)
    check_network(model, X)


def test_per_channel_prelu_has_one_slope_per_feature():
    model = mlp(nn.Activation("prelu", per_channel=True, alpha=0.2), nn.Dense(6, 2))
    assert model.params["1.alpha"].shape == (6,)
    check_network(model, X)


def test_dense_with_learnable_activation_owns_its_parameter():
    model = nn.Sequential(nn.Dense(4, 5, activation="prelu"), nn.Dense(5, 2), seed=0, dtype=np.float64)
    assert model.params["0.alpha"].shape == (1,) and model.params["0.alpha"][0] == 0.25
    check_network(model, X)
    frozen = nn.Sequential(nn.Dense(4, 5, activation="prelu", trainable=False), seed=0)
    assert "0.alpha" not in frozen.params


@pytest.mark.parametrize("name,params,width", [
    ("softmax", {}, 6), ("log_softmax", {}, 6), ("softmin", {}, 6), ("sparsemax", {}, 6),
    ("glu", {}, 3), ("swiglu", {}, 3), ("geglu", {}, 3), ("reglu", {}, 3),
    ("maxout", {"pieces": 3}, 2), ("crelu", {}, 12),
])
def test_vector_activation_layers(name, params, width):
    model = mlp(nn.Activation(name, **params), nn.Dense(width, 2))
    assert model.layers[1].out_features == width
    check_network(model, X)


@pytest.mark.parametrize("name", ["rrelu", "dropout", "gumbel_softmax"])
def test_stochastic_activations_eval_and_training(name):
    model = mlp(nn.Activation(name), nn.Dense(6, 2))
    check_network(model, X, training=False)
    check_network(model, X, training=True)
    a, b = model(X, training=True), model(X, training=True)
    assert not np.array_equal(a, b), "training draws fresh noise every call"
    np.testing.assert_array_equal(model(X), model(X))


def test_dropout_layer_is_inverted_and_seeded():
    model = nn.Sequential(nn.Dense(4, 2000), nn.Dropout(0.25), seed=0, dtype=np.float64)
    check_network(nn.Sequential(nn.Dense(4, 6), nn.Dropout(0.5), nn.Dense(6, 2), seed=0,
                                dtype=np.float64), X, training=True)
    x = np.ones((50, 4))
    z = x @ model.params["0.W"] + model.params["0.b"]
    y = model(x, training=True)
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(y[kept], z[kept] / 0.75)
    np.testing.assert_array_equal(model(x), z)
    again = nn.Sequential(nn.Dense(4, 2000), nn.Dropout(0.25), seed=0, dtype=np.float64)
    np.testing.assert_array_equal(again(x, training=True), y)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradients(training):
    model = mlp(nn.BatchNorm(6), nn.Dense(6, 3, activation="relu"), nn.BatchNorm(3))
    check_network(model, X, training=training, rtol=1e-5)


def test_layernorm_gradients():
    check_network(mlp(nn.LayerNorm(6), nn.Dense(6, 2)), X, rtol=1e-5)


def test_nac_and_nalu_gradients():
    x = RNG.uniform(0.5, 2, (7, 4)) * RNG.choice([-1, 1], (7, 4))  # away from log|x|'s pole
    check_network(nn.Sequential(nn.NAC(4, 3), nn.Dense(3, 2), seed=0, dtype=np.float64), x)
    check_network(nn.Sequential(nn.NALU(4, 3), nn.NALU(3, 2), seed=0, dtype=np.float64), x, rtol=1e-5)


def test_nac_weights_are_tanh_times_sigmoid():
    model = nn.Sequential(nn.NAC(3, 2), seed=0, dtype=np.float64)
    p = model.params
    W = np.tanh(p["0.W_hat"]) / (1 + np.exp(-p["0.M_hat"]))
    np.testing.assert_allclose(model(np.eye(3)), W, rtol=1e-12)


def test_batchnorm_running_statistics_follow_pytorch_convention():
    bn = nn.Sequential(nn.BatchNorm(3, momentum=0.2), seed=0, dtype=np.float64)
    x = RNG.standard_normal((10, 3)) * 3 + 1
    bn(x, training=True)
    rm, rv = bn.buffers["0.running_mean"], bn.buffers["0.running_var"]
    np.testing.assert_allclose(rm, 0.2 * x.mean(0), rtol=1e-12)
    np.testing.assert_allclose(rv, 0.8 + 0.2 * x.var(0, ddof=1), rtol=1e-12)
    np.testing.assert_allclose(bn(x), (x - rm) / np.sqrt(rv + 1e-5), rtol=1e-12)


def test_params_are_live_and_dtype_kept():
    model = nn.Sequential(nn.Dense(4, 3, activation="relu"), nn.BatchNorm(3), seed=0)
    assert all(v.dtype == np.float32 for v in model.params.values())
    assert model(X).dtype == np.float32
    model.params["0.W"][...] = 0
    model.params["0.b"][...] = 1
    model.params["1.gamma"][...] = 2
    np.testing.assert_allclose(model(X), 2 * 1 / np.sqrt(1 + 1e-5), rtol=1e-6)


def test_default_init_follows_the_activation():
    def std(act):
        return nn.Sequential(nn.Dense(500, 500, activation=act), seed=0, dtype=np.float64).params["0.W"].std()
    assert abs(std("relu") - np.sqrt(2 / 500)) < 0.01 * np.sqrt(2 / 500)     # He
    assert abs(std("selu") - np.sqrt(1 / 500)) < 0.01 * np.sqrt(1 / 500)     # LeCun
    assert abs(std("tanh") - np.sqrt(2 / 1000)) < 0.01 * np.sqrt(2 / 1000)   # Glorot
    custom = nn.Sequential(nn.Dense(3, 2, init=lambda i, o, rng, dtype: np.full((i, o), 7.0)), seed=0)
    assert (custom.params["0.W"] == 7).all()


def test_same_seed_same_model_other_seed_differs():
    a, b, c = (nn.Sequential(nn.Dense(4, 3), seed=s) for s in (0, 0, 1))
    np.testing.assert_array_equal(a.params["0.W"], b.params["0.W"])
    assert not np.array_equal(a.params["0.W"], c.params["0.W"])


def test_save_load_round_trip(tmp_path):
    model = nn.Sequential(nn.Dense(4, 8, activation="leaky_relu", alpha=0.1), nn.BatchNorm(8),
                          nn.Dropout(0.3), nn.Dense(8, 6, activation="prelu"),
                          nn.Activation("snake", per_channel=True), nn.Activation("glu"),
                          nn.LayerNorm(3), nn.NALU(3, 2), seed=3, dtype=np.float64)
    for _ in range(3):
        model(X, training=True)  # moves the running statistics
    for v in model.params.values():
        v += 0.01 * RNG.standard_normal(v.shape)
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = nn.Sequential.load(path)
    assert loaded.dtype == np.float64 and len(loaded.layers) == 8
    for attr in ("params", "buffers"):
        want, got = getattr(model, attr), getattr(loaded, attr)
        assert set(want) == set(got)
        for k in want:
            np.testing.assert_array_equal(got[k], want[k], err_msg=k)
    np.testing.assert_array_equal(loaded(X), model(X))
    assert loaded.layers[0].act.params["alpha"] == 0.1
    assert [l.config() for l in loaded.layers] == [l.config() for l in model.layers]   # a re-save says the same


def test_load_rejects_foreign_and_truncated_files(tmp_path):
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.ones(3))
    with pytest.raises(ValueError, match="not an actlab model file"):
        nn.Sequential.load(foreign)
    good = tmp_path / "good.npz"
    nn.Sequential(nn.Dense(4, 3), seed=0).save(good)
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValueError, match="truncated"):
        nn.Sequential.load(cut)
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not an actlab model file"):
        nn.Sequential.load(text)
    with pytest.raises(FileNotFoundError):
        nn.Sequential.load(tmp_path / "missing.npz")


def test_summary_lists_layers_and_counts():
    model = nn.Sequential(nn.Dense(64, 128, activation="relu"), nn.BatchNorm(128), nn.Dropout(0.2),
                          nn.Dense(128, 10), nn.Activation("prelu"), seed=0)
    s = model.summary()
    lines = s.splitlines()
    assert "Dense 64 -> 128, relu" in lines[2] and "8,320" in lines[2]
    assert "BatchNorm" in lines[3] and "256" in lines[3]
    total = 64 * 128 + 128 + 256 + 128 * 10 + 10 + 1
    assert f"{total:,} parameters" in s and "(batch, 10)" in s


@pytest.mark.parametrize("build,match", [
    (lambda: nn.Sequential(nn.Dense(4, 3), nn.Dense(5, 2)), r"layer 1: Dense: its input has 3 features, expected 5"),
    (lambda: nn.Sequential(nn.Dense(4, 3), nn.BatchNorm(4)), r"layer 1: BatchNorm: its input has 3"),
    (lambda: nn.Dense(0, 3), r"in_features must be a positive integer, got 0"),
    (lambda: nn.Dense(2, 3, activation="rleu"), r"relu"),
    (lambda: nn.Dense(2, 3, activation="relu", alpah=1), r"unknown parameter 'alpah'"),
    (lambda: nn.Dropout(1.5), r"rate must be"),
    (lambda: nn.BatchNorm(3, momentum=2), r"momentum must be in \[0, 1\]"),
    (lambda: nn.Activation("relu", per_channel=True), r"no per-channel learnable parameter"),
    (lambda: nn.Sequential(), r"at least one layer"),
    (lambda: nn.Sequential(nn.Dense(2, 2), dtype=np.int32), r"float32 or float64"),
])
def test_bad_construction_says_what_is_wrong(build, match):
    with pytest.raises((ValueError, TypeError), match=match):
        build()


def test_bad_input_says_what_the_model_takes():
    model = nn.Sequential(nn.Dense(4, 3), seed=0)
    with pytest.raises(ValueError, match=r"input has shape \(7, 5\); the model takes \(batch, 4\)"):
        model(np.ones((7, 5)))
    with pytest.raises(TypeError, match="real number array"):
        model(np.array([["a"] * 4]))
    with pytest.raises(TypeError, match="not an actlab.nn layer"):
        nn.Sequential(nn.Dense(2, 2), "relu")


def test_learnable_parameter_pushed_out_of_range_fails_clearly():
    model = mlp(nn.Activation("snake"), nn.Dense(6, 2))
    model.params["1.alpha"][...] = -1.0
    with pytest.raises(ValueError, match="snake: alpha must be"):
        model(X)
