#!/usr/bin/env bash
# `boildown corpus` side by side with the pipelines a data engineer would use instead, on
# the benchmark corpus (benches/corpus/build.py: every page of ../shared/eval, three
# copies, ~1.1 GB of pages in 8 WARC files), in one run, alternating the tools:
#
#   boildown corpus --threads N          (site scope and near-duplicates on)
#   FastWARC + Resiliparse, N processes   (benches/corpus/others.py resiliparse)
#   datatrove + trafilatura, N tasks      (benches/corpus/others.py datatrove)
#
# for N = 1 and 2, each run pinned to N cores (`taskset -c 0..N-1`: boildown's reader
# and writer threads, and a pool's parent process, share the N cores with the
# workers). Each run is timed by GNU time: wall seconds, CPU seconds (user + sys) and
# peak resident memory (the largest process's, for a process pool). The table goes to
# stdout and target/bench-out/corpus.md.
#
#   pip install fastwarc resiliparse "datatrove[io,processing]" trafilatura
#   bash benches/corpus/run.sh [TOOLS...]     (default: boildown resiliparse datatrove)
#   CORES=2 bash benches/corpus/run.sh boildown datatrove    (only N = 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${CORPUS:-target/bench-corpus}
out=target/bench-out
tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(boildown resiliparse datatrove)
[ -d "$corpus/warc" ] || python3 benches/corpus/build.py --out "$corpus"
cargo build -q --release --features cli
mkdir -p "$out"
table="$out/corpus.md"
echo "| tool | threads | pages | wall s | CPU s | pages/s | MB/s per core | peak memory MB |" > "$table"
echo "|---|---|---|---|---|---|---|---|" >> "$table"
run() { # name threads command...
    local name=$1 n=$2; shift 2
    local timing="$out/time-$name-$n.txt"
    /usr/bin/time -f "%e %U %S %M" -o "$timing" taskset -c "0-$((n - 1))" "$@" > "$out/log-$name-$n.txt" 2>&1
    read -r wall user sys rss < "$timing"
    local pages
    case $name in
        boildown) pages=$(python3 -c "import json; print(json.load(open('$out/boildown-$n.json'))['pages'])") ;;
        *) pages=$(tail -1 "$out/log-$name-$n.txt" | python3 -c "import json,sys; print(json.loads(sys.stdin.read())['pages'])") ;;
    esac
    python3 - "$name" "$n" "$pages" "$wall" "$user" "$sys" "$rss" "$corpus" >> "$table" <<'EOF'
import sys, os, json
name, n, pages, wall, user, sys_, rss, corpus = sys.argv[1:]
n, pages, wall, cpu = int(n), int(pages), float(wall), float(user) + float(sys_)
# The pages' bytes (HTTP bodies): what the extractors read.
size = json.load(open("target/bench-out/boildown-1.json"))["page_bytes"] if os.path.exists("target/bench-out/boildown-1.json") else 0
print(f"| {name} | {n} | {pages} | {wall:.1f} | {cpu:.1f} | {pages / wall:.0f} | {size / 1e6 / wall / n:.1f} | {int(rss) / 1024:.0f} |")
EOF
    tail -1 "$table"
}
for n in ${CORES:-1 2}; do
    for tool in "${tools[@]}"; do
        case $tool in
            boildown) run boildown "$n" ./target/release/boildown corpus "$corpus/warc" -o "$out/boildown-$n.jsonl" --threads "$n" --stats "$out/boildown-$n.json" -q ;;
            resiliparse|datatrove) run "$tool" "$n" python3 benches/corpus/others.py "$tool" "$corpus/warc" "$out/$tool-$n" --procs "$n" ;;
        esac
    done
done
cat "$table"
