"""Loading the hand-built room and checking one paraphrase case (shared by tests and the
benchmark)."""

from __future__ import annotations

import json
from pathlib import Path

from worldnb.scene import Room, Scene

DATA = Path(__file__).with_name("data")


def hand_room() -> Scene:
    d = json.loads((DATA / "hand_room.json").read_text())
    return Scene(room=Room.from_dict(d["room"]), objects=d["objects"])


def cases() -> list[dict]:
    """The development set (hand-written, tuned against)."""
    return json.loads((DATA / "paraphrases.json").read_text())["cases"]


def heldout_cases() -> list[dict]:
    """The held-out set (never tuned against; see data/_make_heldout.py)."""
    lines = (DATA / "paraphrases_heldout.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def check(case: dict, ans) -> tuple[bool, bool]:
    """(correct, confidently wrong) for one answer."""
    want_status = case.get("status")
    if want_status in ("absent", "ambiguous", "unsupported"):
        ok = ans.value is None and ans.status == want_status
        return ok, ans.status == "ok"
    if ans.status != "ok":
        return False, False
    v = ans.value
    if "value" in case:
        w = case["value"]
        if isinstance(w, bool) or w is None or isinstance(v, bool):
            ok = v is w or v == w
        elif isinstance(w, int | float):
            ok = isinstance(v, int | float) and abs(v - w) <= max(case["tol"] * abs(w), 0.011)
            ok = ok and (case.get("unit") is None or ans.unit == case["unit"])
        elif isinstance(w, list):
            ok = (
                isinstance(v, list)
                and len(v) == len(w)
                and all(abs(a - b) < 0.01 for a, b in zip(v, w, strict=True))
            )
        else:
            ok = v == w
    elif "contains" in case:
        text = " ".join(v) if isinstance(v, list) else str(v)
        ok = case["contains"].lower() in text.lower()
    elif "set" in case:
        ok = isinstance(v, list) and sorted(v) == case["set"]
    elif "first" in case:
        ok = isinstance(v, list) and bool(v) and v[0] == case["first"]
    elif "range" in case:
        lo, hi = case["range"]
        ok = isinstance(v, int | float) and lo <= v <= hi
    elif "family" in case:
        ok = ans.evidence.get("family") == case["family"] and bool(v)
    else:
        raise ValueError(f"case has no expectation: {case}")
    if "choice" in case:  # a multiple-choice question: the letter too
        ok = ok and getattr(ans, "choice", None) == case["choice"]
    return ok, not ok
