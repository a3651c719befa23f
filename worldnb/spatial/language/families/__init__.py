"""Question families. Each module registers its families with
:func:`~._registry.family`: templates, examples and a typed handler
``(ctx, slots, text, unit) -> Answer | None``. Importing this package registers them all.
"""

from . import comparisons, counting, relations, routes, sizes  # noqa: F401  (they register)
from ._registry import FAMILIES, Family, family, templates

__all__ = ["FAMILIES", "Family", "family", "templates"]
