"""`boildown corpus` on Apache Spark: the same inputs, options and rows, as Parquet.

The job, in the stages of the corpus command, with pages that never move:

1. **learn**: one task per input file (as cc-pyspark does) reads its pages, prepares
   each as far as it goes without its site's complete model, and folds them into
   *partial* site models (`SiteModel(partial=True)`). The prepared pages stay on the
   machine that read them, in a file of the executor's local folder, as the corpus
   command keeps them in a temporary file. The models, not the pages, are shuffled by
   site and merged in a tree (64 partial models per merge, in input-file order), into
   one model per site to clean with, which goes to the files whose pages are on the
   site.
2. **clean**: each file's prepared pages are decided with its sites' merged models,
   where they are; the rows are kept in the same local folder, and the MinHash band
   keys, shingles and ids leave in one shuffle, packed per partition of stage 3.
3. **near-duplicates**: band keys are grouped into buckets; each document of a bucket
   is checked (exact Jaccard similarity of shingles) against the bucket's earliest 16,
   and linked to the first match; clusters are the connected components of those links,
   found by alternating large-star and small-star steps (Kiveris et al., *Connected
   Components in MapReduce and Beyond*, SoCC 2014) until the links are stars around
   each cluster's earliest document: no collect to the driver, no union-find on one
   machine. Every document of a cluster but the earliest gets `dup_of`, the id of the
   earliest, as in the corpus command.
4. **write**: each file's rows, with `dup_of`, in input order, as its Parquet part file.

Each step is one Rust call per file or per partition on packed bytes (no Python object
per page, pair or link). Deterministic: every task is a function of its file (and the
merged models), merges go in input-file order, and the components are the same whatever
the order of the links, so a retried or speculative task gives the same rows. Files an
executor keeps (prepared pages, rows) are a cache: a task that does not find them (its
executor was lost) makes them again from the input file. A bad record never fails a
task: it is counted and listed, as in the corpus command.

Run it with `spark-submit` (`python/scripts/boildown-spark.py`, the same flags as
`boildown corpus`), or from Python with `run(spark, inputs, output, **options)`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
import zlib
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence, Tuple

from pyspark.accumulators import AccumulatorParam

import boildown
from boildown import _core

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

#: Partial models merged by one task in each level of the tree of merges.
FANOUT = 64

#: The counts of a row's `stats`, in order.
STATS = ("blocks", "kept", "exact_repeats", "near_repeats", "boilerplate", "site_template")

#: Bytes of input per partition of the shuffles of small records (models, keys,
#: shingles, pairs, links). Their records are about a tenth of the pages' bytes (the
#: site models, the most, about 13 KB a page), so a partition holds some tens of MB.
BYTES_PER_PART = 256 << 20

#: What stage 1 tells the driver of each file (the rest, its rejects, stays in the
#: file's record).
SUMMARY_KEYS = ("documents", "records", "page_bytes", "skipped", "readable", "extra_names")

_jobs: dict[str, boildown.CorpusJob] = {}


def _job(options: dict[str, Any]) -> boildown.CorpusJob:
    """The job of these options, made once per Python worker."""
    key = json.dumps(options, sort_keys=True)
    job = _jobs.get(key)
    if job is None:
        job = _jobs[key] = boildown.CorpusJob(**options)
    return job


def _levels(files: int) -> int:
    """Levels of the tree of merges: FANOUT ** levels >= files."""
    levels, reach = 1, FANOUT
    while reach < files:
        levels, reach = levels + 1, reach * FANOUT
    return levels


class _ByFile(AccumulatorParam):  # type: ignore[type-arg]
    """Stage 1's summaries, file by file. Adding a file's summary twice (a task run
    again) changes nothing: a file's summary is a function of the file."""

    def zero(self, value: dict[int, Any]) -> dict[int, Any]:
        return {}

    def addInPlace(self, a: dict[int, Any], b: dict[int, Any]) -> dict[int, Any]:
        a.update(b)
        return a


def _local_folder(run_id: str) -> str:
    """This executor's folder for the run's kept files: under Spark's local folder for
    the executor (`SPARK_LOCAL_DIRS`, removed with the application), else the system's
    temporary folder."""
    base = os.environ.get("SPARK_LOCAL_DIRS", "").split(",")[0] or tempfile.gettempdir()
    folder = os.path.join(base, f"boildown-{run_id}")
    os.makedirs(folder, exist_ok=True)
    return folder


def _present(path: Optional[str]) -> Optional[str]:
    return path if path is not None and os.path.exists(path) else None


def _to_part(q: int) -> int:
    """The partition of records keyed by their partition."""
    return q


def _part_of_site(key: Tuple[str, int]) -> int:
    """The partition of a `(site, group)` of the tree of merges: a stable hash (CRC-32),
    the same in every Python worker."""
    return zlib.crc32(f"{key[0]}\x00{key[1]}".encode("utf-8", "surrogatepass"))


def _union(partitions: int, *rdds: "RDD[Any]") -> "RDD[Any]":
    """The union of RDDs partitioned alike into `partitions`, without a pass through
    Python (an error if Spark did not keep the partitioning).

    PySpark's `union` sends each side whose deserializer is not the context's default
    through a Python `map` that re-serializes it: here that is every shuffle's output
    (`partitionBy` declares `BatchedSerializer(CPickleSerializer)`), so each task of
    stages 2 and 4 would unpickle and pickle again its file's models in a second Python
    worker. The context's default, `AutoBatchedSerializer(CPickleSerializer)`, writes
    batches of other sizes but reads the same stream (pickled lists, one a frame; its
    `load_stream` is `BatchedSerializer`'s), so a shuffle's output is declared with it
    and the union is the JVM's alone. Any other serializer is left to PySpark."""
    from pyspark.serializers import BatchedSerializer

    default = rdds[0].ctx.serializer
    for rdd in rdds:
        d = rdd._jrdd_deserializer
        if (
            type(d) is BatchedSerializer
            and isinstance(default, BatchedSerializer)
            and d.serializer == default.serializer
        ):
            rdd._jrdd_deserializer = default
    both = rdds[0]
    for rdd in rdds[1:]:
        both = both.union(rdd)
    if both.getNumPartitions() != partitions:
        raise RuntimeError(f"Spark did not keep a partitioning in a union (into {partitions} partitions)")
    return both


def _parts(input_bytes: int, cores: int = 1) -> int:
    """Partitions of a shuffle of small records: one per `BYTES_PER_PART` of input, and
    at least `cores`. The merges of the site models (the most bytes: five times stage
    3's) take at least one per core; stage 3 takes one per `BYTES_PER_PART` (its tasks
    cost more than their share of a small shuffle, and with one partition the
    components need no round)."""
    return max(-(-input_bytes // BYTES_PER_PART), cores, 1)


def _star_records(ids: list[bytes], arcs: list[bytes], parts: int) -> Iterator[Tuple[Any, ...]]:
    """One partition's large-star step (`star_round`) as records: `("n", misplaced,
    roots)`, then `("d", file, packed near-duplicates)` and `("s", partition, packed
    links for the small-star step)`."""
    misplaced, roots, dups, small = _core.star_round(ids, arcs, parts)
    yield ("n", misplaced, roots)
    for file, packed in dups:
        yield ("d", file, packed)
    for q, packed in enumerate(small):
        if packed:
            yield ("s", q, packed)


def _components(
    ids: "RDD[Tuple[int, Any]]",
    parts: int,
    *,
    arcs: "Optional[RDD[Tuple[int, bytes]]]" = None,
    first: "Optional[RDD[Tuple[Any, ...]]]" = None,
) -> Tuple["RDD[Tuple[Any, ...]]", int, int]:
    """The connected components of the links whose arcs are `arcs` (`(partition, packed
    arcs)`, partitioned by `_to_part` into `parts`), with the roots' ids from `ids`
    (records of the same partitioning whose value is `(keys, shingles, ids)`; others
    are passed over); or of the links of `first`, a first round's records that the
    caller made.
    Returns `(rounds, clusters, rounds taken)`: the last round's records, `("d", file,
    packed near-duplicates)` among them, persisted; the number of clusters; and the
    rounds.

    Each round is a large-star step (with the check that the links are stars around
    their least documents: then they are the components) and a small-star step. The
    first check comes after one round, without asking the driver in between: the links
    from `near_links` are seldom stars across partitions."""
    from pyspark import StorageLevel

    def large(part: Iterable[Tuple[int, Any]]) -> Iterator[Tuple[Any, ...]]:
        own_ids: list[bytes] = []
        own_arcs: list[bytes] = []
        for _, value in part:
            if isinstance(value, tuple):
                own_ids.append(value[2])
            else:
                own_arcs.append(value)
        yield from _star_records(own_ids, own_arcs, parts)

    def small(part: Iterable[Tuple[int, bytes]]) -> Iterator[Tuple[int, bytes]]:
        blobs = [b for _, b in part]
        if blobs:
            yield from ((q, b) for q, b in enumerate(_core.star_small(blobs, parts)) if b)

    def after(r: "RDD[Tuple[Any, ...]]") -> "RDD[Tuple[Any, ...]]":
        # The next round: the small-star step on r's links, then the large-star step.
        links = r.filter(lambda x: x[0] == "s").map(lambda x: (x[1], x[2])).partitionBy(parts, _to_part)
        return _union(parts, ids, links.mapPartitions(small).partitionBy(parts, _to_part)).mapPartitions(large)

    if first is not None:
        current, rounds = first, 0
    elif arcs is not None:
        current, rounds = after(_union(parts, ids, arcs).mapPartitions(large)), 1
    else:
        raise ValueError("_components needs arcs or a first round")
    while True:
        current.persist(StorageLevel.MEMORY_AND_DISK)
        counts = current.filter(lambda x: x[0] == "n").map(lambda x: (x[1], x[2])).collect()
        if sum(m for m, _ in counts) == 0:
            return current, sum(r for _, r in counts), rounds
        following = after(current)
        current.unpersist()
        current, rounds = following, rounds + 1


def connected_components(links: "RDD[Tuple[int, int]]", partitions: Optional[int] = None) -> "RDD[Tuple[int, int]]":
    """`(node, root)` for every node of a link but the roots, `root` the least node of
    its component (nodes below 2**64), by the job's rounds."""
    sc = links.context
    parts = partitions or links.getNumPartitions()

    def arcs(part: Iterable[Tuple[int, int]]) -> Iterator[Tuple[int, bytes]]:
        out = [bytearray() for _ in range(parts)]
        for a, b in part:
            if a != b:
                for node, other in ((a, b), (b, a)):
                    out[node % parts] += node.to_bytes(8, "little") + other.to_bytes(8, "little")
        yield from ((q, bytes(b)) for q, b in enumerate(out) if b)

    packed = links.mapPartitions(arcs).partitionBy(parts, _to_part)
    no_ids: "RDD[Tuple[int, Any]]" = sc.parallelize([], parts).partitionBy(parts, _to_part)
    rounds, _, _ = _components(no_ids, parts, arcs=packed)

    def unpack(record: Tuple[Any, ...]) -> Iterator[Tuple[int, int]]:
        blob = record[2]
        at = 0
        while at < len(blob):
            doc = int.from_bytes(blob[at : at + 8], "little")
            root = int.from_bytes(blob[at + 8 : at + 16], "little")
            at += 20  # no id: its length is 2**32 - 1 and no bytes follow
            yield (doc, root)

    return rounds.filter(lambda x: x[0] == "d").flatMap(unpack)


def run(
    spark: "SparkSession",
    inputs: Sequence[str],
    output: str,
    *,
    rejects: Optional[str] = None,
    drop_dups: bool = False,
    partitions: Optional[int] = None,
    **options: Any,
) -> dict[str, Any]:
    """Runs the corpus job on `inputs` (files and folders, as `boildown corpus` takes
    them) and writes the rows to `output` as Parquet: a folder of part files, one per
    input file in input order (`part-00000.parquet`, ...), then `_SUCCESS`. `options`
    are `CorpusJob`'s (the corpus command's flags, `-` as `_`: `sites`, `dedup`,
    `site_key`, `report`, `shingle`, `bands`, `rows`, `threshold`, `scheme`,
    `site_budget`, the JSONL field names, `max_page_bytes`) and the cleaner's. The
    rejects are written to `rejects` as JSON lines if given. `partitions` sets the
    partitions of the shuffles of small records (the merges of site models and stage 3;
    by default one per 256 MiB of input, and the merges at least one per core): the
    rows are the same whatever it is. Returns the run's summary.

    The inputs, `output` and `rejects` must be on a file system that the driver and
    every executor see at the same path (a shared or network file system)."""
    from pyspark import StorageLevel

    started = time.time()
    sc = spark.sparkContext
    job = boildown.CorpusJob(**options)  # checks the options on the driver
    budget = job.budget
    files = boildown.inputs(list(inputs))
    if not files:
        raise boildown.Error("no inputs: the folders given hold no input files")
    n = len(files)
    out_dir = os.path.abspath(output)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)  # (overwrite, as Spark's writers do)
    elif os.path.exists(out_dir):
        os.remove(out_dir)
    os.makedirs(out_dir)
    # Read by absolute path (executors run in their own folders); named as given.
    paths = [os.path.abspath(f) for f in files]
    bytes_in = sum(os.path.getsize(f) for f in paths if os.path.exists(f))
    if partitions is not None and (isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1):
        raise boildown.Error(f"`partitions` must be a whole number of at least 1, not {partitions!r}")
    parts = partitions or _parts(bytes_in)
    merge_parts = partitions or _parts(bytes_in, sc.defaultParallelism)
    run_id = uuid.uuid4().hex
    keep = not options.get("report")  # with `report` (each page's markup) files are read again
    by_file: Callable[[int], int] = lambda i: i  # noqa: E731 (partition i holds file i)
    summaries = sc.accumulator({}, _ByFile())

    # 1. learn: each file read into its prepared pages and partial site models, kept in
    # the executor's local folder; the record kept in Spark is the file's rejects and
    # where its files are. The models are shuffled by site and merged in a tree.
    def prepare(part: Iterable[Tuple[int, str]]) -> Iterator[Tuple[int, dict[str, Any]]]:
        j = _job(options)
        for i, path in part:
            spill = os.path.join(_local_folder(run_id), f"file-{i}")
            done = j.prepare_file(path, spill, keep)
            summary: dict[str, Any] = {k: v for k, v in done.items() if k in SUMMARY_KEYS}
            summary["reject_classes"] = _classes(reason for _, _, reason in done["rejects"])
            summaries.add({i: summary})
            yield (i, {"spill": spill, "rejects": done["rejects"]})

    indexed = sc.parallelize(list(enumerate(paths)), 1).partitionBy(n, by_file)
    prepared = indexed.mapPartitions(prepare, preservesPartitioning=True).persist(StorageLevel.MEMORY_AND_DISK)

    def partial_models(r: Tuple[int, dict[str, Any]]) -> list[Tuple[str, bytes]]:
        i, kept = r
        j = _job(options)
        spill = kept["spill"]
        if _present(spill + ".models") is None:  # lost with its executor: read the file again
            spill = os.path.join(_local_folder(run_id), f"file-{i}-{uuid.uuid4().hex}")
            j.prepare_file(paths[i], spill, False)
        return j.spilled_models(spill)

    models_by_file: "RDD[Tuple[int, Tuple[Any, ...]]]"
    if job.sites:
        # ((site, group), (order, files, snapshot)): a level's group is its files'
        # index // FANOUT ** (level + 1); `order`, the least file, keeps input order.
        tree = prepared.flatMap(
            lambda r: [((site, r[0] // FANOUT), (r[0], [r[0]], snap)) for site, snap in partial_models(r)]
        )
        levels = _levels(n)
        for level in range(levels):
            partial = level < levels - 1  # the last merge makes the models to clean with

            def merge(part: Iterable[Any], partial: bool = partial) -> Iterator[Any]:
                records = [(site, group, order, fs, snap) for (site, group), (order, fs, snap) in part]
                for site, group, fs, snap in boildown.merge_models(records, partial=partial, **budget):
                    yield ((site, group // FANOUT), (fs[0], fs, snap))

            tree = tree.partitionBy(merge_parts, _part_of_site).mapPartitions(merge)
        models_by_file = tree.flatMap(lambda kv: [(f, ("model", kv[0][0], kv[1][2])) for f in kv[1][1]]).partitionBy(
            n, by_file
        )
    else:
        models_by_file = sc.parallelize([], n).partitionBy(n, by_file)

    def gathered(part: Iterable[Tuple[int, Any]]) -> Tuple[int, dict[str, Any], list[bytes], list[bytes]]:
        """A file's partition: its index, its record from stage 1, its sites' models
        (sorted by site) and its near-duplicates."""
        index, kept, models, dups = -1, {}, [], []
        for i, value in part:
            if isinstance(value, dict):
                index, kept = i, value
            elif value[0] == "model":
                models.append((value[1], value[2]))
            else:
                dups.append(value[1])
        return index, kept, [snap for _, snap in sorted(models)], dups

    # 2. clean: each file's pages decided with its sites' models (a union of RDDs
    # partitioned alike: the models come to the pages); its rows kept beside its pages,
    # its keys, shingles and ids out to stage 3 in one shuffle.
    dups_by_file: "RDD[Tuple[int, Tuple[str, bytes]]]"
    last: "Optional[RDD[Tuple[Any, ...]]]" = None
    clusters = rounds = 0
    if job.dedup:

        def finish(part: Iterable[Tuple[int, Any]]) -> Iterator[Tuple[int, Tuple[bytes, bytes, bytes]]]:
            i, kept, models, _ = gathered(part)
            if i < 0:
                return
            spill = kept["spill"]
            folder = os.path.dirname(spill)
            rows = spill + ".rows" if os.path.isdir(folder) else None  # (its executor is elsewhere)
            done = _job(options).finish_file(
                paths[i], models, i, parts, pages=_present(spill + ".pages"), rows=rows
            )
            for q, packed in enumerate(done["parts"]):
                if any(packed):
                    yield (q, packed)

        stage3 = _union(n, models_by_file, prepared).mapPartitions(finish).partitionBy(parts, _to_part)

        # 3. near-duplicates: buckets of band keys, checked pairs, connected components.
        threshold = job.threshold

        def pairs(part: Iterable[Tuple[int, Tuple[bytes, bytes, bytes]]]) -> Iterator[Tuple[int, bytes]]:
            keys = [v[0] for _, v in part if v[0]]
            if keys:
                yield from ((t, b) for t, b in enumerate(boildown.near_pairs(keys, parts)) if b)

        def split(part: Iterable[Tuple[int, Any]]) -> Tuple[list[bytes], list[bytes]]:
            sets: list[bytes] = []
            other: list[bytes] = []
            for _, value in part:
                if isinstance(value, tuple):
                    if value[1]:
                        sets.append(value[1])
                else:
                    other.append(value)
            return sets, other

        def attach(part: Iterable[Tuple[int, Any]]) -> Iterator[Tuple[int, bytes]]:
            sets, packed = split(part)
            if packed:
                yield from ((t, b) for t, b in enumerate(boildown.near_attach(sets, packed, parts)) if b)

        def links(part: Iterable[Tuple[int, Any]]) -> Iterator[Tuple[int, bytes]]:
            sets, packed = split(part)
            if packed:
                yield from ((t, b) for t, b in enumerate(boildown.near_links(sets, packed, threshold, parts)) if b)

        def whole(part: Iterable[Tuple[int, Tuple[bytes, bytes, bytes]]]) -> Iterator[Tuple[Any, ...]]:
            # Stage 3 in its one partition, where each shuffle is the identity: the links
            # contracted over all of them are the components' stars.
            own = [v for _, v in part]
            sets = [v[1] for v in own if v[1]]
            arcs: list[bytes] = []
            keys = [v[0] for v in own if v[0]]
            if keys:
                attached = boildown.near_attach(sets, boildown.near_pairs(keys, 1), 1)
                arcs = boildown.near_links(sets, attached, threshold, 1)
            yield from _star_records([v[2] for v in own if v[2]], [a for a in arcs if a], 1)

        if parts == 1:
            last, clusters, rounds = _components(stage3, 1, first=stage3.mapPartitions(whole))
        else:
            by_earlier = stage3.mapPartitions(pairs).partitionBy(parts, _to_part)
            by_later = _union(parts, stage3, by_earlier).mapPartitions(attach).partitionBy(parts, _to_part)
            arcs = _union(parts, stage3, by_later).mapPartitions(links).partitionBy(parts, _to_part)
            last, clusters, rounds = _components(stage3, parts, arcs=arcs)
        # Each near-duplicate, with its root's id, to its own file.
        dups_by_file = last.filter(lambda x: x[0] == "d").map(lambda x: (x[1], ("dup", x[2]))).partitionBy(n, by_file)
    else:
        prepared.count()  # (stage 1's summaries, before the write needs them)
        dups_by_file = sc.parallelize([], n).partitionBy(n, by_file)

    # 4. write: each file's rows in order, with dup_of, as its part file.
    by_index = summaries.value
    firsts, total = [], 1
    for i in range(n):
        firsts.append(total)
        total += by_index[i]["documents"]
    extra_names: list[str] = []
    for i in range(n):
        extra_names.extend(name for name in by_index[i]["extra_names"] if name not in extra_names)
    firsts_b = sc.broadcast(firsts)

    def write(part: Iterable[Tuple[int, Any]]) -> Iterator[Tuple[int, dict[str, Any]]]:
        i, kept, models, dups = gathered(part)
        if i < 0:
            return
        j = _job(options)
        spill = kept["spill"]
        rows: Any = _present(spill + ".rows")
        if rows is None:  # without near-duplicates, or lost with its executor
            rows = j.finish_file(paths[i], models, i, 1, pages=_present(spill + ".pages"))["rows"]
        done = j.write_part(
            rows, i, dups, firsts_b.value, extra_names, os.path.join(out_dir, f"part-{i:05d}.parquet"),
            drop_dups=drop_dups,
        )  # fmt: skip
        for suffix in (".models", ".pages", ".rows"):  # (the local folder goes with the application)
            try:
                os.remove(spill + suffix)
            except OSError:
                pass
        yield (i, dict(done))

    written = sorted(_union(n, models_by_file, prepared, dups_by_file).mapPartitions(write).collect())
    with open(os.path.join(out_dir, "_SUCCESS"), "w"):
        pass

    # The rejects, and the summary.
    late = [(i, kind, at, reason) for i, w in written for kind, at, reason in w["rejects"]]
    if rejects is not None:
        names_b = sc.broadcast(files)

        def reject_lines(r: Tuple[int, Tuple[str, int, str]]) -> Tuple[Tuple[int, int], str]:
            i, (kind, at, reason) = r
            line = json.dumps({"input": names_b.value[i], kind: at, "reason": reason}, sort_keys=True)
            return ((i, at), line)

        early = prepared.flatMap(lambda r: [(r[0], tuple(x)) for x in r[1]["rejects"]])
        listed = early.union(sc.parallelize([(i, (k, a, r)) for i, k, a, r in late], 1)).map(reject_lines)
        lines = listed.sortByKey().values()
        spark.createDataFrame(lines.map(lambda s: (s,)), "value string").coalesce(1).write.mode("overwrite").text(rejects)
    classes: dict[str, int] = {}
    skipped: dict[str, int] = {}
    late_classes = _classes(reason for _, _, _, reason in late)
    for counts in [by_index[i]["reject_classes"] for i in range(n)] + [late_classes]:
        for reason, count in counts.items():
            classes[reason] = classes.get(reason, 0) + count
    for i in range(n):
        for kind, count in by_index[i]["skipped"].items():
            skipped[kind] = skipped.get(kind, 0) + count
    duplicates = sum(w["duplicates"] for _, w in written)
    summary: dict[str, Any] = {
        "inputs": n,
        "unreadable_inputs": sum(1 for i in range(n) if not by_index[i]["readable"]),
        "bytes_in": bytes_in,
        "records": sum(by_index[i]["records"] for i in range(n)),
        "pages": sum(by_index[i]["documents"] for i in range(n)),
        "page_bytes": sum(by_index[i]["page_bytes"] for i in range(n)),
        "cleaned": sum(w["cleaned"] for _, w in written),
        "skipped": dict(sorted(skipped.items())),
        "rejected": dict(sorted(classes.items())),
        "duplicates": duplicates,
        "clusters": clusters,
        "dropped": duplicates if drop_dups else 0,
        "rows": sum(w["written"] for _, w in written),
        "blocks": dict(zip(STATS, (sum(w["stats"][k] for _, w in written) for k in range(len(STATS))))),
        "seconds": {"total": time.time() - started},
        "spark": {"merge_partitions": merge_parts, "partitions": parts, "component_rounds": rounds},
    }
    prepared.unpersist()
    if last is not None:
        last.unpersist()
    return summary


def _classes(reasons: Iterable[str]) -> dict[str, int]:
    """Rejects counted by reason class, as `boildown corpus --stats` counts them."""
    out: dict[str, int] = {}
    for reason in reasons:
        c = _core.reason_class(reason)
        out[c] = out.get(c, 0) + 1
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`spark-submit python/scripts/boildown-spark.py INPUT... -o OUT.parquet`: the flags
    of `boildown corpus` that the job takes."""
    parser = argparse.ArgumentParser(prog="boildown-spark", description=main.__doc__)
    parser.add_argument("inputs", nargs="+", metavar="INPUT")
    parser.add_argument("-o", "--output", required=True, help="a folder of Parquet part files")
    parser.add_argument("--stats", help="write the run's summary as JSON to FILE")
    parser.add_argument("--rejects", help="write every reject as JSON lines to this folder")
    parser.add_argument("--no-sites", action="store_true")
    parser.add_argument("--site-key", choices=["host", "domain"], default="host")
    parser.add_argument("--site-budget", type=int)
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--no-dedup", action="store_true")
    parser.add_argument("--drop-dups", action="store_true")
    parser.add_argument("--shingle", type=int)
    parser.add_argument("--bands", type=int)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--scheme", choices=["one-permutation", "permutations"])
    parser.add_argument("--max-page-bytes", type=int)
    parser.add_argument("--partitions", type=int, help="partitions of the shuffles of small records")
    for field in ("id", "url", "html", "text"):
        parser.add_argument(f"--{field}-field")
    parser.add_argument("--policy", choices=["keep_first", "remove_all"])
    parser.add_argument("--near-distance", type=int)
    parser.add_argument("--near-min-tokens", type=int)
    parser.add_argument("--no-near-repeats", action="store_true")
    parser.add_argument("--dedup-only", action="store_true")
    parser.add_argument("--no-html-recovery", action="store_true")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {
        "sites": not args.no_sites,
        "site_key": args.site_key,
        "site_budget": args.site_budget,
        "report": args.report,
        "dedup": not args.no_dedup,
        "shingle": args.shingle,
        "bands": args.bands,
        "rows": args.rows,
        "threshold": args.threshold,
        "scheme": args.scheme,
        "max_page_bytes": args.max_page_bytes,
        "id_field": args.id_field,
        "url_field": args.url_field,
        "html_field": args.html_field,
        "text_field": args.text_field,
        "policy": args.policy,
        "near_distance": args.near_distance,
        "near_min_tokens": args.near_min_tokens,
        "near_repeats": False if args.no_near_repeats else None,
        "dedup_only": True if args.dedup_only else None,
        "html_recovery": False if args.no_html_recovery else None,
    }
    options = {k: v for k, v in options.items() if v is not None}
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("boildown corpus").getOrCreate()
    try:
        summary = run(
            spark,
            args.inputs,
            args.output,
            rejects=args.rejects,
            drop_dups=args.drop_dups,
            partitions=args.partitions,
            **options,
        )
    except boildown.Error as e:
        print(f"boildown-spark: {e}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    text = json.dumps(summary, indent=2, sort_keys=False)
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    print(
        f"boildown-spark: {summary['pages']} pages of {summary['records']} records in {summary['inputs']} inputs; "
        f"{summary['rows']} rows, {summary['duplicates']} near-duplicates in {summary['clusters']} clusters",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
