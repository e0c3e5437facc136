"""The `actlab` command, through click's CliRunner. Values are checked against
mpmath and torch; errors must be one line with exit status 2."""

from __future__ import annotations

import json
import sys
import types

import mpmath as mp
import pytest
import torch
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import actlab as al
from actlab.cli import main, unicode_math


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, code=0):
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code == code, (result.output, result.exception)
        return result

    return invoke


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # not an uncaught exception
    err = result.stderr.strip()
    assert "\n" not in err and err.startswith("Error: "), err
    assert "Traceback" not in result.output
    for f in fragments:
        assert f in err, err


def test_help_lists_every_command(run):
    out = run("--help").output
    for cmd in ("list", "show", "eval", "plot", "table", "gallery", "bench", "lab"):
        assert f"  {cmd} " in out


def test_script_entry_point():
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "actlab"]
    assert ep.load() is main


# ----------------------------------------------------------------- list

def test_list_table(run):
    out = run("list").output
    assert out.splitlines()[0].split()[:4] == ["name", "kind", "family", "group"]
    assert f"({len(al.names())} of {len(al.names())} functions)" in out


def test_list_filters(run):
    names = lambda *a: {r["name"] for r in json.loads(run("list", "--json", *a).output)}  # noqa: E731
    vector = names("--kind", "V")
    assert {"softmax", "crelu", "maxout"} <= vector and "relu" not in vector
    assert names("--family", "radial") >= {"gaussian"} and "relu" not in names("--family", "radial")
    mono = names("--property", "monotonic")
    assert {"relu", "sigmoid", "tanh"} <= mono and not {"gcu", "gaussian", "square"} & mono
    assert {"gcu", "gaussian", "square"} <= names("--property", "not_monotonic")
    smooth_bounded = names("--property", "smooth", "--property", "bounded_above")
    assert {"sigmoid", "tanh", "gaussian"} <= smooth_bounded and not {"relu6", "relu", "softplus"} & smooth_bounded
    assert names("--group", "rectifier") >= {"relu", "leaky_relu"}
    assert names("--property", "learnable") >= {"prelu"} and "relu" not in names("--property", "learnable")


def test_list_json_record(run):
    (elu,) = [r for r in json.loads(run("list", "--json").output) if r["name"] == "elu"]
    assert elu["params"] == {"alpha": 1.0}
    assert elu["range"] == {"lo": -1.0, "hi": "inf", "lo_closed": False, "hi_closed": False}
    assert elu["continuity"] == 1 and elu["monotonic"] is True
    assert "monotonic" in elu["properties"]


@pytest.mark.parametrize("args, fragment", [
    (("--group", "nonsense"), "unknown group 'nonsense'"),
    (("--property", "shiny"), "unknown property 'shiny'"),
    (("--kind", "X"), "'X' is not one of"),
])
def test_list_errors(run, args, fragment):
    assert_one_line_error(run("list", *args, code=2), fragment)


# ----------------------------------------------------------------- show

def test_show(run):
    name = "gelu" if "gelu" in al.names() else "elu"
    out = run("show", name).output
    info = al.get(name).info
    assert " ".join(out.split("\nkind ")[0].split()) == f"{name}: {info.summary}"  # wrapped to the terminal
    assert f"f(x)   = {unicode_math(info.latex['f']).splitlines()[0]}" in out and "\\" not in out
    for section in ("parameters", "properties", "peers", "references"):
        assert f"\n{section}\n" in out
    assert "torch.nn.functional" in out and str(info.references[0].year) in out
    plot_lines = [ln for ln in out.splitlines() if "*" in ln and "|" in ln]
    assert len(plot_lines) >= 5  # f drawn with '*' across the y axis '|'
    assert "* f(x)   . f'(x)" in out


def test_text_plot_shape():
    from actlab.cli import text_plot

    lines = text_plot(al.get("sigmoid"), width=40, height=15).splitlines()
    grid = lines[:15]
    assert len({len(ln) for ln in grid}) == 1 and len(grid[0]) > 40  # a label column, then 40 cells
    stars = [(i, ln.index("*"), ln.rindex("*")) for i, ln in enumerate(grid) if "*" in ln]
    assert stars[0][0] == 0 and stars[-1][0] == 14  # f spans the height
    assert stars[0][2] > stars[-1][1]  # sigmoid climbs from the bottom left to the top right
    assert "|" in grid[5]  # the y axis
    assert lines[15].split() == ["-5", "5"]


def test_show_with_params_and_errors(run):
    assert "alpha = 0.3 (default 0.01)" in run("show", "lrelu", "-p", "alpha=0.3").output
    assert_one_line_error(run("show", "sigmod", code=2), "unknown activation 'sigmod'", "did you mean 'sigmoid'")
    assert_one_line_error(run("show", "elu", "-p", "alpha=-1", code=2), "alpha must be")
    assert_one_line_error(run("show", "elu", "-p", "alpha", code=2), "--param takes key=value")


# ----------------------------------------------------------------- eval

def test_eval_matches_mpmath(run):
    out = run("eval", "sigmoid", "--x", "-2.5,0,3e1").output.splitlines()
    assert out[0].split() == ["x", "f(x)"]
    for line, x in zip(out[1:], (-2.5, 0.0, 30.0)):
        xv, yv = map(float, line.split())
        assert xv == x and yv == pytest.approx(float(1 / (1 + mp.exp(-x))), rel=1e-15)


def test_eval_derivative_and_params_match_torch(run):
    xs = [-1.5, 0.0, 2.0]
    out = run("eval", "elu", "--x", " ".join(map(str, xs)), "-d", 1, "-p", "alpha=0.5", "--json").output
    data = json.loads(out)
    assert data["params"] == {"alpha": 0.5} and data["derivative"] == 1
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.nn.functional.elu(t, 0.5).sum(), t)
    assert data["y"] == pytest.approx(g.tolist(), rel=1e-15)
    second = json.loads(run("eval", "softplus", "--x", "0,1", "-d", 2, "--json").output)["y"]
    assert second == pytest.approx([float(mp.diff(lambda v: mp.log1p(mp.exp(v)), x, 2)) for x in (0, 1)], rel=1e-12)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=6),
       st.sampled_from([",", " ", ", "]))
def test_eval_reads_every_float_exactly(xs, sep):
    result = CliRunner().invoke(main, ["eval", "identity", "--x", sep.join(map(repr, xs)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["x"] == xs and data["y"] == [x + 0.0 for x in xs]


def test_eval_special_values_and_vector(run):
    data = json.loads(run("eval", "tanh", "--x", "-inf,inf,nan", "--json").output)
    assert data["y"][:2] == [-1.0, 1.0] and data["y"][2] == "nan"
    out = run("eval", "softmax", "--x", "1,2,3").output.splitlines()
    ys = [float(line.split()[1]) for line in out[1:]]
    ref = [float(mp.exp(v) / sum(mp.exp(w) for w in (1, 2, 3))) for v in (1, 2, 3)]
    assert ys == pytest.approx(ref, rel=1e-15)
    assert "f(x) = [1.0, 0.0, 0.0, 2.0]" in run("eval", "crelu", "--x", "1,-2").output


def test_eval_stochastic(run):
    eval_mode = json.loads(run("eval", "dropout", "--x", "1,2,3,4", "--json").output)["y"]
    assert eval_mode == [1.0, 2.0, 3.0, 4.0]
    a = run("eval", "dropout", "--x", "1,2,3,4,5,6,7,8", "--training", "--seed", 3, "--json").output
    b = run("eval", "dropout", "--x", "1,2,3,4,5,6,7,8", "--training", "--seed", 3, "--json").output
    ys = json.loads(a)["y"]
    assert a == b and set(ys) <= {0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0} and 0.0 in ys


@pytest.mark.parametrize("args, fragments", [
    (("relu", "--x", "1,two"), ("--x must be numbers",)),
    (("rleu", "--x", "1"), ("unknown activation 'rleu'", "did you mean 'relu'")),
    (("relu", "--x", "1", "-d", "3"), ("3 is not in the range",)),
    (("softmax", "--x", "1,2", "-d", "1"), ("vector-valued", "backward")),
    (("relu", "--x", "1", "-p", "alpha=1"), ("unknown parameter 'alpha'",)),
    (("relu",), ("Missing option '--x'",)),
])
def test_eval_errors(run, args, fragments):
    assert_one_line_error(run("eval", *args, code=2), *fragments)


# ----------------------------------------------------------------- plot

def test_plot_writes_files(run, tmp_path):
    png = tmp_path / "f.png"
    assert f"wrote {png}" in run("plot", "relu", "gcu", "-o", png).output
    assert png.read_bytes()[:4] == b"\x89PNG"
    svg = tmp_path / "f.svg"
    run("plot", "leaky_relu", "-o", svg, "-d", 1, "--range", -2, 3, "-p", "alpha=0.2")
    text = svg.read_text()
    assert text.startswith("<?xml") and "leaky_relu(alpha=0.2)" in text and "f'(x)" in text and "f''(x)" not in text


@pytest.mark.parametrize("args, fragments", [
    (("relu", "-o", "OUT.png", "--range", 2, 1), ("--range A B needs finite numbers with A < B",)),
    (("relu", "-o", "OUT.png", "--range", 0, "inf"), ("--range A B needs finite numbers",)),
    (("relu", "-o", "OUT.png", "--range", 0, "x"), ("'x' is not a valid float",)),
    (("relu", "-o", "OUT.gif"), ("the output must end in .png, .svg, .pdf",)),
    (("relu", "mish_", "-o", "OUT.png"), ("unknown activation 'mish_'",)),
    (("relu", "-o", "OUT.png", "-p", "alpha=2"), ("unknown parameter 'alpha'",)),
    (("-o", "OUT.png"), ("Missing argument",)),
])
def test_plot_errors(run, tmp_path, args, fragments):
    args = [str(tmp_path / a) if str(a).startswith("OUT.") else a for a in args]
    assert_one_line_error(run("plot", *args, code=2), *fragments)
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------- table, gallery, bench

def test_table_formats(run, tmp_path):
    md = run("table").output
    assert md.splitlines()[0].startswith("| ") and "`relu`" in md
    assert len([ln for ln in md.splitlines() if ln.startswith("| `")]) == len(al.names())
    csv_text = run("table", "--format", "csv").output
    assert csv_text.splitlines()[0].startswith("name,") and len(csv_text.splitlines()) == len(al.names()) + 1
    html_text = run("table", "--format", "html").output
    assert html_text.count("<tr>") == len(al.names()) + 1
    out = tmp_path / "t.md"
    run("table", "-o", out)
    assert out.read_text() == md
    assert_one_line_error(run("table", "--format", "tex", code=2), "'tex' is not one of")


def test_gallery_command(run, tmp_path):
    out = run("gallery", "-o", tmp_path / "site", "--only", "relu", "--only", "lrelu").output
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "leaky_relu.html").is_file() and (tmp_path / "site" / "relu.html").is_file()
    assert "open file://" in out
    assert_one_line_error(run("gallery", "-o", tmp_path / "x", "--only", "rellu", code=2), "did you mean 'relu'")


def test_bench_validates_then_runs_the_harness(run, monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType("bench_kernels")
    fake.main, fake.DTYPES, fake.MODES = (lambda argv: calls.append(argv) or 0), ("float32", "float64"), ("forward",)
    monkeypatch.setattr("actlab.cli._kernel_benchmark", lambda: fake)
    monkeypatch.setattr("actlab.kernels.names", lambda: ["gelu", "leaky_relu", "relu"])
    out = str(tmp_path / "b.json")
    run("bench", "--functions", "lrelu,gelu", "--sizes", "1e3, 2000", "--dtypes", "float32", "--json", out)
    assert calls == [["--json", out, "--functions", "leaky_relu,gelu", "--sizes", "1000,2000", "--dtypes", "float32"]]
    for args, fragments in [
        (("--functions", "gleu"), ("unknown activation 'gleu'", "did you mean", "'gelu'")),
        (("--functions", "softmax"), ("no compiled kernel for softmax", "functions with kernels: gelu")),
        (("--functions", "relu,,gelu"), ("--functions takes names separated by commas",)),
        (("--sizes", "1e3,x"), ("--sizes must be positive integers",)),
        (("--sizes", "0"), ("--sizes must be positive integers",)),
        (("--dtypes", "flot32"), ("unknown dtype 'flot32'", "did you mean 'float32'")),
        (("--modes", "fwd"), ("unknown mode 'fwd'",)),
    ]:
        assert_one_line_error(run("bench", *args, code=2), *fragments)
    assert len(calls) == 1


def test_bench_runs_the_checkouts_harness(run, tmp_path, monkeypatch):
    """The real harness (benchmarks/bench_kernels.py), on one small case: the CPU line, a row, the verdict."""
    pytest.importorskip("torch")
    out = tmp_path / "b.json"
    text = run("bench", "--functions", "relu", "--sizes", "1024", "--dtypes", "float32", "--modes", "forward",
               "--skip-numpy", "--json", out).output
    assert text.startswith("CPU: ") and "vector:" in text.splitlines()[0]
    rows = json.loads(out.read_text())["results"]
    assert [(r["function"], r["size"], r["mode"]) for r in rows] == [("relu", 1024, "forward")]
    assert rows[0]["actlab_s"] > 0 and rows[0]["torch_s"] > 0
    assert "targets: " in text
    import actlab.cli

    monkeypatch.setattr(actlab.cli, "__file__", str(tmp_path / "site-packages" / "actlab" / "cli.py"))
    assert_one_line_error(run("bench", code=2), "ships with actlab's source repository")


def test_bench_without_kernels_says_so(run, monkeypatch):
    monkeypatch.setattr("actlab.kernels.names", lambda: [])
    assert_one_line_error(run("bench", code=2), "need numba")


def test_version_says_whether_kernels_run(run, monkeypatch):
    assert "compiled kernels: numba" in run("--version").output
    monkeypatch.setattr("actlab.kernels.names", lambda: [])
    assert "the NumPy reference runs" in run("--version").output


def test_missing_matplotlib_names_the_extra(run, monkeypatch, tmp_path):
    for mod in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    assert_one_line_error(run("plot", "relu", "-o", tmp_path / "x.png", code=2),
                          "needs matplotlib", "pip install 'actlab[plot]'")


@pytest.mark.parametrize("args, fragments", [
    (("plot", "relu", "-o", "nodir/x.png"), ("cannot write 'nodir/x.png'", "no directory 'nodir'")),
    (("table", "-o", "nodir/t.md"), ("cannot write 'nodir/t.md'",)),
    (("gallery", "-o", "/proc/nope", "--only", "relu"), ("'/proc/nope'",)),
    (("table", "-o", "."), ("is a directory",)),
    (("eval", "relu", "--x", "1,,2"), ("--x must be numbers", "'1,,2'")),
    (("eval", "relu", "--x", "1,2,"), ("--x must be numbers",)),
    (("eval", "relu", "--x", ""), ("--x must be numbers",)),
])
def test_bad_paths_and_values_are_one_line(run, args, fragments):
    assert_one_line_error(run(*args, code=2), *fragments)


# Arguments that make each command valid but for the one parameter under test
# (output paths in a temporary folder). A command added to the group without an
# entry here fails test_every_command_is_walked.
BASE = {
    "list": [], "show": ["relu"], "eval": ["relu", "--x", "1"], "plot": ["relu", "-o", "{tmp}/x.png"],
    "table": [], "gallery": ["-o", "{tmp}/site", "--only", "relu"], "bench": ["--json", "{tmp}/b.json"],
    "lab": ["compare", "-o", "{tmp}/lab", "--set", "seeds=1"],
}


def _bad_values(param):
    """Invocations fragments that must each fail: a bad path, a bad value, a bad name."""
    import click

    if isinstance(param.type, click.ParamType) and param.type.name == "path":
        return ["/proc/nope/x" if getattr(param.type, "directory", False) else "nodir/x.png"]
    if param.name in ("name", "names_", "only", "functions"):
        return ["gleu"]
    return ["@@", "1,,2"]


def test_every_command_is_walked():
    assert set(main.commands) == set(BASE), "add the new command's valid arguments to BASE"


@pytest.mark.parametrize("command", sorted(BASE))
def test_every_parameter_of_every_command_fails_in_one_line(run, tmp_path, command, monkeypatch):
    import click

    monkeypatch.chdir(tmp_path)  # a bad value taken for a file name must not litter the repository
    cmd = main.commands[command]
    base = [a.format(tmp=tmp_path) for a in BASE[command]]
    tried = 0
    for param in cmd.params:
        if param.name == "help" or getattr(param, "is_flag", False) or param.type is click.UNPROCESSED:
            continue
        for bad in _bad_values(param):
            value = [bad] * (param.nargs if param.nargs > 0 else 1)
            if isinstance(param, click.Argument):
                args = value + [a for a in base[1:]] if base and not base[0].startswith("-") else value + base
            else:
                opt = param.opts[0]
                args = [a for k, a in enumerate(base) if a != opt and (k == 0 or base[k - 1] != opt)] + [opt, *value]
            result = run(command, *args, code=2)
            assert_one_line_error(result)
            if bad == "gleu":
                assert "did you mean" in result.stderr, result.stderr
            tried += 1
    assert tried or not [p for p in cmd.params if p.name != "help"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "a failing command wrote a file"


def test_unicode_math():
    assert unicode_math(r"x\,\Phi(x) = \frac{x}{2}\,\mathrm{erfc}\!\left(-\frac{x}{\sqrt2}\right)") == \
        "x Φ(x) = x/2 erfc(-x/√2)"
    assert unicode_math(r"\frac{1}{1+e^{-x}}") == "1/(1+e⁻ˣ)"
    assert unicode_math(r"x\tanh(\ln(1+e^x))") == "x tanh(ln(1+eˣ))"
    assert unicode_math(r"\max(0, x) \cdot \sigma(\beta x)") == "max(0, x) · σ(βx)"
    assert unicode_math(r"e^{\alpha x}") == "e^(αx)"
    assert unicode_math(r"\frac{-2x}{(1+x^2)^2}") == "-2x/(1+x²)²"
    assert unicode_math(r"\begin{cases}x & x\ge 0\\ \alpha x & x<0\end{cases}") == "⎧ x   if x≥0\n⎩ αx  if x<0"
    three = unicode_math(r"\lambda\begin{cases}1 & x>1\\0 & |x|\le 1\\ -1&\text{otherwise}\end{cases}")
    assert three.splitlines() == ["λ ⎧ 1   if x>1", "  ⎨ 0   if |x|≤1", "  ⎩ -1  otherwise"]
    for name in al.names():  # every catalog formula: no TeX left
        for tex in al.get(name).info.latex.values():
            text = unicode_math(tex)
            assert "\\" not in text and "{" not in text and "\x00" not in text and "\x01" not in text, (name, text)


def test_show_says_kink_in_words(run):
    assert "  kink at x = 0\n" in run("show", "relu").output
    assert "  kinks at x = -1, 1\n" in run("show", "hard_tanh").output


def test_unknown_command(run):
    assert_one_line_error(run("lst", code=2), "No such command 'lst'")


def test_plot_size_dpi_and_log_scale(run, tmp_path):
    from matplotlib.image import imread

    png = tmp_path / "f.png"
    run("plot", "sigmoid", "-o", png, "--size", 4, 2, "--dpi", 50, "--logy", "-d", 0, "-d", 1)
    assert imread(png).shape[:2] == (100, 200)
    assert_one_line_error(run("plot", "relu", "-o", png, "--dpi", 0, code=2), "--dpi")


def test_lab_list_and_a_run(run, tmp_path):
    from actlab import lab

    listed = run("lab", "list").output.splitlines()
    assert [line.split()[0] for line in listed] == lab.names()
    out = run("lab", "xor_single_neuron", "-o", tmp_path / "xor", "--set", "seeds=10",
              "--set", "activations=gcu,sigmoid").output
    assert "held         one gcu neuron learns XOR" in out and "report.md" in out
    saved = json.loads((tmp_path / "xor" / "results.json").read_text())
    assert saved["config"]["seeds"] == 10 and saved["config"]["activations"] == ["gcu", "sigmoid"]
    assert_one_line_error(run("lab", "xor_single_neuron", "--set", "seeds", code=2), "--set takes key=value")
    assert_one_line_error(run("lab", "compre", code=2), "did you mean 'compare'")
