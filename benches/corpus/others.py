#!/usr/bin/env python3
"""The pipelines a data engineer would run instead of `boildown corpus`, on the same WARC
files and the same number of cores (benches/corpus/run.sh runs them side by side):

  resiliparse  FastWARC reads the response records of each file and Resiliparse's
               `extract_plain_text(main_content=True)` extracts the text, one file per
               task in a process pool of --procs (as cc-pyspark maps over files); no site
               scope and no near-duplicate detection.
  datatrove    datatrove's WarcReader -> Trafilatura extractor (its defaults: precision,
               1 s timeout) -> JsonlWriter, on the local executor with --procs tasks and
               workers.

    python3 benches/corpus/others.py resiliparse|datatrove WARC_DIR OUT_DIR --procs N

Prints one JSON line: pages, seconds (wall), and the text bytes written.
    pip install fastwarc resiliparse "datatrove[io,processing]" trafilatura
"""
import argparse
import glob
import gzip
import json
import os
import shutil
import time
from multiprocessing import Pool


def resiliparse_file(job):
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from resiliparse.parse.html import HTMLTree

    path, out_dir = job
    pages = text_bytes = 0
    out_path = os.path.join(out_dir, os.path.basename(path).replace(".warc.gz", ".jsonl"))
    with open(path, "rb") as f, open(out_path, "w", encoding="utf-8") as out:
        for record in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True):
            content_type = (record.http_content_type or "text/html").lower()
            if "html" not in content_type:
                continue
            body = record.reader.read()
            html = bytes_to_str(body, detect_encoding(body))
            text = extract_plain_text(HTMLTree.parse(html), main_content=True)
            pages += 1
            text_bytes += len(text.encode())
            out.write(
                json.dumps(
                    {"id": record.record_id, "url": record.headers.get("WARC-Target-URI"), "text": text},
                    ensure_ascii=False,
                )
                + "\n"
            )
    return pages, text_bytes


def run_resiliparse(files, out_dir, procs):
    with Pool(procs) as pool:
        results = pool.map(resiliparse_file, [(f, out_dir) for f in files], chunksize=1)
    return sum(p for p, _ in results), sum(t for _, t in results)


def run_datatrove(warc_dir, out_dir, procs):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter

    executor = LocalPipelineExecutor(
        pipeline=[
            WarcReader(warc_dir, glob_pattern="*.warc.gz"),
            Trafilatura(),
            JsonlWriter(out_dir, compression=None),
        ],
        tasks=procs,
        workers=procs,
        logging_dir=os.path.join(out_dir, "logs"),
    )
    executor.run()
    pages = text_bytes = 0
    for path in glob.glob(os.path.join(out_dir, "*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                pages += 1
                text_bytes += len(json.loads(line)["text"].encode())
    return pages, text_bytes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tool", choices=["resiliparse", "datatrove"])
    ap.add_argument("warc_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--procs", type=int, default=1)
    args = ap.parse_args()
    shutil.rmtree(args.out_dir, ignore_errors=True)
    os.makedirs(args.out_dir)
    files = sorted(glob.glob(os.path.join(args.warc_dir, "*.warc.gz")))
    started = time.monotonic()
    if args.tool == "resiliparse":
        pages, text_bytes = run_resiliparse(files, args.out_dir, args.procs)
    else:
        pages, text_bytes = run_datatrove(args.warc_dir, args.out_dir, args.procs)
    seconds = time.monotonic() - started
    print(json.dumps({"tool": args.tool, "procs": args.procs, "pages": pages, "seconds": round(seconds, 2), "text_bytes": text_bytes}))


if __name__ == "__main__":
    main()
