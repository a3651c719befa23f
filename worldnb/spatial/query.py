"""Structured queries: objects by label, attributes and relations."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import QueryError
from ..scene import Scene, SceneObject
from . import predicates
from .language.lexicon import label_set
from .measures import distance

__all__ = ["find"]

_BINARY = {
    "on": predicates.on,
    "above": predicates.above,
    "below": predicates.below,
    "inside": predicates.inside,
    "next_to": predicates.next_to,
    "facing": predicates.facing,
    "between": None,
    "left_of": predicates.left_of,
    "right_of": predicates.right_of,
    "in_front_of": predicates.in_front_of,
    "behind": predicates.behind,
}


def find(
    scene: Scene,
    label: str | None = None,
    where: Callable[[SceneObject], bool] | dict | None = None,
    *,
    near=None,
    within: float = 1.0,
    frame=None,
    **relations,
) -> list[SceneObject]:
    """Objects matching a label, attributes and relations, in scene order.

    Args:
        scene: the scene.
        label: category; plurals and synonyms work ("chairs", "couch" → sofa).
        where: a predicate ``obj -> bool``, or a dict of attributes that must match
            (``{"color": "red"}``; case-insensitive).
        near: an object; keep those within ``within`` m of it (closest points).
        frame: frame for ``left_of``/``right_of``/``in_front_of``/``behind``.
        relations: ``on=table``, ``left_of=bed``, ``between=(a, b)``, ``inside=box`` …

    Example:
        >>> from worldnb.scene import OrientedBox, Scene
        >>> s = Scene()
        >>> t = s.add_object("table", OrientedBox((0, 0.4, 0), (1, 0.8, 1)))
        >>> c = s.add_object("cup", OrientedBox((0, 0.85, 0), (0.1, 0.1, 0.1)), color="red")
        >>> [o.name for o in find(s, "cups", on=t, where={"color": "red"})]
        ['cup 2']
    """
    if not isinstance(scene, Scene):
        raise QueryError(f"scene: expected a Scene, got {type(scene).__name__}")
    out = list(scene.objects)
    if label is not None:
        if not isinstance(label, str) or not label.strip():
            raise QueryError(f"label: expected a non-empty string, got {label!r}")
        want = label_set(label, scene.labels())
        out = [o for o in out if o.label in want]
    if isinstance(where, dict):
        attrs = {k: str(v).lower() for k, v in where.items()}
        out = [
            o for o in out if all(str(o.attrs.get(k, "")).lower() == v for k, v in attrs.items())
        ]
    elif where is not None:
        if not callable(where):
            raise QueryError(f"where: expected a callable or a dict, got {type(where).__name__}")
        out = [o for o in out if where(o)]
    if near is not None:
        out = [o for o in out if o is not near and distance(o, near) <= within]
    for name, other in relations.items():
        if name not in _BINARY:
            raise QueryError(f"unknown relation {name!r}; known: {', '.join(sorted(_BINARY))}")
        if name == "between":
            if not isinstance(other, tuple | list) or len(other) != 2:
                raise QueryError(f"between: expected a pair (b, c) of objects, got {other!r}")
            b, c = other
            out = [o for o in out if o is not b and o is not c and predicates.between(o, b, c)]
        elif name in ("left_of", "right_of", "in_front_of", "behind"):
            out = [o for o in out if o is not other and _BINARY[name](o, other, frame=frame)]
        else:
            out = [o for o in out if o is not other and _BINARY[name](o, other)]
    return out
