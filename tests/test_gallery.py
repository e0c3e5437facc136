"""The gallery: built for a few functions, checked as files and in a real
browser (headless chromium: the DOM after the page's script ran, and a
screenshot that must not be blank)."""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import actlab as al
from actlab import gallery
from actlab.gallery.formulas import formula_html

CHROMIUM = "/usr/bin/chromium"
NAMES = ["relu", "leaky_relu", "sigmoid", "gaussian", "softmax", "prelu", "dropout"]
NAMES += [n for n in ("gelu", "celu") if n in al.names()]  # their sweeps, once they exist


LAB = ["xor_single_neuron", "self_normalization"]  # quick runs shown on the lab page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from actlab import lab

    runs = tmp_path_factory.mktemp("lab")
    for name in LAB:
        lab.run(name, preset="quick", out=runs / name, progress=False)
    out = tmp_path_factory.mktemp("gallery")
    logs = []
    index = gallery.build(out, NAMES, log=logs.append, lab=runs)
    assert index == out / "index.html"
    return out, logs


def chromium_or_skip():
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI requires it")


def chromium(tmp_path, url, *args):
    exe = chromium_or_skip()
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-quic", f"--user-data-dir={profile}", *args, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def rows(dom):
    """(name, hidden) of each row of the catalog table, in DOM order."""
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for tr in re.findall(r"<tr\b[^>]*>.*?</tr>", body, flags=re.S):
        name = re.search(r'<a href="([a-z0-9_]+)\.html">', tr)[1]
        out.append((name, re.match(r"<tr\b[^>]*\bhidden\b", tr) is not None))
    return out


# ----------------------------------------------------------------- files

def test_pages_and_assets_exist(site):
    out, _ = site
    for n in NAMES:
        assert (out / f"{n}.html").is_file() and (out / "img" / f"{n}.svg").is_file()
    assert (out / "families.html").is_file()
    for page in out.glob("*.html"):
        text = page.read_text()
        for src in re.findall(r'<img[^>]+src="([^"]+)"', text):
            assert (out / src).is_file(), (page.name, src)
        for href in re.findall(r'href="([^"#]+\.html)"', text):
            assert href.startswith("http") or (out / href).is_file(), (page.name, href)


def test_site_works_offline(site):
    """No remote script, stylesheet, font or image: every asset is local
    (links to papers are plain anchors)."""
    out, _ = site
    for page in out.glob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|img|link|iframe|source)\b[^>]*\b(src|href)="(https?:)?//', text), page.name
        assert "@import" not in text and "url(http" not in text and "@font-face" not in text
    for svg in (out / "img").rglob("*.svg"):
        text = svg.read_text()
        assert "@import" not in text and "<image" not in text
        ET.fromstring(text.split("?>", 1)[-1].split("]>", 1)[-1] if "DOCTYPE" in text else text)  # well-formed


def test_lab_page_lists_every_experiment_with_its_verdict(site):
    from actlab import lab

    out, _ = site
    page = (out / "lab.html").read_text()
    for name in lab.names():
        assert f"<h2>{name}</h2>" in page
        assert (f'href="lab-{name}.html"' in page) == (name in LAB)
    assert page.count("not run for this gallery") == len(lab.names()) - len(LAB)
    assert page.count("<b>held</b>") >= 4 and "every claim held" in page
    assert 'src="lab/xor_single_neuron/decision_regions.png"' in page
    report = (out / "lab-self_normalization.html").read_text()
    assert "Klambauer" in report and "<table>" in report and 'src="lab/self_normalization/moments.png"' in report
    for f in ("moments.png", "results.json", "report.md"):
        assert (out / "lab" / "self_normalization" / f).is_file()
    assert 'href="lab.html"' in (out / "relu.html").read_text()   # in every page's header


def test_function_page_content(site):
    out, _ = site
    page = (out / "leaky_relu.html").read_text()
    for fragment in ("<h2>Formula</h2>", "<h2>Plots</h2>", "<h2>Parameters</h2>", "<h2>Properties</h2>",
                     "<h2>Peers</h2>", "<h2>References</h2>", "<h2>Example</h2>",
                     "a finite real number", "keras.activations.leaky_relu", "Maas", "img/leaky_relu-sweep.svg"):
        assert fragment in page, fragment
    assert page.count('class="yes">verified') >= 8  # the probes agree with the claims
    assert "default differs" in page  # Keras and TensorFlow use 0.2
    # the cases formulas render as images, with a brace, not as LaTeX source
    assert 'class="brace"' in page and '<code class="latex">' not in page
    # the example shows outputs that were computed: leaky_relu(x) at x = -2..2
    assert "array([-0.02, -0.01,  0.  ,  1.  ,  2.  ])" in page


def test_example_runs_for_every_kind():
    for name in ("prelu", "dropout", "softmax", "crelu"):
        text = gallery.example(al.get(name))
        assert "Traceback" not in text and text.count(">>> ") >= 5
    # dL/dalpha = sum of 0.5 * x over x <= 0 = 0.5 * (-2 - 1 + 0)
    assert "{'alpha': np.float64(-1.5)}" in gallery.example(al.get("prelu"))
    assert "act.backward(x, g)\narray(" in gallery.example(al.get("softmax"))


def test_formula_fallback_and_cases():
    written = []

    def write(svg):
        written.append(svg)
        return f"img/{len(written)}.svg"

    assert formula_html(r"\frac{1}{1+e^{-x}}", "f(x)", write).startswith('<img class="math"')
    html = formula_html(r"\begin{cases}x & x\ge 0\\ 0 & x<0\end{cases}", "f(x)", write)
    assert html.count("<img") == 5 and 'class="brace"' in html  # lhs, 2 values, 2 conditions
    bad = formula_html(r"\begin{cases}\begin{cases}1&2\end{cases}\end{cases}", "f(x)", write)
    assert bad.startswith('<code class="latex">')
    assert formula_html(r"\unknowncommand{x}", "", write) == r'<code class="latex">\unknowncommand{x}</code>'
    # TeX that mathtext lacks is rewritten: \le, \big(, \frac12, \sqrt2
    assert formula_html(r"\frac12\sqrt2\,\big(x\big) \le 1", "", write).startswith('<img class="math"')


def test_every_catalog_formula_renders():
    failed = [(n, tex) for n in al.names() for tex in al.get(n).info.latex.values()
              if tex and "<code" in formula_html(tex, "f(x)", lambda svg: "img/x.svg")]
    assert not failed, f"mathtext cannot render (the page falls back to LaTeX source): {failed}"


def test_sweeps_are_built_or_skipped_with_a_message(site):
    out, logs = site
    families = (out / "families.html").read_text()
    assert "img/leaky_relu-sweep.svg" in families
    for name in ("celu", "gelu"):
        if name in NAMES:
            assert f"img/{name}-sweep.svg" in families
        else:
            assert f"gallery: skipping the {name} sweep: {name!r} is not in the catalog" in logs


# ----------------------------------------------------------------- browser

def test_index_in_chromium(site, tmp_path):
    out, _ = site
    url = (out / "index.html").as_uri()
    dom = chromium(tmp_path, url, "--dump-dom")
    all_rows = rows(dom)
    assert sorted(n for n, _ in all_rows) == sorted(NAMES) and not any(h for _, h in all_rows)
    assert f"<b id=\"count\">{len(NAMES)} of {len(NAMES)}</b>" in dom  # the script ran
    assert len(re.findall(r'<img src="img/thumb-', dom)) == len(NAMES)

    radial = rows(chromium(tmp_path, url + "#family=radial", "--dump-dom"))
    assert [n for n, h in radial if not h] == ["gaussian"]

    learnable = rows(chromium(tmp_path, url + "#prop=learnable", "--dump-dom"))
    assert [n for n, h in learnable if not h] == ["prelu"]

    vector = rows(chromium(tmp_path, url + "#kind=V&sort=name:desc", "--dump-dom"))
    assert [n for n, h in vector if not h] == ["softmax"]
    assert [n for n, _ in vector] == sorted(NAMES, reverse=True)  # sorted by name, descending


def test_function_page_in_chromium(site, tmp_path):
    out, _ = site
    dom = chromium(tmp_path, (out / "relu.html").as_uri(), "--dump-dom")
    srcs = re.findall(r'<img[^>]+src="([^"]+)"', dom)
    assert "img/relu.svg" in srcs and sum(s.startswith("img/math/") for s in srcs) >= 4
    assert "<h1>relu</h1>" in dom


def test_screenshot_is_not_blank(site, tmp_path):
    import matplotlib.image as mpimg

    out, _ = site
    shot = tmp_path / "index.png"
    chromium(tmp_path, (out / "index.html").as_uri(), f"--screenshot={shot}", "--window-size=1200,800",
             "--hide-scrollbars")
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (800, 1200)
    assert pixels.std() > 0.1  # text, table lines and plots, not a flat page
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50



# Headless chromium's window is at least 500 px wide: a page is measured in an
# iframe of the width under test (its own viewport, so media queries apply),
# read from the parent (same origin with --allow-file-access-from-files).
_FRAME = ('<!doctype html><html><body style="margin:0"><iframe src="{page}.html" '
          'style="width:{width}px;height:900px;border:0" onload="var d = this.contentDocument, '
          "w = this.contentWindow, o = []; d.querySelectorAll('body *').forEach(function (e) {{ "
          "if (e.getBoundingClientRect().right > w.innerWidth + 1) o.push(e.tagName + '.' + e.className); }}); "
          "document.body.setAttribute('data-overflow', d.documentElement.scrollWidth + ' ' + w.innerWidth "
          "+ ' ' + o.slice(0, 6).join(','))\"></iframe></body></html>")


def framed(site_dir: Path, tmp_path, page: str, width: int, *args):
    frame = site_dir / f"frame-{page}-{width}.html"  # beside the page: its relative links resolve
    frame.write_text(_FRAME.format(page=page, width=width))
    return chromium(tmp_path, frame.as_uri(), "--allow-file-access-from-files",
                    f"--window-size={max(width, 500)},900", *args)


@pytest.mark.parametrize("width", [400, 1440])
@pytest.mark.parametrize("page", ["index", "relu", "leaky_relu", "softmax", "families", "compare", "lab",
                                  "lab-self_normalization"])
def test_no_horizontal_overflow(site, tmp_path, page, width):
    """A phone (400 px) and a desktop (1440 px) see every page without scrolling sideways
    (the catalog table scrolls inside its own box)."""
    out, _ = site
    dom = framed(out, tmp_path, page, width, "--dump-dom")
    scroll, inner, culprits = re.search(r'data-overflow="([^"]*)"', dom)[1].split(" ", 2)
    assert int(inner) == width
    assert int(scroll) <= width, f"{page} at {width} px: {scroll} px wide; sticking out: {culprits}"


@pytest.mark.parametrize("width", [400, 1440])
def test_screenshots_at_phone_and_desktop_width(site, tmp_path, width):
    import matplotlib.image as mpimg

    out, _ = site
    for page in ("index", "relu"):
        shot = tmp_path / f"{page}-{width}.png"
        framed(out, tmp_path, page, width, f"--screenshot={shot}", "--hide-scrollbars")
        pixels = mpimg.imread(shot)[..., :3][:, :width]
        assert pixels.shape[:2] == (900, width) and pixels.std() > 0.1
        if os.environ.get("ACTLAB_SCREENSHOTS"):  # a folder to keep them in, to look at
            Path(os.environ["ACTLAB_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
            shot.replace(Path(os.environ["ACTLAB_SCREENSHOTS"]) / shot.name)


# ----------------------------------------------------------------- charts, sliders, compare

def test_ticks_are_round_and_inside():
    from actlab.gallery.charts import ticks

    assert ticks(-5, 5) == [-4, -2, 0, 2, 4]
    assert ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert ticks(-0.17, 0.05, 5) == [-0.15, -0.1, -0.05, 0, 0.05]


def test_chart_draws_the_data_where_the_axes_say():
    from actlab.gallery import charts

    x = np.linspace(-2, 3, 41)
    svg = charts.figure([charts.Panel("f", [charts.Series(x, x ** 2)], xlim=(-2, 3), ylim=(-1, 9))])
    pts = np.array([p.split(",") for p in re.search(r'<polyline points="([^"]+)"', svg)[1].split()], float)
    pw, ph = charts.W - charts.LEFT - charts.RIGHT, charts.H - charts.TOP - charts.BOTTOM
    data_x = -2 + (pts[:, 0] - charts.LEFT) / pw * 5
    data_y = 9 - (pts[:, 1] - charts.TOP) / ph * 10
    np.testing.assert_allclose(data_x, x, atol=0.05 * 5 / pw)
    np.testing.assert_allclose(data_y, x ** 2, atol=0.05 * 10 / ph)
    ET.fromstring(svg)


def test_slider_values_are_accepted_values():
    from actlab.gallery.explore import slider_values

    assert slider_values(al.get("leaky_relu"), "alpha") == [0.01, 0.05, 0.1, 0.2, 0.3]
    assert slider_values(al.get("gelu"), "approximate") == ["none", "tanh", "sigmoid"]
    elu = slider_values(al.get("elu"), "alpha")
    assert 1.0 in elu and elu == sorted(elu)
    assert slider_values(al.get("softmax"), "axis") is None


def test_function_pages_have_sliders_and_advice(site):
    out, _ = site
    page = (out / "leaky_relu.html").read_text()
    assert page.count("<svg data-frame=") == 5 and page.count("<svg data-frame=") - page.count(" hidden ") == 1
    assert "<h2>When to use it</h2>" in page and "He (Kaiming)" in page and 'href="lab.html#dead_units"' in page
    assert 'id="dead_units"' in (out / "lab.html").read_text()
    assert "<svg data-frame=" not in (out / "dropout.html").read_text()   # stochastic: no sliders


# A page in an iframe, driven from the parent: move each slider to its last
# value, or pick functions, then report what is shown.
_DRIVE = ('<!doctype html><html><body><iframe src="{page}" style="width:1200px;height:900px" onload="'
          "var d = this.contentDocument; {action}\"></iframe></body></html>")
_SLIDE = ("var box = d.querySelector('.explore'), r = box.querySelector('input'); r.value = r.max; "
          "r.dispatchEvent(new Event('input')); var shown = box.querySelectorAll('svg[data-frame]:not([hidden])'); "
          "document.body.setAttribute('data-result', shown.length + ' ' + shown[0].getAttribute('data-frame') "
          "+ ' ' + box.querySelector('output').textContent);")
_PICK = ("var s = d.getElementById('pick-1'); s.value = 'sigmoid'; s.dispatchEvent(new Event('change')); "
         "var on = []; d.querySelectorAll('g[data-fn]').forEach(function (g) { if (g.style.display !== 'none') "
         "on.push(g.getAttribute('data-fn') + ':' + g.getAttribute('stroke')); }); "
         "document.body.setAttribute('data-result', on.join(' ') + ' ' + this.contentWindow.location.hash);")


def drive(site_dir, tmp_path, page, action):
    frame = site_dir / f"drive-{len(list(site_dir.glob('drive-*')))}.html"
    frame.write_text(_DRIVE.format(page=page, action=action))
    dom = chromium(tmp_path, frame.as_uri(), "--allow-file-access-from-files", "--dump-dom")
    return re.search(r'data-result="([^"]*)"', dom)[1]


def test_slider_shows_one_frame_in_chromium(site, tmp_path):
    out, _ = site
    assert drive(out, tmp_path, "leaky_relu.html", _SLIDE) == "1 4 0.3"


def test_compare_page_overlays_the_picks_in_chromium(site, tmp_path):
    from actlab.plot import PALETTE

    out, _ = site
    shown = drive(out, tmp_path, "compare.html#f=relu,gelu", _PICK).split()
    # relu stays first; sigmoid replaces gelu as the second pick: f and f' panels each
    assert sorted(shown[:-1]) == sorted([f"relu:{PALETTE[0]}", f"sigmoid:{PALETTE[1]}"] * 2)
    assert shown[-1] == "#f=relu,sigmoid"


# ----------------------------------------------------------------- API reference

def _public(module):
    import inspect

    for n in getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")]):
        obj = getattr(module, n)
        if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj):
            yield n, obj
            if inspect.isclass(obj):
                for k, v in vars(obj).items():
                    if not k.startswith("_") and inspect.isfunction(v):
                        yield f"{n}.{k}", getattr(obj, k)


def test_every_public_name_is_documented():
    import importlib
    import inspect

    from actlab.gallery.api import MODULES

    bare = []
    for m, dep in MODULES.items():
        if dep:
            pytest.importorskip(dep)
        for name, obj in _public(importlib.import_module(m)):
            if not (inspect.getdoc(obj) or "").strip():
                bare.append(f"{m}.{name}")
    assert not bare


def test_api_reference_is_in_the_site(site):
    pytest.importorskip("pdoc")
    from actlab.gallery.api import MODULES

    out, _ = site
    assert 'href="api/index.html"' in (out / "index.html").read_text()
    for m in MODULES:
        page = out / "api" / (m.replace(".", "/") + ".html")
        assert page.is_file(), page
    nn = (out / "api" / "actlab" / "nn.html").read_text()
    for name in ("Sequential", "Dense", "BatchNorm", "fit", "EarlyStopping"):
        assert f'id="{name}"' in nn, name
    for page in (out / "api").rglob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|img|link|iframe|source)\b[^>]*\b(src|href)="(https?:)?//', text), page.name


def test_a_rebuild_with_nothing_changed_keeps_the_pages(tmp_path):
    logs = []
    gallery.build(tmp_path, ["relu", "tanh"], log=logs.append, api=False)
    page = tmp_path / "relu.html"
    before = page.stat().st_mtime_ns
    (tmp_path / "lab.html").unlink()
    gallery.build(tmp_path, ["relu", "tanh"], log=logs.append, api=False)
    assert any("nothing changed" in line for line in logs)
    assert page.stat().st_mtime_ns == before and (tmp_path / "lab.html").is_file()   # lab pages always
    gallery.build(tmp_path, ["relu", "sigmoid"], log=logs.append, api=False)      # other names: built anew
    assert (tmp_path / "sigmoid.html").is_file() and page.stat().st_mtime_ns != before
