"""The Spark job's bricks (`CorpusJob`), called directly on a real archive: what an
executor keeps on its local disk is a cache, so every way of making a file's rows gives
the same bytes (the job relies on it when an executor is lost)."""

from __future__ import annotations

from pathlib import Path

import pytest

import boildown

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
WARC = CORPUS / "dolma-sample-0000.warc.gz"

pytestmark = pytest.mark.skipif(not WARC.exists(), reason="no ../shared/corpus")


def test_kept_pages_finish_as_the_file_read_again(tmp_path: Path) -> None:
    job = boildown.CorpusJob()
    spill = tmp_path / "file-3"
    summary = job.prepare_file(WARC, spill, True)
    assert summary["documents"] > 10 and summary["readable"]
    models = [snap for _, snap in job.spilled_models(spill)]
    assert models, "the file's pages have sites"

    kept = job.finish_file(WARC, models, 3, 4, pages=f"{spill}.pages")
    again = job.finish_file(WARC, models, 3, 4)
    assert kept["parts"] == again["parts"] and kept["rows"] == again["rows"]
    assert len(kept["parts"]) == 4 and any(any(p) for p in kept["parts"])

    # Written to a file, the rows are the same bytes, and nothing else is left there.
    job.finish_file(WARC, models, 3, 4, pages=f"{spill}.pages", rows=tmp_path / "rows")
    assert (tmp_path / "rows").read_bytes() == kept["rows"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file-3.models", "file-3.pages", "rows"]


def test_partial_models_are_the_same_with_or_without_the_pages(tmp_path: Path) -> None:
    job = boildown.CorpusJob()
    job.prepare_file(WARC, tmp_path / "kept", True)
    job.prepare_file(WARC, tmp_path / "not", False)
    assert not (tmp_path / "not.pages").exists()
    assert job.spilled_models(tmp_path / "kept") == job.spilled_models(tmp_path / "not")


def test_a_part_is_the_same_from_a_rows_file_or_from_bytes(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    job = boildown.CorpusJob()
    job.prepare_file(WARC, tmp_path / "f", True)
    done = job.finish_file(WARC, [], 1, 1, pages=tmp_path / "f.pages", rows=tmp_path / "rows")
    assert "rows" not in done
    rows = job.finish_file(WARC, [], 1, 1)["rows"]
    firsts = [1, 101]  # file 1's first document is the run's 101st
    a = job.write_part(tmp_path / "rows", 1, [], firsts, [], tmp_path / "a.parquet")
    b = job.write_part(rows, 1, [], firsts, [], tmp_path / "b.parquet")
    assert a == b and a["written"] == a["cleaned"] > 10
    table = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert table == pq.read_table(tmp_path / "b.parquet").to_pylist()
    # WARC records have ids; a missing spill is an error that names it.
    assert all(r["id"].startswith("<urn:") for r in table)
    with pytest.raises(boildown.Error, match="missing"):
        job.finish_file(WARC, [], 0, 1, pages=tmp_path / "missing.pages")


def test_documents_without_ids_are_numbered_in_the_run(tmp_path: Path) -> None:
    import json

    import pyarrow.parquet as pq

    pages = tmp_path / "rows.jsonl"
    pages.write_text("".join(json.dumps({"html": f"<p>Page {k} of the run.</p>"}) + "\n" for k in range(3)))
    job = boildown.CorpusJob()
    rows = job.finish_file(pages, [], 2, 1)["rows"]
    job.write_part(rows, 2, [], [1, 5, 9], [], tmp_path / "p.parquet")
    assert [r["id"] for r in pq.read_table(tmp_path / "p.parquet").to_pylist()] == ["#9", "#10", "#11"]
