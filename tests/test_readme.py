"""The README's Python code blocks run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_two_commands_first():
    text = README.read_text()
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1)
    assert first_block.splitlines()[0].startswith("make lab")
    assert first_block.splitlines()[1].startswith("make test")
    assert text.index("make lab") < text.index("```python")


def test_readme_code_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks()
    assert blocks, "README has no python code block"
    namespace: dict = {"__name__": "__readme__"}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    capsys.readouterr()


def test_readme_screenshot_exists_and_is_small():
    png = README.parent / "docs" / "live_view.png"
    assert png.exists(), "docs/live_view.png is written by the browser tests"
    assert png.stat().st_size < 200_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
