"""What one question is asked about: the scene's entities (objects, plus the room's
doors and windows as thin boxes), the frame for left/right, the options (``near``,
``exact_labels``), and notes the answer should carry (a misspelling read)."""

# ruff: noqa: E501  (regular expressions read best on one line)
from __future__ import annotations

import re

import numpy as np

from ...errors import QueryError
from ...scene import OrientedBox, Scene, SceneObject
from .. import predicates
from ..frames import Frame, RoomFrame, ViewerFrame
from ..measures import distance
from .lexicon import AT_LABELS, VIEW_NOUNS, VIEWER_NOUNS, alternation
from .noun_phrase import NP, vocab_for

__all__ = ["OPENING_ID_OFFSET", "Context", "default_frame", "opening_objects"]

#: Doors and windows of the room get ids from ``max(object ids) + OPENING_ID_OFFSET`` on,
#: so an answer can cite (and a view highlight) them like objects.
OPENING_ID_OFFSET = 1000

_VIEWER = alternation(VIEWER_NOUNS)
_VIEW = alternation(VIEW_NOUNS)


def opening_objects(scene: Scene) -> list[SceneObject]:
    """The room's doors and windows as thin boxes (1 cm slabs on the room side of the
    wall, across the opening), with ids from ``max(object ids) + 1000`` in the order of
    ``room.openings``; ``attrs["opening"]`` is the index there. Openings whose kind some
    object already carries as a label (the scene models its doors as objects) are left
    out."""
    room = scene.room
    if room is None:
        return []
    labels = {o.label for o in scene.objects}
    base = max((o.id for o in scene.objects), default=0) + OPENING_ID_OFFSET
    out = []
    for k, op in enumerate(room.openings):
        if op.kind in labels:
            continue
        w = room.wall(op.wall)
        x, z = w.point_at(op.offset)
        yaw = float(np.arctan2(-w.direction[1], w.direction[0]))
        x, z = np.array([x, z]) + w.normal * 0.005
        box = OrientedBox((x, op.sill + op.height / 2, z), (op.width, op.height, 0.01), yaw)
        attrs = {"name": f"the {op.kind} in the {w.compass} wall", "wall": w.compass, "opening": k}
        out.append(SceneObject(base + k, op.kind, box, attrs=attrs))
    return out


class Context:
    """Everything answering needs about one scene and one question."""

    def __init__(
        self, scene: Scene, frame: Frame, *, near: float = 1.0, exact_labels: bool = False
    ):
        self.scene = scene
        self.frame = frame
        self.near = float(near)
        self.exact_labels = bool(exact_labels)
        self.notes: list[str] = []
        ops = opening_objects(scene)
        #: opening id → "door on the south wall"
        self.openings: dict[int, str] = {
            o.id: f"{o.label} on the {o.attrs['wall']} wall" for o in ops
        }
        self.entities = [*scene.objects, *ops]
        self.vocab = vocab_for(frozenset(o.label for o in self.entities))

    def by_labels(self, labels) -> list:
        """Entities with one of ``labels``; None: every object (not doors or windows)."""
        if labels is None:
            return [o for o in self.entities if o.id not in self.openings]
        return [o for o in self.entities if o.label in labels]

    def name(self, o) -> str:
        """ "the chair" when it is the only one of its label, else its name ("chair 2");
        a door or window by its wall ("the door in the south wall")."""
        if o.id in self.openings:
            return o.attrs["name"]
        if sum(1 for e in self.entities if e.label == o.label) == 1:
            return f"the {o.label}"
        return o.name

    def describe(self, o) -> str:
        """ "chair 2 by the window": the object's name and its nearest different-label thing."""
        others = [e for e in self.entities if e.label != o.label]
        if not others:
            return o.name
        near = others[int(np.argmin([distance(o, e) for e in others]))]
        prep = "on" if predicates.on(o, near) else "at" if near.label in AT_LABELS else "by"
        nm = near.attrs.get("name") if near.id in self.openings else f"the {near.label}"
        return f"{o.name} {prep} {nm}"

    def ambiguity(self, np_: NP, cands) -> str:
        """ "which chair? there are 3: chair 5 at the desk, ..." """
        descs = [self.describe(c) for c in cands[:6]]
        if len(set(descs)) < len(descs):
            rf = RoomFrame(self.scene.room)
            descs = [f"{d} ({rf.compass(c)} side)" for d, c in zip(descs, cands[:6], strict=False)]
        more = f" and {len(cands) - 6} more" if len(cands) > 6 else ""
        return f"which {np_.head}? there are {len(cands)}: " + ", ".join(descs) + more


def default_frame(scene: Scene, frame) -> Frame:
    """The frame ``ask(..., frame=...)`` names: None/"auto" (the first camera, else the
    room), "room", "viewer", a camera name, or a Frame."""
    if isinstance(frame, Frame):
        return frame
    if frame in (None, "auto"):
        if scene.cameras:
            name = next(iter(scene.cameras))
            return ViewerFrame(scene.cameras[name], f"camera '{name}'")
        return RoomFrame(scene.room)
    if frame == "room":
        return RoomFrame(scene.room)
    if isinstance(frame, str) and (frame == "viewer" or frame in scene.cameras):
        if not scene.cameras:
            raise QueryError("frame='viewer' needs a camera in scene.cameras; this scene has none")
        name = frame if frame in scene.cameras else next(iter(scene.cameras))
        return ViewerFrame(scene.cameras[name], f"camera '{name}'")
    raise QueryError(
        f"frame: expected None, 'room', 'viewer', a camera name or a Frame, got {frame!r}"
    )


_FRAME_PATTERNS = [
    (
        rf"\b(?:from|as seen from|seen from|according to|in|relative to) (?:the |my )?(?:{_VIEWER})(?: 's)?(?: (?:{_VIEW}))?\b",
        "viewer",
    ),
    (
        rf"\b(?:from|in|as seen from) (?:my|your|our) (?:{_VIEW})\b",
        "viewer",
    ),
    (r"\b(?:as seen|seen) by (?:the )?(?:camera|viewer)\b", "viewer"),
    (
        r"\b(?:on|in) the (?:floor )?plan\b|\bin the room 's frame\b|\bin room coordinates\b|\bby compass\b|\bin the room frame\b",
        "room",
    ),
    (r"\bfrom the (?P<obj>[a-z ]+?) 's (?:point of view|perspective|viewpoint|side)\b", "object"),
    (
        r"\b(?:relative to|from the perspective of|from the point of view of|in the frame of) (?:the )?(?P<obj>[a-z ]+?) 's (?:front|orientation)\b",
        "object",
    ),
    (r"\bfrom the (?:point of view|perspective) of (?P<obj>the [a-z ]+?)(?= ,|$)", "object"),
]


def frame_from_text(text: str, ctx: Context):
    """Strip a frame phrase ("from the camera's view", "from the sofa's point of view")
    from ``text`` and set ``ctx.frame``: (rest, None), or (rest, the reason it failed)."""
    from ..frames import ObjectFrame
    from .noun_phrase import parse_np
    from .resolve import resolve

    for pat, kind in _FRAME_PATTERNS:
        m = re.search(pat, text)
        if not m:
            continue
        rest = (text[: m.start()] + text[m.end() :]).replace(" , ", " ").strip(" ,")
        if kind == "viewer":
            if not ctx.scene.cameras:
                return rest, (
                    "unsupported",
                    "this scene has no camera, so 'from the camera's view' has no meaning here; "
                    "ask in the room's frame (north/east/south/west) instead",
                )
            ctx.frame = default_frame(ctx.scene, "viewer")
        elif kind == "room":
            ctx.frame = RoomFrame(ctx.scene.room)
        else:
            np_ = parse_np(m.group("obj"), ctx.vocab)
            if np_ is None:
                continue
            ref = resolve(np_, ctx)
            if ref.status != "ok":
                return rest, (ref.status, ref.reason, ref.objects)
            obj = ref.objects[0]
            if not obj.front:
                return rest, (
                    "unsupported",
                    f"{obj.name} has no front, so it has no left or right of its own",
                )
            ctx.frame = ObjectFrame(obj)
        return rest, None
    return text, None
