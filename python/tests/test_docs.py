"""The Python guide's Ray Data example (docs/src/guide/python.md): its batch function,
run on a batch as Ray would give it (Ray is not installed here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "src" / "guide" / "python.md"


def test_the_ray_batch_function_cleans_a_batch() -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "class CleanBatch" in b)
    scope: dict[str, Any] = {}
    exec(compile(example, str(GUIDE), "exec"), scope)
    clean = scope["CleanBatch"]()
    html = b"<title>T</title><article><p>" + b"The council met on Monday to vote on the harbour plan. " * 8 + b"</p></article>"
    out = clean({"html": [html, b"<p>x</p>"], "url": ["https://a.example/1", "https://a.example/2"]})
    assert out["url"] == ["https://a.example/1", "https://a.example/2"]
    assert out["title"][0] == "T"
    assert "harbour plan" in out["text"][0]
    assert len(out["kept"]) == 2
