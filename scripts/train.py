"""Trains boildown's main-content classifier and writes it as Rust (src/classify/model.rs).

    cargo run --release --features cli,training --example features -- ../shared/eval/wcxb-dev-multisite > target/train/wcxb-dev-multisite.jsonl
    (and so for every dataset; the later stages' inputs come from examples/stage_inputs.rs, built on the way)
    python3 scripts/train.py target/train --traf --site [--write src/classify/model.rs]
    python3 scripts/train.py target/train --held-out   # each dev set scored by forests trained without it

Trained on WCXB's dev multi-site pages (CC-BY-4.0) and, with --traf, the half of the
trafilatura benchmark's pages whose id has an even CRC-32 (Apache-2.0); every other
dataset of the pack, and the other half, is a check the model has not seen. Prints word
F1 (snippet F1 for the trafilatura half) per check set and threshold. Needs numpy and
scikit-learn; deterministic (random_state 0).
"""
import json, re, sys, math, os, subprocess
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

class Stages:
    """The later stages' inputs, computed by the library itself (examples/stage_inputs.rs,
    one request a page over a pipe), so that this script only fits trees and never
    computes a feature of its own."""
    def __init__(self):
        exe = os.path.join(ROOT, "target", "release", "examples", "stage_inputs")
        subprocess.run(["cargo", "build", "--release", "--quiet", "--features", "training",
                        "--example", "stage_inputs"], cwd=ROOT, check=True)
        self.proc = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    def ask(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())
    def inputs(self, request):
        return np.array(self.ask(request)["x"], dtype=np.float32)

_STAGES = None
def stages():
    global _STAGES
    if _STAGES is None:
        _STAGES = Stages()
    return _STAGES

WORD = re.compile(r"\w+")
# Weight of a trafilatura page's blocks against a WCXB page's (few of its blocks have labels).
TRAF_WEIGHT = float(os.environ.get("TRAF_WEIGHT", "3"))
# A page keeping fewer characters keeps none (as src/classify/mod.rs does).
MIN_TEXT = int(os.environ.get("MIN_TEXT", "200"))
TRAIN = ["wcxb-dev-multisite"]
CHECK = ["wcxb-dev-sample", "cleaneval-dev", "cleanportaleval-dev", "readability-cases", "trafilatura-eval"]

def load(path):
    pages = []
    with open(path) as f:
        names = json.loads(f.readline())["names"]
        for line in f:
            pages.append(json.loads(line))
    return names, pages

def snippet_labels(page):
    withs = [norm(x) for x in page.get("with") or []]
    withouts = [norm(x) for x in page.get("without") or []]
    out = []
    for t in page["texts"]:
        n = norm(t)
        if len(n) < 2:
            out.append(-1)
        elif any(s in n or (len(n) > 20 and n in s) for s in withs):
            out.append(1)
        elif any(s in n or (len(n) > 20 and n in s) for s in withouts):
            out.append(0)
        else:
            out.append(-1)
    return out

def labels(page):
    gold = page["gold"]
    if gold is None:
        return snippet_labels(page) if (page.get("with") or page.get("without")) else None
    g = WORD.findall(gold.lower())
    tri = set(zip(g, g[1:], g[2:]))
    joined = " " + " ".join(g) + " "
    out = []
    for t in page["texts"]:
        w = WORD.findall(t.lower())
        if len(w) >= 3:
            grams = list(zip(w, w[1:], w[2:]))
            share = sum(x in tri for x in grams) / len(grams)
            out.append(1 if share >= 0.5 else 0)
        elif w:
            out.append(1 if (" " + " ".join(w) + " ") in joined else 0)
        else:
            out.append(0)
    return out

def matrix(pages, names):
    X, y, w, pid = [], [], [], []
    for i, p in enumerate(pages):
        lab = labels(p)
        if lab is None:
            continue
        toks = [len(WORD.findall(t)) for t in p["texts"]]
        total = max(1, sum(toks))
        for f, l, k in zip(p["features"], lab, toks):
            if l < 0:
                continue
            X.append(f); y.append(l); w.append((k + 1) / total * (TRAF_WEIGHT if p["gold"] is None else 1)); pid.append(i)
    return np.array(X, dtype=np.float32), np.array(y), np.array(w), np.array(pid)

def context(pages, probs, names):
    """Stage-2 inputs: a page's features, then the stage-1 probability of the block, its
    neighbours, its window, its tag path and its parent, as the library computes them."""
    out = []
    for p, pr in zip(pages, probs):
        F = np.array(p["features"], dtype=np.float32).reshape(len(p["texts"]), len(names))
        if len(pr) == 0:
            out.append(F)
            continue
        ctx = stages().inputs({"stage": 2, "p": [float(x) for x in pr], "chars": p["chars"],
                               "paths": p["paths"], "parents": p["parents"]})
        out.append(np.concatenate([F, ctx], axis=1))
    return out

def word_f1(pred, gold):
    from collections import Counter
    o = Counter(WORD.findall(pred.lower())); g = Counter(WORD.findall(gold.lower()))
    no, ng = sum(o.values()), sum(g.values())
    if ng == 0:
        return 1.0 if no == 0 else 0.0
    if no == 0:
        return 0.0
    ov = sum((o & g).values())
    p, r = ov / no, ov / ng
    return 0 if ov == 0 else 2 * p * r / (p + r)

def norm(s):
    return " ".join(s.split())

def evaluate(pages, prob, threshold, repeat_index):
    f1s = []; tp = fp = fn = 0
    for p in pages:
        if not p["features"]:
            text = ""
        else:
            pr = prob(np.array(p["features"], dtype=np.float32).reshape(len(p["texts"]), -1))
            keep = [t for t, f, q in zip(p["texts"], p["features"], pr) if q >= threshold and f[repeat_index] == 0]
            text = "\n\n".join(keep)
            if len(text) < MIN_TEXT:
                text = ""
        if p["gold"] is not None:
            f1s.append(word_f1(text, p["gold"]))
        if p.get("with") or p.get("without"):
            n = norm(text)
            for s in p.get("with") or []:
                if norm(s) in n: tp += 1
                else: fn += 1
            for s in p.get("without") or []:
                if norm(s) in n: fp += 1
    if f1s:
        return "%.3f" % (sum(f1s) / len(f1s))
    return "%.3f(fp%d,fn%d)" % (2 * tp / (2 * tp + fp + fn), fp, fn)

def fit_two(train, names):
    """Stage 1 and stage 2 on `train`: the two forests and a function giving stage 2's
    probabilities for every block of a list of pages."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold
    X, y, w, pid = matrix(train, names)
    gb = HistGradientBoostingClassifier(**PARAMS).fit(X, y, sample_weight=w * len(w))
    # Stage 1 out of fold on the training pages, for stage 2's inputs.
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(X, y, pid):
        g = HistGradientBoostingClassifier(**PARAMS).fit(X[tr], y[tr], sample_weight=w[tr] * len(w))
        oof[te] = g.predict_proba(X[te])[:, 1]
    # Per page probabilities of all blocks (unlabelled ones from the full model).
    def stage1(pages):
        return [gb.predict_proba(np.array(p["features"], dtype=np.float32).reshape(len(p["texts"]), len(names)))[:, 1] if p["texts"] else np.zeros(0) for p in pages]
    probs = stage1(train)
    # Replace labelled blocks' probabilities with out-of-fold ones.
    k = 0
    for i, p in enumerate(train):
        lab = labels(p)
        if lab is None:
            continue
        for j, l in enumerate(lab):
            if l < 0:
                continue
            probs[i][j] = oof[k]; k += 1
    X2 = []
    for p, F in zip(train, context(train, probs, names)):
        lab = labels(p)
        if lab is None:
            continue
        for f, l in zip(F, lab):
            if l >= 0:
                X2.append(f)
    X2 = np.array(X2, dtype=np.float32)
    gb2 = HistGradientBoostingClassifier(**PARAMS).fit(X2, y, sample_weight=w * len(w))
    def two(pages):
        return context(pages, stage1(pages), names)
    def predict(pages):
        return [gb2.predict_proba(F)[:, 1] if len(F) else np.zeros(0) for F in two(pages)]
    return gb, gb2, two, predict

PARAMS = dict(max_depth=3, max_iter=100, learning_rate=0.1, random_state=0)

def main():
    d = sys.argv[1]
    names, train = load(os.path.join(d, TRAIN[0] + ".jsonl"))
    global REPEAT
    REPEAT = names.index("repeat")
    multisite = train
    traf = load(os.path.join(d, "trafilatura-eval.jsonl"))[1]
    import zlib
    half = lambda p: zlib.crc32(p["id"].encode()) % 2
    train_traf = [p for p in traf if half(p) == 0]
    check_traf = [p for p in traf if half(p) == 1]
    # Besides WCXB's multi-site pages: the even half of the trafilatura benchmark
    # (--traf), or every dev set whose licence allows it (--licensed: WCXB's sample,
    # all of the trafilatura benchmark, Readability's cases).
    extra = []
    if "--licensed" in sys.argv:
        extra = load(os.path.join(d, "wcxb-dev-sample.jsonl"))[1] + traf + load(os.path.join(d, "readability-cases.jsonl"))[1]
    elif "--traf" in sys.argv:
        extra = train_traf
    train = train + extra
    checks = {c: load(os.path.join(d, c + ".jsonl"))[1] for c in CHECK if c != "trafilatura-eval"}
    checks["traf-half"] = check_traf
    rep = names.index("repeat")
    if "--held-out" in sys.argv:
        held_out(d, names, rep)
        return
    gb, gb2, two, predict = fit_two(train, names)
    gb3 = None
    if "--site" in sys.argv:
        gb3 = site_stage(multisite, extra, checks["cleanportaleval-dev"], predict, names)
    if "--write" in sys.argv:
        write(sys.argv[sys.argv.index("--write") + 1], names, gb, gb2, gb3)
    for th in [0.5, 0.55, 0.6, 0.65]:
        row = ["stage2", th]
        for c, pages in checks.items():
            feats = two(pages)
            row += [c, evaluate2(pages, feats, lambda F: gb2.predict_proba(F)[:, 1], th, rep)]
        print(*row)

# --- The site stage: a third forest that reads stage 2's probabilities and the site's counts.


def site_counts(pages):
    """Per page: how many other pages its site has, and per block on how many of them
    the block's exact fingerprint stands (each page counted once per fingerprint)."""
    from collections import Counter, defaultdict
    by_site = defaultdict(list)
    for i, p in enumerate(pages):
        by_site[p["site"]].append(i)
    out = [None] * len(pages)
    for ids in by_site.values():
        count = Counter()
        for i in ids:
            count.update(set(pages[i]["exact"]))
        for i in ids:
            out[i] = (len(ids) - 1, [count[e] - 1 for e in pages[i]["exact"]])
    return out

def site_features(page, p2, counts, names):
    """The site stage's inputs, in SITE_NAMES order, as the library computes them; None
    for a page whose site has no other page (cleaning runs no site stage there)."""
    n = len(page["texts"])
    other_pages, block_pages = counts
    if n == 0 or other_pages == 0:
        return None
    F = np.array(page["features"], dtype=np.float32).reshape(n, -1)
    own = F[:, [names.index("ln_chars"), names.index("link_density"), names.index("in_region")]]
    return stages().inputs({"stage": 3, "p": [float(x) for x in p2], "own": own.tolist(),
                            "paths": page["paths"], "parents": page["parents"],
                            "other_pages": other_pages, "block_pages": block_pages})

def site_probs(g, page, p2, counts, names):
    """The site stage's probabilities of a page's blocks: the single page's where no
    other page of its site is known, as in cleaning."""
    X = site_features(page, p2, counts, names)
    return p2 if X is None else g.predict_proba(X)[:, 1]

def site_matrix(pages, p2s, counts, names):
    X, y, w = [], [], []
    for p, p2, c in zip(pages, p2s, counts):
        lab = labels(p)
        if lab is None:
            continue
        Xp = site_features(p, p2, c, names)
        if Xp is None:
            continue
        toks = [len(WORD.findall(t)) for t in p["texts"]]
        total = max(1, sum(toks))
        for j, l in enumerate(lab):
            if l >= 0:
                X.append(Xp[j]); y.append(l); w.append((toks[j] + 1) / total)
    return np.array(X, dtype=np.float32), np.array(y), np.array(w)

def site_stage(multisite, extra, cportal, predict, names):
    """Trains the site stage on the multi-site pages. Its inputs must be stage 2's
    probabilities on sites stage 2 never saw, as they will be in use: stages 1 and 2 are
    refitted five times, each without a fifth of the sites, for the other fifth. Prints
    word F1 with and without the site stage, on the multi-site pages by site-grouped
    cross-validation (no site in both training and test) and on CleanPortalEval."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold
    sites = [p["site"] for p in multisite]
    p2 = [None] * len(multisite)
    folds = list(GroupKFold(n_splits=5).split(multisite, multisite, sites))
    for k, (tr, te) in enumerate(folds):
        predict_k = fit_two([multisite[i] for i in tr] + extra, names)[3]
        for i, pr in zip(te, predict_k([multisite[i] for i in te])):
            p2[i] = pr
        print("site stage: stage 2 refitted without fold", k, flush=True)
    counts = site_counts(multisite)
    p3 = [None] * len(multisite)
    for tr, te in folds:
        X, y, w = site_matrix([multisite[i] for i in tr], [p2[i] for i in tr], [counts[i] for i in tr], names)
        g = HistGradientBoostingClassifier(**PARAMS).fit(X, y, sample_weight=w * len(w))
        for i in te:
            p3[i] = site_probs(g, multisite[i], p2[i], counts[i], names)
    X, y, w = site_matrix(multisite, p2, counts, names)
    gb3 = HistGradientBoostingClassifier(**PARAMS).fit(X, y, sample_weight=w * len(w))
    cp2 = predict(cportal)
    cp3 = [site_probs(gb3, p, pr, c, names) for p, pr, c in zip(cportal, cp2, site_counts(cportal))]
    per_site("wcxb-dev-multisite (site-grouped CV)", multisite, p2, p3, counts)
    per_site("cleanportaleval-dev", cportal, cp2, cp3, site_counts(cportal))
    for th in [0.4, 0.5, 0.6]:
        print("site stage", th,
              "wcxb-dev-multisite (site-grouped CV) single page %.3f site %.3f" % (f1_of(multisite, p2, th), f1_of(multisite, p3, th, p2)),
              "cleanportaleval-dev single page %.3f site %.3f" % (f1_of(cportal, cp2, th), f1_of(cportal, cp3, th, cp2)))
    return gb3

SITE_REMOVES_BELOW = 0.4  # as src/classify/mod.rs

def site_text(p, p2, p3, counts, threshold, shipped):
    """A page's kept text in its site. With `shipped`, by src/classify/mod.rs's rules
    (`site_keeps`): a block on no other page keeps its single-page verdict, and a block
    the single page keeps goes only with two other pages or more and the site stage
    under SITE_REMOVES_BELOW; else the site stage decides. Without, the rule before
    issue 12: a block on no other page stays if the page or the site stage keeps it.
    Either way the site never empties a page the single page found content on."""
    block_pages = counts[1]
    def text(keep):
        t = "\n\n".join(x for x, f, k in zip(p["texts"], p["features"], keep) if k and f[REPEAT] == 0)
        return t if len(t) >= MIN_TEXT else ""
    single = [q >= threshold for q in p2]
    site = []
    for k, q, b in zip(single, p3, block_pages):
        if not shipped:
            site.append((k and b == 0) or q >= threshold)
        elif b == 0:
            site.append(k)
        elif k:
            site.append(counts[0] < 2 or q >= SITE_REMOVES_BELOW)
        else:
            site.append(q >= threshold)
    s, one = text(site), text(single)
    return s if s or not one else one


def per_site(name, pages, p2, p3, counts, threshold=0.5):
    """Per site: word F1 one page at a time and in the site (by the rule before issue 12
    and the shipped one), mean over the site's pages; prints the sites that lose over
    0.005."""
    from collections import defaultdict
    by_site = defaultdict(lambda: [[], [], []])
    for p, a, b, c in zip(pages, p2, p3, counts):
        if p["gold"] is None or not p["texts"]:
            continue
        single = text_of_probs(p, a, threshold)
        r = by_site[p["site"]]
        r[0].append(word_f1(single, p["gold"]))
        r[1].append(word_f1(site_text(p, a, b, c, threshold, False), p["gold"]))
        r[2].append(word_f1(site_text(p, a, b, c, threshold, True), p["gold"]))
    for rule, col in [("before issue 12", 1), ("shipped (site_keeps)", 2)]:
        deltas = sorted((sum(r[col]) / len(r[col]) - sum(r[0]) / len(r[0]), site) for site, r in by_site.items())
        losses = [(round(d, 3), s) for d, s in deltas if d < -0.005]
        gains = [d for d, s in deltas if d > 0.005]
        mean = lambda col: sum(sum(r[col]) / len(r[col]) for r in by_site.values()) / len(by_site)
        print("per site", name, rule, "sites %d, site mean %.3f vs single %.3f; %d gain, %d lose over 0.005:"
              % (len(by_site), mean(col), mean(0), len(gains), len(losses)), losses, flush=True)


def text_of_probs(p, pr, threshold):
    t = "\n\n".join(x for x, f, q in zip(p["texts"], p["features"], pr) if q >= threshold and f[REPEAT] == 0)
    return t if len(t) >= MIN_TEXT else ""


def f1_of(pages, probs, threshold, fallback=None):
    """Mean word F1 keeping blocks at `threshold`; with `fallback` (the single-page
    probabilities), a page the site stage would empty keeps what they keep, as
    src/classify/mod.rs does."""
    def text_of(p, pr):
        text = "\n\n".join(t for t, f, q in zip(p["texts"], p["features"], pr) if q >= threshold and f[REPEAT] == 0)
        return text if len(text) >= MIN_TEXT else ""
    f1s = []
    for i, (p, pr) in enumerate(zip(pages, probs)):
        if p["gold"] is None:
            continue
        text = text_of(p, pr)
        if not text and fallback is not None:
            text = text_of(p, fallback[i])
        f1s.append(word_f1(text, p["gold"]))
    return sum(f1s) / len(f1s)

def f32(x):
    """A Rust f32 literal that reads back as exactly `x`."""
    r = repr(float(x))
    if "inf" in r:
        return "f32::INFINITY" if x > 0 else "f32::NEG_INFINITY"
    return r

DEPTH = 3

def forest(name, gb, out):
    """Each tree as a complete tree of depth DEPTH: 2^DEPTH - 1 splits in heap order
    (children of i at 2i+1, 2i+2) and 2^DEPTH leaves. A leaf above the last level is
    padded with splits that always go left (threshold +inf) and copies of its value."""
    splits, leaves = 2 ** DEPTH - 1, 2 ** DEPTH
    trees = []
    for (tree,) in gb._predictors:
        nodes = tree.nodes
        feature = [0] * splits
        threshold = [float("inf")] * splits
        leaf = [0.0] * leaves
        def fill(node, i, depth):
            nd = nodes[node]
            if depth == DEPTH:
                assert nd["is_leaf"], "tree deeper than DEPTH"
                leaf[i - splits] = float(nd["value"])
                return
            if nd["is_leaf"]:
                fill(node, 2 * i + 1, depth + 1)  # threshold +inf: always left
                return
            feature[i] = int(nd["feature_idx"])
            t = float(nd["num_threshold"])
            # The largest f32 at or below the threshold: for f32 features, `x <= t32`
            # decides as `x <= t` does.
            t32 = np.float32(t)
            if float(t32) > t:
                t32 = np.nextafter(t32, np.float32(-np.inf))
            threshold[i] = float(t32)
            fill(int(nd["left"]), 2 * i + 1, depth + 1)
            fill(int(nd["right"]), 2 * i + 2, depth + 1)
        fill(0, 0, 0)
        trees.append((feature, threshold, leaf))
    out.append("pub(crate) static %s: Forest = Forest {" % name)
    out.append("    baseline: %r," % float(np.ravel(gb._baseline_prediction)[0]))
    out.append("    trees: &[")
    for feature, threshold, leaf in trees:
        out.append("        Tree {")
        out.append("            feature: [%s]," % ", ".join(map(str, feature)))
        out.append("            threshold: [%s]," % ", ".join(f32(np.float32(t)) for t in threshold))
        out.append("            leaf: [%s]," % ", ".join(f32(np.float32(v)) for v in leaf))
        out.append("        },")
    out.append("    ],")
    out.append("};")

def write(path, names, gb, gb2, gb3):
    out = ["//! The main-content classifier's trees, written by `scripts/train.py`: do not edit.",
           "//! Trained on WCXB's dev multi-site pages (CC-BY-4.0, Murrough-Foley/",
           "//! web-content-extraction-benchmark) and half of the trafilatura benchmark's pages",
           "//! (Apache-2.0, adbar/trafilatura); features in `features::NAMES` order.",
           "#![allow(clippy::unreadable_literal, clippy::excessive_precision)]",
           "", "use crate::classify::forest::{Forest, Tree};", ""]
    forest("STAGE1", gb, out)
    out.append("")
    forest("STAGE2", gb2, out)
    if gb3 is not None:
        out.append("")
        out.append("/// The site stage: reads `classify::SITE_NAMES`, trained on WCXB's multi-site pages.")
        forest("STAGE3", gb3, out)
    open(path, "w").write("\n".join(out) + "\n")

# --- Dataset-held-out figures: each dev set scored by forests trained without it.

POOLS = {
    # What the shipped forests train on: WCXB's multi-site pages and the even half of
    # the trafilatura benchmark.
    "shipped": ["wcxb-dev-multisite", "trafilatura-eval/even"],
    # Every dev set whose licence allows training: WCXB (CC-BY-4.0), the trafilatura
    # benchmark and Readability's cases (Apache-2.0).
    "licensed": ["wcxb-dev-multisite", "wcxb-dev-sample", "trafilatura-eval", "readability-cases"],
}
HELD_OUT = ["wcxb-dev-multisite", "wcxb-dev-sample", "cleaneval-dev", "cleanportaleval-dev",
            "readability-cases", "trafilatura-eval"]


def held_out(d, names, rep, threshold=0.5):
    """For each pool and each dev set: the set's figure (word F1; snippet F1 for the
    trafilatura benchmark, all of it) from stage 1 and 2 trained on the pool without
    that whole set. Prints a line per pool and a table."""
    import zlib
    sets = {c: load(os.path.join(d, c + ".jsonl"))[1] for c in HELD_OUT}
    even = [p for p in sets["trafilatura-eval"] if zlib.crc32(p["id"].encode()) % 2 == 0]
    def members(pool, without):
        out = []
        for m in POOLS[pool]:
            name = m.split("/")[0]
            if name == without:
                continue
            out += even if m.endswith("/even") else sets[name]
        return out
    table = {}
    for pool in POOLS:
        fitted = {}
        for c in HELD_OUT:
            inside = any(m.split("/")[0] == c for m in POOLS[pool])
            key = c if inside else None
            if key not in fitted:
                fitted[key] = fit_two(members(pool, c), names)
            gb, gb2, two, predict = fitted[key]
            pages = sets[c]
            table[(pool, c)] = evaluate2(pages, two(pages), lambda F: gb2.predict_proba(F)[:, 1], threshold, rep)
            print(pool, c, table[(pool, c)], flush=True)
    print("dataset-held-out", *HELD_OUT)
    for pool in POOLS:
        print(pool, *[table[(pool, c)] for c in HELD_OUT])


def evaluate2(pages, feats, prob, threshold, rep):
    shadow = [dict(p, features=f.tolist()) for p, f in zip(pages, feats)]
    return evaluate(shadow, prob, threshold, rep)

if __name__ == "__main__":
    main()
