// The WebAssembly build decodes raw bytes as the native build does: every page of the
// evaluation pack and every case of the decoding test set, compared by the decoded
// text's SHA-256 and the decision (encoding, rule, overruled declaration, replaced
// sequences). The native side is written by the decoding_set example (scripts/test
// runs it into target/decoding); the test skips when that or ../shared is missing.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import boildown, { root } from "./load.mjs";

const set = new URL("target/decoding/", root);
const shared = new URL("../shared/eval/", root);
const missing = !existsSync(new URL("cases.jsonl", set)) && "no target/decoding (cargo run --release --features cli --example decoding_set -- ../shared/eval target/decoding)";
const lines = (file) => readFileSync(new URL(file, set), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

function compare(bytes, hint, native, name, mismatches) {
  const d = boildown.decodeHtml(bytes, hint);
  const got = {
    encoding: d.encoding, source: d.source, overruled: d.overruled, replaced: d.replaced,
    sha256: createHash("sha256").update(d.text, "utf8").digest("hex"),
  };
  const want = {
    encoding: native.encoding, source: native.source, overruled: native.overruled, replaced: native.replaced,
    sha256: native.sha256,
  };
  try {
    assert.deepEqual(got, want);
  } catch {
    mismatches.push(`${name}: ${JSON.stringify(got)} natively ${JSON.stringify(want)}`);
  }
}

test("every page of the evaluation pack decodes as natively", { skip: (missing || !existsSync(shared)) && (missing || "no ../shared/eval") }, () => {
  const mismatches = [];
  const pages = lines("pack.jsonl");
  for (const p of pages) {
    const bytes = gunzipSync(readFileSync(new URL(p.file, shared)));
    compare(new Uint8Array(bytes), undefined, p.boildown, p.page, mismatches);
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${pages.length} pages differ`);
  assert.ok(pages.length > 1000);
});

test("every case of the decoding test set decodes as natively", { skip: missing }, () => {
  const mismatches = [];
  const cases = lines("cases.jsonl");
  for (const c of cases) {
    const bytes = gunzipSync(readFileSync(new URL(`bytes/${c.id}.html.gz`, set)));
    compare(new Uint8Array(bytes), c.hint ?? undefined, c.boildown, `case ${c.id} (${c.group}, ${c.condition})`, mismatches);
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${cases.length} cases differ`);
});

test("windows-1252 is windows-1252 in every runtime: bytes 0x80-0x9F are its signs", () => {
  const d = boildown.decodeHtml(new Uint8Array([...Buffer.from("<meta charset=windows-1252><p>"), 0x80, 0x99, 0x93, 0x94]));
  assert.equal(d.text, "<meta charset=windows-1252><p>€™“”");
  assert.deepEqual([d.encoding, d.source, d.overruled], ["windows-1252", "meta", null]);
});
