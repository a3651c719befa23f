"""Known, harmless library warnings, silenced inside worldnb's own calls and only there.

Loading a diffusers / transformers model on this stack logs warnings a user cannot act
on and that change nothing (notebooks show them as pink stderr boxes): the image
processors fall back to their PIL versions without torchvision, and models load without
``accelerate``'s low-memory path. While worldnb loads or runs a model, a logging filter on
exactly the loggers that emit them drops exactly those messages; every other message, and
the same messages from the user's own calls, still show.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["KNOWN_WARNINGS", "quiet_known_warnings"]

#: logger name → substrings of the harmless messages it emits.
KNOWN_WARNINGS: dict[str, tuple[str, ...]] = {
    # `CLIPImageProcessor` requires torchvision (not installed); falling back to ...Pil
    "transformers.utils.import_utils": ("requires torchvision (not installed); falling back",),
    # Cannot initialize model with low cpu memory usage because `accelerate` was not found
    "diffusers.pipelines.pipeline_utils": ("because `accelerate` was not found",),
    "diffusers.models.modeling_utils": ("because `accelerate` was not found",),
}


class _DropKnown(logging.Filter):
    def __init__(self, needles: tuple[str, ...]):
        super().__init__()
        self.needles = needles

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not any(n in msg for n in self.needles)


_lock = threading.Lock()
_depth = 0
_filters: list[tuple[logging.Logger, logging.Filter]] = []


@contextmanager
def quiet_known_warnings() -> Iterator[None]:
    """Drop :data:`KNOWN_WARNINGS` while the block runs (re-entrant, thread-safe)."""
    global _depth
    with _lock:
        if _depth == 0:
            for name, needles in KNOWN_WARNINGS.items():
                logger, f = logging.getLogger(name), _DropKnown(needles)
                logger.addFilter(f)
                _filters.append((logger, f))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for logger, f in _filters:
                    logger.removeFilter(f)
                _filters.clear()
