#!/usr/bin/env bash
# Side by side on the same pages in one run: boildown (`boildown eval --repeat N`) and
# trafilatura, Resiliparse and readability-lxml (benches/others.py), time and quality.
#   pip install trafilatura resiliparse readability-lxml
#   bash benches/compare.sh [DATASET...]      (default: the four full-text dev sets)
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:-../shared/eval}
repeat=${REPEAT:-3}
cargo build -q --release --features cli
datasets=("$@")
[ ${#datasets[@]} -gt 0 ] || datasets=(wcxb-dev-sample cleaneval-dev cleanportaleval-dev readability-cases)
for d in "${datasets[@]}"; do
    echo "== $d"
    ./target/release/boildown eval "$eval_dir/$d" --repeat "$repeat" | grep -E "word bag|snippets   P|time" | sed 's/^/boildown  /'
    python3 benches/others.py "$eval_dir/$d" --repeat "$repeat" --out "target/others/$d"
    for t in trafilatura resiliparse readability-lxml; do
        ./target/release/boildown score "$eval_dir/$d" "target/others/$d/$t.jsonl" | grep -E "word bag|snippets   P" | sed "s/^/$t  /"
    done
done
