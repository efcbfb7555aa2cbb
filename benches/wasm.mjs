// WebAssembly throughput of `clean` under Node.js, as a ratio to native on the same
// text in the same run: the gold texts of the eval pack (the pages of `cargo bench
// --bench core`), alternately cleaned by the native build (examples/profile.rs) and by
// the package in pkg/, ROUNDS times each; medians of each side and their ratio.
//
//   cargo build --release --example profile && wasm-pack build --target web --release
//   node benches/wasm.mjs [ROUNDS]
//
// The WASM side is the whole JS call: copying the string in, cleaning, and building the
// report objects (one per block). Prints nothing but a note when ../shared/eval is absent.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import boildown, { root } from "../tests/js/load.mjs";

const DATASETS = ["wcxb-dev-sample", "wcxb-dev-multisite", "cleaneval-dev", "cleanportaleval-dev", "readability-cases"];
const evalDir = new URL("../shared/eval/", root);
const rounds = Number(process.argv[2] ?? 7);
// Each measurement cleans every page PASSES times.
const PASSES = 3;

const pages = [];
for (const name of DATASETS) {
  const file = new URL(`${name}/pages.jsonl`, evalDir);
  if (!existsSync(file)) continue;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    const gold = JSON.parse(line).gold;
    if (typeof gold === "string" && gold.length > 0) pages.push(gold);
  }
}
if (pages.length === 0) {
  console.log(`no eval pack at ${evalDir.pathname}: nothing to measure`);
  process.exit(0);
}
const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p), 0);
const native = new URL("target/release/examples/profile", root).pathname;
if (!existsSync(native)) {
  console.error("error: build the native side first: cargo build --release --example profile");
  process.exit(1);
}

function nativeRun() {
  const out = execFileSync("sh", ["-c", `"${native}" clean ${PASSES} 2>&1`], { encoding: "utf8" });
  return Number(/([\d.]+) MB\/s/.exec(out)[1]);
}

const cleaner = new boildown.Cleaner();
// `clean`: the full report; `cleanToText`: the same work without the report objects.
function wasmMBs(call) {
  let sink = 0;
  const t0 = performance.now();
  for (let r = 0; r < PASSES; r++) {
    for (const p of pages) sink += call(p);
  }
  const secs = (performance.now() - t0) / 1000;
  if (sink === 0) throw new Error("nothing kept");
  return (PASSES * bytes) / secs / 1e6;
}
// Each reads a character from the middle of the cleaned text, so that the text is
// really built (JS keeps a concatenation as a rope until it is read).
const middle = (s) => s.charCodeAt(s.length >> 1) | 1;
const report = (p) => {
  const r = cleaner.clean(p, { format: "text" });
  return r.stats.kept + middle(r.text);
};
const text = (p) => middle(cleaner.cleanToText(p, { format: "text" }));

wasmMBs(report); // warm-up: compile tiers
wasmMBs(text);
const n = [];
const w = [];
const t = [];
for (let i = 0; i < rounds; i++) {
  n.push(nativeRun());
  w.push(wasmMBs(report));
  t.push(wasmMBs(text));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const show = (xs) => `${xs.map((x) => x.toFixed(0)).join(" ")} MB/s, median ${median(xs).toFixed(1)}`;
console.log(`pages: ${pages.length}, ${(bytes / 1e6).toFixed(1)} MB of text; ${rounds} alternating rounds`);
console.log(`native Cleaner::clean:  ${show(n)}`);
console.log(`wasm Cleaner.clean:     ${show(w)}`);
console.log(`wasm Cleaner.cleanToText: ${show(t)}`);
// Each round's two sides run back to back, so the median of the per-round ratios is
// the figure least moved by the machine's drift; the ratio of medians is shown too.
const ratios = (xs) => median(xs.map((x, i) => x / n[i])).toFixed(2);
console.log(`wasm / native, median of per-round ratios: clean ${ratios(w)}, cleanToText ${ratios(t)}`);
console.log(`wasm / native, ratio of medians:           clean ${(median(w) / median(n)).toFixed(2)}, cleanToText ${(median(t) / median(n)).toFixed(2)}`);
