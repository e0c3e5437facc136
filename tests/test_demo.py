"""`make demo`'s job: lab runs in a second process while the gallery is built, then the lab page."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.xdist_group("demo")


def test_demo_builds_everything_and_keeps_runs(tmp_path):
    from actlab import lab

    picks = ["xor_single_neuron", "init_matters"]
    code = f"from actlab.demo import main; main({str(tmp_path)!r}, {picks!r})"
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    for name in picks:
        assert f"lab: {name:20} " in first.stdout and "claims held" in first.stdout
    page = (tmp_path / "gallery" / "lab.html").read_text()
    for name in lab.names():
        assert (f'href="lab-{name}.html"' in page) == (name in picks), name
    assert (tmp_path / "gallery" / "api" / "index.html").is_file() or "pdoc" in first.stdout
    assert (tmp_path / "catalog.md").read_text().startswith("#")
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.count("kept from the last run") == len(picks)
