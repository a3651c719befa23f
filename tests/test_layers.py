"""The import graph between worldnb's packages points down the layer order only.

Every ``import`` in ``worldnb/`` is read with :mod:`ast` (module level, inside
functions, under ``TYPE_CHECKING``; nothing is executed), resolved to the package it
reaches, and checked against the layer order of the design notes (top of the list
= bottom layer):

    errors, transforms, version,       bottom: no worldnb imports above them
    parallel                           (parallel: local / Ray executors)
    scene                              data model and file formats
    catalog                            furniture categories, sizes, meshes
    rendering
    spatial
    layout
    worlds
    models
    generation
    widgets
    batch, testing, cli                top: nothing in the library imports them

The only arrows allowed upward are the documented conveniences on
:class:`worldnb.Scene` (``show``, ``to_html``, ``ask``, ``find``), which import their
engine inside the method. A package the order does not know fails the test: add it
to ``LAYERS`` (and to the design notes) on purpose. Packages in the order that do not
exist yet are skipped.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "worldnb"

#: package (or top-level module) → layer; an import may only reach a lower number.
LAYERS = {
    "errors": 0,
    "transforms": 1,
    "version": 1,
    "parallel": 1,
    "scene": 2,
    "catalog": 3,
    "rendering": 4,
    "spatial": 5,
    "layout": 6,
    "worlds": 7,
    "models": 8,
    "generation": 9,
    "widgets": 10,
    "batch": 11,
    "testing": 11,
    "cli": 11,
}
#: the façade (``worldnb/__init__.py``) may import anything; nothing imports it back.
FACADE = "__init__"

#: (file, function) → packages it may import although they sit above it.
ALLOWED_UP = {
    ("scene/scene.py", "Scene.show"): {"widgets"},
    ("scene/scene.py", "Scene.to_html"): {"widgets"},
    ("scene/scene.py", "Scene.ask"): {"spatial"},
    ("scene/scene.py", "Scene.find"): {"spatial"},
    # the return types of the methods above, for type checkers only
    ("scene/scene.py", "TYPE_CHECKING"): {"spatial", "widgets"},
}


def package_of(rel: Path) -> str:
    """``scene/io/glb.py`` → ``scene``; ``errors.py`` → ``errors``; ``__init__.py`` → façade."""
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def module_name(rel: Path) -> list[str]:
    parts = ["worldnb", *rel.with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


class _Imports(ast.NodeVisitor):
    """Collect (absolute module, imported names, where) for every import in a file."""

    def __init__(self, rel: Path):
        self.rel = rel
        self.package = module_name(rel) if rel.name == "__init__.py" else module_name(rel)[:-1]
        self.scope: list[str] = []
        self.found: list[tuple[str, list[str], str]] = []

    def _where(self) -> str:
        return ".".join(self.scope) or "<module>"

    def visit_ClassDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node):
        test = node.test
        is_tc = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        if is_tc:
            self.scope.append("TYPE_CHECKING")
            for child in node.body:
                self.visit(child)
            self.scope.pop()
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            self.found.append((alias.name, [], self._where()))

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package[: len(self.package) - (node.level - 1)]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        self.found.append((module, [a.name for a in node.names], self._where()))


def imports_of(rel: Path):
    tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"), filename=str(rel))
    v = _Imports(rel)
    v.visit(tree)
    return v.found


def files() -> list[Path]:
    return sorted(p.relative_to(ROOT) for p in ROOT.rglob("*.py"))


def edges():
    """(from package, to package, file, where, module, names) for every cross-package import."""
    out = []
    for rel in files():
        src = package_of(rel)
        for module, names, where in imports_of(rel):
            parts = module.split(".")
            if parts[0] != "worldnb":
                continue
            if len(parts) == 1:
                # ``from worldnb import a, b`` reaches each of a, b (a package or the façade)
                targets = [(n, []) if n in LAYERS else (FACADE, [n]) for n in names]
            else:
                targets = [(parts[1], parts[2:])]
            for dst, inner in targets:
                if dst != src:
                    out.append((src, dst, rel.as_posix(), where, inner, names))
    return out


def test_every_package_has_a_layer():
    unknown = sorted({package_of(rel) for rel in files()} - set(LAYERS) - {FACADE})
    assert not unknown, (
        f"packages without a layer: {unknown}; add them to LAYERS here and to the "
        "layer order in the design notes"
    )


def test_imports_point_down_the_layers():
    problems = []
    for src, dst, rel, where, _, _ in edges():
        if src == FACADE:
            continue
        if dst == FACADE:
            problems.append(f"{rel} ({where}) imports the worldnb façade; import the module")
            continue
        if dst not in LAYERS or src not in LAYERS:
            continue  # reported by test_every_package_has_a_layer
        if LAYERS[dst] < LAYERS[src]:
            continue
        if dst in ALLOWED_UP.get((rel, where), set()):
            continue
        problems.append(f"{rel} ({where}) imports {dst} (layer {LAYERS[dst]}) from {src} "
                        f"(layer {LAYERS[src]})")  # fmt: skip
    assert not problems, "upward imports:\n" + "\n".join(problems)


def test_no_cycles_between_packages():
    graph = defaultdict(set)
    for src, dst, rel, where, _, _ in edges():
        if src != FACADE and dst != FACADE and dst not in ALLOWED_UP.get((rel, where), set()):
            graph[src].add(dst)
    cycles = []
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles between packages:\n" + "\n".join(cycles)


def test_private_names_stay_inside_their_package():
    problems = []
    for src, dst, rel, where, inner, names in edges():
        if src == FACADE or dst == FACADE:
            continue
        private_module = [p for p in inner if p.startswith("_")]
        private_names = [n for n in names if n.startswith("_") and not n.endswith("__")]
        if private_module or private_names:
            problems.append(
                f"{rel} ({where}) uses {'.'.join(['worldnb', dst, *inner])} "
                f"{private_names or ''}: make it public in {dst} or keep it inside"
            )
    assert not problems, "private names crossing package lines:\n" + "\n".join(problems)


#: community idioms that read the same in every codebase
IDIOMS = {("torch.nn.functional", "F")}


def test_no_single_letter_module_aliases():
    """``from . import predicates as R`` hides what R is (and K means intrinsics
    everywhere else); only idioms such as ``torch.nn.functional as F`` stay."""
    problems = []
    for rel in files():
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for a in node.names:
                    if a.asname and len(a.asname) == 1 and (a.name, a.asname) not in IDIOMS:
                        problems.append(f"{rel}: {a.name} as {a.asname}")
    assert not problems, "single-letter import aliases:\n" + "\n".join(problems)


# ---- the checker itself --------------------------------------------------------------------
def _check_source(tmp_path, monkeypatch, sources: dict[str, str]):
    for name, text in sources.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)


def test_checker_catches_an_up_arrow_a_cycle_and_a_private_import(tmp_path, monkeypatch):
    _check_source(
        tmp_path,
        monkeypatch,
        {
            "__init__.py": "from .scene import Scene\n",
            "scene/__init__.py": "",
            "scene/scene.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from ..widgets import SceneView\n"
                "class Scene:\n"
                "    def show(self):\n        from ..widgets import SceneView\n"
                "    def grow(self):\n        from ..layout import plan\n"
            ),
            "layout/__init__.py": "from ..scene import Scene\nfrom ..worlds._rooms import _x\n",
            "worlds/__init__.py": "from ..layout import plan\nfrom . import rooms as R\n",
        },
    )
    with pytest.raises(AssertionError) as up:
        test_imports_point_down_the_layers()
    msg = str(up.value)
    assert "scene/scene.py (Scene.grow) imports layout" in msg
    assert "layout/__init__.py (<module>) imports worlds" in msg
    assert "Scene.show" not in msg and "TYPE_CHECKING" not in msg
    with pytest.raises(AssertionError, match="layout → worlds → layout"):
        test_no_cycles_between_packages()
    with pytest.raises(AssertionError, match=r"worldnb\.worlds\._rooms"):
        test_private_names_stay_inside_their_package()
    with pytest.raises(AssertionError, match="rooms as R"):
        test_no_single_letter_module_aliases()
    test_every_package_has_a_layer()  # all known
    (tmp_path / "gadgets").mkdir()
    (tmp_path / "gadgets" / "__init__.py").write_text("")
    with pytest.raises(AssertionError, match="gadgets"):
        test_every_package_has_a_layer()
