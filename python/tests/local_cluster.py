"""A Spark standalone cluster of real processes on 127.0.0.1 (a master and workers, the
JVMs of the pyspark package), for the Spark job's tests and benchmark; and the corpus
inputs split into several files.

Nothing listens on another address: every daemon binds 127.0.0.1 (SPARK_LOCAL_IP), and
their web UIs take free ports on it.

The JVMs (daemons, driver, executors) compile with C1 only and collect with the serial
collector (`JVM_OPTIONS`): in this job they move bytes between the Python workers and
the shuffle files, so the optimizing compiler's threads would cost more CPU than they
save on a 2-core machine (measured in docs/src/guide/python.md).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path
from typing import Any, Optional, Sequence


#: The JVMs' options: the C1 compiler only, the serial collector.
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def java_home() -> Optional[str]:
    """JAVA_HOME, or the home of the `java` on PATH."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is None:
        return None
    return str(Path(os.path.realpath(java)).parent.parent)


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SPARK_HOME": str(spark_home()),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOCAL_HOSTNAME": "localhost",
            "PYSPARK_PYTHON": sys.executable,
            "PYSPARK_DRIVER_PYTHON": sys.executable,
            "SPARK_DAEMON_JAVA_OPTS": JVM_OPTIONS,
        }
    )
    home = java_home()
    if home:
        env["JAVA_HOME"] = home
    return env


class LocalCluster:
    """A master and `workers` workers of `cores` cores each, started as processes."""

    def __init__(self, folder: Path, workers: int = 2, cores: int = 1, memory: str = "2g"):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = environment()
        self.port = free_port()
        self.ui = free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.master: Optional[subprocess.Popen[bytes]] = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.worker_count, self.cores, self.memory = workers, cores, memory

    def _start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")
        return subprocess.Popen(
            [str(spark_home() / "bin" / "spark-class"), *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its executors
        )

    def start(self) -> "LocalCluster":
        self.master = self._start(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1", "--port", str(self.port), "--webui-port", str(self.ui),
        )  # fmt: skip
        self._wait(lambda: self._listening(self.port), "the master")
        for i in range(self.worker_count):
            self.add_worker(i)
        self._wait(lambda: self.alive_workers() == self.worker_count, f"{self.worker_count} workers")
        return self

    def add_worker(self, i: int) -> None:
        work = self.folder / f"worker-{i}"
        work.mkdir(exist_ok=True)
        self.workers.append(
            self._start(
                f"worker-{i}",
                "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--port", str(free_port()), "--webui-port", str(free_port()),
                "--cores", str(self.cores), "--memory", self.memory, "--work-dir", str(work),
                self.url,
            )  # fmt: skip
        )

    def state(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=5) as r:
            return json.loads(r.read())  # type: ignore[no-any-return]

    def alive_workers(self) -> int:
        try:
            return sum(1 for w in self.state()["workers"] if w["state"] == "ALIVE")
        except OSError:
            return 0

    @staticmethod
    def _listening(port: int) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    @staticmethod
    def _wait(ready: Any, what: str, seconds: float = 120) -> None:
        deadline = time.time() + seconds
        while not ready():
            if time.time() > deadline:
                raise TimeoutError(f"{what} did not start in {seconds:.0f} s")
            time.sleep(0.5)

    def kill_worker(self, i: int) -> None:
        """Kills worker `i` and its executors at once (SIGKILL to its process group)."""
        os.killpg(self.workers[i].pid, signal.SIGKILL)
        self.workers[i].wait()

    def submit(self, script: Path, args: Sequence[str], log: Path, conf: Optional[dict[str, str]] = None) -> subprocess.Popen[bytes]:
        """Starts `spark-submit` of a Python script on the cluster."""
        settings = {
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.pyspark.python": sys.executable,
            "spark.executor.memory": "1500m",
            "spark.task.maxFailures": "8",
            "spark.sql.shuffle.partitions": "8",
            "spark.driver.extraJavaOptions": JVM_OPTIONS,
            "spark.executor.extraJavaOptions": JVM_OPTIONS,
        }
        settings.update(conf or {})
        command = [str(spark_home() / "bin" / "spark-submit"), "--master", self.url]
        for key, value in settings.items():
            command += ["--conf", f"{key}={value}"]
        command += [str(script), *args]
        return subprocess.Popen(command, env=self.env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)

    def stop(self) -> None:
        for process in [*self.workers, *([self.master] if self.master else [])]:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def __enter__(self) -> "LocalCluster":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def rows_of(path: Path) -> list[dict[str, Any]]:
    """The rows of a Parquet file or of a folder of part files, in order (pyarrow)."""
    import pyarrow.parquet as pq

    files = [path] if path.is_file() else sorted(path.glob("part-*.parquet"))
    rows: list[dict[str, Any]] = []
    for f in files:
        rows.extend(pq.read_table(f).to_pylist())
    return rows


def gzip_members(data: bytes) -> list[bytes]:
    """The gzip members of a file, as they are (a truncated last member included)."""
    members, at = [], 0
    while at < len(data):
        d = zlib.decompressobj(31)
        try:
            d.decompress(data[at:])
        except zlib.error:
            members.append(data[at:])
            break
        if not d.eof:
            members.append(data[at:])
            break
        end = len(data) - len(d.unused_data)
        members.append(data[at:end])
        at = end
    return members


def split_inputs(corpus: Path, out: Path, parts: dict[str, int]) -> list[Path]:
    """The WARC files of `corpus`, each named in `parts` cut into that many files at
    record (gzip member) boundaries, the others copied; in the order the corpus command
    reads a folder (path order), so that `out` as one folder is the same input."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for path in sorted(corpus.glob("*.warc.gz")):
        data = path.read_bytes()
        k = parts.get(path.name, 1)
        members = gzip_members(data)
        if k <= 1 or len(members) < k:
            target = out / path.name
            target.write_bytes(data)
            made.append(target)
            continue
        stem = path.name[: -len(".warc.gz")]
        size = -(-len(members) // k)
        for j in range(k):
            target = out / f"{stem}.part{j}.warc.gz"
            target.write_bytes(b"".join(members[j * size : (j + 1) * size]))
            made.append(target)
    return sorted(made)


def jsonl_from_warc(warc: Path, out: Path) -> Path:
    """A JSONL input made from a WARC's HTML pages: url, html, a passed-through `lang`
    and `id` fields (left out of every third row: those rows are `#N`)."""
    import boildown

    with gzip.open(out, "wt", encoding="utf-8") as f:
        for k, record in enumerate(r for r in boildown.read(warc) if isinstance(r, boildown.Document)):
            row: dict[str, Any] = {"url": record.url, "html": record.body.decode("utf-8", "replace"), "lang": "en", "n": k}
            if k % 3:
                row["id"] = f"row-{k}"
            f.write(json.dumps(row) + "\n")
    return out
