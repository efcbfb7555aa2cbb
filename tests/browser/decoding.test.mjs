// In a real Chromium: the WebAssembly build decodes raw bytes as the native build does,
// on every page of the evaluation pack and every case of the decoding test set (the
// same comparison as tests/js/decoding.test.mjs under Node.js). The bytes reach the page
// through routes the test answers from disk; the server itself still serves only
// www/, pkg/ and tests/fixtures/. Skips when target/decoding or ../shared is missing.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { start } from "./chromium.mjs";

const root = new URL("../../", import.meta.url);
const set = new URL("target/decoding/", root);
const shared = new URL("../shared/eval/", root);
const missing = !existsSync(new URL("cases.jsonl", set)) && "no target/decoding (scripts/test makes it)";
const lines = (file) => readFileSync(new URL(file, set), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

let server;
let url;
let browser;

before(async () => {
  if (missing) return;
  ({ server, url, browser } = await start());
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Decodes every item in the page; returns the ones whose decoding differs from native.
async function mismatches(items) {
  const page = await browser.newPage();
  await page.route("**/__bytes/**", (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname.slice("/__bytes/".length));
    const [base, file] = path.startsWith("set/") ? [set, path.slice(4)] : [shared, path.slice(5)];
    route.fulfill({ status: 200, contentType: "application/gzip", body: readFileSync(new URL(file, base)) });
  });
  await page.goto(`${url}/www/`);
  const out = await page.evaluate(async (items) => {
    const boildown = await import("/pkg/boildown.js");
    await boildown.default();
    // From pkg/decoder/ beside the module, as a page would load it.
    await boildown.loadDecoder();
    const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const bad = [];
    for (const item of items) {
      const gz = await fetch(`/__bytes/${item.path}`);
      const bytes = new Uint8Array(await new Response(gz.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
      const d = boildown.decodeHtml(bytes, item.hint ?? undefined);
      const sha256 = hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(d.text)));
      const got = { encoding: d.encoding, source: d.source, overruled: d.overruled, replaced: d.replaced, sha256 };
      const w = item.want;
      const want = { encoding: w.encoding, source: w.source, overruled: w.overruled, replaced: w.replaced, sha256: w.sha256 };
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${item.name}: ${JSON.stringify(got)} natively ${JSON.stringify(want)}`);
    }
    return bad;
  }, items);
  await page.close();
  return out;
}

test("Chromium: every page of the evaluation pack decodes as natively", { skip: (missing || !existsSync(shared)) && (missing || "no ../shared/eval") }, async () => {
  const pages = lines("pack.jsonl").map((p) => ({ path: `pack/${p.file}`, name: p.page, want: p.boildown }));
  assert.deepEqual(await mismatches(pages), []);
  assert.ok(pages.length > 1000);
});

test("Chromium: every case of the decoding test set decodes as natively", { skip: missing }, async () => {
  const cases = lines("cases.jsonl").map((c) => ({
    path: `set/bytes/${c.id}.html.gz`, name: `case ${c.id} (${c.group}, ${c.condition})`, hint: c.hint, want: c.boildown,
  }));
  assert.deepEqual(await mismatches(cases), []);
});
