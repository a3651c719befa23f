"""Every docstring example in worldnb runs in ``make test``.

pytest collects them itself (``--doctest-modules`` over ``worldnb`` in pyproject's
``addopts`` / ``testpaths`` and in the Makefile's test paths); these tests check that
the configuration stays so and that no example hides where doctest does not look
(a nested function, a string that is not a docstring).
"""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROMPT = re.compile(r"^\s*>>> ", re.M)


def modules_with_examples() -> list[str]:
    out = []
    for path in sorted((REPO / "worldnb").rglob("*.py")):
        if PROMPT.search(path.read_text(encoding="utf-8")):
            rel = path.relative_to(REPO).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            out.append(".".join(parts))
    return out


def test_pytest_and_make_test_collect_the_docstrings():
    pyproject = (REPO / "pyproject.toml").read_text()  # (tomllib is 3.11+; 3.10 is supported)
    addopts = re.search(r"^addopts = \"(.*)\"$", pyproject, re.M).group(1).split()
    testpaths = re.search(r"^testpaths = \[(.*)\]$", pyproject, re.M).group(1)
    assert "--doctest-modules" in addopts
    assert '"worldnb"' in testpaths
    make = (REPO / "Makefile").read_text()
    default = re.search(r"^PYTEST_ARGS \?= (.*)$", make, re.M).group(1).split()
    assert "worldnb" in default


def test_there_are_examples_to_run():
    assert len(modules_with_examples()) >= 40


@pytest.mark.parametrize("name", modules_with_examples())
def test_every_prompt_is_a_doctest_example(name):
    mod = importlib.import_module(name)
    source = Path(mod.__file__).read_text(encoding="utf-8")
    found = sum(len(t.examples) for t in doctest.DocTestFinder().find(mod))
    assert found == len(PROMPT.findall(source)), (
        f"{name}: {len(PROMPT.findall(source))} '>>>' prompts but doctest finds {found} "
        "examples; put examples in module, class or function docstrings"
    )


def test_collection_imports_no_scripts_under_tests(pytestconfig):
    # with --doctest-modules, collecting tests/spatial/make_notebook.py would run it
    hook = pytestconfig.hook.pytest_ignore_collect
    for script in ("widgets/make_live_view_notebook.py", "spatial/make_notebook.py"):
        assert (REPO / "tests" / script).is_file()
        assert hook(collection_path=REPO / "tests" / script, config=pytestconfig) is True
    this = Path(__file__)
    assert hook(collection_path=this, config=pytestconfig) is not True
