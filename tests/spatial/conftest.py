"""Fixtures for the spatial tests: the hand-built room and a tiny seeded random room."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _paraphrase import hand_room


@pytest.fixture
def room_scene():
    return hand_room()
