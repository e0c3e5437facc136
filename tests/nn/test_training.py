"""nn.fit, nn.evaluate, History and callbacks."""

import json
import re

import numpy as np
import pytest

from actlab import nn


def _moons_model(seed=0, out=2, act="relu"):
    return nn.Sequential(nn.Dense(2, 16, activation=act), nn.Dropout(0.1), nn.Dense(16, out), seed=seed)


def _fit(seed=0, **kw):
    X, y = nn.datasets.moons(n=200, noise=0.2, seed=1)
    m = _moons_model()
    kw = {"epochs": 4, "batch_size": 32, "progress": False, "seed": seed, **kw}
    return m, nn.fit(m, X, y, optimizer=nn.optim.Adam(m.params, lr=0.01), **kw)


def test_same_seed_same_history_bit_for_bit():
    m1, h1 = _fit(validation=nn.datasets.moons(n=50, seed=2))
    m2, h2 = _fit(validation=nn.datasets.moons(n=50, seed=2))
    assert h1.history == h2.history and set(h1.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(np.array_equal(m1.params[k], m2.params[k]) for k in m1.params)
    _, h3 = _fit(seed=1, validation=nn.datasets.moons(n=50, seed=2))
    assert h3["loss"] != h1["loss"]          # the seed sets the batch order


def test_save_after_fit_gives_identical_predictions(tmp_path):
    m, _ = _fit()
    m.save(tmp_path / "m.npz")
    X, _ = nn.datasets.moons(n=64, seed=5)
    assert np.array_equal(nn.Sequential.load(tmp_path / "m.npz").predict(X), m.predict(X))


def test_digits_mlp_reaches_95_percent():
    X, y = nn.datasets.digits(seed=0)
    Xtr, Xte, ytr, yte = nn.datasets.train_test_split(X, y, test=0.25, seed=0)
    m = nn.Sequential(nn.Dense(64, 128, activation="relu"), nn.Dense(128, 10), seed=0)
    h = nn.fit(m, Xtr, ytr, optimizer=nn.optim.Adam(m.params, lr=1e-3), epochs=20, batch_size=32,
               validation=(Xte, yte), progress=False)
    assert h.wall_time < 30
    assert nn.evaluate(m, Xte, yte)["accuracy"] >= 0.95
    assert h["val_accuracy"][-1] == nn.evaluate(m, Xte, yte)["accuracy"]


def test_binary_cross_entropy_with_one_output_and_vector_labels():
    X, y = nn.datasets.moons(n=300, noise=0.1, seed=0)
    m = nn.Sequential(nn.Dense(2, 32, activation="tanh"), nn.Dense(32, 1), seed=0)
    h = nn.fit(m, X, y, loss="bce", optimizer=nn.optim.Adam(m.params, lr=0.02), epochs=40, progress=False)
    assert h["loss"][-1] < 0.5 * h["loss"][0] and h["accuracy"][-1] > 0.9


def test_mse_regression_and_custom_metric():
    X, y = nn.datasets.sine(n=200, seed=0)
    m = nn.Sequential(nn.Dense(1, 32, activation="tanh"), nn.Dense(32, 1), seed=0, dtype=np.float64)
    mae = lambda p, t: float(np.mean(np.abs(p - t)))
    h = nn.fit(m, X, y, loss="mse", optimizer=nn.optim.Adam(m.params, lr=0.01), epochs=30,
               metrics=[mae], progress=False)
    assert set(h.history) == {"loss", "<lambda>"}
    assert h["loss"][-1] < h["loss"][0]


def test_progress_bar_shown_on_request_and_silent_otherwise(capsys):
    _fit(progress=False)
    _fit(progress=None)                      # pytest's stdout is not a terminal
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    _fit(progress=True)
    out = capsys.readouterr().out
    assert "epoch 4/4" in out and "loss=" in out and "accuracy=" in out


def test_early_stopping_stops_and_restores_the_best_epoch():
    stop = nn.EarlyStopping("loss", patience=0, min_delta=1e9)   # nothing after epoch 1 is "better"
    m, h = _fit(epochs=10, callbacks=[stop])
    assert h.epochs == 2 and h.stopped_early and stop.best_epoch == 1
    m1, _ = _fit(epochs=1)
    assert all(np.array_equal(m.params[k], m1.params[k]) for k in m.params)


def test_early_stopping_patience_counts_epochs_without_improvement():
    class Feed(nn.Callback):          # drives EarlyStopping with a known sequence
        def __init__(self, stop, seq):
            self.stop, self.seq = stop, seq

        def on_train_begin(self, model, history):
            self.stop.on_train_begin(model, history)

        def on_epoch_end(self, epoch, logs):
            return self.stop.on_epoch_end(epoch, {"val_loss": self.seq[epoch - 1]})

    stop = nn.EarlyStopping(patience=2, restore_best=False)
    _, h = _fit(epochs=8, callbacks=[Feed(stop, [3, 2, 2.5, 1.9, 2, 2, 2, 2])])
    assert h.epochs == 6 and stop.best == 1.9 and stop.best_epoch == 4


def test_early_stopping_on_a_metric_fit_lacks():
    with pytest.raises(ValueError, match="val_loss.*needs validation="):
        _fit(callbacks=[nn.EarlyStopping()])


def test_schedule_as_callback_steps_per_epoch():
    X, y = nn.datasets.moons(n=64, seed=0)
    m = _moons_model()
    opt = nn.optim.SGD(m.params, lr=0.1)
    h = nn.fit(m, X, y, optimizer=opt, epochs=3, callbacks=[nn.optim.StepLR(opt, 1, gamma=0.5)], progress=False)
    assert h["lr"] == [0.1, 0.05, 0.025]


def test_optimizer_by_name_and_history_dict_and_plot():
    X, y = nn.datasets.moons(n=64, seed=0)
    m = _moons_model()
    h = nn.fit(m, X, y, optimizer="sgd", epochs=2, validation=(X, y), progress=False)
    d = json.loads(json.dumps(h.to_dict()))
    assert d["epochs"] == 2 and len(d["times"]) == 2 and d["history"]["val_loss"] == h["val_loss"]
    fig = h.plot()
    assert [a.get_ylabel() for a in fig.axes] == ["loss", "accuracy"]
    assert len(fig.axes[0].lines) == 2                       # train and validation
    with pytest.raises(KeyError, match="no metric 'acc'"):
        h["acc"]


def test_diverging_training_names_epoch_and_step():
    X, y = nn.datasets.linear(n=64, seed=0)[:2]
    m = nn.Sequential(nn.Dense(X.shape[1], 8, activation="relu"), nn.Dense(8, 1), seed=0, dtype=np.float64)
    with pytest.raises(nn.TrainingError, match=r"loss became (NaN|inf) at epoch (\d+), step \d+ of 8") as e:
        nn.fit(m, X, y, loss="mse", optimizer=nn.optim.SGD(m.params, lr=1e3), epochs=50, batch_size=8,
               progress=False)
    epoch = int(re.search(r"epoch (\d+)", str(e.value)).group(1))
    assert e.value.history.epochs == epoch - 1       # the completed epochs are kept


# ---------------------------------------------------------------- bad input, before training
def _bad(X, y, match, exc=ValueError, **kw):
    m = _moons_model()
    before = {k: v.copy() for k, v in m.params.items()}
    with pytest.raises(exc, match=match):
        nn.fit(m, X, y, progress=False, **kw)
    assert all(np.array_equal(before[k], m.params[k]) for k in before)   # nothing was trained


X0, Y0 = nn.datasets.moons(n=40, seed=0)


@pytest.mark.parametrize("X, y, kw, match", [
    (np.zeros((40, 3)), Y0, {}, r"X has shape \(40, 3\); the model takes \(N, 2\)"),
    (X0, Y0[:30], {}, "X has 40 rows but y has 30"),
    (np.where(np.arange(80).reshape(40, 2) == 17, np.nan, X0), Y0, {}, r"X contains NaN \(first in row 8\)"),
    (X0, np.where(np.arange(40) == 3, np.inf, Y0), {}, "y contains inf"),
    (X0, np.where(np.arange(40) == 39, 2, Y0), {}, r"labels must be class indices in \[0, 2\).*got 2 at index 39"),
    (X0, np.where(np.arange(40) == 5, -1, Y0), {}, r"\[0, 2\).*got -1 at index 5"),
    (X0[:0], Y0[:0], {}, "training set is empty"),
    (X0, Y0, {"loss": "cross_entrpy"}, "unknown loss 'cross_entrpy'; did you mean 'cross_entropy'"),
    (X0, Y0, {"epochs": 0}, "epochs must be an integer >= 1; got 0"),
    (X0, Y0, {"batch_size": 2.5}, "batch_size must be an integer >= 1"),
    (X0, Y0, {"metrics": ["acuracy"]}, "unknown metric 'acuracy'; did you mean 'accuracy'"),
    (X0, Y0, {"validation": (X0,)}, r"validation must be a pair"),
    (X0, Y0, {"validation": (X0[:, :1], Y0)}, r"validation X has shape \(40, 1\)"),
    (X0, Y0, {"optimizer": "adamm"}, "unknown optimizer 'adamm'; did you mean 'adam'"),
])
def test_bad_input_fails_before_training(X, y, kw, match):
    _bad(X, y, match, **kw)


def test_bad_types():
    _bad(np.array([["a", "b"]] * 40), Y0, "X must be a real number array", TypeError)
    _bad(X0, Y0, "callbacks must be Callback objects", TypeError, callbacks=[print])
    with pytest.raises(TypeError, match="model must be an actlab.nn.Sequential"):
        nn.fit(object(), X0, Y0)


def test_optimizer_of_another_model():
    other = _moons_model(seed=3)
    _bad(X0, Y0, "does not hold this model's parameters", optimizer=nn.optim.Adam(other.params))


def test_evaluate():
    m = _moons_model()
    r = nn.evaluate(m, X0, Y0)
    logits = m.predict(X0)
    assert r["accuracy"] == np.mean(logits.argmax(1) == Y0)
    ref = -np.mean(logits[np.arange(40), Y0] - np.log(np.exp(logits).sum(1)))
    assert r["loss"] == pytest.approx(ref, rel=1e-6)
