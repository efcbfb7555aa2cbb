"""Times and scores the extractors boildown is compared with, on the pages of an
evaluation dataset, the way `boildown eval --repeat N` does: each page from its raw
bytes to text, one core, the median of N runs per page; then the median over pages.

    pip install trafilatura resiliparse readability-lxml
    python3 benches/others.py ../shared/eval/cleaneval-dev [--repeat 3] [--out DIR] [--tools resiliparse,trafilatura]

With --out, each tool's predictions are written to DIR/<tool>.jsonl for
`boildown score DATASET DIR/<tool>.jsonl`.
"""
import gzip, json, os, statistics, sys, time


def tools():
    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from readability import Document
    import lxml.html

    def traf(raw):
        return trafilatura.extract(raw) or ""

    def resili(raw):
        html = bytes_to_str(raw, detect_encoding(raw))
        return extract_plain_text(html, main_content=True)

    def readab(raw):
        html = Document(raw).summary()
        return lxml.html.fromstring(html).text_content() if html.strip() else ""

    return {"trafilatura": traf, "resiliparse": resili, "readability-lxml": readab}


def main():
    dataset = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else None
    pages = [json.loads(l) for l in open(os.path.join(dataset, "pages.jsonl")) if l.strip()]
    raws = [gzip.open(os.path.join(dataset, p["html"])).read() for p in pages]
    only = sys.argv[sys.argv.index("--tools") + 1].split(",") if "--tools" in sys.argv else None
    for name, extract in tools().items():
        if only and name not in only:
            continue
        times, preds = [], []
        for page, raw in zip(pages, raws):
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                try:
                    text = extract(raw)
                except Exception:  # a tool failing on a page outputs nothing
                    text = ""
                runs.append(time.perf_counter() - started)
            times.append(statistics.median(runs))
            preds.append({"id": page["id"], "text": text})
        print("%-18s median %.2f ms per page, mean %.2f ms (%d pages)" % (
            name, statistics.median(times) * 1e3, statistics.mean(times) * 1e3, len(pages)))
        if out:
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, name + ".jsonl"), "w") as f:
                for p in preds:
                    f.write(json.dumps(p) + "\n")


main()
