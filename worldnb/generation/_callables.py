"""What the callable adapters need to know about a user's function."""

from __future__ import annotations

import inspect


def backend_name(fn, name: str | None = None) -> str:
    """A readable name for a backend callable (given, ``fn.name``, ``__name__`` or type)."""
    return name or getattr(fn, "name", None) or getattr(fn, "__name__", None) or type(fn).__name__


def accepted_keywords(fn, unreadable: set[str] | None = None) -> set[str] | None:
    """The keyword names ``fn`` accepts; None when it takes any (``**kwargs``);
    ``unreadable`` when its signature cannot be read."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return unreadable
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return None
    return set(params)
