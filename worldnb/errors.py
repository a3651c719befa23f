"""The errors worldnb raises. Every message says what was wrong and what to do.

All derive from :class:`WorldnbError`, so ``except worldnb.errors.WorldnbError``
catches everything worldnb raises on purpose.
"""

from __future__ import annotations

__all__ = [
    "BackendError",
    "CancelledError",
    "FormatError",
    "InfeasibleLayoutError",
    "InputError",
    "QueryError",
    "WorldnbError",
]


class WorldnbError(Exception):
    """Base class of every error worldnb raises on purpose."""


class InputError(WorldnbError, ValueError):
    """An argument has the wrong shape, dtype, range or non-finite values."""


class FormatError(WorldnbError):
    """A file is truncated, garbled, or not in the format its name promises."""


class QueryError(WorldnbError, ValueError):
    """A spatial query is malformed (not text, empty, far too long, unknown ids)."""


class InfeasibleLayoutError(WorldnbError):
    """No layout satisfies the hard constraints; the message names a conflicting set."""

    def __init__(self, message: str, conflicts: tuple[str, ...] = ()):
        super().__init__(message)
        self.conflicts = tuple(conflicts)


class BackendError(WorldnbError):
    """A model backend could not be loaded, failed, or returned something unusable."""


class CancelledError(WorldnbError):
    """Long work was cancelled by the user; nothing partial was returned or written."""
