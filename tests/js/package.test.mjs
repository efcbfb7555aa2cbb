// The WebAssembly package under Node.js: fingerprints equal the golden vectors of the
// core, reports equal the command line's JSON report, spans index the JS string,
// options are checked. Run by scripts/test after `wasm-pack build` (node --test).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import boildown, { root } from "./load.mjs";

const fixtures = new URL("tests/fixtures/", root);
const read = (name) => readFileSync(new URL(name, fixtures), "utf8");

test("fingerprints equal the golden vectors", () => {
  const golden = JSON.parse(read("golden-fingerprints.json"));
  assert.ok(golden.vectors.length >= 10);
  for (const v of golden.vectors) {
    assert.deepEqual(boildown.fingerprint(v.text), {
      exact: v.exact,
      simhash: v.simhash,
      tokens: v.tokens,
    }, JSON.stringify(v.text));
  }
});

test("the fixture's repeats are exactly the expected ones", () => {
  const text = read("commonspace-azerbaijan-china.txt");
  const expected = JSON.parse(read("commonspace-azerbaijan-china.expected.json")).repeats;
  const report = boildown.clean(text, { dedup_only: true });
  const lineOf = (i) => text.slice(0, i).split("\n").length;
  const removed = {};
  for (const b of report.blocks) {
    assert.equal(text.slice(b.start, b.end), b.text);
    if (b.verdict === "remove") {
      removed[lineOf(b.start)] = lineOf(report.blocks[b.reason.of].start);
    }
  }
  assert.deepEqual(removed, expected);
});

// The command line's report, when its binary has been built (scripts/test builds it).
// Without its `decoding`: the command line reads bytes, the JS calls here get strings.
const cli = new URL("target/release/boildown", root);
function cliReport(text, args = []) {
  const report = JSON.parse(execFileSync(cli.pathname, ["clean", "--json", ...args, "-"], { input: text }));
  assert.equal(report.decoding.encoding, "UTF-8");
  delete report.decoding;
  return report;
}

// The JS report with its UTF-16 spans turned into the UTF-8 byte offsets of the CLI.
function withByteSpans(report, input) {
  for (const b of report.blocks) {
    b.start = Buffer.byteLength(input.slice(0, b.start));
    b.end = Buffer.byteLength(input.slice(0, b.end));
  }
  return report;
}

test("the report equals the command line's JSON report", { skip: !existsSync(cli) && "no CLI build" }, () => {
  const text = read("commonspace-azerbaijan-china.txt");
  assert.deepEqual(withByteSpans(boildown.clean(text), text), cliReport(text));
  assert.deepEqual(
    withByteSpans(boildown.clean(text, { policy: "remove_all", near_distance: 3 }), text),
    cliReport(text, ["--remove-all", "--near-distance", "3"]),
  );
});

// Emoji (two UTF-16 units), CJK (three UTF-8 bytes, one unit), accents, CRLF.
const unicodePage = [
  "😀 Teaser: a paragraph about the ☕ coffee market, with emoji 🚀 and prices €12.",
  "北京市今天发布了新的空气质量报告，专家表示情况有所改善。",
  "Ünïcödé body text that stays, with a 👩‍👩‍👧 family and \u00a0no-break space.",
  "😀 Teaser: a paragraph about the ☕ coffee market, with emoji 🚀 and prices €12.",
  "北京市今天发布了新的空气质量报告，专家表示情况有所改善。",
  "end 𝄞",
].join("\r\n");

test("start and end are UTF-16 indices of the input", () => {
  const report = boildown.clean(unicodePage);
  assert.equal(report.blocks.length, 6);
  for (const b of report.blocks) {
    assert.equal(unicodePage.slice(b.start, b.end), b.text);
  }
  assert.deepEqual(report.blocks.map((b) => b.verdict), ["keep", "keep", "keep", "remove", "remove", "keep"]);
  assert.deepEqual(report.blocks[4].reason, {
    kind: "exact_repeat", of: 1, distance: 0, run: { start: 3, len: 2, source: 0 },
  });
  assert.equal(report.stats.bytes_in, Buffer.byteLength(unicodePage));
  assert.equal(report.text, report.blocks.filter((b) => b.verdict === "keep").map((b) => b.text).join("\n\n"));
});

test("the report of a Unicode page equals the command line's, spans mapped to bytes", { skip: !existsSync(cli) && "no CLI build" }, () => {
  assert.deepEqual(withByteSpans(boildown.clean(unicodePage), unicodePage), cliReport(unicodePage));
});

test("a lone surrogate is still sliced out of the input", () => {
  const input = "a\ud800b\nsecond line";
  const report = boildown.clean(input);
  assert.deepEqual(report.blocks.map((b) => input.slice(b.start, b.end)), ["a\ud800b", "second line"]);
});

test("empty and blank input give an empty report", () => {
  for (const input of ["", "\n\n", "   \r\n\t"]) {
    const report = boildown.clean(input);
    assert.equal(report.text, "");
    assert.deepEqual(report.blocks, []);
    assert.equal(report.stats.blocks, 0);
  }
});

test("options: defaults, a reusable Cleaner, errors for unknown or ill-typed keys", () => {
  const cleaner = new boildown.Cleaner({ near_distance: 5 });
  assert.deepEqual(cleaner.options, {
    policy: "keep_first", near_repeats: true, near_distance: 5, near_min_tokens: 16, dedup_only: false,
    html_recovery: true,
  });
  assert.equal(cleaner.clean("x\ny\nx").stats.exact_repeats, 1);
  assert.equal(cleaner.clean("x\ny\nx").stats.exact_repeats, 1);
  assert.equal(new boildown.Cleaner().options.near_distance, 12);
  assert.equal(new boildown.Cleaner(null).options.near_distance, 12);
  assert.equal(boildown.clean("a\na", {}).stats.exact_repeats, 1);

  const throws = (options, pattern) =>
    assert.throws(() => boildown.clean("a", options), (e) => e instanceof Error && pattern.test(e.message), String(options));
  throws({ nearDistance: 3 }, /unknown option `nearDistance`, expected one of policy, near_repeats/);
  throws({ near_distance: "3" }, /invalid type for `near_distance`: expected a whole number, not string/);
  throws({ near_distance: -1 }, /`near_distance` must be a whole number from 0 to 4294967295, not -1/);
  throws({ near_distance: 2.5 }, /`near_distance` must be a whole number .*, not 2.5/);
  throws({ near_distance: 40 }, /near_distance is 40, at most 32/);
  throws({ near_repeats: "yes" }, /invalid type for `near_repeats`: expected a boolean, not string/);
  throws({ policy: "keep_last" }, /unknown `policy` "keep_last", expected "keep_first" or "remove_all"/);
  throws({ policy: 1 }, /invalid type for `policy`: expected a string, not number/);
  assert.equal(new boildown.Cleaner({ near_distance: undefined, policy: null }).options.near_distance, 12);
  assert.throws(() => new boildown.Cleaner().clean("a", { url: 5 }), /invalid page options: invalid type for `url`: expected a string, not number/);
  throws(12, /expected an object/);
  throws("near_distance=3", /expected an object/);
  throws([1], /expected an object/);
});

test("normalize and version", () => {
  assert.equal(boildown.normalize("Hello,  WORLD 2024!"), "hello world 0");
  assert.match(boildown.version(), /^\d+\.\d+\.\d+/);
});

test("large and odd inputs: a long line, many lines, binary junk", () => {
  const long = "word ".repeat(400_000);
  assert.equal(boildown.clean(long).blocks.length, 1);
  const many = "line\n".repeat(100_000);
  const r = boildown.clean(many);
  assert.equal(r.stats.blocks, 100_000);
  assert.equal(r.stats.exact_repeats, 99_999);
  let junk = "";
  for (let i = 0; i < 100_000; i++) junk += String.fromCharCode((i * 7919) % 65536);
  const j = boildown.clean(junk);
  for (const b of j.blocks) assert.equal(junk.slice(b.start, b.end), b.text);
});

test("cleanToText is the report's text", () => {
  const text = read("commonspace-azerbaijan-china.txt");
  for (const input of [text, unicodePage, "", "a\ud800b\na\ud800b\nc"]) {
    assert.equal(boildown.cleanToText(input), boildown.clean(input).text);
    assert.equal(new boildown.Cleaner({ policy: "remove_all" }).cleanToText(input), boildown.clean(input, { policy: "remove_all" }).text);
  }
});

test("an input that is not a string is a clear error", () => {
  const cleaner = new boildown.Cleaner();
  for (const [call, name] of [
    [(x) => boildown.clean(x), "clean"],
    [(x) => boildown.cleanToText(x), "cleanToText"],
    [(x) => cleaner.clean(x), "clean"],
    [(x) => cleaner.cleanToText(x), "cleanToText"],
    [(x) => new boildown.SiteModel().observe(x, { site: "s" }), "observe"],
    [(x) => boildown.sniff(x), "sniff"],
    [(x) => boildown.fingerprint(x), "fingerprint"],
    [(x) => boildown.normalize(x), "normalize"],
  ]) {
    for (const [value, type] of [[123, "number"], [null, "null"], [undefined, "undefined"], [{}, "object"], [new String("s"), "object"]]) {
      const what = name === "fingerprint" || name === "normalize" ? "a string" : "a string or a Uint8Array";
      assert.throws(() => call(value), (e) => e instanceof Error && e.message === `${name}: the input must be ${what}, not ${type}`);
    }
  }
  // The module still works afterwards.
  assert.equal(boildown.clean("a\na").stats.exact_repeats, 1);
});

test("the cleaned text of 300 000 distinct lines reads back whole", () => {
  // Letters only: digits fold to 0, which would make the lines repeats.
  const word = (i) => i.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)));
  const lines = Array.from({ length: 300_000 }, (_, i) => `line ${word(i)} and ${word(i * 7)}`);
  const input = lines.join("\n");
  const text = boildown.cleanToText(input);
  assert.equal(text, lines.join("\n\n"));
  assert.equal(boildown.clean(input).text, text);
  assert.ok(/^line a and a\n\nline b and h\n\n/.test(text) && text.endsWith(lines.at(-1)));
});

test("the README's JavaScript example says what happens", () => {
  const input = "Top stories\nThe council met on Monday.\nTop stories";
  const report = boildown.clean(input);
  assert.equal(report.text, "Top stories\n\nThe council met on Monday.");
  const b = report.blocks[2];
  assert.equal(input.slice(b.start, b.end), b.text);
  assert.equal(b.verdict, "remove");
  assert.deepEqual(b.reason, { kind: "exact_repeat", of: 0, distance: 0, run: null });
  const cleaner = new boildown.Cleaner({ policy: "remove_all", near_distance: 8 });
  assert.equal(cleaner.clean(input).stats.kept, 1);
  assert.equal(cleaner.cleanToText(input), "The council met on Monday.");
  assert.deepEqual(boildown.fingerprint("Hello, world!"), { exact: "d447b1ea40e6988b", simhash: "b9918870d8610082", tokens: 2 });
});

test("HTML: the report equals the command line's, with block places and cleaned HTML", { skip: !existsSync(cli) && "no CLI build" }, () => {
  const page = readFileSync(new URL("www/samples/news-article.html", root), "utf8");
  const report = boildown.clean(page, { format: "html" });
  assert.deepEqual(boildown.clean(page), report); // sniffed
  assert.ok(report.html.includes("<h1>The old harbour reopens after two years of works</h1>"));
  assert.equal(report.title, "The old harbour reopens after two years of works | The Coast Gazette");
  assert.ok(!report.html.includes("script") && !report.html.includes("Share on Facebook"));
  const html = report.html;
  delete report.html;
  assert.deepEqual(withByteSpans(report, page), cliReport(page));
  assert.equal(html, execFileSync(cli.pathname, ["clean", "--html", "-"], { input: page }).toString());
  const menu = report.blocks.find((b) => b.text === "Home");
  assert.equal(menu.reason.kind, "boilerplate");
  assert.equal(typeof menu.reason.score, "number");
  assert.equal(menu.html.tag, "li");
  // The same from a reusable Cleaner; errors name the function.
  const cleaner = new boildown.Cleaner({ dedup_only: true });
  assert.equal(cleaner.clean(page).stats.boilerplate, 0);
  assert.throws(() => boildown.clean(42), /clean: the input must be a string or a Uint8Array, not number/);
  assert.throws(() => boildown.clean(page, { format: "xml" }), /unknown format "xml"/);
  assert.throws(() => boildown.clean(page, { formats: "html" }), /unknown option `formats`/);
  assert.throws(() => cleaner.clean(page, { near_distance: 3 }), /invalid page options: unknown key `near_distance`/);
  // Raw bytes, as fetched: decoded as the command line decodes them.
  const latin1 = Buffer.from(page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    .replace("Traders in the old town", "Traders in the old town, café owners,"), "latin1");
  const fromBytes = boildown.clean(new Uint8Array(latin1));
  assert.deepEqual(fromBytes.decoding, { encoding: "windows-1252", source: "meta", overruled: null, replaced: 0 });
  assert.ok(fromBytes.text.includes("café owners"), fromBytes.text);
  const b = fromBytes.blocks.find((x) => x.text.includes("café"));
  assert.ok(fromBytes.source.slice(b.start, b.end).includes("café"));
});

test("site memory: a model learns a site's template; snapshots equal the native ones", () => {
  const pages = [0, 1, 2, 3, 4].map((i) => readFileSync(new URL(`www/samples/site/story-${i}.html`, root), "utf8"));
  const model = new boildown.SiteModel();
  for (const page of pages) assert.equal(model.observe(page, { site: "coast-gazette.example" }), true);
  assert.equal(model.observe(pages[0], { url: "https://coast-gazette.example/a" }), false);
  assert.equal(model.observe(pages[0]), false); // no site key
  assert.equal(model.pages("coast-gazette.example"), 5);
  assert.deepEqual(model.sites(), ["coast-gazette.example"]);
  const template = model.template("coast-gazette.example");
  assert.ok(template.some((b) => b.pages === 5 && b.text.startsWith("Sign up to our newsletter")), JSON.stringify(template));
  // The same bytes as `boildown site learn` writes natively (tests/site.rs keeps the file current).
  const bytes = model.toBytes();
  assert.deepEqual(Buffer.from(bytes), readFileSync(new URL("coast-gazette.site-model", fixtures)));
  const back = boildown.SiteModel.fromBytes(bytes);
  const cleaner = new boildown.Cleaner();
  const report = cleaner.clean(pages[0], { site: "coast-gazette.example", model: back });
  assert.deepEqual(boildown.clean(pages[0], { url: "https://www.coast-gazette.example/", model: back }), report);
  const newsletter = report.blocks.find((b) => b.text.startsWith("Sign up"));
  assert.equal(newsletter.verdict, "remove");
  assert.ok(report.text.includes("The old harbour reopened on Saturday"));
  assert.ok(!report.text.includes("The new fish market hall"));
  assert.ok(report.stats.site_template > 0);
  assert.throws(() => boildown.SiteModel.fromBytes(bytes.slice(0, 30)), /invalid site model/);
  // Plain text in a site: the fast report path carries the site's evidence.
  const text = new boildown.SiteModel();
  text.observe("Menu\nA first story, long enough to stand as the page's own text.", { site: "t" });
  text.observe(new TextEncoder().encode("Menu\nA second story, long enough to stand as the page's own text."), { site: "t", format: "text" });
  const plain = cleaner.clean("Menu\nA first story, long enough to stand as the page's own text.", { site: "t", model: text });
  assert.deepEqual(plain.blocks[0].reason, { kind: "site_template", pages: 2, of: 2, score: 0 });
  assert.equal(plain.stats.site_template, 1);
  assert.equal(plain.text, "A first story, long enough to stand as the page's own text.");
  assert.equal(boildown.siteKey("https://www.Example.org/a"), "example.org");
  assert.equal(boildown.siteKey("no url"), undefined);
  // A freed model, or an object that is not one, is a clear error.
  const gone = new boildown.SiteModel();
  gone.free();
  assert.throws(() => cleaner.clean("x", { site: "t", model: gone }), /not a live SiteModel/);
  assert.throws(() => cleaner.clean("x", { site: "t", model: {} }), /not a live SiteModel/);
});

test("sniff: the one rule of format auto", () => {
  assert.equal(boildown.sniff("  <!doctype html><p>x"), "html");
  assert.equal(boildown.sniff(new TextEncoder().encode("<p>x")), "html");
  assert.equal(boildown.sniff("Dear <b>Sir</b>"), "text");
});
