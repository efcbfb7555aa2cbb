#!/usr/bin/env python3
"""Scores decoders on the decoding test set (examples/decoding_set.rs writes it):

    cargo run --release --features cli --example decoding_set -- ../shared/eval target/decoding
    python3 scripts/decoding_eval.py target/decoding [--markdown]

Decoders: boildown (its results are in the set, from `decode_html(bytes, hint)`),
trafilatura's (`trafilatura.utils.decode_file(bytes)`, what `trafilatura.extract`
does with bytes) and Resiliparse's (`bytes_to_str(bytes, detect_encoding(bytes))`, its
documented way; both with their defaults: neither takes an HTTP charset). Neither
reads the hint, so their figures with a wrong hint are their figures without one.

A case is decoded right when the decoded text has the truth's non-ASCII characters:
at most 1% of them missing and at most 1% more (a mojibake loses most of them; a
decoder whose tables map a character or two otherwise, as Python's Shift_JIS does
with the WAVE DASH, still counts as right). Exact matches are counted too.
Results of trafilatura and Resiliparse are cached in OUT/others.jsonl.
"""
import gzip
import json
import os
import sys
from collections import Counter, defaultdict

TOLERANCE = 0.01


def right(truth, got):
    t, o = Counter(truth), Counter(got)
    total = sum(t.values())
    missing = sum((t - o).values())
    extra = sum((o - t).values())
    return missing <= TOLERANCE * total and extra <= TOLERANCE * total


def non_ascii(text):
    return Counter(c for c in text if ord(c) > 127)


def main():
    out = sys.argv[1]
    cases = [json.loads(line) for line in open(os.path.join(out, "cases.jsonl"))]
    cache_path = os.path.join(out, "others.jsonl")
    cache = {}
    if os.path.exists(cache_path):
        for line in open(cache_path):
            r = json.loads(line)
            cache[r["key"]] = r
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from trafilatura.utils import decode_file
    import logging
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    with open(cache_path, "a") as cache_file:
        for c in cases:
            key = c["id"] + ":" + c["truth"]["sha256"] + ":" + str(c["meta"])
            if key not in cache:
                data = gzip.open(os.path.join(out, "bytes", c["id"] + ".html.gz")).read()
                r = {"key": key,
                     "trafilatura": dict(non_ascii(decode_file(data))),
                     "resiliparse": dict(non_ascii(bytes_to_str(data, detect_encoding(data))))}
                cache[key] = r
                cache_file.write(json.dumps(r) + "\n")
            c["others"] = cache[key]
    tools = ["boildown", "trafilatura", "resiliparse"]
    table = defaultdict(lambda: defaultdict(list))
    exact = 0
    for c in cases:
        truth = Counter(c["truth"]["non_ascii"])
        got = {"boildown": Counter(c["boildown"]["non_ascii"]),
               "trafilatura": Counter(c["others"]["trafilatura"]),
               "resiliparse": Counter(c["others"]["resiliparse"])}
        exact += c["boildown"]["sha256"] == c["truth"]["sha256"]
        for row in [(c["group"], c["condition"]), (c["group"], "all"), ("all", c["condition"]), ("all", "all")]:
            for t in tools:
                table[row][t].append(right(truth, got[t]))
    groups = list(dict.fromkeys(c["group"] for c in cases)) + ["all"]
    conditions = list(dict.fromkeys(c["condition"] for c in cases)) + ["all"]
    md = "--markdown" in sys.argv
    if md:
        print("| encoding | declaration | cases | boildown | trafilatura | Resiliparse |")
        print("|---|---|---|---|---|---|")
    for g in groups:
        for cond in conditions:
            r = table.get((g, cond))
            if not r:
                continue
            shares = [sum(r[t]) / len(r[t]) for t in tools]
            if md:
                cells = ["%.3f" % s for s in shares]
                best = max(shares)
                cells = ["**%s**" % x if s == best else x for x, s in zip(cells, shares)]
                print("| %s | %s | %d | %s |" % (g, cond, len(r["boildown"]), " | ".join(cells)))
            else:
                print("%-13s %-24s %4d  boildown %.3f  trafilatura %.3f  resiliparse %.3f"
                      % (g, cond, len(r["boildown"]), *shares))
    print("boildown's text byte for byte the truth: %d of %d cases" % (exact, len(cases)))
    # Where boildown is wrong: which rule decided, and the encoding it took.
    wrong = Counter()
    for c in cases:
        if not right(Counter(c["truth"]["non_ascii"]), Counter(c["boildown"]["non_ascii"])):
            wrong[(c["group"], c["condition"], c["boildown"]["encoding"], c["boildown"]["source"])] += 1
    for k, v in sorted(wrong.items()):
        print("boildown wrong:", v, *k)


if __name__ == "__main__":
    main()
