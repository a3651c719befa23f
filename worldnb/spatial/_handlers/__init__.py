"""One function per question family: slots → measurements → :class:`Answer`.

Each ``do_<family>(ctx, match, text, unit)`` returns an Answer, or None when the
template matched but its slots are not noun phrases (the next template is tried).
One module per kind of question; :mod:`.common` holds what they share.
"""

from .common import from_ref, unsupported, why_unsupported
from .comparisons import (
    do_rel_dist,
    do_rel_dist_yn,
    do_size_cmp_which,
    do_size_cmp_yn,
    do_size_thr,
    do_superlative,
    do_threshold,
)
from .counting import do_count, do_exists
from .relations import (
    do_against_wall,
    do_attr,
    do_corner,
    do_direction_wall,
    do_nearest,
    do_rel_yn,
    do_what_faces,
    do_what_rel,
    do_where,
)
from .routes import do_direction, do_route, do_route_plan, do_walk_dist
from .sizes import (
    do_distance,
    do_room_dims,
    do_room_free,
    do_room_height,
    do_room_size,
    do_size,
    do_wall_dist,
)

__all__ = [
    "do_against_wall",
    "do_attr",
    "do_corner",
    "do_count",
    "do_direction",
    "do_direction_wall",
    "do_distance",
    "do_exists",
    "do_nearest",
    "do_rel_dist",
    "do_rel_dist_yn",
    "do_rel_yn",
    "do_room_dims",
    "do_room_free",
    "do_room_height",
    "do_room_size",
    "do_route",
    "do_route_plan",
    "do_size",
    "do_size_cmp_which",
    "do_size_cmp_yn",
    "do_size_thr",
    "do_superlative",
    "do_threshold",
    "do_walk_dist",
    "do_wall_dist",
    "do_what_faces",
    "do_what_rel",
    "do_where",
    "from_ref",
    "unsupported",
    "why_unsupported",
]
