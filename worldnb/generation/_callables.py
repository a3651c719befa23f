"""The one backend contract: which keywords a backend is given.

Every backend protocol (:class:`~worldnb.generation.DepthEstimator`,
:class:`~worldnb.generation.Inpainter`, :class:`~worldnb.generation.Segmenter`) has
required positional arguments and optional keywords. A backend is given a keyword
only when its ``__call__`` signature names it or takes ``**kwargs``. The optional
``view`` keyword (a :class:`~worldnb.generation.ViewContext`: which camera took the
image) works this way, for the adapters worldnb builds and for any object a user
passes alike. When a signature cannot be read (some C extensions), the protocol's
keywords are passed and ``view`` is not. :func:`call_backend` is where the rule is
applied; nothing else looks for attributes or flags.
"""

from __future__ import annotations

import inspect

from ..errors import BackendError, WorldnbError

#: Keywords that are passed only to backends whose signature shows it takes them.
OPTIONAL_KEYWORDS = frozenset({"view"})


def backend_name(fn, name: str | None = None) -> str:
    """A readable name for a backend callable (given, ``fn.name``, ``__name__`` or type)."""
    return name or getattr(fn, "name", None) or getattr(fn, "__name__", None) or type(fn).__name__


def call_backend(fn, *args, **keywords):
    """Call ``fn(*args, **keywords)``, keeping only the keywords its signature takes.

    A keyword the signature neither names nor gathers in ``**kwargs`` is dropped. If the
    signature cannot be read, every keyword but ``view`` is passed.
    """
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(*args, **{k: v for k, v in keywords.items() if k not in OPTIONAL_KEYWORDS})
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return fn(*args, **keywords)
    named = {n for n, p in params.items() if p.kind not in (p.VAR_POSITIONAL, p.POSITIONAL_ONLY)}
    return fn(*args, **{k: v for k, v in keywords.items() if k in named})


def call_user_backend(what: str, name: str, fn, *args, **keywords):
    """:func:`call_backend` for a callable the user passed: whatever it raises, other
    than a WorldnbError (or Ctrl-C), becomes a :class:`BackendError` naming the backend,
    with the original exception chained (``__cause__``) and its traceback kept."""
    try:
        return call_backend(fn, *args, **keywords)
    except WorldnbError:
        raise
    except Exception as exc:
        raise BackendError(
            f"the {what} backend {name} raised {type(exc).__name__}: {exc}; fix it or pass "
            "another backend (the original error is chained below)"
        ) from exc
