// Two builds of the package side by side in one Node.js process, for a change meant to
// keep speed (a size trim, a refactoring): plain text (the eval pack's gold texts) and
// HTML (WCXB's dev sample pages), cleaned by A then B, ROUNDS times; the medians of each
// side and the median of the per-round ratios B/A (paired, so that the machine's drift
// cancels). A and B are package folders (boildown.js and boildown_bg.wasm), e.g. pkg/
// copied aside before the change and pkg/ after it:
//
//   cp -r pkg /tmp/pkg-before; (change, then build_wasm)
//   node benches/wasm-ab.mjs /tmp/pkg-before pkg [ROUNDS]
//
// Prints nothing but a note when ../shared/eval is absent.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";

const [dirA, dirB, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error("usage: node benches/wasm-ab.mjs PKG_A PKG_B [ROUNDS]");
  process.exit(2);
}
const evalDir = new URL("../../shared/eval/", import.meta.url);
if (!existsSync(evalDir)) {
  console.log("no ../shared/eval: nothing to measure");
  process.exit(0);
}
const load = async (dir) => {
  const module = await import(pathToFileURL(resolve(dir, "boildown.js")).href);
  await module.default({ module_or_path: readFileSync(resolve(dir, "boildown_bg.wasm")) });
  return module;
};
const [A, B] = [await load(dirA), await load(dirB)];

const texts = [], htmls = [];
for (const name of ["wcxb-dev-sample", "wcxb-dev-multisite", "cleaneval-dev", "cleanportaleval-dev", "readability-cases"]) {
  const dir = new URL(`${name}/`, evalDir);
  if (!existsSync(new URL("pages.jsonl", dir))) continue;
  for (const line of readFileSync(new URL("pages.jsonl", dir), "utf8").split("\n")) {
    if (!line) continue;
    const page = JSON.parse(line);
    if (typeof page.gold === "string" && page.gold) texts.push(page.gold);
    if (page.html && name === "wcxb-dev-sample") htmls.push(gunzipSync(readFileSync(new URL(page.html, dir))).toString("utf8"));
  }
}
const megabytes = (pages) => pages.reduce((n, p) => n + Buffer.byteLength(p), 0) / 1e6;
const rate = (clean, pages) => {
  const t0 = performance.now();
  for (const p of pages) clean(p);
  return megabytes(pages) / ((performance.now() - t0) / 1000);
};
const [cleanerA, cleanerB] = [new A.Cleaner(), new B.Cleaner()];
const sides = {
  "text A": () => rate((p) => cleanerA.clean(p, { format: "text" }), texts),
  "text B": () => rate((p) => cleanerB.clean(p, { format: "text" }), texts),
  "html A": () => rate((p) => cleanerA.clean(p, { format: "html" }), htmls),
  "html B": () => rate((p) => cleanerB.clean(p, { format: "html" }), htmls),
};
const results = {};
for (const side in sides) {
  sides[side](); // warm-up
  results[side] = [];
}
for (let round = 0; round < Number(roundsArg ?? 15); round++) {
  for (const side in sides) results[side].push(sides[side]());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const side in results) console.log(`${side}  ${median(results[side]).toFixed(1)} MB/s`);
const paired = (a, b) => median(results[a].map((x, i) => results[b][i] / x)).toFixed(3);
console.log(`B/A, paired medians: plain text ${paired("text A", "text B")}, HTML ${paired("html A", "html B")}`);
console.log(`(${texts.length} texts, ${megabytes(texts).toFixed(1)} MB; ${htmls.length} HTML pages, ${megabytes(htmls).toFixed(1)} MB)`);
