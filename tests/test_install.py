"""A plain ``pip install`` of the working tree into a fresh virtual environment
(no system site packages) gives the ``actlab`` command and the compiled kernels.

It needs the package index (or pip's cache): ACTLAB_OFFLINE=1 skips it.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The platforms the numba requirement's markers select (pyproject.toml).
NUMBA_HERE = platform.machine() in ("x86_64", "AMD64", "aarch64", "arm64") and sys.version_info < (3, 16)

pytestmark = [
    pytest.mark.install,
    pytest.mark.xdist_group("install"),  # one worker builds the venv once (make test: --dist loadgroup)
    pytest.mark.skipif(os.environ.get("ACTLAB_OFFLINE") == "1",
                       reason="ACTLAB_OFFLINE=1: a fresh install needs the package index or pip's cache"),
]


def _sources(dest: Path) -> Path:
    """The tracked and untracked-but-not-ignored files, as `pip install <clone>` would see them
    (building in a copy keeps build/ and *.egg-info out of the working tree)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = REPO / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("install")
    src = _sources(root / "src")
    env_dir = root / "venv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", env_dir], check=True)
    py = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    done = subprocess.run([py, "-m", "pip", "install", "-q", str(src)], capture_output=True, text=True, timeout=600)
    if done.returncode and any(m in done.stderr for m in ("Could not find a version", "NewConnectionError")):
        pytest.skip(f"the package index is not reachable: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr
    seconds = time.perf_counter() - start
    print(f"\nfresh venv + pip install: {seconds:.1f} s")  # ~10 s with a warm pip cache
    return py, seconds


def _run(py, *args):
    bindir = Path(py).parent
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
                               "PYTHONPATH": "", "PYTHONNOUSERSITE": "1"}, cwd=bindir)


def test_the_command_is_installed_and_shows_gelu(venv):
    py, _ = venv
    done = _run(py, str(Path(py).parent / "actlab"), "show", "gelu")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("gelu: ") and "f(x)   = x Φ(x)" in done.stdout and "Traceback" not in done.stderr


def test_kernels_run_in_a_plain_install(venv):
    py, _ = venv
    code = ("import numpy as np, actlab, actlab.kernels as k\n"
            "x = np.linspace(-3, 3, 7, dtype=np.float32)\n"
            "y = k.run(actlab.get('silu'), 'forward', x)\n"
            "assert y is not None and y.dtype == np.float32, 'the kernel path did not run'\n"
            "np.testing.assert_allclose(y, actlab.get('silu')(x), rtol=1e-6)\n"
            "print(len(k.names()), actlab.__file__)")
    done = _run(py, str(py), "-c", code)
    if not NUMBA_HERE:
        pytest.skip(f"numba has no wheels for {platform.machine()} / Python {platform.python_version()}")
    assert done.returncode == 0, done.stderr
    count, where = done.stdout.split()
    assert int(count) > 40 and str(REPO) not in where  # the installed copy, not the working tree


def test_plot_without_the_extra_says_which_to_install(venv, tmp_path):
    py, _ = venv
    done = _run(py, str(Path(py).parent / "actlab"), "plot", "relu", "-o", str(tmp_path / "x.png"))
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0, done.stderr
    assert "pip install 'actlab[plot]'" in done.stderr


def test_install_is_quick(venv):
    _, seconds = venv
    assert seconds < 180, f"a fresh install took {seconds:.0f} s"
