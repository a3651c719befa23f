"""Paraphrase robustness of ``ask``: the development set and the held-out set.

``tests/spatial/data/paraphrases.json`` is the set the parser is developed against;
``tests/spatial/data/paraphrases_heldout.jsonl`` (150 phrasings, answers computed
from geometry) is never tuned against and measures how well that generalises.
"Confidently wrong" is an answer with status ``ok`` whose value is wrong: the
failure that matters most (an unsupported question must say so instead).

Prints one JSON object. Usage: ``python benchmarks/spatial_paraphrases.py [--failures]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "spatial"))

from _paraphrase import cases, check, hand_room, heldout_cases  # noqa: E402

from worldnb.spatial import ask  # noqa: E402

WANT_KEYS = ("value", "status", "contains", "set", "choice")


def score(cs: list[dict], scene) -> dict:
    ok = conf = 0
    groups: dict = defaultdict(lambda: [0, 0])
    failures = []
    for c in cs:
        a = ask(scene, c["q"])
        good, wrong = check(c, a)
        ok += good
        conf += wrong
        g = groups[c.get("group", "all")]
        g[0] += good
        g[1] += 1
        if not good:
            failures.append(
                {
                    "q": c["q"][:160],
                    "want": {k: c[k] for k in WANT_KEYS if k in c},
                    "got": a.value,
                    "status": a.status,
                    "text": a.text[:160],
                    "confidently_wrong": bool(wrong),
                }
            )
    return {
        "n": len(cs),
        "correct": ok / len(cs),
        "confidently_wrong": conf,
        "groups": {k: f"{v[0]}/{v[1]}" for k, v in sorted(groups.items())},
        "failures": failures,
    }


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--failures", action="store_true", help="list every failed question")
    args = ap.parse_args(argv)
    scene = hand_room()
    out = {
        "benchmark": "spatial_paraphrases",
        "development": score(cases(), scene),
        "heldout": score(heldout_cases(), scene),
    }
    if not args.failures:
        for k in ("development", "heldout"):
            out[k]["failures"] = len(out[k]["failures"])
    print(json.dumps(out, indent=1, default=str))
    return out


if __name__ == "__main__":
    main()
