#!/usr/bin/env python3
"""Builds the benchmark corpus of `boildown corpus` from every page of the evaluation pack.

    python3 benches/corpus/build.py [--eval ../shared/eval] [--out target/bench-corpus]
                                    [--copies 3] [--files 8]

Each page of every dataset (`pages.jsonl`: its URL and its bytes as fetched) becomes a
WARC `response` record (with the `request` record a crawler writes before it), `--copies`
times: the first copy as it is, the others lightly edited as a re-crawl finds them (a
paragraph gone, a line added, another URL of the same site), so that sites, templates and
near-duplicates occur as in a crawl. The records are shuffled with a fixed seed (a crawl
interleaves sites) and written to `--files` WARC files, one gzip member per record as
Common Crawl writes them (`warc/part-N.warc.gz`), and the same pages to JSONL files
(`jsonl/part-N.jsonl`: `id`, `url`, `html`, the page decoded as its bytes say, UTF-8 or
else windows-1252). With three copies the WARC holds about 1.1 GB of pages.

Deterministic: the same pack gives the same files. Python's standard library only.
"""
import argparse
import gzip
import io
import json
import os
import random
import re
import uuid
from datetime import datetime, timedelta, timezone

PARAGRAPH = re.compile(rb"<p[\s>].*?</p>", re.S | re.I)


def pages(eval_dir):
    for name in sorted(os.listdir(eval_dir)):
        listing = os.path.join(eval_dir, name, "pages.jsonl")
        if not os.path.exists(listing):
            continue
        with open(listing, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                with gzip.open(os.path.join(eval_dir, name, row["html"])) as page:
                    body = page.read()
                url = row.get("url") or f"http://{row['site']}/{row['id']}"
                yield f"{name}/{row['id']}", url, body


def edited(body, url, copy, rng):
    """A re-crawled copy: one paragraph dropped, a line added, another URL."""
    paragraphs = list(PARAGRAPH.finditer(body))
    if paragraphs:
        p = paragraphs[rng.randrange(len(paragraphs))]
        body = body[: p.start()] + body[p.end() :]
    stamp = f"<p>Updated on day {rng.randrange(1, 3650)} of the archive.</p>".encode()
    at = body.lower().rfind(b"</body>")
    body = body[:at] + stamp + body[at:] if at >= 0 else body + stamp
    sep = "&" if "?" in url else "?"
    return body, f"{url}{sep}crawl={copy}"


def record(kind, uri, date, content, extra=""):
    header = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=random.getrandbits(128), version=4)}>\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"{extra}"
        f"Content-Type: application/http; msgtype={kind}\r\n"
        f"Content-Length: {len(content)}\r\n\r\n"
    ).encode()
    return header + content + b"\r\n\r\n"


def decoded(body):
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", default="../shared/eval")
    ap.add_argument("--out", default="target/bench-corpus")
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--files", type=int, default=8)
    args = ap.parse_args()
    random.seed(15)
    rng = random.Random(15)
    items = []
    for page_id, url, body in pages(args.eval):
        items.append((page_id, url, body))
        for copy in range(1, args.copies):
            b, u = edited(body, url, copy, rng)
            items.append((f"{page_id}~{copy}", u, b))
    rng.shuffle(items)
    os.makedirs(os.path.join(args.out, "warc"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "jsonl"), exist_ok=True)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    total = 0
    per_file = (len(items) + args.files - 1) // args.files
    for n in range(args.files):
        part = items[n * per_file : (n + 1) * per_file]
        with open(os.path.join(args.out, "warc", f"part-{n}.warc.gz"), "wb") as warc, open(
            os.path.join(args.out, "jsonl", f"part-{n}.jsonl"), "w", encoding="utf-8"
        ) as jsonl:
            for i, (page_id, url, body) in enumerate(part):
                date = (start + timedelta(seconds=n * per_file + i)).strftime("%Y-%m-%dT%H:%M:%SZ")
                host = url.split("/")[2] if "://" in url else "unknown"
                request = f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: bench\r\n\r\n".encode()
                response = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                for kind, content in (("request", request), ("response", response)):
                    buf = io.BytesIO()
                    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6, mtime=0) as gz:
                        gz.write(record(kind, url, date, content))
                    warc.write(buf.getvalue())
                total += len(body)
                jsonl.write(
                    json.dumps({"id": page_id, "url": url, "html": decoded(body)}, ensure_ascii=False)
                    + "\n"
                )
    print(f"{len(items)} pages, {total / 1e6:.0f} MB of pages, in {args.files} files under {args.out}")


if __name__ == "__main__":
    main()
