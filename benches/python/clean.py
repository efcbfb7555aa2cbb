"""Python's `Cleaner.clean` against Rust's, on the same pages in one run.

The pages of the evaluation pack's datasets (`../shared/eval/*/html/*.html.gz`, as
bytes, as fetched) are cleaned ROUNDS times over by each side: Rust
(`examples/clean_pages.rs`) and Python (`boildown.Cleaner().clean(page)`, the package
installed from ./python), the two sides alternating, RUNS times. Prints each side's
median seconds per page (wall and CPU) and the ratio.

    cargo build --release --example clean_pages
    target/venv/bin/python benches/python/clean.py [--runs 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import boildown

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", default=str(REPO.parent / "shared" / "eval"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "examples" / "clean_pages"))
    args = parser.parse_args()
    paths = sorted(Path(args.eval).glob("*/html/*.html.gz"))
    if not paths:
        raise SystemExit(f"no pages under {args.eval}")
    pages = [gzip.decompress(p.read_bytes()) for p in paths]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(str(p) for p in paths) + "\n")
    cleaner = boildown.Cleaner()
    n = len(pages)
    print(f"{n} pages, {sum(map(len, pages)) / 1e6:.1f} MB, {args.rounds} rounds per run, {args.runs} runs per side")
    rust_wall, rust_cpu, py_wall, py_cpu = [], [], [], []
    for run in range(args.runs):
        # Rust: the example's own round times (wall and CPU).
        out = subprocess.run([args.binary, listing.name, str(args.rounds)], check=True, capture_output=True, text=True)
        rounds = [json.loads(line) for line in out.stdout.splitlines()]
        rust_wall.append(statistics.median(r["seconds"] for r in rounds) / n)
        rust_cpu.append(statistics.median(r["cpu"] for r in rounds) / n)
        # Python: the same pages, the same rounds.
        walls, cpus = [], []
        for _ in range(args.rounds):
            w, c = time.perf_counter(), time.process_time()
            for page in pages:
                cleaner.clean(page)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        py_wall.append(statistics.median(walls) / n)
        py_cpu.append(statistics.median(cpus) / n)
        print(f"run {run + 1}: rust {rust_wall[-1] * 1e3:.3f} ms/page, python {py_wall[-1] * 1e3:.3f} ms/page")
    rw, pw = statistics.median(rust_wall), statistics.median(py_wall)
    rc, pc = statistics.median(rust_cpu), statistics.median(py_cpu)
    print(f"median wall: rust {rw * 1e3:.3f} ms/page, python {pw * 1e3:.3f} ms/page: python/rust {pw / rw:.3f}")
    print(f"median CPU:  rust {rc * 1e3:.3f} ms/page, python {pc * 1e3:.3f} ms/page: python/rust {pc / rc:.3f}")
    os.unlink(listing.name)


if __name__ == "__main__":
    main()
