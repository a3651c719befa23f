"""The docs site (``make docs``, built in ``make test``): its code runs, and its strict
build fails on what it promises to catch (a broken link, a public object without a
docstring). The full build itself runs in ``make test`` after pytest."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
README = REPO / "README.md"


def _hooks():
    spec = importlib.util.spec_from_file_location("worldnb_docs_hooks", DOCS / "hooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_code_runs(page, tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for block in blocks:
        if block in README.read_text(encoding="utf-8"):
            continue  # tests/test_readme.py runs it (Ray, generate: tens of seconds each)
        exec(compile(block, str(page), "exec"), namespace)
    capsys.readouterr()


def test_every_page_is_in_the_nav():
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert f" {page.relative_to(DOCS).as_posix()}\n" in config, page


def test_a_public_object_without_a_docstring_is_reported(tmp_path):
    pkg = tmp_path / "fakepkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        '"""A package."""\nfrom .sub import Bare, documented\n__all__ = ["Bare", "documented"]\n'
    )
    (pkg / "sub" / "__init__.py").write_text(
        '"""Sub."""\nfrom .impl import Bare, documented\n__all__ = ["Bare", "documented"]\n'
    )
    (pkg / "sub" / "impl.py").write_text(
        "class Bare:\n"
        "    x = 1\n\n"
        "    def method(self):\n        return 1\n\n"
        '    def said(self):\n        """Has one."""\n\n'
        "    def _private(self):\n        return 2\n\n"
        "    @property\n    def prop(self):\n        return 3\n\n"
        "    class Inner:\n        def deep(self):\n            return 4\n\n\n"
        'def documented():\n    """Has one."""\n'
    )
    snapshot = {"fakepkg": ["Bare", "documented"], "fakepkg.sub": ["Bare", "documented"]}
    members, elsewhere, undocumented = _hooks()._api_members(snapshot, tmp_path)
    # the class, its public method and property, a nested class and its method
    assert sorted(undocumented) == [
        "fakepkg.sub.Bare",
        "fakepkg.sub.Bare.Inner",
        "fakepkg.sub.Bare.Inner.deep",
        "fakepkg.sub.Bare.method",
        "fakepkg.sub.Bare.prop",
    ]
    # each object is documented once, on its own package's page; the top links there
    assert members == {"fakepkg": [], "fakepkg.sub": ["Bare", "documented"]}
    assert sorted(elsewhere["fakepkg"]) == [("Bare", "fakepkg.sub"), ("documented", "fakepkg.sub")]


def test_strict_build_fails_on_a_broken_link(tmp_path):
    """The site's own strict/validation settings turn a broken link into a failure."""
    import yaml

    config = yaml.safe_load(
        "\n".join(
            line
            for line in (REPO / "mkdocs.yml").read_text().splitlines()
            if not line.lstrip().startswith("- !!")
        )
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [the page](missing.md).\n")
    small = {"site_name": "t", "strict": config["strict"], "validation": config["validation"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(small))
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert "missing.md" in out and "strict mode" in out, out
    # `make docs` builds so too (--quiet would hide the warnings from strict's count)
    recipe = re.search(r"^docs:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text(), re.M).group(1)
    build = next(line for line in recipe.splitlines() if "mkdocs build" in line)
    assert "--strict" in build and "-q" not in build.split() and "--quiet" not in build
    # and the same page with the link fixed builds
    (tmp_path / "docs" / "other.md").write_text("# Other\n")
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [the page](other.md).\n")
    ok = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ok.returncode == 0, ok.stderr


def test_every_public_method_of_worldnb_has_a_docstring():
    """What the strict build warns about, on worldnb itself (the build takes minutes)."""
    import json

    snapshot = json.loads((REPO / "tests" / "data" / "api_surface.json").read_text())
    members, _, undocumented = _hooks()._api_members(snapshot, REPO)
    assert undocumented == []
    assert "Layout" in members["worldnb.layout"]  # its methods were checked too


def test_make_test_checks_the_built_site_in_a_browser():
    """tests/browser/test_tutorial_solutions.py skips its site test until the site is
    built; `make test` runs it once `make docs` has built the site."""
    make = (REPO / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", make, re.M).group(1).splitlines()
    docs = next(i for i, line in enumerate(recipe) if "$(MAKE)" in line and " docs" in line)
    site = next(i for i, line in enumerate(recipe) if "WORLDNB_SITE=build/site" in line)
    assert site > docs and "$(SITE_TESTS)" in recipe[site] and "-k site" in recipe[site]
    tests = re.search(r"^SITE_TESTS := (.*)$", make, re.M).group(1)
    assert (REPO / tests).is_file()
    assert "def test_solutions_are_folded_on_the_docs_site(" in (REPO / tests).read_text()


def test_solution_cells_are_folded_into_closed_details(tmp_path):
    """docs/hooks.py folds each cell tagged `solution`, as mkdocs-jupyter renders it
    (two nested divs carry the tag's class), whole and only it, into a closed box."""
    import nbformat
    from mkdocs_jupyter.convert import nb2html

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = ...", metadata={"tags": ["exercise"]}),
        nbformat.v4.new_code_cell(
            "# Solution\nx = '<div>'\nprint(x)",
            metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}},
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="<div>\f\n")],
        ),
        nbformat.v4.new_markdown_cell("Between\u2028the two."),
        nbformat.v4.new_code_cell("# Solution\ny = 2", metadata={"tags": ["solution"]}),
    ]
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, path)
    html = nb2html(str(path), execute=False)
    hooks = _hooks()
    out, n = hooks.fold_solutions(html)
    assert n == 2 == hooks._tagged(str(path), "solution")
    parts = out.split(hooks.SOLUTION_OPEN)
    assert len(parts) == 3 and "celltag_solution" not in parts[0]
    for part, code in zip(parts[1:], ("x = ", "y = "), strict=True):
        inside, after = part.split("</details>", 1)
        assert code in inside and inside.count("<div") == inside.count("</div>")
        assert "celltag_solution" not in after.split(hooks.SOLUTION_OPEN)[0]
    assert "Between" in parts[1].split("</details>")[1] and "celltag_exercise" in parts[0]
    # nothing else changed
    assert out.replace(hooks.SOLUTION_OPEN, "").replace("\n</details>", "") == html
