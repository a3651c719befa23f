"""Print the fuzz counts as the Markdown table of README.md.

    python tests/robustness/report.py test-artifacts/fuzz

reads the per-target summaries that test_fuzz.py writes when ``WORLDNB_FUZZ_REPORT``
is set (``make fuzz`` does).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ORDER = ["load", "save", "render", "ask", "plan", "sample_room", "generate", "understand", "cli"]


def table(folder: Path) -> str:
    rows = {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}
    lines = [
        "| entry point | cases | returned | WorldnbError by type | other exceptions "
        "| files intact | seconds (slowest call) |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    total = {"cases": 0, "raw": 0, "checked": 0, "intact": 0}
    for name in sorted(rows, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        r = rows[name]
        out = r["outcomes"]
        returned = sum(v for k, v in out.items() if k == "ok" or k.startswith("exit "))
        raw = sum(v for k, v in out.items() if k.startswith("RAW"))
        errors = {k: v for k, v in out.items() if k != "ok" and not k.startswith(("RAW", "exit "))}
        exits = {k: v for k, v in out.items() if k.startswith("exit ")}
        by_type = ", ".join(f"{k} {v}" for k, v in sorted(errors.items(), key=lambda kv: -kv[1]))
        if exits:
            by_type = (by_type + "; " if by_type else "") + ", ".join(
                f"{k}: {v}" for k, v in sorted(exits.items())
            )
        files = f"{r['files_intact']}/{r['files_checked']}" if r["files_checked"] else "–"
        lines.append(
            f"| `{name}` | {r['cases']} | {returned} | {by_type or '–'} | {raw} | {files} "
            f"| {r['total_s']:.0f} ({r['slowest_s']:.1f}) |"
        )
        total["cases"] += r["cases"]
        total["raw"] += raw
        total["checked"] += r["files_checked"]
        total["intact"] += r["files_intact"]
    lines.append(
        f"| **all** | **{total['cases']}** | | | **{total['raw']}** "
        f"| **{total['intact']}/{total['checked']}** | |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(
        table(Path(sys.argv[1] if len(sys.argv) > 1 else "test-artifacts/fuzz")) + "\n"
    )
