"""The examples in the docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import actlab

MODULES = ["actlab"] + sorted(m.name for m in pkgutil.walk_packages(actlab.__path__, "actlab."))
OPTIONAL = {"actlab.torch": "torch", "actlab.jax": "jax"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name in OPTIONAL:
        pytest.importorskip(OPTIONAL[name])
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
