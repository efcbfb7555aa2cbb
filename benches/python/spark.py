"""The Spark job on a local standalone cluster (a master and two 1-core workers on
127.0.0.1) against `boildown corpus --threads 2`, on the same inputs, alternating:
pages per second (wall) and CPU seconds of each side, and the bytes each stage of the
Spark job shuffles (from Spark's event log: every task's shuffle write), with their
rows compared.

The Spark side is timed twice in each run (benches/python/spark_timed.py): from
`spark-submit` to its exit (the driver's JVM, the executors' JVMs and Python workers
started, the job, the stop), and the job alone, `boildown.spark.run` in the running
application (its executors up, a Python worker started on each core), which is what a
corpus pays per page when the application's start is spread over hours of work.

    cargo build --release --features cli
    python3 benches/corpus/build.py --out target/bench-corpus      # the benchmark corpus
    target/venv/bin/python benches/python/spark.py target/bench-corpus [--runs 3]

The stages are told apart by the line of python/boildown/spark.py that made each
shuffle (the job's sections "1. learn", "2. clean", "3. near-duplicates", "4. write").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python" / "tests"))

from local_cluster import LocalCluster, rows_of  # noqa: E402

SCRIPT = REPO / "benches" / "python" / "spark_timed.py"
SOURCE = REPO / "python" / "boildown" / "spark.py"


def machine_cpu() -> float:
    """Seconds of CPU the machine has spent busy (all processes: /proc/stat's user,
    nice, system, irq and softirq). The executors and their Python workers are not this
    process's children once the cluster is stopped, so `getrusage` would miss them; the
    machine runs nothing else."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def sections() -> list[tuple[int, str]]:
    """(first line, name) of the job's sections in spark.py: `run`'s numbered comments,
    and the components' rounds (`_components`, defined before `run`) in stage 3."""
    marks = []
    lines = SOURCE.read_text().splitlines()
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if line.startswith("def _components("):
            marks.append((number, "3. near-duplicates"))
        elif line.startswith("def ") and marks and marks[-1][1] == "3. near-duplicates" and number > marks[-1][0]:
            marks.append((number, "before 1"))
        for name in ("# 1. learn", "# 2. clean", "# 3. near-duplicates", "# 4. write"):
            if stripped.startswith(name):
                marks.append((number, name[2:].split(":")[0]))
    return sorted(marks)


def section_of(stage_name: str, marks: list[tuple[int, str]]) -> str:
    # "partitionBy at /…/spark.py:190"
    if "spark.py:" not in stage_name:
        return "other"
    line = int(stage_name.rsplit(":", 1)[1].split()[0])
    name = "before 1"
    for first, section in marks:
        if line >= first:
            name = section
    return name


def shuffle_bytes(event_dir: Path) -> dict[str, int]:
    """Shuffle bytes written per section, from an application's event log."""
    marks = sections()
    names: dict[tuple[int, int], str] = {}
    written: dict[tuple[int, int], int] = {}
    records: dict[tuple[int, int], int] = {}
    for log in sorted(p for p in event_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        for line in log.read_text(errors="replace").splitlines():
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                names[(info["Stage ID"], info["Stage Attempt ID"])] = info["Stage Name"]
            elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
                key = (event["Stage ID"], event["Stage Attempt ID"])
                metrics = event["Task Metrics"].get("Shuffle Write Metrics", {})
                written[key] = written.get(key, 0) + metrics.get("Shuffle Bytes Written", 0)
                records[key] = records.get(key, 0) + metrics.get("Shuffle Records Written", 0)
    out: dict[str, int] = {}
    for key, n in written.items():
        section = section_of(names.get(key, ""), marks)
        out[section] = out.get(section, 0) + n
    return dict(sorted(out.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "boildown"))
    parser.add_argument("--keep", type=Path, help="keep the outputs and logs here")
    parser.add_argument("--cores", type=int, default=1, help="cores each of the two workers offers")
    parser.add_argument("--partitions", type=int, help="the job's small shuffles' partitions (default: by input bytes)")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting for the job")
    args = parser.parse_args()
    work = (args.keep or Path(tempfile.mkdtemp(prefix="boildown-spark-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    stats = json.loads(
        subprocess.run(
            [args.binary, "corpus", str(args.corpus), "-o", str(work / "count.parquet"), "--threads", "2", "-q",
             "--stats", "/dev/stdout", "--no-dedup", "--no-sites"],
            check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    pages = stats["pages"]
    print(f"{args.corpus}: {pages} pages, {stats['bytes_in'] / 1e6:.0f} MB in {stats['inputs']} files")
    cli_wall, cli_cpu, spark_wall, spark_cpu, job_wall, job_cpu, warm_up = [], [], [], [], [], [], []
    shuffles: list[dict[str, int]] = []
    for run in range(args.runs):
        out = work / f"cli-{run}.parquet"
        cpu, wall = machine_cpu(), time.perf_counter()
        subprocess.run([args.binary, "corpus", str(args.corpus), "-o", str(out), "--threads", "2", "-q"], check=True)
        cli_wall.append(time.perf_counter() - wall)
        cli_cpu.append(machine_cpu() - cpu)

        events = work / f"events-{run}"
        shutil.rmtree(events, ignore_errors=True)
        events.mkdir()
        cpu = machine_cpu()
        cluster = LocalCluster(work / f"cluster-{run}", workers=2, cores=args.cores, memory="6g").start()
        spark_out = work / f"spark-{run}.parquet"
        try:
            wall = time.perf_counter()
            process = cluster.submit(
                SCRIPT,
                [str(args.corpus), "-o", str(spark_out), "--times", str(work / f"times-{run}.json"),
                 "--slots", str(2 * args.cores), *(["--partitions", str(args.partitions)] if args.partitions else [])],
                work / f"spark-{run}.log",
                conf={
                    "spark.eventLog.enabled": "true",
                    "spark.eventLog.compress": "false",
                    "spark.eventLog.dir": f"file://{events}",
                    "spark.executor.memory": "5g",
                    "spark.driver.memory": "2g",
                    **dict(c.split("=", 1) for c in args.conf),
                },
            )
            code = process.wait()
            spark_wall.append(time.perf_counter() - wall)
        finally:
            cluster.stop()
        spark_cpu.append(machine_cpu() - cpu)
        if code != 0:
            raise SystemExit(f"the Spark job failed: {work / f'spark-{run}.log'}")
        shuffles.append(shuffle_bytes(events))
        times = json.loads((work / f"times-{run}.json").read_text())
        job_wall.append(times["job"])
        job_cpu.append(times["job_machine_cpu"])
        warm_up.append(times["session"] + times["warm_up"])
        same = rows_of(spark_out) == rows_of(out)
        print(
            f"run {run + 1}: boildown corpus {cli_wall[-1]:.1f} s ({cli_cpu[-1]:.1f} s CPU); "
            f"Spark from spark-submit {spark_wall[-1]:.1f} s ({spark_cpu[-1]:.1f} s CPU, the cluster's start and "
            f"stop included), of which the session and executors {warm_up[-1]:.1f} s and the job {job_wall[-1]:.1f} s "
            f"({job_cpu[-1]:.1f} s CPU; ratio {cli_wall[-1] / job_wall[-1]:.3f}); rows equal: {same}"
        )
        if not same:
            raise SystemExit("the Spark job's rows differ from the corpus command's")
    cw, sw, jw = statistics.median(cli_wall), statistics.median(spark_wall), statistics.median(job_wall)
    paired = statistics.median(c / j for c, j in zip(cli_wall, job_wall))
    paired_submit = statistics.median(c / s for c, s in zip(cli_wall, spark_wall))
    print(f"median: boildown corpus --threads 2 {pages / cw:.1f} pages/s; Spark on 2 workers, the job "
          f"{pages / jw:.1f} pages/s (ratio {cw / jw:.3f}), from spark-submit {pages / sw:.1f} pages/s "
          f"(ratio {cw / sw:.3f})")  # fmt: skip
    print(f"median of the runs' ratios (each run's command against its Spark job): the job {paired:.3f}, "
          f"from spark-submit {paired_submit:.3f}")  # fmt: skip
    print(f"median CPU (the machine's): boildown corpus {statistics.median(cli_cpu):.1f} s, the Spark job "
          f"{statistics.median(job_cpu):.1f} s, Spark from the cluster's start to its stop "
          f"{statistics.median(spark_cpu):.1f} s")  # fmt: skip
    print("shuffle bytes written per section (median of the runs), per million pages:")
    for section in sorted({s for run in shuffles for s in run}):
        n = statistics.median(run.get(section, 0) for run in shuffles)
        print(f"  {section}: {n / 1e6:.1f} MB, {n / pages * 1e6 / 1e9:.2f} GB per million pages")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
