"""The Spark job on a standalone cluster of real processes on 127.0.0.1 (a master and two
workers): its rows equal those of `boildown corpus` on the same inputs, row for row,
and again when a worker is killed in the middle of the job. In a local Spark (one
process), the job's other paths give the command's rows too: with `--report` (stage 2
reads each file again) and with `--no-dedup` (the write makes each file's rows)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

import pytest

from local_cluster import LocalCluster, java_home, jsonl_from_warc, rows_of, split_inputs

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
SCRIPT = REPO / "python" / "scripts" / "boildown-spark.py"
BINARY = Path(os.environ.get("BOILDOWN_BIN", REPO / "target" / "release" / "boildown"))

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pyarrow.parquet")
pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared/corpus"),
    pytest.mark.skipif(java_home() is None, reason="no Java"),
]

# Several files per archive: sites spread over files, so the merged models matter.
PARTS = {
    "dolma-sample-0000.warc.gz": 2,
    "dolma-sample-0001.warc.gz": 3,
    "resiliparse-clueweb-quirk.warc.gz": 3,
    "resiliparse-warcfile.warc.gz": 2,
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    split_inputs(CORPUS, folder, PARTS)
    jsonl_from_warc(CORPUS / "dolma-sample-0001.warc.gz", folder / "rows.jsonl.gz")
    return folder


@pytest.fixture(scope="module")
def expected(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("cli") / "rows.parquet"
    rows = command_rows(inputs, out, [])
    assert len(rows) > 90
    assert any(r["dup_of"] for r in rows), "the inputs hold near-duplicates"
    assert any(r["stats"]["site_template"] for r in rows), "site templates are found"
    assert any(r["id"].startswith("#") for r in rows) and any(r["lang"] for r in rows)
    return rows


def command_rows(inputs: Path, out: Path, flags: list[str]) -> list[dict[str, Any]]:
    if not BINARY.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{BINARY} is missing: cargo build --release --features cli")
        pytest.skip(f"{BINARY} is missing")
    subprocess.run([str(BINARY), "corpus", str(inputs), "-o", str(out), "--threads", "2", "-q", *flags], check=True)
    return rows_of(out)


@pytest.fixture(scope="module")
def local_spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Spark of one process (`local[2]`), its Python workers this interpreter,
    started in a temporary folder: not python/, whose boildown/ is the package's source
    without its compiled core."""
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("local-spark"))
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        try:
            yield spark
        finally:
            spark.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    with LocalCluster(tmp_path_factory.mktemp("cluster"), workers=2, cores=1) as c:
        yield c


def submit(
    cluster: LocalCluster, inputs: Path, out: Path, kill_after: int = 0, flags: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    log = out.parent / (out.name + ".log")
    stats = out.parent / (out.name + ".stats.json")
    process = cluster.submit(SCRIPT, [str(inputs), "-o", str(out), "--stats", str(stats), *flags], log)
    if kill_after:
        # Kill the second worker (and its executor) once some tasks have finished.
        deadline = time.time() + 600
        while process.poll() is None and time.time() < deadline:
            if log.read_text(errors="replace").count("Finished task") >= kill_after:
                cluster.kill_worker(1)
                break
            time.sleep(0.2)
    return process


def finish(process: subprocess.Popen[bytes], out: Path) -> None:
    code = process.wait(timeout=1800)
    log = (out.parent / (out.name + ".log")).read_text(errors="replace")
    assert code == 0, log[-5000:]


def test_the_spark_job_gives_the_rows_of_the_corpus_command(
    cluster: LocalCluster, inputs: Path, expected: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "rows.parquet"
    finish(submit(cluster, inputs, out), out)
    rows = rows_of(out)
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    for got, want in zip(rows, expected):
        assert got == want, got["id"]
    stats = json.loads((tmp_path / "rows.parquet.stats.json").read_text())
    assert stats["rows"] == len(expected)
    assert stats["duplicates"] == sum(1 for r in expected if r["dup_of"])
    assert stats["rejected"], "the clipped archive's record is a reject"


def test_a_worker_killed_mid_job_changes_no_row(
    cluster: LocalCluster, inputs: Path, expected: list[dict[str, Any]], tmp_path: Path
) -> None:
    # Three partitions for the small shuffles (the inputs are one by default): the
    # pairs and links cross partitions, and the components take their rounds.
    out = tmp_path / "rows.parquet"
    finish(submit(cluster, inputs, out, kill_after=8, flags=["--partitions", "3"]), out)
    log = (tmp_path / "rows.parquet.log").read_text(errors="replace")
    assert "Lost executor" in log, "the worker was killed while the job ran"
    assert rows_of(out) == expected
    spark = json.loads((tmp_path / "rows.parquet.stats.json").read_text())["spark"]
    assert spark["partitions"] == 3 and spark["component_rounds"] >= 1


@pytest.mark.parametrize(
    ("flags", "options"),
    [(["--report"], {"report": True, "partitions": 2}), (["--no-dedup"], {"dedup": False})],
    ids=["report", "no-dedup"],
)
def test_the_jobs_other_paths_give_the_rows_of_the_corpus_command(
    local_spark: Any, inputs: Path, tmp_path: Path, flags: list[str], options: dict[str, Any]
) -> None:
    from boildown.spark import run

    want = command_rows(inputs, tmp_path / "cli.parquet", flags)
    summary = run(local_spark, [str(inputs)], str(tmp_path / "spark"), **options)
    got = rows_of(tmp_path / "spark")
    assert [r["id"] for r in got] == [r["id"] for r in want]
    for a, b in zip(got, want):
        assert a == b, a["id"]
    assert summary["rows"] == len(want)
    assert summary["spark"]["partitions"] == options.get("partitions", 1)
    if options.get("report"):
        assert all(json.loads(r["report"])["blocks"] for r in got if r["text"])
    else:
        assert not any(r["dup_of"] for r in got) and summary["clusters"] == 0


def test_connected_components_are_those_of_a_union_find(local_spark: Any) -> None:
    import random

    from boildown.spark import connected_components

    rng = random.Random(7)
    # Chains, stars, a long path and random pairs: components of every shape.
    links = [(i, i + 1) for i in range(0, 60)] + [(100, j) for j in range(101, 120)]
    links += [(rng.randrange(200, 400), rng.randrange(200, 400)) for _ in range(150)]
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    want = {n: find(n) for n in parent if find(n) != n}
    for partitions in (1, 4):
        got = dict(connected_components(local_spark.sparkContext.parallelize(links, 4), partitions).collect())
        assert got == want, partitions


@pytest.mark.parametrize("partitions", [0, -2, True, 1.5])
def test_partitions_must_be_a_whole_number(local_spark: Any, inputs: Path, tmp_path: Path, partitions: Any) -> None:
    import boildown
    from boildown.spark import run

    with pytest.raises(boildown.Error, match="`partitions` must be a whole number"):
        run(local_spark, [str(inputs)], str(tmp_path / "out"), partitions=partitions)
