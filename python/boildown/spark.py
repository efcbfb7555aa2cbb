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
import sys
import time
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

#: The columns of a row before its passed-through fields, as `boildown corpus` writes them.
COLUMNS = ("id", "url", "site", "title", "format", "text", "dup_of", "stats")

_jobs: dict[str, boildown.CorpusJob] = {}


def _job(options: dict[str, Any]) -> boildown.CorpusJob:
    """The job of these options, made once per Python worker."""
    key = json.dumps(options, sort_keys=True)
    job = _jobs.get(key)
    if job is None:
        job = _jobs[key] = boildown.CorpusJob(**options)
    return job


def _merge(parts: Iterable[Tuple[Any, bytes]], partial: bool, budget: "Budget") -> bytes:
    """Merges snapshots in the order of their keys (input order: deterministic)."""
    ordered = [snapshot for _, snapshot in sorted(parts, key=lambda p: p[0])]
    return boildown.merge_snapshots(ordered, partial=partial, **budget)


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
    them) and writes the rows to `output` as Parquet (a folder of part files, in input
    order). `options` are `CorpusJob`'s (the corpus command's flags, `-` as `_`: `sites`,
    `dedup`, `site_key`, `report`, `shingle`, `bands`, `rows`, `threshold`, `scheme`,
    `site_budget`, the JSONL field names, `max_page_bytes`) and the cleaner's. The rejects
    are written to `rejects` as JSON lines if given. Returns the run's summary."""
    from pyspark import StorageLevel
    from pyspark.sql import types as T

    started = time.time()
    sc = spark.sparkContext
    job = boildown.CorpusJob(**options)  # checks the options on the driver
    budget = job.budget
    files = boildown.inputs(list(inputs))
    if not files:
        raise boildown.Error("no inputs: the folders given hold no input files")
    n = len(files)
    # Read by absolute path (executors run in their own folders); named as given.
    paths = [os.path.abspath(f) for f in files]
    by_file: Callable[[int], int] = lambda i: i  # noqa: E731 (partition i holds file i)
    indexed = sc.parallelize(list(enumerate(paths)), n).partitionBy(n, by_file)

    # 1. learn: per-file partial models, shuffled by site and merged in a tree. Each
    # file's pages are prepared on the way and kept where they are (the executor's
    # memory or disk), as the corpus command keeps them in a temporary file, except
    # with `report` (which needs each page's markup: stage 2 reads the file again).
    keep = not options.get("report")

    def learn(part: Iterable[Tuple[int, str]]) -> Iterator[Tuple[int, Tuple[Any, ...]]]:
        j = _job(options)
        for i, path in part:
            if keep:
                learned: Any = None
                rejects = 0
                for item in j.prepare(path):
                    if item[0] == "page":
                        yield (i, item)
                    elif item[0] == "reject":
                        rejects += 1
                        yield (i, ("reject", item[1:]))
                    else:
                        learned = item[1]
            else:
                learned = j.learn(path)
                rejects = len(learned["rejects"])
                for reject in learned["rejects"]:
                    yield (i, ("reject", reject))
            for site, snapshot in learned["models"]:
                yield (i, ("model", site, snapshot))
            meta = {k: learned[k] for k in ("documents", "records", "page_bytes", "skipped", "readable", "extra_names")}
            meta["rejects"] = rejects
            yield (i, ("meta", meta))

    stage1 = indexed.mapPartitions(learn, preservesPartitioning=True).persist(StorageLevel.MEMORY_AND_DISK)
    metas = sorted(stage1.filter(lambda r: r[1][0] == "meta").map(lambda r: (r[0], r[1][1])).collect())
    read_rejects = stage1.filter(lambda r: r[1][0] == "reject").map(lambda r: (r[0], r[1][1]))
    firsts, total = [], 1
    for _, meta in metas:
        firsts.append(total)
        total += meta["documents"]
    first_of = sc.broadcast(firsts)
    # The partitions of the shuffles of small records (models, keys, pairs, links): one
    # per GiB of pages (their shuffles come to about a tenth of the pages' bytes), and
    # at least two per core. Each task costs a turn of a Python worker, which a small
    # partition does not repay.
    page_bytes = sum(meta["page_bytes"] for _, meta in metas)
    shuffles = max(2 * sc.defaultParallelism, page_bytes >> 30)

    models_by_file: "RDD[Tuple[int, Iterable[Tuple[str, bytes]]]]"
    if job.sites:
        parts = stage1.filter(lambda r: r[1][0] == "model").map(lambda r: ((r[1][1], r[0]), r[1][2]))
        site_files = parts.map(lambda kv: (kv[0][0], kv[0][1]))
        levels = _levels(n)
        tree = parts
        for level in range(levels):
            partial = level < levels - 1  # the last merge makes the models to clean with

            def merge(parts: Iterable[Tuple[int, bytes]], partial: bool = partial) -> bytes:
                return _merge(parts, partial, budget)

            grouped = tree.map(lambda kv: ((kv[0][0], kv[0][1] // FANOUT), (kv[0][1], kv[1]))).groupByKey(shuffles)
            tree = grouped.mapValues(merge)
        merged = tree.map(lambda kv: (kv[0][0], kv[1]))  # (site, model to clean with)
        models_by_file = (
            site_files.join(merged, shuffles).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).groupByKey(n, by_file)
        )
    else:
        models_by_file = sc.parallelize([], n).partitionBy(n, by_file)

    # 2. clean: each file's pages decided with its sites' models. The models come to
    # the partition that holds the file's prepared pages, first (a union of two RDDs
    # partitioned alike: no shuffle of the pages); without kept pages, the file is read
    # again.
    def model_of(models: Optional[Iterable[Tuple[str, bytes]]]) -> Optional[boildown.SiteModel]:
        if not models:
            return None
        return boildown.SiteModel.from_bytes(_merge(models, False, budget), **budget)

    def with_models(
        part: Iterable[Tuple[int, Tuple[Any, ...]]],
    ) -> Iterator[Tuple[int, Optional[boildown.SiteModel], Tuple[Any, ...]]]:
        # A partition: its file's models first, then what is cleaned with them.
        model, model_file = None, None
        for i, value in part:
            if value[0] == "models":
                model, model_file = model_of(value[1]), i
            else:
                yield i, model if model_file == i else None, value

    together = models_by_file.mapValues(lambda ms: ("models", list(ms))).union(
        stage1.filter(lambda r: r[1][0] == "page")
    )
    if keep and together.getNumPartitions() == n:  # (else: read again)

        def finish(part: Iterable[Tuple[int, Tuple[Any, ...]]]) -> Iterator[Any]:
            j = _job(options)
            for i, model, (_, k, prepared) in with_models(part):
                yield (i, j.finish(prepared, model, first_of.value[i] + k))

        cleaned = together.mapPartitions(finish, preservesPartitioning=True)
    else:

        # The file read again, its models first (the same union).
        def clean(part: Iterable[Tuple[int, Tuple[Any, ...]]]) -> Iterator[Any]:
            j = _job(options)
            for i, model, (_, path) in with_models(part):
                for item in j.rows(path, model, first_of.value[i]):
                    yield (i, item)

        again = models_by_file.mapValues(lambda ms: ("models", list(ms))).union(
            indexed.mapValues(lambda path: ("path", path))
        )
        if again.getNumPartitions() != n:
            raise RuntimeError("Spark did not keep the partitioning of the files (a union of 2n partitions)")
        cleaned = again.mapPartitions(clean, preservesPartitioning=True)
    cleaned.persist(StorageLevel.MEMORY_AND_DISK)
    rows = cleaned.filter(lambda r: r[1][0] == "row").map(lambda r: r[1][1:])
    # (number, fields, stats, extra, report, keys, shingles)
    clean_rejects = cleaned.filter(lambda r: r[1][0] == "reject").map(lambda r: (r[0], r[1][1:]))

    # 3. near-duplicates: buckets of band keys, checked pairs, connected components.
    dup_root: "RDD[Tuple[int, int]]"
    if job.dedup:
        m = job.max_comparisons

        def candidates(kv: Tuple[int, Iterable[int]]) -> Iterator[Tuple[int, Tuple[int, int, int]]]:
            key, docs = kv
            ordered = sorted(docs)
            for j_ in range(1, len(ordered)):
                for p in range(min(j_, m)):
                    yield (ordered[p], (ordered[j_], key, p))

        keys = rows.flatMap(lambda r: ((k, r[0]) for k in r[5]))
        pairs = keys.groupByKey(shuffles).flatMap(candidates)  # (earlier, (doc, key, position))
        shingles = rows.map(lambda r: (r[0], r[6]))
        with_earlier = pairs.join(shingles, shuffles).map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][0][2], kv[1][1])))
        checked = with_earlier.join(shingles, shuffles)  # (doc, ((earlier, key, position, its shingles), shingles))

        def near(kv: Tuple[int, Tuple[Tuple[int, int, int, bytes], bytes]]) -> bool:
            return _job(options).near(kv[1][0][3], kv[1][1])

        # Each document of a bucket joins the first match among the bucket's earliest.
        links = (
            checked.filter(near)
            .map(lambda kv: ((kv[0], kv[1][0][1]), (kv[1][0][2], kv[1][0][0])))
            .reduceByKey(min, shuffles)
            .map(lambda kv: (kv[1][1], kv[0][0]))
        )
        dup_root = connected_components(links, shuffles).filter(lambda nr: nr[0] != nr[1])
    else:
        dup_root = sc.parallelize([])
    dup_root.persist()
    ids = rows.map(lambda r: (r[0], r[1][0]))
    # (number, id of its cluster's earliest), sent to the partition of its row's file.
    dup_of = dup_root.map(lambda nr: (nr[1], nr[0])).join(ids, shuffles).map(lambda kv: (kv[1][0], kv[1][1]))
    dups_by_file = dup_of.map(lambda kv: (bisect.bisect_right(first_of.value, kv[0]) - 1, kv)).partitionBy(n, by_file)

    # 4. write: the rows in input order, with dup_of.
    # The passed-through fields' columns, in the order they first appear (each file's
    # names, from stage 1, in input order).
    extra_names: list[str] = []
    for _, meta in metas:
        extra_names.extend(name for name in meta["extra_names"] if name not in extra_names)
    report = bool(options.get("report"))
    stats_type = T.StructType([T.StructField(s, T.LongType(), False) for s in STATS])
    schema = T.StructType(
        [T.StructField(c, T.StringType(), c not in ("id", "format", "text")) for c in COLUMNS[:7]]
        + [T.StructField("stats", stats_type, False)]
        + [T.StructField(name, T.StringType(), True) for name in extra_names]
        + ([T.StructField("report", T.StringType(), True)] if report else [])
    )

    # Each partition: its file's dup_of first, then its rows, in order (the same union of
    # RDDs partitioned alike); the rows never leave their partition, and the part files
    # are written in partition order: the output is in input order.
    def with_dup_of(part: Iterable[Tuple[int, Tuple[Any, ...]]]) -> Iterator[Tuple[Any, ...]]:
        dups: dict[int, str] = {}
        for _, value in part:
            if value[0] == "dup":
                dups[value[1]] = value[2]
                continue
            r = value[1:]
            dup = dups.get(r[0])
            if dup is not None and drop_dups:
                continue
            number, fields, stats, extra, rep, _, _ = r
            values = dict(extra)
            yield (
                tuple(fields)
                + (dup, tuple(stats))
                + tuple(values.get(name) for name in extra_names)
                + ((rep,) if report else ())
            )

    final = dups_by_file.mapValues(lambda kv: ("dup", kv[0], kv[1])).union(
        cleaned.filter(lambda r: r[1][0] == "row")
    )
    if final.getNumPartitions() != n:
        raise RuntimeError("Spark did not keep the partitioning of the files (a union of 2n partitions)")
    spark.createDataFrame(final.mapPartitions(with_dup_of), schema).write.mode("overwrite").parquet(output)

    # The rejects, and the summary.
    all_rejects = read_rejects.union(clean_rejects)
    reject_list = all_rejects.map(lambda r: (r[0], r[1][0], r[1][1], r[1][2]))
    classes = dict(reject_list.map(lambda r: (_core.reason_class(r[3]), 1)).reduceByKey(lambda a, b: a + b, shuffles).collect())
    if rejects is not None:
        names = sc.broadcast(files)

        def reject_line(r: Tuple[int, str, int, str]) -> Tuple[Tuple[int, int], str]:
            i, kind, at, reason = r
            return ((i, at), json.dumps({"input": names.value[i], kind: at, "reason": reason}, sort_keys=True))

        lines = reject_list.map(reject_line).sortByKey().values()
        spark.createDataFrame(lines.map(lambda s: (s,)), "value string").coalesce(1).write.mode("overwrite").text(rejects)
    totals = rows.map(lambda r: (1, len(r[1][5].encode("utf-8")), r[2])).fold(
        (0, 0, (0,) * 6), lambda a, b: (a[0] + b[0], a[1] + b[1], tuple(x + y for x, y in zip(a[2], b[2])))
    )
    # Duplicates and clusters in one job: the links per root, counted.
    clusters, duplicates = (
        dup_root.map(lambda nr: (nr[1], 1))
        .reduceByKey(lambda a, b: a + b, shuffles)
        .map(lambda kv: (1, kv[1]))
        .fold((0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    )
    skipped: dict[str, int] = {}
    for _, meta in metas:
        for kind, count in meta["skipped"].items():
            skipped[kind] = skipped.get(kind, 0) + count
    summary: dict[str, Any] = {
        "inputs": n,
        "unreadable_inputs": sum(1 for _, meta in metas if not meta["readable"]),
        "bytes_in": sum(os.path.getsize(f) for f in files if os.path.exists(f)),
        "records": sum(meta["records"] for _, meta in metas),
        "pages": sum(meta["documents"] for _, meta in metas),
        "page_bytes": sum(meta["page_bytes"] for _, meta in metas),
        "cleaned": totals[0],
        "skipped": dict(sorted(skipped.items())),
        "rejected": dict(sorted(classes.items())),
        "duplicates": duplicates,
        "clusters": clusters,
        "dropped": duplicates if drop_dups else 0,
        "rows": totals[0] - (duplicates if drop_dups else 0),
        "blocks": dict(zip(STATS, totals[2])),
        "seconds": {"total": time.time() - started},
    }
    stage1.unpersist()
    cleaned.unpersist()
    return summary


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
