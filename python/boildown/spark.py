"""`boildown corpus` on Apache Spark: the same inputs, options and rows, as Parquet.

The job, in the stages of the corpus command, with pages that never move:

1. **learn**: one task per input file (as cc-pyspark does) reads its pages and folds
   them into *partial* site models (`SiteModel(partial=True)`); the models, not the
   pages, are shuffled by site and merged in a tree (64 partial models per merge, in
   input-file order), into one model per site to clean with.
2. **clean**: each task re-reads its file and cleans every page with its sites' merged
   models (joined to the file by the sites stage 1 saw in it), emitting the rows of
   `boildown corpus` and their MinHash band keys and shingles.
3. **near-duplicates**: band keys are grouped into buckets; each document of a bucket is
   checked (exact Jaccard of shingles) against the bucket's earliest 16, and joined to
   the first match; clusters are the connected components of those links, found by the
   alternating large-star / small-star rounds of Kiveris et al. (*Connected Components
   in MapReduce and Beyond*, SoCC 2014): no collect to the driver, no union-find on one
   machine. Every document of a cluster but the earliest gets `dup_of`, the id of the
   earliest, as in the corpus command.
4. **write**: the rows, with `dup_of`, in input order, as Parquet.

Deterministic: every task is a function of its file (and the merged models), merges go
in input-file order, and the components are the same whatever the order of the links, so
a retried or speculative task gives the same rows. A bad record never fails a task: it
is counted and listed, as in the corpus command.

Run it with `spark-submit` (`python/scripts/boildown-spark.py`, the same flags as
`boildown corpus`), or from Python with `run(spark, inputs, output, **options)`.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import shutil
import sys
import time
import zlib
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence, Tuple

import boildown
from boildown import _core

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from boildown._core import Budget

#: Partial models merged by one task in each level of the tree of merges.
FANOUT = 64

#: The counts of a row's `stats`, in order.
STATS = ("blocks", "kept", "exact_repeats", "near_repeats", "boilerplate", "site_template")

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


def connected_components(links: "RDD[Tuple[int, int]]", partitions: Optional[int] = None) -> "RDD[Tuple[int, int]]":
    """`(node, root)` for every node of a link but the roots, `root` the least node of
    its component.

    Alternating large-star and small-star rounds until the links form stars around
    each component's least node: each round is two shuffles of the links, and one more
    checks whether every node links to one node that links to none. The rounds needed
    grow as the log of the components' size (squared, at worst).
    """

    def large(kv: Tuple[int, Iterable[int]]) -> Iterator[Tuple[int, int]]:
        # Every neighbour larger than u links to the least of u's neighbourhood.
        u, neighbours = kv
        ns = set(neighbours)
        m = min(min(ns), u)
        for v in ns:
            if v > u:
                yield (v, m)

    def small(kv: Tuple[int, Iterable[int]]) -> Iterator[Tuple[int, int]]:
        # u and its smaller neighbours link to the least of them.
        u, neighbours = kv
        ns = set(neighbours)
        ns.add(u)
        m = min(ns)
        for v in ns:
            if v != m:
                yield (v, m)

    def misplaced(kv: Tuple[int, Iterable[Tuple[bool, int]]]) -> bool:
        # A node that links to two nodes, or links and is linked to: not a star yet.
        roles = list(kv[1])
        targets = {m for source, m in roles if source}
        return len(targets) > 1 or (bool(targets) and any(not source for source, _ in roles))

    edges = links.map(lambda e: (max(e), min(e))).filter(lambda e: e[0] != e[1])
    while True:
        round_ = (
            edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0])))
            .groupByKey(partitions)
            .flatMap(large)
            .groupByKey(partitions)
            .flatMap(small)
        )
        round_.persist()
        check = round_.flatMap(lambda e: ((e[0], (True, e[1])), (e[1], (False, e[0]))))
        done = check.groupByKey(partitions).filter(misplaced).isEmpty()
        edges.unpersist()
        edges = round_
        if done:
            return edges.distinct(partitions)


def _part_of_site(key: Tuple[str, int]) -> int:
    """The partition of a `(site, group)` of the tree of merges: a stable hash (CRC-32),
    the same in every Python worker."""
    return zlib.crc32(f"{key[0]}\x00{key[1]}".encode("utf-8", "surrogatepass"))


def _to_part(q: int) -> int:
    """The partition of stage 3's packed parts: their key is the partition."""
    return q


def run(
    spark: "SparkSession",
    inputs: Sequence[str],
    output: str,
    *,
    rejects: Optional[str] = None,
    drop_dups: bool = False,
    **options: Any,
) -> dict[str, Any]:
    """Runs the corpus job on `inputs` (files and folders, as `boildown corpus` takes
    them) and writes the rows to `output` as Parquet: a folder of part files, one per
    input file in input order (`part-00000.parquet`, ...), then `_SUCCESS`. `options`
    are `CorpusJob`'s (the corpus command's flags, `-` as `_`: `sites`, `dedup`,
    `site_key`, `report`, `shingle`, `bands`, `rows`, `threshold`, `scheme`,
    `site_budget`, the JSONL field names, `max_page_bytes`) and the cleaner's. The
    rejects are written to `rejects` as JSON lines if given. Returns the run's summary.

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
    by_file: Callable[[int], int] = lambda i: i  # noqa: E731 (partition i holds file i)
    indexed = sc.parallelize(list(enumerate(paths)), n).partitionBy(n, by_file)

    # 1. learn: each file read into its prepared pages (packed, kept where they are, in
    # the executor's memory or disk, as the corpus command keeps them in a temporary
    # file; with `report`, which needs each page's markup, stage 2 reads the file again)
    # and its partial site models, which are shuffled by site and merged in a tree.
    keep = not options.get("report")

    def prepare(part: Iterable[Tuple[int, str]]) -> Iterator[Tuple[int, Tuple[Any, ...]]]:
        j = _job(options)
        for i, path in part:
            prepared, pages = j.prepare_file(path, keep)
            meta: dict[str, Any] = dict(prepared)
            meta["reject_classes"] = _classes(reason for _, _, reason in prepared["rejects"])
            yield (i, ("file", meta, pages))

    stage1 = indexed.mapPartitions(prepare, preservesPartitioning=True).persist(StorageLevel.MEMORY_AND_DISK)
    summary_keys = ("documents", "records", "page_bytes", "skipped", "readable", "extra_names", "reject_classes")
    metas = sorted(stage1.map(lambda r: (r[0], {k: r[1][1][k] for k in summary_keys})).collect())
    firsts, total = [], 1
    for _, meta in metas:
        firsts.append(total)
        total += meta["documents"]
    first_of = sc.broadcast(firsts)

    def file_of(number: int) -> int:
        return bisect.bisect_right(first_of.value, number) - 1

    # The partitions of the shuffles of small records (models, keys, shingles, pairs):
    # one per GiB of pages, and at least two per core.
    page_bytes = sum(meta["page_bytes"] for _, meta in metas)
    shuffles = max(2 * sc.defaultParallelism, page_bytes >> 30)

    models_by_file: "RDD[Tuple[int, Tuple[Any, ...]]]"
    if job.sites:
        # ((site, group), (order, files, snapshot)): a level's group is its files'
        # index // FANOUT ** (level + 1); `order`, the least file, keeps input order.
        tree = stage1.flatMap(
            lambda r: [((site, r[0] // FANOUT), (r[0], [r[0]], snap)) for site, snap in r[1][1]["models"]]
        )
        levels = _levels(n)
        for level in range(levels):
            partial = level < levels - 1  # the last merge makes the models to clean with

            def merge(part: Iterable[Any], partial: bool = partial) -> Iterator[Any]:
                records = [(site, group, order, fs, snap) for (site, group), (order, fs, snap) in part]
                for site, group, fs, snap in boildown.merge_models(records, partial=partial, **budget):
                    yield ((site, group // FANOUT), (fs[0], fs, snap))

            tree = tree.partitionBy(shuffles, _part_of_site).mapPartitions(merge)
        models_by_file = tree.flatMap(
            lambda kv: [(f, ("model", kv[0][0], kv[1][2])) for f in kv[1][1]]
        ).partitionBy(n, by_file)
    else:
        models_by_file = sc.parallelize([], n).partitionBy(n, by_file)

    # 2. clean: each file's pages decided with its sites' models. The models come to the
    # partition that holds the file's prepared pages (a union of two RDDs partitioned
    # alike: no shuffle of the pages). The keys and shingles leave packed, one record
    # per partition of stage 3.
    def finish(part: Iterable[Tuple[int, Tuple[Any, ...]]]) -> Iterator[Tuple[int, Tuple[Any, ...]]]:
        j = _job(options)
        models: list[Tuple[str, bytes]] = []
        for i, value in part:
            if value[0] == "model":
                models.append((value[1], value[2]))
                continue
            _, meta, pages = value
            source = pages if keep else paths[i]
            done = j.finish_file(source, [snap for _, snap in sorted(models)], first_of.value[i], shuffles)
            classes = _classes(reason for _, _, reason in done["rejects"])
            yield (i, ("rows", done["rows"], done["cleaned"], done["text_bytes"], done["stats"], classes))
            for kind, at, reason in done["rejects"]:
                yield (i, ("reject", kind, at, reason))
            for q, packed in enumerate(done["keys"]):
                if packed:
                    yield (q, ("keys", packed))
            for q, packed in enumerate(done["shingles"]):
                if packed:
                    yield (q, ("shingles", packed))

    together = models_by_file.union(stage1)
    if together.getNumPartitions() != n:
        raise RuntimeError("Spark did not keep the partitioning of the files (a union of 2n partitions)")
    # (Partitioned by file for its rows and rejects; the keys and shingles, keyed by
    # their stage-3 partition, are shuffled there before use.)
    cleaned = together.mapPartitions(finish, preservesPartitioning=True).persist(StorageLevel.MEMORY_AND_DISK)
    rows_by_file = cleaned.filter(lambda r: r[1][0] == "rows")

    def tagged(tag: str) -> Callable[[Tuple[int, Tuple[Any, ...]]], bool]:
        return lambda r: r[1][0] == tag

    # 3. near-duplicates: buckets of band keys, checked pairs, connected components.
    dup_root: "RDD[Tuple[int, int]]"
    if job.dedup:
        threshold = job.threshold
        keys = cleaned.filter(tagged("keys")).map(lambda r: (r[0], r[1][1])).partitionBy(shuffles, _to_part)
        shingles = (
            cleaned.filter(tagged("shingles"))
            .map(lambda r: (r[0], r[1][1]))
            .partitionBy(shuffles, _to_part)
            .persist(StorageLevel.MEMORY_AND_DISK)
        )

        def pairs(part: Iterable[Tuple[int, bytes]]) -> Iterator[Tuple[int, bytes]]:
            packed = [b for _, b in part]
            if packed:
                yield from ((t, b) for t, b in enumerate(boildown.near_pairs(packed, shuffles)) if b)

        def split(part: Iterable[Tuple[int, Tuple[str, bytes]]]) -> Tuple[list[bytes], list[bytes]]:
            mine: list[bytes] = []
            theirs: list[bytes] = []
            for _, (tag, b) in part:
                (mine if tag == "s" else theirs).append(b)
            return mine, theirs

        def attach(part: Iterable[Tuple[int, Tuple[str, bytes]]]) -> Iterator[Tuple[int, bytes]]:
            sets, packed = split(part)
            if packed:
                yield from ((t, b) for t, b in enumerate(boildown.near_attach(sets, packed, shuffles)) if b)

        def links(part: Iterable[Tuple[int, Tuple[str, bytes]]]) -> Iterator[Tuple[int, int]]:
            sets, packed = split(part)
            if packed:
                yield from boildown.near_links(sets, packed, threshold)

        def alike(a: "RDD[Tuple[int, bytes]]", b: "RDD[Tuple[int, bytes]]") -> "RDD[Tuple[int, Tuple[str, bytes]]]":
            both = a.mapValues(lambda v: ("s", v)).union(b.mapValues(lambda v: ("p", v)))
            if both.getNumPartitions() != shuffles:
                raise RuntimeError("Spark did not keep the partitioning of stage 3 (a union of 2 partitionings)")
            return both

        by_earlier = keys.mapPartitions(pairs).partitionBy(shuffles, _to_part)
        by_later = alike(shingles, by_earlier).mapPartitions(attach).partitionBy(shuffles, _to_part)
        stars = alike(shingles, by_later).mapPartitions(links)  # (document, root), per partition
        dup_root = connected_components(stars, shuffles).filter(lambda nr: nr[0] != nr[1])
    else:
        dup_root = sc.parallelize([])

    # Each duplicate's dup_of, the id of its cluster's earliest, from the earliest's file
    # to its own; the first of each cluster's is marked, to count the clusters.
    wanted = dup_root.map(lambda nr: (file_of(nr[1]), ("want", nr[0], nr[1]))).partitionBy(n, by_file)

    def names(part: Iterable[Tuple[int, Tuple[Any, ...]]]) -> Iterator[Tuple[int, Tuple[Any, ...]]]:
        packed, want = b"", []
        for _, value in part:
            if value[0] == "rows":
                packed = value[1]
            else:
                want.append((value[2], value[1]))  # (root, node)
        if not want:
            return
        want.sort()
        ids = dict(_job(options).row_ids(packed, sorted({root for root, _ in want})))
        last = None
        for root, node in want:
            yield (file_of(node), ("dup", node, ids[root], root != last))
            last = root

    dups_by_file = rows_by_file.union(wanted).mapPartitions(names).partitionBy(n, by_file)

    # 4. write: each file's rows in order, with dup_of, as its part file.
    extra_names: list[str] = []
    for _, meta in metas:
        extra_names.extend(name for name in meta["extra_names"] if name not in extra_names)

    def write(index: int, part: Iterable[Tuple[int, Tuple[Any, ...]]]) -> Iterator[Tuple[Any, ...]]:
        dups: list[Tuple[int, str]] = []
        clusters = 0
        rows_record: Any = None
        for _, value in part:
            if value[0] == "dup":
                dups.append((value[1], value[2]))
                clusters += value[3]
            else:
                rows_record = value
        if rows_record is None:
            return
        _, packed, count, text_bytes, stats, classes = rows_record
        written = _job(options).write_part(
            packed, dups, extra_names, os.path.join(out_dir, f"part-{index:05d}.parquet"), drop_dups=drop_dups
        )
        yield (index, written, count, text_bytes, stats, classes, len(dups), clusters)

    final = dups_by_file.union(rows_by_file)
    if final.getNumPartitions() != n:
        raise RuntimeError("Spark did not keep the partitioning of the files (a union of 2n partitions)")
    parts = sorted(final.mapPartitionsWithIndex(write).collect())
    with open(os.path.join(out_dir, "_SUCCESS"), "w"):
        pass

    # The rejects, and the summary.
    if rejects is not None:
        names_b = sc.broadcast(files)

        def reject_lines(r: Tuple[int, Tuple[Any, ...]]) -> Iterator[Tuple[Tuple[int, int], str]]:
            i, value = r
            listed = value[1]["rejects"] if value[0] == "file" else [value[1:]]
            for kind, at, reason in listed:
                line = json.dumps({"input": names_b.value[i], kind: at, "reason": reason}, sort_keys=True)
                yield ((i, at), line)

        listed = stage1.union(cleaned.filter(tagged("reject"))).flatMap(reject_lines).sortByKey().values()
        spark.createDataFrame(listed.map(lambda s: (s,)), "value string").coalesce(1).write.mode("overwrite").text(rejects)
    classes: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for counts in [meta["reject_classes"] for _, meta in metas] + [p[5] for p in parts]:
        for reason, count in counts.items():
            classes[reason] = classes.get(reason, 0) + count
    for _, meta in metas:
        for kind, count in meta["skipped"].items():
            skipped[kind] = skipped.get(kind, 0) + count
    cleaned_rows = sum(p[2] for p in parts)
    duplicates = sum(p[6] for p in parts)
    summary: dict[str, Any] = {
        "inputs": n,
        "unreadable_inputs": sum(1 for _, meta in metas if not meta["readable"]),
        "bytes_in": sum(os.path.getsize(f) for f in files if os.path.exists(f)),
        "records": sum(meta["records"] for _, meta in metas),
        "pages": sum(meta["documents"] for _, meta in metas),
        "page_bytes": page_bytes,
        "cleaned": cleaned_rows,
        "skipped": dict(sorted(skipped.items())),
        "rejected": dict(sorted(classes.items())),
        "duplicates": duplicates,
        "clusters": sum(p[7] for p in parts),
        "dropped": duplicates if drop_dups else 0,
        "rows": sum(p[1] for p in parts),
        "blocks": dict(zip(STATS, (sum(p[4][k] for p in parts) for k in range(len(STATS))))),
        "seconds": {"total": time.time() - started},
    }
    stage1.unpersist()
    cleaned.unpersist()
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
