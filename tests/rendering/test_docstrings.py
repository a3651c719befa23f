"""The ``Example:`` blocks in the rendering docstrings run and say what they print."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "worldnb.rendering.gaussians",
    "worldnb.rendering.mesh",
    "worldnb.rendering.points",
    "worldnb.rendering.paths",
    "worldnb.rendering.render",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
