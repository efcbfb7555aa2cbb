"""The datatrove step, in datatrove's local executor on a real WARC file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import WarcReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import boildown  # noqa: E402
from boildown.datatrove import Boildown  # noqa: E402

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared/corpus")
def test_the_step_replaces_trafilatura_in_a_local_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[
            WarcReader(str(CORPUS), glob_pattern="dolma-sample-0000.warc.gz"),
            Boildown(),
            JsonlWriter(str(out)),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    docs: list[dict[str, Any]] = []
    for f in sorted(out.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as lines:
            docs.extend(json.loads(line) for line in lines)
    assert len(docs) >= 15
    # Each text is boildown's for the page datatrove read (HTML, decoded by datatrove).
    pages = {
        r.id: r for r in boildown.read(CORPUS / "dolma-sample-0000.warc.gz") if isinstance(r, boildown.Document)
    }
    for doc in docs:
        meta = doc["metadata"]["boildown"]
        assert set(meta["stats"]) >= {"blocks", "kept", "exact_repeats", "near_repeats", "boilerplate", "site_template"}
        assert meta["format"] == "html" and meta["stats"]["kept"] > 0
        page = pages[doc["id"]]
        assert doc["text"] == boildown.clean(page.body.decode("utf-8"), format="html").text
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "boildown" in s["name"])
    assert step["stats"]["extracted"] >= len(docs)
