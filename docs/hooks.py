"""MkDocs hooks for the worldnb site (``mkdocs.yml``: ``hooks: [docs/hooks.py]``).

They add the pages that are made from other files, so nothing is copied by hand:

- Notebooks: every ``notebooks/*.ipynb`` and ``notebooks/tutorials/*.ipynb``. The
  sources are stored without outputs; the Binder test (``tests/test_binder.py``)
  executes them and writes the executed copies to ``build/notebooks/``. A page shows
  the executed copy when it is newer than the source, else the source as it is (the
  log says which). Nothing is executed here. A cell tagged ``solution`` (the tutorials'
  solutions; JupyterLab shows them collapsed) is folded into a closed "Solution"
  ``<details>`` box: :func:`fold_solutions`.
- API reference: one page per module of the public-API snapshot
  (``tests/data/api_surface.json``). Each public class and function is documented on
  the page of the package that defines it; a public class, function, method or
  property without a docstring is a warning, so the strict build fails.
- Benchmarks: ``benchmarks/results/*.json`` (written by ``tools/record_bench.py``)
  and the built-in models' cards.
"""

from __future__ import annotations

import json
import logging
import os
from html.parser import HTMLParser
from pathlib import Path

import griffe
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.worldnb")

REPO = Path(__file__).resolve().parents[1]
EXECUTED = REPO / "build" / "notebooks"
SNAPSHOT = REPO / "tests" / "data" / "api_surface.json"
RESULTS = REPO / "benchmarks" / "results"
CARDS = REPO / "worldnb" / "models" / "weights"

_pages: dict[str, str | Path] = {}  # docs path -> text, or a file to use as it is

#: the CSS class nbconvert (mkdocs-jupyter) gives a cell tagged ``solution``
SOLUTION_CLASS = "celltag_solution"
SOLUTION_OPEN = '<details class="success wnb-solution"><summary>Solution</summary>\n'


def _title(path: Path) -> str:
    """A notebook's first Markdown heading, else its file name."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return path.stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


class _Cells(HTMLParser):
    """Offsets ``(start, end)`` in the HTML of every ``<div>`` with a given class."""

    def __init__(self, html: str, cls: str):
        super().__init__(convert_charrefs=False)
        self.cls, self.html, self.spans = cls, html, []
        self._stack: list[int | None] = []  # open divs: start offset if it has the class
        self._line_starts = [0]  # getpos() counts lines by "\n" only
        for line in html.split("\n"):
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            classes = (dict(attrs).get("class") or "").split()
            self._stack.append(self._offset() if self.cls in classes else None)

    def handle_endtag(self, tag):
        if tag == "div" and self._stack:
            start = self._stack.pop()
            if start is not None:
                end = self.html.index(">", self._offset()) + 1
                self.spans.append((start, end))


def fold_solutions(html: str) -> tuple[str, int]:
    """Wrap every cell tagged ``solution`` in a closed ``<details>`` box headed
    "Solution" (the reader opens it with a click; no script needed). Returns the new
    HTML and how many cells were folded."""
    spans = []  # the outermost ones (mkdocs-jupyter nests two divs per cell)
    for start, end in sorted(_Cells(html, SOLUTION_CLASS).spans, key=lambda s: (s[0], -s[1])):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    for start, end in reversed(spans):
        html = f"{html[:start]}{SOLUTION_OPEN}{html[start:end]}\n</details>{html[end:]}"
    return html, len(spans)


def _tagged(path: str, tag: str) -> int:
    """How many cells of the notebook at ``path`` carry ``tag``."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(tag in c.get("metadata", {}).get("tags", []) for c in nb.get("cells", []))


def _notebooks() -> dict[str, list[tuple[str, str]]]:
    """Adds the notebook files; returns nav sections of (title, docs path)."""
    sections: dict[str, list[tuple[str, str]]] = {"Tutorials": [], "Notebooks": []}
    for section, folder in (("Tutorials", "notebooks/tutorials"), ("Notebooks", "notebooks")):
        for src in sorted((REPO / folder).glob("*.ipynb")):
            rel = src.relative_to(REPO).as_posix()
            done = EXECUTED / src.relative_to(REPO / "notebooks")
            use = done if done.exists() and done.stat().st_mtime >= src.stat().st_mtime else src
            if use is src:
                log.info("%s: no current executed copy in build/notebooks: no outputs", rel)
            _pages[rel] = use  # a plain File below: mkdocs-jupyter wraps only those
            sections[section].append((_title(src), rel))
    return {k: v for k, v in sections.items() if v}


def _api_members(snapshot: dict[str, list[str]], root: Path):
    """Which page documents each public object, and which objects lack a docstring.

    Returns ``(members, elsewhere, undocumented)``: the names each module's page
    documents, the names it re-exports from another page, and ``module.name`` (or
    ``module.Class.method``) for every public class, function, method or property
    without a docstring.
    """
    top = min(snapshot, key=len)
    pkg = griffe.load(top, search_paths=[str(root)], resolve_aliases=True)
    home: dict[str, str] = {}  # an object's defining path -> the page module that documents it
    members: dict[str, list[str]] = {m: [] for m in snapshot}
    elsewhere: dict[str, list[tuple[str, str]]] = {m: [] for m in snapshot}
    undocumented: list[str] = []
    for module in sorted(snapshot, key=lambda m: -m.count(".")):  # deepest first
        for name in snapshot[module]:
            try:
                obj = pkg[f"{module}.{name}".removeprefix(top + ".")]
                target = obj.final_target if obj.is_alias else obj
            except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue  # lazily imported names (worldnb.render, ...): linked below
            if target.is_module:
                continue
            path = target.path
            owner = max(
                (m for m in snapshot if path == m or path.startswith(m + ".")),
                key=len,
                default=module,
            )
            if path in home:
                elsewhere[module].append((name, home[path]))
                continue
            if owner != module and name in snapshot.get(owner, []):
                elsewhere[module].append((name, owner))
                continue
            home[path] = module
            members[module].append(name)
            undocumented += [f"{module}.{name}{rest}" for rest in _undocumented(target)]
    return members, elsewhere, undocumented


def _undocumented(obj, prefix: str = "") -> list[str]:
    """``obj`` itself (as ``""``) and its public methods, properties and nested classes
    (as ``".name"``) that have no docstring: mkdocstrings leaves those off the page."""
    out = []
    documentable = obj.kind in (griffe.Kind.CLASS, griffe.Kind.FUNCTION) or (
        obj.kind is griffe.Kind.ATTRIBUTE and "property" in obj.labels
    )
    if documentable and not obj.docstring:
        out.append(prefix)
    if obj.kind is griffe.Kind.CLASS:
        for name, member in obj.members.items():
            if name.startswith("_") or member.is_alias:
                continue  # private, or imported into the class body (documented at home)
            out += _undocumented(member, f"{prefix}.{name}")
    return out


def _api() -> list[tuple[str, str]]:
    """Adds one page per public module; warns for public objects without a docstring."""
    snapshot: dict[str, list[str]] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    members, elsewhere, undocumented = _api_members(snapshot, REPO)
    for name in undocumented:
        log.warning("API: %s has no docstring", name)
    nav = []
    for module in snapshot:
        doc = f"api/{module}.md"
        names = members[module]
        text = [f"# `{module}`\n", f"::: {module}", "    options:"]
        text.append(f"      members: {json.dumps(names)}" if names else "      members: false")
        text.append("      show_root_heading: false\n")
        lazy = [n for n in snapshot[module] if n not in names]
        refs = dict(elsewhere[module])
        lines = []
        for name in lazy:
            target = refs.get(name) or next(
                (m for m in snapshot if m != module and name in members.get(m, [])), None
            )
            if target:
                lines.append(f"- `{name}`: see [`{target}`]({target}.md#{target}.{name})")
            elif f"{module}.{name}" in snapshot:
                lines.append(f"- `{name}`: the module [`{module}.{name}`]({module}.{name}.md)")
        if lines:
            text += ["## Also here\n", *lines, ""]
        _pages[doc] = "\n".join(text)
        nav.append((module, doc))
    return nav


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def _flatten(d, prefix=""):
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        for i, x in enumerate(d):
            yield from _flatten(x, f"{prefix}[{i}]")
    else:
        yield prefix, d


def _benchmarks() -> list[tuple[str, str]]:
    text = [
        "# Benchmarks\n",
        "Each script under `benchmarks/` prints one JSON document, with speeds as ratios "
        "against a reference measured in the same run. `python tools/record_bench.py NAME` "
        "runs one and keeps its output in `benchmarks/results/NAME.json` with the machine it "
        "ran on; this page shows those files as they are. The load average says how busy "
        "the machine was: numbers from a shared machine are noisier than from an idle one.\n",
    ]
    files = sorted(RESULTS.glob("*.json"))
    if not files:
        text.append("No results are recorded yet.\n")
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        m = doc["machine"]
        text += [
            f"## {doc['benchmark']}\n",
            f"`{doc['command']}` on {doc['date']}, {doc['wall_s']} s wall.\n",
            "| machine | |",
            "|---|---|",
            f"| CPU | {m['cpu']} ({m['cpus']} logical cores) |",
            f"| memory | {m.get('memory_gib')} GiB |",
            f"| OS | {m['os']} |",
            f"| Python / torch | {m['python']} / {m['torch']} |",
            f"| load average (1 min) | {m['load_avg_1min_before']} before, "
            f"{m['load_avg_1min_after']} after |\n",
            "| result | value |",
            "|---|---|",
        ]
        for key, value in _flatten(doc["result"]):
            cell = _fmt(value).replace("|", "\\|").replace("\n", " ")
            text.append(f"| `{key}` | {cell} |")
        text.append("")
    _pages["benchmarks.md"] = "\n".join(text)
    nav = [("Results", "benchmarks.md")]
    for card in sorted(CARDS.glob("*/README.md")):
        doc = f"models/{card.parent.name}.md"
        _pages[doc] = card.read_text(encoding="utf-8")
        nav.append((f"Built-in {card.parent.name} model", doc))
    return nav


def on_config(config):
    _pages.clear()
    nav = list(config["nav"] or [])
    for section, entries in _notebooks().items():
        nav.append({section: [{t: p} for t, p in entries]})
    nav.append({"API reference": [{t: p} for t, p in _api()]})
    nav.append({"Benchmarks": [{t: p} for t, p in _benchmarks()]})
    config["nav"] = nav
    return config


def on_page_content(html, page, config, files):
    src = page.file.abs_src_path or ""
    if not src.endswith(".ipynb"):
        return html
    html, folded = fold_solutions(html)
    want = _tagged(src, "solution")
    if folded != want:
        log.warning("%s: %d solution cells but %d folded", page.file.src_path, want, folded)
    return html


@event_priority(100)  # before mkdocs-jupyter's on_files, which picks up the .ipynb files
def on_files(files, config):
    for doc, source in _pages.items():
        if isinstance(source, Path):  # a notebook: notebooks/... under the repo or build/
            root = source.parents[len(Path(doc).parts) - 1]
            f = File(doc, os.fspath(root), config["site_dir"], config["use_directory_urls"])
        else:
            f = File.generated(config, doc, content=source)
        files.append(f)
    return files
