"""A small fixed held-out set (seeds from 1,000,000) shared by the model tests."""

from __future__ import annotations

import pytest

from worldnb.models.evaluate import heldout_views


@pytest.fixture(scope="session")
def heldout():
    """3 held-out rooms × 2 views at 128² (rendered once per session)."""
    return heldout_views(3, size=128, views=2)
