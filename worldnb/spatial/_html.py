"""HTML for answers: the sentence and an evidence table (used by notebooks and AskPanel)."""

from __future__ import annotations

import html


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, list | tuple):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


def answer_html(answer) -> str:
    """``<div>`` with the answer sentence and a two-column evidence table."""
    colour = {"ok": "#1b5e20", "ambiguous": "#e65100", "absent": "#b71c1c"}.get(
        answer.status, "#37474f"
    )
    rows = []
    ev = dict(answer.evidence)
    measures = ev.pop("measures", {}) or {}
    for k, v in ev.items():
        rows.append((k, _fmt(v)))
    for k, v in measures.items():
        rows.append((k, _fmt(v)))
    table = "".join(
        f"<tr><td style='padding:0 8px 0 0'><b>{html.escape(str(k))}</b></td>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return (
        f"<div class='worldnb-answer'><p style='color:{colour};margin:4px 0'>"
        f"{html.escape(answer.text)}</p>"
        f"<table class='worldnb-evidence' style='font-size:90%'>{table}</table></div>"
    )
