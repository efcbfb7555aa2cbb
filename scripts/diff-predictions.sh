#!/usr/bin/env bash
# Diffs boildown's predictions on every page of ../shared/eval between a base commit and
# the working tree: each page's kept text, its verdict letters and the hash of its JSON
# report, one page at a time and with the site scope (`boildown eval --predictions`).
# For changes that must keep behaviour (refactoring): no line after "changed:" but 0.
#
#   scripts/diff-predictions.sh [BASE_REF]      (default HEAD; the working tree is compared)
#
# The base is built in a git worktree under target/diff-base (its own target folder, so
# the two builds do not evict each other). Writes target/diff-predictions/{base,new}/.
set -euo pipefail
cd "$(dirname "$0")/.."
base_ref=${1:-HEAD}
eval_dir=../shared/eval
[ -d "$eval_dir" ] || { echo "no $eval_dir: nothing to compare" >&2; exit 2; }

out=target/diff-predictions
rm -rf "$out" && mkdir -p "$out/base" "$out/new"
worktree=target/diff-base/tree
if [ -d "$worktree" ]; then git worktree remove --force "$worktree"; fi
git worktree add --detach --force "$worktree" "$base_ref" >/dev/null
trap 'git worktree remove --force "$worktree" >/dev/null 2>&1 || true' EXIT

echo "building $base_ref and the working tree" >&2
(cd "$worktree" && CARGO_TARGET_DIR=../target cargo build -q --release --features cli)
cargo build -q --release --features cli

for dataset in "$eval_dir"/*/; do
  name=$(basename "$dataset")
  [ -f "$dataset/pages.jsonl" ] && [ -d "$dataset/html" ] || continue
  for scope in site no-site; do
    flag=(); [ "$scope" = no-site ] && flag=(--no-site)
    target/diff-base/target/release/boildown eval "$dataset" "${flag[@]}" \
      --predictions "$out/base/$name.$scope.jsonl" >/dev/null
    target/release/boildown eval "$dataset" "${flag[@]}" \
      --predictions "$out/new/$name.$scope.jsonl" >/dev/null
  done
done

python3 - "$out" <<'EOF'
import json, os, sys
out = sys.argv[1]
total = changed = 0
for name in sorted(os.listdir(os.path.join(out, "base"))):
    read = lambda side: {r["id"]: r for r in map(json.loads, open(os.path.join(out, side, name)))}
    base, new = read("base"), read("new")
    diffs = {"text": [], "verdicts": [], "report": []}
    for id in base:
        for key in diffs:
            if key in base[id] and base[id].get(key) != new.get(id, {}).get(key):
                diffs[key].append(id)
    total += len(base)
    changed += len(set(diffs["text"]) | set(diffs["verdicts"]) | set(diffs["report"]))
    print("%-40s %5d pages; changed: text %d, verdicts %d, report %d %s" % (
        name[:-len(".jsonl")], len(base), len(diffs["text"]), len(diffs["verdicts"]),
        len(diffs["report"]), " ".join(sorted(set(sum(diffs.values(), [])))[:8])))
print("changed: %d of %d page predictions" % (changed, total))
EOF
