// The package without its decoder module loaded (the other tests load it in load.mjs):
// strings need nothing; a page given as bytes is a clear error until loadDecoder(),
// which then decodes exactly as the Rust library does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import init, * as boildown from "../../pkg/boildown.js";

const root = new URL("../../", import.meta.url);
await init({ module_or_path: readFileSync(new URL("pkg/boildown_bg.wasm", root)) });

// A page of the snapshot tests, declared and encoded as windows-1252.
const html = readFileSync(new URL("tests/pages/forum/source.html", root), "utf8")
  .replace('charset="utf-8"', 'charset="windows-1252"');
const bytes = new Uint8Array(Buffer.from(html, "latin1"));
assert.ok([...html].some((c) => c > "\x7f") && [...html].every((c) => c <= "\xff"));

test("the main module is the package's only download for strings", () => {
  const report = boildown.clean(html);
  assert.ok(report.text.length > 500);
  assert.equal(report.decoding, undefined);
  assert.equal(boildown.sniff(bytes), "html");
});

test("bytes before loadDecoder() are an error that says what to do", () => {
  for (const call of [() => boildown.clean(bytes), () => new boildown.Cleaner().cleanToText(bytes),
    () => boildown.decodeHtml(bytes), () => new boildown.SiteModel().observe(bytes, { site: "x" })]) {
    assert.throws(call, /needs the decoder module: `await loadDecoder\(\)` first/);
  }
});

test("after loadDecoder(), bytes are decoded as natively", async () => {
  const wasm = readFileSync(new URL("pkg/decoder/boildown_decode_bg.wasm", root));
  await Promise.all([boildown.loadDecoder(wasm), boildown.loadDecoder(wasm)]);
  await boildown.loadDecoder(); // loaded: nothing to fetch
  const report = boildown.clean(bytes);
  assert.deepEqual(report.decoding, { encoding: "windows-1252", source: "meta", overruled: null, replaced: 0 });
  assert.equal(report.source, html);
  assert.equal(report.text, boildown.clean(html).text);
  const hinted = boildown.decodeHtml(bytes, "iso-8859-2");
  assert.equal(hinted.source, "hint");
  assert.equal(hinted.encoding, "ISO-8859-2");
  assert.equal(new boildown.Cleaner().cleanToText(bytes, { format: "html" }), report.text);
});
