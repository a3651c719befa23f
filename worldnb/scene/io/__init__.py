"""Scene files: save / load ``.wnb``, export and import ``.glb``, ``.ply`` and ``.json``.

========  =====================================================  =================
format    holds                                                  module
========  =====================================================  =================
``.wnb``  everything, lossless (zip: JSON manifest + safetensors)  :mod:`.wnb`
``.glb``  meshes, points, object boxes, room outline, cameras      :mod:`.glb`
``.ply``  one point cloud, Gaussians (3DGS layout) or mesh         :mod:`.ply`
``.json`` room, objects, cameras (for the spatial engine)          :mod:`.scene_json`
``.txt``  SpatialLM layout: walls, doors, windows, boxes           :mod:`.spatiallm`
========  =====================================================  =================

``format=`` names the format when the extension does not (``"spatiallm"`` for
SpatialLM's ``.txt`` layouts; also ``"wnb"``, ``"ply"``, ``"glb"``, ``"gltf"``,
``"json"``).

Imports of published data sets: :func:`load_vsibench` (VSI-Bench's ScanNet layouts,
:mod:`.vsibench`).

Errors: an unusable path (missing file, missing folder, unknown extension, a folder
where a file belongs) raises :class:`~worldnb.errors.InputError`; a file that is
truncated, garbled or not in the format its name promises raises
:class:`~worldnb.errors.FormatError` naming the file and the problem — never another
exception. Every write is atomic: the file appears complete or not at all, and
:func:`all_or_nothing` extends that to several files.

Example:
    >>> import tempfile, worldnb
    >>> scene = worldnb.Scene(room=worldnb.Room.rectangle(4, 3))
    >>> _ = scene.add_object("bed", worldnb.OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)))
    >>> folder = tempfile.mkdtemp()
    >>> worldnb.load(scene.save(folder + "/bedroom.wnb")) == scene
    True
    >>> worldnb.load(scene.export(folder + "/bedroom.json")).objects[0].label
    'bed'
"""

from __future__ import annotations

import inspect
from pathlib import Path

from ...errors import InputError
from ..scene import Scene
from ._files import all_or_nothing, as_path, atomic_write, check_scene
from .equality import scenes_equal
from .glb import save_glb
from .gltf_read import load_gltf
from .ply import load_ply, save_ply
from .scene_json import load_json, save_json
from .spatiallm import load_spatiallm, save_spatiallm
from .vsibench import load_vsibench
from .wnb import load_wnb, save_wnb

__all__ = [
    "all_or_nothing",
    "atomic_write",
    "export",
    "load",
    "load_gltf",
    "load_json",
    "load_ply",
    "load_spatiallm",
    "load_vsibench",
    "load_wnb",
    "save_glb",
    "save_json",
    "save_ply",
    "save_spatiallm",
    "save_wnb",
    "scenes_equal",
]

_LOADERS = {
    ".wnb": load_wnb,
    ".ply": load_ply,
    ".glb": load_gltf,
    ".gltf": load_gltf,
    ".json": load_json,
}
_WRITERS = {".wnb": save_wnb, ".ply": save_ply, ".glb": save_glb, ".json": save_json}
#: ``format=`` name → the key in the tables above
_FORMATS = {
    "wnb": ".wnb",
    "ply": ".ply",
    "glb": ".glb",
    "gltf": ".gltf",
    "json": ".json",
    "spatiallm": "spatiallm",
}
_LOADERS["spatiallm"] = load_spatiallm
_WRITERS["spatiallm"] = save_spatiallm


def _call(fn, verb: str, suffix: str, *args, **options):
    params = inspect.signature(fn).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    known = [n for n, p in params.items() if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(known)) if not takes_any else []
    if unknown:
        raise InputError(
            f"{verb} {suffix}: unknown option(s) {', '.join(unknown)}; "
            f"accepted: {', '.join(known) or 'none'}"
        )
    return fn(*args, **options)


def _suffix(path: Path, table: dict, verb: str, format: str | None = None) -> str:
    if format is not None:
        key = _FORMATS.get(format.lower()) if isinstance(format, str) else None
        if key is None or key not in table:
            names = [n for n, k in _FORMATS.items() if k in table]
            raise InputError(f"format: expected one of {', '.join(names)}, got {format!r}")
        return key
    suffix = path.suffix.lower()
    if suffix not in table:
        hint = " (SpatialLM layouts: pass format='spatiallm')" if suffix == ".txt" else ""
        raise InputError(
            f"{path}: cannot {verb} {suffix or 'a file without an extension'}{hint}; "
            f"use one of {', '.join(k for k in table if k.startswith('.'))}"
        )
    return suffix


def load(path, *, format: str | None = None, **options) -> Scene:
    """Load a scene by extension: ``.wnb`` (lossless), or import ``.ply``, ``.glb`` /
    ``.gltf``, ``.json``, or a SpatialLM layout (``format="spatiallm"``).

    Args:
        path: the file.
        format: the format when the extension does not say it (``"spatiallm"``).
        **options: format options (``.ply``: ``layer=`` name for the layer read).

    Raises:
        InputError: missing file, unknown extension or option.
        FormatError: the file is truncated, garbled or not what its extension says.
    """
    path = as_path(path)
    suffix = _suffix(path, _LOADERS, "load", format)
    return _call(_LOADERS[suffix], "load", suffix, path, **options)


def export(scene: Scene, path, *, format: str | None = None, **options) -> Path:
    """Write a scene by extension, atomically.

    Args:
        scene: the scene.
        path: ``.glb`` (meshes, points, boxes, cameras; options ``layers``, ``boxes``,
            ``room``, ``cameras``), ``.ply`` (one layer; options ``layer``, ``text``),
            ``.json`` (room, objects, cameras; options ``cameras``, ``indent``) or
            ``.wnb`` (everything), or any name with ``format="spatiallm"`` (walls, doors,
            windows and boxes as SpatialLM's layout text).
        format: the format when the extension does not say it (``"spatiallm"``).
        **options: format options as listed.

    Returns:
        The path written.

    Raises:
        InputError: unusable path, unknown extension or option, or nothing to write.
    """
    check_scene(scene)
    path = as_path(path)
    suffix = _suffix(path, _WRITERS, "export", format)
    return _call(_WRITERS[suffix], "export", suffix, scene, path, **options)
