"""actlab.plot: figures of f, f', f'', sweeps and family overviews.

Plotted values are checked against mpmath and torch, not against actlab."""

from __future__ import annotations

import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest
import torch

import actlab as al

plot = al.plot


def curves(ax):
    """The solid data lines of an axes (not markers, not the dashed guides)."""
    return [ln for ln in ax.get_lines() if ln.get_linestyle() == "-" and len(ln.get_xdata()) > 2]


def dashed_levels(ax):
    return sorted({round(float(ln.get_ydata()[0]), 12) for ln in ax.get_lines() if ln.get_linestyle() == "--"})


def markers(ax):
    return [(float(ln.get_xdata()[0]), float(ln.get_ydata()[0]))
            for ln in ax.get_lines() if ln.get_marker() == "o"]


def mp_sigmoid(x):
    return float(1 / (1 + mp.exp(-mp.mpf(x))))


def torch_grad(fn, x):
    t = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(fn(t), t)
    return float(g)


def test_import_stays_light_and_plot_is_callable():
    code = ("import sys, actlab; assert 'matplotlib' not in sys.modules; "
            "p = actlab.plot; assert 'matplotlib' not in sys.modules; assert callable(p); "
            "import actlab.plot as m; assert m is p and callable(actlab.plot)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_three_panels_one_curve_per_function_and_values():
    fig = plot(["sigmoid", "tanh"])
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["f(x)", "f'(x)", "f''(x)"]
    for ax in axes:
        assert len(curves(ax)) == 2
        assert all(g.get_visible() for g in ax.xaxis.get_gridlines())
    x, y = curves(axes[0])[0].get_data()
    keep = np.isfinite(x)
    picks = np.flatnonzero(keep)[::37]
    for xi, yi in zip(x[picks], y[picks]):
        assert yi == pytest.approx(mp_sigmoid(xi), rel=1e-14, abs=1e-300)
    x, y = curves(axes[1])[1].get_data()  # tanh'
    for xi, yi in zip(x[::53], y[::53]):
        assert yi == pytest.approx(float(1 - mp.tanh(xi) ** 2), rel=1e-12, abs=1e-300)
    labels = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert labels == ["sigmoid", "tanh"]


def test_asymptotes_and_range_bounds_are_dashed():
    fig = plot("sigmoid")
    assert dashed_levels(fig.axes[0]) == [0.0, 1.0]  # range (0, 1): both asymptotes
    assert dashed_levels(fig.axes[1]) == [0.0]  # f' -> 0 on both sides
    fig = plot("relu", derivatives=(1,))
    assert dashed_levels(fig.axes[0]) == [0.0, 1.0]  # relu' -> 0 left, 1 right
    fig = plot("gcu", derivatives=(0,))
    assert dashed_levels(fig.axes[0]) == []  # x cos x has no horizontal asymptote, no finite bound


def test_kinks_break_the_curve_and_are_marked_with_the_torch_convention():
    alpha = 0.1
    fig = plot(("leaky_relu", {"alpha": alpha}), derivatives=(0, 1))
    (x, y), = [ln.get_data() for ln in curves(fig.axes[1])]
    gap = np.flatnonzero(np.isnan(x))
    assert len(gap) == 1 and x[gap[0] - 1] < 0 < x[gap[0] + 1]  # no line drawn across the jump of f'
    torch_at_kink = torch_grad(lambda t: torch.nn.functional.leaky_relu(t, alpha), 0.0)
    assert markers(fig.axes[1]) == [(0.0, torch_at_kink)]
    assert markers(fig.axes[0]) == [(0.0, 0.0)]
    fig = plot("relu", derivatives=(1,))
    assert markers(fig.axes[0]) == [(0.0, torch_grad(torch.relu, 0.0))]


def test_default_range_widens_to_far_kinks():
    fig = plot("relu6", derivatives=(0,))
    lo, hi = fig.axes[0].get_xlim()
    assert lo <= -5 and hi >= 8  # the cap at 6 is visible with a margin
    fig = plot("relu6", derivatives=(0,), xlim=(-1, 1))
    assert fig.axes[0].get_xlim() == (-1.0, 1.0)


def test_vector_function_is_drawn_along_a_slice():
    # softmax([x, 0])_0 = sigmoid(x): f, f' and (central differences) f''.
    fig = plot("softmax")
    xs = np.array([-3.0, -0.7, 0.4, 2.5])
    x, y = curves(fig.axes[0])[0].get_data()
    np.testing.assert_allclose(np.interp(xs, x, y), [mp_sigmoid(v) for v in xs], rtol=1e-4)
    _, ys, _ = plot.sample("softmax", xlim=(-3, 3))
    x, _, _ = plot.sample("softmax", xlim=(-3, 3))
    ref1 = [float(mp.diff(lambda t: 1 / (1 + mp.exp(-t)), v)) for v in x[::40]]
    ref2 = [float(mp.diff(lambda t: 1 / (1 + mp.exp(-t)), v, 2)) for v in x[::40]]
    np.testing.assert_allclose(ys[1][::40], ref1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ys[2][::40], ref2, rtol=0, atol=1e-7)


def test_gated_unit_is_drawn_as_its_gate():
    # glu([1, x]) = 1 * sigmoid(x); its derivative in x is sigmoid'(x).
    x, ys, _ = plot.sample("glu", orders=(0, 1), xlim=(-4, 4), n=41)
    np.testing.assert_allclose(ys[0], [mp_sigmoid(v) for v in x], rtol=1e-14)
    np.testing.assert_allclose(ys[1], [mp_sigmoid(v) * (1 - mp_sigmoid(v)) for v in x], rtol=1e-12)
    assert plot.slice_of(al.get("glu")) == "f([1, x])[0]"
    assert plot.slice_of(al.get("softmax")) == "f([x, 0])[0]"
    assert plot("glu").axes[0].get_xlabel() == "vector functions: f([1, x])[0]"


def test_stochastic_function_is_drawn_in_eval_mode():
    x, ys, _ = plot.sample(("dropout", {"rate": 0.5}), orders=(0, 1))
    keep = np.isfinite(x)
    np.testing.assert_array_equal(ys[0][keep], x[keep])  # eval-mode dropout is the identity
    np.testing.assert_array_equal(ys[1][keep], 1.0)


def test_limits():
    assert plot.limits("sigmoid") == (0.0, 1.0)
    assert plot.limits("sigmoid", 1) == (0.0, 0.0)
    assert plot.limits("gcu") == (None, None)
    assert plot.limits(("elu", {"alpha": 2.0})) == (-2.0, None)


def test_sweep_presets():
    fig = plot.sweep("leaky_relu")
    assert len(fig.axes) == 2
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == [f"alpha={a:g}" for a in (0.01, 0.05, 0.1, 0.2, 0.3)]
    for ln, a in zip(curves(fig.axes[0]), (0.01, 0.05, 0.1, 0.2, 0.3)):
        x, y = ln.get_data()
        neg = np.isfinite(x) & (x < 0)
        np.testing.assert_allclose(y[neg], a * x[neg], rtol=1e-15)


@pytest.mark.parametrize("name", ["elu", "celu", "gelu"])
def test_sweeps_of_the_issue(name):
    """Each preset sweep works once its function is in the catalog; before,
    it says clearly that the name is unknown."""
    if name not in al.names():
        with pytest.raises(ValueError, match=f"unknown activation '{name}'"):
            plot.sweep(name)
        return
    preset = plot.SWEEPS[name]
    fig = plot.sweep(name)
    assert len(curves(fig.axes[0])) == len(preset["values"])
    if preset.get("difference"):  # gelu: the approximations against the exact form
        assert fig.axes[-1].get_title().startswith("f(x) - f(x;")
        diffs = [ln.get_ydata() for ln in curves(fig.axes[-1])]
        assert np.nanmax(np.abs(diffs[0])) == 0.0
        assert 0 < np.nanmax(np.abs(diffs[1])) < 0.01  # the tanh form is close, not equal
        assert 0 < np.nanmax(np.abs(diffs[2])) < 0.05  # the sigmoid form is coarser


def test_sweep_errors():
    with pytest.raises(ValueError, match="no preset sweep for 'relu'"):
        plot.sweep("relu")
    with pytest.raises(ValueError, match="alpha must be"):
        plot.sweep("leaky_relu", "alpha", [0.1, float("inf")])
    fig = plot.sweep("softplus", "beta", [0.5, 1.0, 4.0], derivatives=(0,))
    assert len(curves(fig.axes[0])) == 3


def test_family_overview():
    members = [n for n in al.names() if al.get(n).spec.group == "rectifier"]
    fig = plot.family("rectifier")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert sorted(ax.get_title() for ax in visible) == sorted(members)
    assert all(len(ax.get_lines()) >= 2 for ax in visible)
    fig = plot.family("radial", names=["gaussian"])
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["gaussian"]
    with pytest.raises(ValueError, match="families are ridge, radial, folding"):
        plot.family("nonsense")


@pytest.mark.parametrize("bad, match", [
    (dict(derivatives=(3,)), "orders among 0, 1, 2"),
    (dict(derivatives=()), "orders among 0, 1, 2"),
    (dict(xlim=(2, 1)), "lo < hi"),
    (dict(xlim=(0, float("inf"))), "finite"),
    (dict(xlim="ab"), "two numbers"),
    (dict(figsize=(0, 3)), "figsize must be"),
    (dict(figsize=5), "figsize must be"),
    (dict(dpi=-1), "dpi must be a positive"),
    (dict(ax="nope"), "ax must be 3 matplotlib Axes"),
])
def test_bad_arguments(bad, match):
    with pytest.raises(ValueError, match=match):
        plot("relu", **bad)


def test_save_formats_and_reproducible_svg(tmp_path):
    for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        path = tmp_path / f"f.{ext}"
        fig = plot(["relu", "elu"], file=path)
        assert path.read_bytes().startswith(magic)
        assert fig.axes  # the figure is returned as well
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    plot("gaussian", file=a)
    plot("gaussian", file=b)
    assert a.read_bytes() == b.read_bytes()


def test_size_and_dpi(tmp_path):
    fig = plot("relu", figsize=(9, 2.5), dpi=50, file=tmp_path / "f.png")
    assert tuple(fig.get_size_inches()) == (9, 2.5) and fig.dpi == 50
    from matplotlib.image import imread

    assert imread(tmp_path / "f.png").shape[:2] == (125, 450)  # 2.5 x 50, 9 x 50 pixels


def test_draws_into_the_callers_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1, 2], [0, 1, 2], color="k")  # the caller's own line stays
    assert plot(["sigmoid", "tanh"], derivatives=(1,), ax=ax) is fig and fig.axes == [ax]
    assert len(curves(ax)) == 3
    x = 1.5
    (line,) = [ln for ln in curves(ax) if ln.get_label() == "sigmoid"]
    xs, ys = line.get_xdata(), line.get_ydata()
    i = int(np.nanargmin(np.abs(xs - x)))
    assert ys[i] == pytest.approx(torch_grad(torch.sigmoid, xs[i]), rel=1e-12)
    two = Figure().subplots(1, 2)
    fig2 = plot("relu", derivatives=(0, 1), ax=two)
    assert [a.get_title() for a in two] == ["f(x)", "f'(x)"] and fig2 is two[0].figure


def test_log_scale_derivative_shows_the_vanishing_gradient():
    fig = plot(["sigmoid", "relu"], logy=True)
    f, df, d2f = fig.axes
    assert (f.get_yscale(), df.get_yscale(), d2f.get_yscale()) == ("linear", "log", "linear")
    (sig,) = [ln for ln in curves(df) if ln.get_label() == "sigmoid"]
    xs, ys = np.asarray(sig.get_xdata()), np.asarray(sig.get_ydata())
    far = xs > 3  # log f' of the sigmoid falls with slope -1 there: e^-x
    slope = np.polyfit(xs[far], np.log(ys[far]), 1)[0]
    assert slope == pytest.approx(-1, abs=0.05)
    assert mp_sigmoid(4.0) * (1 - mp_sigmoid(4.0)) == pytest.approx(float(np.interp(4.0, xs[far], ys[far])), rel=1e-3)


def test_family_panels_share_one_size_and_readable_colours():
    small = plot.family("rectifier", names=["relu"], ncols=3, fill=True)
    big = plot.family("rectifier", ncols=3, fill=True)
    for fig in (small, big):
        fig.canvas.draw()
    size = {tuple(np.round(ax.get_position().size * fig.get_size_inches(), 2))
            for fig in (small, big) for ax in fig.axes if ax.get_visible()}
    assert len(size) == 1  # one panel size, whether a group has 1 function or 9
    colours = {ln.get_color() for ax in big.axes for ln in ax.get_lines() if len(ln.get_xdata()) > 2}
    assert colours <= set(plot.PALETTE) and "#F0E442" not in colours  # no yellow on white
