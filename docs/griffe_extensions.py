"""Griffe extension for the API reference (``mkdocs.yml``: mkdocstrings ``extensions``).

worldnb's docstrings head their doctest examples ``Example:``; Griffe's Google parser
knows the plural only. Read the singular as the same section, so the examples render
as code (their output lines are not Markdown).
"""

from __future__ import annotations

import re

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:[ \t]*$", re.M)


class ExampleSections(griffe.Extension):
    """``Example:`` heads an examples section, as ``Examples:`` does."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _EXAMPLE.sub(r"\1Examples:", obj.docstring.value)
