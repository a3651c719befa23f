"""The one scene model every engine reads and writes."""

from __future__ import annotations

import copy as _copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from .box import OrientedBox
from .camera import Camera
from .geometry import LAYER_TYPES, Gaussians, Mesh, PointCloud
from .room import Room
from .validate import check_nesting

if TYPE_CHECKING:
    from ..spatial import Answer
    from ..widgets import SceneView

__all__ = ["Scene", "SceneObject"]

#: Object ids are int64 (instance maps at rest hold int32 ids; −1 = none).
MAX_OBJECT_ID = 2**63 - 1


@dataclass(eq=False)
class SceneObject:
    """A labelled object in a scene.

    Attributes:
        id: unique, stable integer id (used in instance maps; −1 means "none").
        label: category name, lower case (``"chair"``).
        box: the object's :class:`OrientedBox` in world coordinates.
        front: whether the object has a front (it faces its local +Z), as a chair or
            a sofa does and a round table does not.
        geometry: optional name of the scene layer holding its geometry.
        attrs: free attributes (``color``, ``material``, ``name``, …), JSON-serialisable:
            no reference cycles, at most 100 levels deep.
    """

    id: int
    label: str
    box: OrientedBox
    front: bool = False
    geometry: str | None = None
    attrs: dict = field(default_factory=dict)

    def __post_init__(self):
        if (
            isinstance(self.id, bool)
            or not isinstance(self.id, int | np.integer)
            or not 0 <= self.id <= MAX_OBJECT_ID
        ):
            raise InputError(
                f"SceneObject.id: expected an integer in [0, 2**63 - 1] (int64), got {self.id!r}"
            )
        self.id = int(self.id)
        if not isinstance(self.label, str) or not self.label.strip():
            raise InputError(f"SceneObject.label: expected a non-empty string, got {self.label!r}")
        self.label = self.label.strip().lower()
        if isinstance(self.box, dict):
            self.box = OrientedBox.from_dict(self.box)
        if not isinstance(self.box, OrientedBox):
            raise InputError(f"SceneObject.box: expected an OrientedBox, got {type(self.box)}")
        self.front = bool(self.front)
        if not isinstance(self.attrs, dict):
            raise InputError(f"SceneObject.attrs: expected a dict, got {type(self.attrs).__name__}")
        self.attrs = dict(self.attrs)
        self._check_attrs()

    def _check_attrs(self) -> None:
        """Raise InputError if ``attrs`` contains itself or nests too deep (see Scene.meta)."""
        check_nesting(self.attrs, f"attrs of object {self.id} ({self.label})")

    @property
    def name(self) -> str:
        """A readable name: ``attrs['name']`` or ``"<label> <id>"``."""
        return self.attrs.get("name") or f"{self.label} {self.id}"

    @property
    def front_direction(self) -> np.ndarray | None:
        """(3,) world direction the object faces, or None when it has no front."""
        return self.box.front if self.front else None

    def to_dict(self) -> dict:
        """Plain record: ``id``, ``label``, ``box``, ``front`` (+ ``geometry``, ``attrs``)."""
        d = {"id": self.id, "label": self.label, "box": self.box.to_dict(), "front": self.front}
        if self.geometry is not None:
            d["geometry"] = self.geometry
        if self.attrs:
            d["attrs"] = self.attrs
        return d

    @classmethod
    def from_dict(cls, d: dict) -> SceneObject:
        """The object :meth:`to_dict` describes (InputError if a field is missing or bad)."""
        try:
            return cls(
                d["id"],
                d["label"],
                OrientedBox.from_dict(d["box"]),
                d.get("front", False),
                d.get("geometry"),
                d.get("attrs", {}),
            )
        except (KeyError, TypeError) as exc:
            raise InputError(f"object dict is missing or has a bad field: {exc}") from None

    def __eq__(self, other) -> bool:
        if not isinstance(other, SceneObject):
            return NotImplemented
        return (
            self.id == other.id
            and self.label == other.label
            and self.box == other.box
            and self.front == other.front
            and self.geometry == other.geometry
            and self.attrs == other.attrs
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"SceneObject({self.id}, {self.label!r}, {self.box!r})"


def _check_mapping(name: str, value, kinds: tuple[type, ...], what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{name}: expected a dict of name → {what}, got {type(value).__name__}")
    for k, v in value.items():
        if not isinstance(k, str) or not k:
            raise InputError(f"{name}: keys must be non-empty strings, got {k!r}")
        if not isinstance(v, kinds):
            raise InputError(f"{name}[{k!r}]: expected {what}, got {type(v).__name__}")
    return dict(value)


class Scene:
    """A room, its objects, named geometry layers, cameras, images and provenance.

    Args:
        room: optional :class:`Room`.
        objects: :class:`SceneObject` s (ids must be unique).
        layers: name → :class:`PointCloud` / :class:`Mesh` / :class:`Gaussians`.
        cameras: name → :class:`Camera`.
        images: name → numpy image (H, W) or (H, W, C), float32 or uint8.
        meta: JSON-serialisable provenance (config, model ids, timings, seeds): a dict
            with no reference cycles, at most 100 levels deep.

    Example:
        >>> scene = Scene(room=Room.rectangle(4, 3))
        >>> bed = scene.add_object("bed", OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)))
        >>> [o.label for o in scene.objects]
        ['bed']
    """

    def __init__(
        self,
        room: Room | None = None,
        objects: Iterable[SceneObject | dict] = (),
        layers: dict[str, PointCloud | Mesh | Gaussians] | None = None,
        cameras: dict[str, Camera] | None = None,
        images: dict[str, np.ndarray] | None = None,
        meta: dict | None = None,
    ):
        if room is not None and not isinstance(room, Room):
            raise InputError(f"room: expected a Room, got {type(room).__name__}")
        self.room = room
        self._objects: dict[int, SceneObject] = {}
        self._next_id = 1
        if objects is None:
            objects = ()
        if isinstance(objects, str | dict | SceneObject) or not hasattr(objects, "__iter__"):
            raise InputError(
                f"objects: expected a list of SceneObjects, got {type(objects).__name__}"
            )
        for o in objects:
            o = SceneObject.from_dict(o) if isinstance(o, dict) else o
            if not isinstance(o, SceneObject):
                raise InputError(f"objects: expected SceneObject items, got {type(o).__name__}")
            if o.id in self._objects:
                raise InputError(f"objects: duplicate object id {o.id}")
            self._objects[o.id] = o
            self._next_id = max(self._next_id, o.id + 1)
        self.layers = _check_mapping("layers", layers, tuple(LAYER_TYPES.values()), "a layer")
        self.cameras = _check_mapping("cameras", cameras, (Camera,), "a Camera")
        self.images = {
            k: _check_image(k, v)
            for k, v in _check_mapping("images", images, (np.ndarray,), "a numpy image").items()
        }
        self.meta = meta

    # ---- provenance ---------------------------------------------------------------
    @property
    def meta(self) -> dict:
        """JSON-serialisable provenance (config, model ids, timings, seeds)."""
        return self._meta

    @meta.setter
    def meta(self, value: dict | None) -> None:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise InputError(f"meta: expected a dict, got {type(value).__name__}")
        check_nesting(value, "meta")
        self._meta = dict(value)

    def _check_metadata(self) -> None:
        """Raise InputError if ``meta`` or an object's ``attrs`` was edited in place into
        something that cannot be saved, copied or compared (a cycle, or too deep)."""
        check_nesting(self._meta, "meta")
        for o in self._objects.values():
            o._check_attrs()
        # layers / cameras / images are plain dicts anyone can assign into: check them
        # again here (before save, export and copy), leaving them as they are
        _check_mapping("layers", self.layers, tuple(LAYER_TYPES.values()), "a layer")
        _check_mapping("cameras", self.cameras, (Camera,), "a Camera")
        for k, v in _check_mapping("images", self.images, (np.ndarray,), "a numpy image").items():
            _check_image(k, v)

    # ---- objects ------------------------------------------------------------------
    @property
    def objects(self) -> tuple[SceneObject, ...]:
        """All objects, in the order they were added."""
        return tuple(self._objects.values())

    def add_object(
        self,
        label: str,
        box: OrientedBox,
        *,
        front: bool = False,
        geometry: str | None = None,
        id: int | None = None,
        **attrs,
    ) -> SceneObject:
        """Add an object and return it; its id is new and never reused in this scene.

        Extra keyword arguments (``color="red"``, ``material="oak"``) go to ``attrs``.
        """
        if id is None:
            id = self._next_id
            if id > MAX_OBJECT_ID:
                raise InputError(
                    "add_object: this scene has handed out every id up to 2**63 - 1; "
                    "pass id= an unused one"
                )
        elif id in self._objects:
            raise InputError(f"add_object: id {id} is already used by {self._objects[id].name}")
        obj = SceneObject(id, label, box, front, geometry, attrs)
        self._objects[obj.id] = obj
        self._next_id = max(self._next_id, obj.id + 1)
        return obj

    def remove_object(self, object_id: int) -> SceneObject:
        """Remove and return an object; its id is not given out again."""
        return self._objects.pop(self.object(object_id).id)

    def object(self, object_id: int) -> SceneObject:
        """The object with this id."""
        try:
            return self._objects[int(object_id)]
        except (KeyError, TypeError, ValueError):
            ids = ", ".join(str(i) for i in self._objects) or "none"
            raise InputError(f"no object with id {object_id!r}; ids are {ids}") from None

    def labels(self) -> list[str]:
        """Distinct object labels, sorted."""
        return sorted({o.label for o in self._objects.values()})

    # ---- derived ------------------------------------------------------------------
    @property
    def bounds(self) -> np.ndarray | None:
        """(2, 3) float32 min / max corner over room, objects and layers; None if empty."""
        parts = [lay.bounds for lay in self.layers.values() if lay.bounds is not None]
        parts += [
            np.stack([b.min(0), b.max(0)])
            for b in (o.box.corners() for o in self._objects.values())
        ]
        if self.room is not None:
            parts.append(self.room.bounds)
        if not parts:
            return None
        stacked = np.concatenate(parts)
        return np.stack([stacked.min(0), stacked.max(0)]).astype(np.float32)

    def copy(self) -> Scene:
        """A deep copy."""
        self._check_metadata()
        return _copy.deepcopy(self)

    # ---- persistence --------------------------------------------------------------
    def save(self, path: str | Path, precision: str | None = None) -> Path:
        """Save everything to a ``.wnb`` file (zip: JSON manifest + safetensors), atomically.

        ``precision="compact"`` stores colours, normals and rotations (and positions,
        when they move by ≤ 2 mm) in float16 / 8 bits; ``"full"`` is lossless; None:
        ``meta["save_precision"]`` or ``"full"`` (see :func:`worldnb.scene.io.save_wnb`)."""
        from .io import save_wnb

        return save_wnb(self, path, precision=precision)

    def export(self, path: str | Path, **options) -> Path:
        """Export by extension: ``.glb``, ``.ply``, ``.json`` (or ``.wnb``); or
        ``format="spatiallm"`` for SpatialLM's layout text."""
        from .io import export

        return export(self, path, **options)

    # ---- conveniences from other engines (imported lazily) -------------------------
    def show(self, **options) -> SceneView:
        """A live 3D view of this scene (:class:`worldnb.widgets.SceneView`)."""
        from ..widgets import SceneView

        return SceneView(self, **options)

    def to_html(self, path: str | Path, **options) -> Path:
        """Write a self-contained HTML page showing the 3D view without a kernel."""
        from ..widgets import to_html

        return to_html(self, path, **options)

    def ask(self, question: str, **options) -> Answer:
        """Answer a spatial question in English (:func:`worldnb.spatial.ask`)."""
        from ..spatial import ask

        return ask(self, question, **options)

    def find(self, label: str | None = None, where=None, **options) -> list[SceneObject]:
        """Objects matching a label and an optional predicate (:func:`worldnb.spatial.find`)."""
        from ..spatial import find

        return find(self, label=label, where=where, **options)

    # ---- dunder -------------------------------------------------------------------
    def __eq__(self, other) -> bool:
        if not isinstance(other, Scene):
            return NotImplemented
        from .io import scenes_equal

        return scenes_equal(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        parts = [f"{len(self._objects)} objects"]
        if self.room is not None:
            parts.insert(0, repr(self.room))
        if self.layers:
            parts.append("layers: " + ", ".join(f"{k}={v!r}" for k, v in self.layers.items()))
        if self.cameras:
            parts.append(f"{len(self.cameras)} cameras")
        return "Scene(" + "; ".join(parts) + ")"


def _check_image(name: str, img: np.ndarray) -> np.ndarray:
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (1, 3, 4)):
        raise InputError(f"images[{name!r}]: expected (H, W) or (H, W, 1|3|4), got {img.shape}")
    if img.dtype not in (np.uint8, np.float32, np.int32, np.bool_):
        if img.dtype.kind == "f":
            img = img.astype(np.float32)
        elif img.dtype.kind in "iu":
            img = img.astype(np.int32)
        else:
            raise InputError(f"images[{name!r}]: unsupported dtype {img.dtype}")
    return img
