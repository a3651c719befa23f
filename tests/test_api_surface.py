"""Public-API snapshot: nothing public disappears (or appears) by accident.

After an intended change, regenerate the snapshot:

    .venv/bin/python tests/test_api_surface.py --update
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("data") / "api_surface.json"
MODULES = [
    "worldnb",
    "worldnb.errors",
    "worldnb.transforms",
    "worldnb.parallel",
    "worldnb.scene",
    "worldnb.scene.io",
    "worldnb.catalog",
    "worldnb.rendering",
    "worldnb.spatial",
    "worldnb.spatial.language",
    "worldnb.spatial.vsibench",
    "worldnb.layout",
    "worldnb.worlds",
    "worldnb.models",
    "worldnb.generation",
    "worldnb.widgets",
    "worldnb.batch",
    "worldnb.testing",
]


def public_names(module_name: str) -> list[str]:
    mod = importlib.import_module(module_name)
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in vars(mod) if not n.startswith("_")]
    return sorted(set(names))


def surface() -> dict[str, list[str]]:
    out = {}
    for name in MODULES:
        try:
            out[name] = public_names(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return out


def test_api_surface_matches_snapshot():
    expected = json.loads(SNAPSHOT.read_text())
    actual = surface()
    problems = []
    for mod in sorted(set(expected) | set(actual)):
        gone = sorted(set(expected.get(mod, [])) - set(actual.get(mod, [])))
        new = sorted(set(actual.get(mod, [])) - set(expected.get(mod, [])))
        if gone:
            problems.append(f"{mod}: removed {gone}")
        if new:
            problems.append(f"{mod}: added {new} (update the snapshot if intended)")
    assert not problems, "\n".join(problems)


def test_every_public_name_resolves():
    for mod, names in surface().items():
        m = importlib.import_module(mod)
        for n in names:
            assert getattr(m, n) is not None, f"{mod}.{n}"


if __name__ == "__main__" and "--update" in sys.argv:
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(surface(), indent=1, sort_keys=True) + "\n")
