"""``ask(scene, question)``: questions in English → :class:`Answer`, by rule.

The parser normalises the text, matches it against question templates (one list per
family, several phrasings each), parses the slots as noun phrases
(:mod:`._np`), resolves them to objects, and measures. Anything it cannot resolve
becomes an Answer with ``value=None`` and the reason — never a guess.
"""

from __future__ import annotations

import re

from ..errors import QueryError
from ..scene import Scene
from . import _handlers as H
from ._np import Context
from ._text import normalize, requested_unit
from .answer import Answer
from .frames import Frame, ObjectFrame, RoomFrame, ViewerFrame

__all__ = ["MAX_QUESTION_CHARS", "ask"]

MAX_QUESTION_CHARS = 2000

_REL_ALT = (
    r"to the left of|on the left of|left of|to the right of|on the right of|right of|"
    r"in front of|ahead of|behind|in back of|at the back of|on top of|resting on|sitting on|"
    r"standing on|lying on|placed on|on|above|over|under|underneath|beneath|below|"
    r"next to|beside|adjacent to|alongside|near to|near|close to|by|facing|pointed at|"
    r"turned towards|turned toward|inside of|inside|within|in|between"
)
_REL = f"(?P<rel>{_REL_ALT})"


_BE = r"(?:is|are|was|were|does|do|can|could|would|will|should)"

# (family, pattern) — tried in order; the first that matches and parses wins.
TEMPLATES: list[tuple[str, str]] = [
    ("route_plan", r".*\bnavigate to\b.*\bfill in\b.*"),
    (
        "direction",
        r".*\b(?:standing|stand|i am|positioned|located|i was|i'm)\s+(?:right )?(?:by|at|next to|beside|near|in front of)\b.*\b(?:facing|face|looking at|look at|looking toward|looking towards|turned toward|turned towards|with my back to|toward)\b.*",
    ),
    (
        "count",
        r"(?:how many|count(?: the| all the| all)?|number of|what is the number of|tell me the number of|what number of|how much) (?P<a>.+?)(?: (?:are|is) (?:there|present|visible|here|in (?:the|this) (?:room|scene))| do (?:you|i|we) see| can (?:you|i|we) see| does (?:the|this) (?:room|scene) (?:have|contain)| (?:are|is) (?P<rel2>"
        + _REL_ALT
        + r") (?P<b>.+?))?(?: in (?:the|this) (?:room|scene))?(?: (?:in )?total)?(?: are there)?$",
    ),
    (
        "exists",
        r"(?:is there|are there|is there any|are there any|do you see|can you see|does (?:the|this) (?:room|scene) (?:have|contain|include)|do we have|have you got) (?P<a>.+?)(?: (?:in|inside) (?:the|this|here) ?(?:room|scene)?| here| at all)?$",
    ),
    (
        "room_free",
        r".*\b(?:free|empty|open|unoccupied|walkable|clear) (?:floor )?(?:space|area|floor)\b.*",
    ),
    (
        "room_height",
        r".*\b(?:how (?:high|tall) is the ceiling|ceiling height|height of the (?:room|ceiling)|how (?:tall|high) is (?:the|this) room)\b.*",
    ),
    (
        "room_size",
        r".*\b(?:room size|size of (?:the|this) room|floor area|area of (?:the|this) (?:room|floor)|how (?:big|large) is (?:the|this) room|how much floor|floor space|room area|square (?:meters|metres|feet|footage)|footprint of (?:the|this) room|how large is the floor|what area does the room|room'?s? (?:area|size)|area (?:does|of) (?:the|this) room|how big is the floor|the room 's (?:area|size)|(?:the|this) room (?:measure|cover))\b.*",
    ),
    (
        "rel_dist_yn",
        r"is (?P<a>.+?) (?P<cmp>closer|nearer|farther|further) (?:to|from) (?P<x>.+?) than (?P<b>.+?)(?: is)?$",
    ),
    (
        "rel_dist",
        r"(?:measuring from the closest point of each object , )?(?:which|what)(?: one)?(?: of these| of the following| among)?(?: objects| things| items)?(?: \( (?P<opts>.+?) \))?(?: is| are)? (?:the )?(?P<sup>closest|nearest|closer|nearer|farthest|furthest|farther|further)(?: one)? (?:to|from) (?P<x>.+?)(?: \( (?P<opts3>.+?) \))?(?:(?: , | : | - )(?P<opts2>.+))?$",
    ),
    (
        "rel_dist",
        r"(?:of|among|between) (?P<opts>.+?) , (?:which|what)(?: one)? is (?:the )?(?P<sup>closest|nearest|closer|nearer|farthest|furthest|farther|further) (?:to|from) (?P<x>.+)$",
    ),
    (
        "route",
        r"(?:how (?:do|can|would|should) (?:i|we|you|one) (?:get|go|walk|move|navigate|reach)|give me directions|directions|what is the (?:best |shortest )?(?:way|route|path)|find (?:a|the) (?:route|path|way)|route|path|plan a route|show me the way)\b(?P<rest>.*)$",
    ),
    (
        "walk_dist",
        r"(?:how far (?:do|would|must) (?:i|we|you) (?:have to )?walk|what is the walking distance|walking distance|how long is the walk)\b(?P<rest>.*)$",
    ),
    (
        "threshold",
        r"(?:is|are) (?P<a>.+?) (?P<cmp>more than|less than|at least|at most|within|over|under|farther than|further than|closer than|no more than|no less than) (?P<len>\d+(?:\.\d+)? [a-z]+(?: \d+(?:\.\d+)? [a-z]+)?) (?:away )?(?:from|of|to) (?P<b>.+)$",
    ),
    (
        "size_cmp_yn",
        r"(?:is|are) (?P<a>.+?) (?P<adj>bigger|larger|smaller|taller|shorter|longer|wider|narrower|higher|lower) than (?P<b>.+)$",
    ),
    (
        "size_thr",
        r"(?:is|are) (?P<a>.+?) (?P<cmp>more than|less than|at least|at most|over|under) (?P<len>\d+(?:\.\d+)? [a-z]+(?: \d+(?:\.\d+)? [a-z]+)?) (?P<adj>tall|high|long|wide|deep|in size|in length|in height|in width)$",
    ),
    (
        "size_cmp_which",
        r"(?:which|what) is (?P<adj>bigger|larger|smaller|taller|shorter|longer|wider|higher|lower) , (?P<opts>.+)$",
    ),
    (
        "size_cmp_which",
        r"(?:which|what) is (?P<adj>bigger|larger|smaller|taller|shorter|longer|wider|higher|lower) (?:: )?(?P<opts>.+ or .+)$",
    ),
    (
        "superlative",
        r"(?:which|what) (?:is|are) (?:the )?(?P<adj>biggest|largest|smallest|tallest|shortest|longest|highest|lowest|widest) (?P<a>.+?)(?: in (?:the|this) (?:room|scene))?$",
    ),
    (
        "distance",
        r"(?:what is |what 's |tell me |give me |measure |compute |find )?(?:the )?(?:distance|gap|space|separation|clearance) (?:between|from) (?P<a>.+?) (?:and|to) (?P<b>.+)$",
    ),
    (
        "distance",
        r"how (?:far|close|distant)(?: away)? (?:apart )?(?:is|are) (?P<a>.+?) (?:from|to) (?P<b>.+)$",
    ),
    ("distance", r"how (?:far|close) apart (?:is|are) (?P<a>.+?) and (?P<b>.+)$"),
    (
        "distance",
        r"how (?:far|close) (?:is|are) (?P<a>.+?) and (?P<b>.+?)(?: from each other| apart)?$",
    ),
    (
        "distance",
        r"how much (?:space|room|distance|clearance|gap) is there between (?P<a>.+?) and (?P<b>.+)$",
    ),
    (
        "distance",
        r"how many [a-z]+ (?:is|are|separate|lie between|between) (?P<a>.+?) (?:from|and|to) (?P<b>.+?)(?: apart| away)?$",
    ),
    ("distance", r"how many [a-z]+ (?:apart|away) (?:is|are) (?P<a>.+?) (?:from|and) (?P<b>.+)$"),
    ("attr", r"what (?P<what>colou?r|material) (?:is|are) (?P<a>.+)$"),
    ("attr", r"what is (?P<a>.+?) made of$"),
    ("attr", r"what is the (?P<what>colou?r|material) of (?P<a>.+)$"),
    ("size", r"how (?P<adj>tall|high|wide|long|deep|big|large|thick) (?:is|are) (?P<a>.+)$"),
    (
        "size",
        r"what (?:is|are) (?:the )?(?P<adj>height|width|length|depth|size|dimensions?|measurements?|longest dimension|extent) of (?P<a>.+)$",
    ),
    (
        "size",
        r"what is the length of the longest dimension \( length , width , or height \) of (?P<a>.+?)(?: , measured in [a-z]+)?$",
    ),
    ("size", r"(?P<adj>size|dimensions|height|width|length|measurements) of (?P<a>.+)$"),
    ("size", r"what size is (?P<a>.+)$"),
    ("size", r"how (?P<adj>big|large|tall|long|wide) is (?P<a>.+)$"),
    (
        "nearest",
        r"(?:what|which)(?: object| thing| item| piece of furniture)? (?:is|are|'s)? ?(?:the )?(?P<sup>closest|nearest|farthest|furthest)(?: object| thing| item| one)? (?:to|from) (?P<a>.+)$",
    ),
    (
        "nearest",
        r"(?:which|what) (?P<b>.+?) (?:is|are) (?:the )?(?P<sup>closest|nearest|farthest|furthest)(?: one)? (?:to|from) (?P<a>.+)$",
    ),
    (
        "nearest",
        r"(?:what|which) (?:object|thing) (?:is|lies) (?P<sup>closest|nearest|farthest|furthest) (?:to|from) (?P<a>.+)$",
    ),
    (
        "direction_wall",
        r"(?:which|what) wall is (?P<a>.+?) (?:against|next to|by|near|closest to|nearest to|on)$",
    ),
    (
        "wall_dist",
        r"how far is (?P<a>.+?) from (?P<w>(?:the )?(?:(?:north|south|east|west|nearest|closest) )?wall(?: \d+)?)$",
    ),
    (
        "against_wall",
        r"(?:is|are) (?P<a>.+?) (?:against|up against|touching|flush with|pushed against|along|next to|by) (?:a|the|any) (?P<w>(?:(?:north|south|east|west) )?wall)$",
    ),
    ("corner", r"(?:is|are) (?P<a>.+?) in (?:a|the) corner(?: of the room)?$"),
    (
        "what_rel",
        r"(?:what|which (?:objects?|things?|items?)|which [a-z]+|who|anything)(?: is| are| sits| stands| lies)? "
        + _REL
        + r" (?P<b>.+)$",
    ),
    ("what_rel", r"what (?:is|are) (?P<b>.+?) (?P<rel>facing)$"),
    ("what_rel", r"what does (?P<b>.+?) (?P<rel>face)$"),
    (
        "what_rel",
        r"(?:what|which (?:objects?|things?|items?)) (?:is|are) (?:there )?"
        + _REL
        + r" (?P<b>.+)$",
    ),
    (
        "what_rel",
        r"(?:list|name|show(?: me)?) (?:the |all )?(?:objects?|things?|items?)(?: that are)? "
        + _REL
        + r" (?P<b>.+)$",
    ),
    (
        "where",
        r"where (?:is|are|can i find|do i find|would i find|is located) (?P<a>.+?)(?: located)?$",
    ),
    ("where", r"(?:find|locate|show me|point to|highlight) (?P<a>.+)$"),
    (
        "rel_yn",
        _BE
        + r" (?P<a>.+) (?:located |placed |positioned |standing |sitting |lying |situated )?"
        + _REL
        + r" (?P<b>.+)$",
    ),
    ("rel_yn", r"(?:does|do) (?P<a>.+?) (?P<rel>face|touch|stand on|sit on|rest on) (?P<b>.+)$"),
]
_COMPILED = [(fam, re.compile(p)) for fam, p in TEMPLATES]

_FRAME_PATTERNS = [
    (
        r"\b(?:from|as seen from|seen from|according to|in|relative to) (?:the |my )?(?:camera|viewer|photo|picture|image)(?: 's)?(?: (?:view|perspective|point of view|viewpoint|frame))?\b",
        "viewer",
    ),
    (
        r"\b(?:from|in|as seen from) (?:my|your|our) (?:view|perspective|point of view|viewpoint)\b",
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


def _check_question(question) -> str:
    if not isinstance(question, str):
        raise QueryError(f"question: expected a string in English, got {type(question).__name__}")
    if len(question) > MAX_QUESTION_CHARS:
        raise QueryError(
            f"question: {len(question)} characters is far too long for one question (at most "
            f"{MAX_QUESTION_CHARS}); ask one question at a time"
        )
    if not question.strip():
        raise QueryError("question: empty; ask something like 'how far is the bed from the door?'")
    return question


def _default_frame(scene: Scene, frame) -> Frame:
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


def _frame_from_text(text: str, ctx: Context) -> tuple[str, Answer | None]:
    """Strip a frame phrase from ``text`` and set ``ctx.frame``; an Answer if it fails."""
    for pat, kind in _FRAME_PATTERNS:
        m = re.search(pat, text)
        if not m:
            continue
        rest = (text[: m.start()] + text[m.end() :]).replace(" , ", " ").strip(" ,")
        if kind == "viewer":
            if not ctx.scene.cameras:
                return rest, H.unsupported(
                    "this scene has no camera, so 'from the camera's view' has no meaning here; "
                    "ask in the room's frame (north/east/south/west) instead"
                )
            ctx.frame = _default_frame(ctx.scene, "viewer")
        elif kind == "room":
            ctx.frame = RoomFrame(ctx.scene.room)
        else:
            from ._np import parse_np, resolve

            np_ = parse_np(m.group("obj"), ctx.vocab)
            if np_ is None:
                continue
            ref = resolve(np_, ctx)
            if ref.status != "ok":
                return rest, H.from_ref(ref)
            obj = ref.objects[0]
            if not obj.front:
                return rest, H.unsupported(
                    f"{obj.name} has no front, so it has no left or right of its own"
                )
            ctx.frame = ObjectFrame(obj)
        return rest, None
    return text, None


def ask(scene: Scene, question: str, *, frame=None, near: float = 1.0, **options) -> Answer:
    """Answer a spatial question about ``scene`` in English.

    Args:
        scene: the scene (room and labelled objects).
        question: one question, e.g. ``"how far is the bed from the door?"``.
        frame: frame for left/right/front/behind: ``None`` (the first camera if the
            scene has one, else the room's), ``"room"``, ``"viewer"``, a camera name,
            or a :class:`~worldnb.spatial.frames.Frame`. A phrase in the question
            ("from the camera's view", "from the sofa's point of view") overrides it.
        near: distance (m) that counts as "near".

    Returns:
        :class:`Answer`; ``value`` is None (with the reason in ``text``) when something
        named is absent, a reference is ambiguous, or the question is not supported.

    Raises:
        QueryError: the question is not a string, is empty, or is far too long.

    Example:
        >>> from worldnb.scene import OrientedBox, Room, Scene
        >>> s = Scene(room=Room.rectangle(4, 3))
        >>> _ = s.add_object("bed", OrientedBox((-1, 0.3, 0), (1.6, 0.6, 2.0)))
        >>> _ = s.add_object("chair", OrientedBox((1.5, 0.45, 0), (0.5, 0.9, 0.5)))
        >>> ask(s, "How far is the chair from the bed?").value
        1.45
    """
    if not isinstance(scene, Scene):
        raise QueryError(f"scene: expected a Scene, got {type(scene).__name__}")
    q = _check_question(question)
    if options:
        raise QueryError(f"ask: unknown options {sorted(options)}; known: frame, near")
    ctx = Context(scene, _default_frame(scene, frame))
    ctx.near = float(near)
    text = normalize(q)
    text = re.sub(
        r"^(?:(?:please|hey|ok|so|and|now|also|tell me|can you tell me|could you tell me|"
        r"do you know|i want to know|i wonder|i would like to know)\s*,?\s+)+",
        "",
        text,
    )
    text = re.sub(r"\s*,?\s*(?:please|thanks|thank you)$", "", text).strip(" ,")
    if not text:
        raise QueryError(
            "question: no words in it; ask something like 'how many chairs are there?'"
        )
    unit = None
    if (ru := requested_unit(text)) is not None:
        unit, text = ru
        text = text.strip(" ,")
    text, fail = _frame_from_text(text, ctx)
    if fail is not None:
        return fail
    text = (
        re.sub(r"\s+(?:in|inside) (?:the|this) (?:room|scene)$", "", text)
        if not text.startswith(("how big", "what is the size", "how large"))
        else text
    )
    for fam, rx in _COMPILED:
        m = rx.fullmatch(text)
        if not m:
            continue
        ans = getattr(H, f"do_{fam}")(ctx, m, text, unit)
        if ans is None:
            continue  # the template matched but its slots did not parse: try the next
        ans.evidence.setdefault("family", fam)
        ans.evidence.setdefault("question", q.strip())
        # doors/windows that are room openings are evidence, not highlightable objects
        ans.highlight = [i for i in ans.highlight if i not in ctx.openings]
        return ans
    return H.unsupported(H.why_unsupported(text, ctx), question=q.strip())
