"""The Spark job timed inside its application, for benches/python/spark.py (submitted
with `spark-submit`): the session is started, every executor core runs one task that
imports boildown (the application is up and its Python workers started), then
`boildown.spark.run` is timed on the inputs. Writes the times as JSON to `--times`:

- `session`: from the script's start to a SparkSession (the driver's JVM);
- `warm_up`: the executors registered and their Python workers started;
- `job`: `run()`, the job itself, from its first stage to `_SUCCESS`, with the CPU
  seconds the machine spent meanwhile (`job_machine_cpu`: every process, the executors'
  JVMs and Python workers among them; the cluster is on this machine) and the driver's
  own (`job_driver_cpu`).

    spark-submit benches/python/spark_timed.py INPUT... -o OUT --times times.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

STARTED = time.time()


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def machine_cpu() -> float:
    """Seconds of CPU the machine has spent busy (/proc/stat: user, nice, system, irq,
    softirq)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def warm(_: int) -> int:
    import boildown

    boildown.CorpusJob()
    return 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--times", required=True)
    parser.add_argument("--slots", type=int, default=2, help="executor cores in the cluster")
    parser.add_argument("--executors", type=int, default=2, help="executors in the cluster (one per worker)")
    parser.add_argument("--partitions", type=int, help="the job's small shuffles' partitions (default: by input bytes)")
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    from boildown.spark import run

    spark = SparkSession.builder.appName("boildown corpus (timed)").getOrCreate()
    times: dict[str, object] = {"session": time.time() - STARTED}
    sc = spark.sparkContext
    t = time.time()
    # Wait for every executor (the driver's block manager is counted too), then start a
    # Python worker on each core.
    while sc._jsc.sc().getExecutorMemoryStatus().size() - 1 < args.executors:  # type: ignore[union-attr]
        time.sleep(0.05)
    sc.parallelize(range(args.slots), args.slots).map(warm).collect()
    times["warm_up"] = time.time() - t
    t, c, m = time.time(), cpu(), machine_cpu()
    summary = run(spark, args.inputs, args.output, partitions=args.partitions)
    times["job"] = time.time() - t
    times["job_machine_cpu"] = machine_cpu() - m
    times["job_driver_cpu"] = cpu() - c
    times["pages"] = summary["pages"]
    times["summary"] = summary
    spark.stop()
    with open(args.times, "w", encoding="utf-8") as out:
        json.dump(times, out, indent=2)


if __name__ == "__main__":
    main()
