// The demo page in a real Chromium (Debian's, driven by playwright-core), served by
// scripts/serve.mjs on 127.0.0.1. Needs pkg/ built (scripts/test does it).
//
//   node --test tests/browser/
//
// CHROMIUM overrides the browser's path (default /usr/bin/chromium). Writes
// target/demo-fixture.png, a screenshot of the fixture with its repeated teaser marked,
// and target/demo-site.png, the site mode on the sample site.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { start } from "./chromium.mjs";

const root = new URL("../../", import.meta.url);
const fixture = (name) => readFileSync(new URL(`tests/fixtures/${name}`, root), "utf8");
const FIXTURE_TEXT = fixture("commonspace-azerbaijan-china.txt");
const EXPECTED = JSON.parse(fixture("commonspace-azerbaijan-china.expected.json"));

let server;
let url;
let browser;

before(async () => {
  ({ server, url, browser } = await start());
});

after(async () => {
  await browser?.close();
  server?.close();
});

// A fresh page on the demo, with page errors and dialogs recorded.
async function openDemo() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("dialog", async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("version").textContent.startsWith("v"));
  return { page, context, problems, requests };
}

// The number of the last result shown (each run of the worker has one).
const lastRun = (page) => page.evaluate(() => document.getElementById("status").dataset.run ?? "");

// Types nothing: sets the textarea as a paste would, then waits for the new result.
async function paste(page, text) {
  const before = await lastRun(page);
  await page.evaluate((t) => {
    const input = document.getElementById("input");
    input.value = t;
    input.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste" }));
  }, text);
  await waitDone(page, before);
}

async function waitDone(page, previous) {
  await page.waitForFunction(
    (prev) => {
      const s = document.getElementById("status");
      return s.dataset.state === "error" || (s.dataset.state === "done" && (s.dataset.run ?? "") !== prev);
    },
    previous,
    { timeout: 60_000 },
  );
  const state = await page.evaluate(() => document.getElementById("status").dataset.state);
  assert.equal(state, "done", await page.evaluate(() => document.getElementById("status").textContent));
}

const removedLines = (page) =>
  page.$$eval(".block[data-verdict=remove]", (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.line, Number(e.dataset.ofLine)])));

test("the fixture: the blocks marked as repeats are exactly the expected ones", async () => {
  const { page, context, problems } = await openDemo();
  await paste(page, FIXTURE_TEXT);
  assert.deepEqual(await removedLines(page), EXPECTED.repeats);
  const blocks = await page.$$eval(".block", (els) => els.length);
  assert.equal(blocks, 28);
  // Every block shows its own text, sliced from the input.
  const firstBlock = await page.$eval(".block .text", (e) => e.textContent);
  assert.equal(firstBlock, FIXTURE_TEXT.split("\n")[0].trim());
  const first = await page.$eval("#time", (e) => e.textContent);
  // Again, now that the worker's WebAssembly is compiled and warm: the median of 9.
  const times = [];
  for (let i = 0; i < 9; i++) {
    await paste(page, FIXTURE_TEXT);
    times.push(parseFloat(await page.$eval("#time", (e) => e.textContent)));
  }
  times.sort((a, b) => a - b);
  const warmUp = await page.$eval("#version", (e) => e.dataset.warmUpMs);
  console.log(`# time to clean the fixture in the page (in the worker): first ${first} (after a ${warmUp} ms warm-up at load), then median ${times[4]} ms`);
  assert.deepEqual(await removedLines(page), EXPECTED.repeats);

  // Select the teaser's repeated headline: the block it repeats lights up.
  await page.click('.block[data-line="46"]');
  const sources = await page.$$eval(".block.is-source", (els) => els.map((e) => Number(e.dataset.line)));
  assert.ok(sources.includes(36), `sources ${sources}`);
  const details = await page.$eval("#details", (e) => e.textContent);
  assert.match(details, /exact repeat/);
  assert.match(details, /line 36/);
  mkdirSync(new URL("target/", root), { recursive: true });
  await page.locator('.block[data-line="46"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL("target/demo-fixture.png", root).pathname, fullPage: true });

  // The cleaned text is the kept lines; the JSON report downloads.
  const output = await page.$eval("#output", (e) => e.value);
  assert.ok(output.startsWith(FIXTURE_TEXT.split("\n")[0].trim()));
  assert.ok(!output.includes("\n\n\n"));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const report = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(report.stats.blocks, 28);
  assert.equal(report.text, output);

  assert.deepEqual(problems, []);
  await context.close();
});

test("options apply live: remove-all, near-repeat distance, near repeats off", async () => {
  const { page, context, problems } = await openDemo();
  await paste(page, readFileSync(new URL("www/samples/forum-thread.txt", root), "utf8"));
  const count = (kind) => page.$$eval(`.block[data-kind=${kind}]`, (els) => els.length);
  assert.ok((await count("near_repeat")) >= 2);
  const removed = async () => Object.keys(await removedLines(page)).length;
  const before = await removed();

  let status = await lastRun(page);
  await page.check('input[name=policy][value=remove_all]');
  await waitDone(page, status);
  assert.ok((await removed()) > before, "remove-all removes the first copies too");

  status = await lastRun(page);
  await page.uncheck("#opt-near");
  await waitDone(page, status);
  assert.equal(await count("near_repeat"), 0);

  status = await lastRun(page);
  await page.$eval("#opt-distance", (e) => {
    e.value = "0";
    e.dispatchEvent(new Event("input"));
  });
  await page.check("#opt-near");
  await waitDone(page, status);
  assert.equal(await page.textContent("#opt-distance-value"), "0");
  assert.equal(await count("near_repeat"), 0, "at distance 0 no edited copy is near");
  assert.deepEqual(problems, []);
  await context.close();
});

const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img';alert('img')">`,
  `<script>window.__pwned='script';alert('script')</script>`,
  `<svg onload="window.__pwned='svg'"><animate onbegin="window.__pwned='animate'" attributeName=x dur=1s>`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  `<a href="javascript:window.__pwned='link'">click</a><body onload="window.__pwned='body'">`,
  `"><img src=x onerror=alert(1)>`,
  `<style>*{display:none}</style><link rel=stylesheet href=x>`,
];

test("pasted or dropped HTML is shown as text, never rendered or run", async () => {
  const { page, context, problems, requests } = await openDemo();
  const input = [...PAYLOADS, ...PAYLOADS].join("\n");
  await paste(page, input);
  // The same through the file input.
  const status = await lastRun(page);
  await page.setInputFiles("#file", { name: "evil.html", mimeType: "text/html", buffer: Buffer.from(input) });
  await waitDone(page, status);
  await page.click(".block[data-verdict=remove]"); // details of a repeated payload
  await page.waitForTimeout(500); // give any image error or frame load a chance to fire

  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const texts = await page.$$eval(".block .text", (els) => els.map((e) => e.textContent));
  assert.deepEqual(texts, [...PAYLOADS, ...PAYLOADS]);
  const injected = await page.evaluate(() =>
    [...document.querySelectorAll("main img, main script, main svg, main iframe, main a, main style, main link")].length);
  assert.equal(injected, 0);
  assert.equal(await page.$$eval("script", (els) => els.length), 1, "only the page's own module");
  const strays = requests.filter((r) => /\/x$/.test(r));
  assert.deepEqual(strays, [], "no request for the payloads' resources");

  // Read as HTML: the payloads are parsed, their text shown, nothing run or created.
  const before = await lastRun(page);
  await page.selectOption("#opt-format", "html");
  await waitDone(page, before);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() =>
    [...document.querySelectorAll("main img, main script, main svg, main iframe, main a, main style, main link")].length), 0);
  assert.deepEqual(requests.filter((r) => /\/x$/.test(r)), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an HTML page: furniture is marked with its rule and score, the article kept", async () => {
  const { page, context, problems } = await openDemo();
  await paste(page, readFileSync(new URL("www/samples/news-article.html", root), "utf8"));
  const kept = await page.$$eval(".block.v-keep .text", (els) => els.map((e) => e.textContent));
  assert.ok(kept.some((t) => t.startsWith("The old harbour reopened on Saturday")), kept.join("|"));
  const furniture = await page.$$eval(".block.v-furniture .text", (els) => els.map((e) => e.textContent));
  for (const text of ["Home", "Share on Facebook", "Most read"]) {
    assert.ok(furniture.some((t) => t.includes(text)), `${text} not marked: ${furniture.join("|")}`);
  }
  assert.ok(Number(await page.$eval('[data-stat="boilerplate"]', (e) => e.textContent)) > 5);
  await page.click(".block.v-furniture");
  const details = await page.$eval("#details", (e) => e.textContent);
  assert.match(details, /furniture/);
  assert.match(details, /score/);
  assert.match(details, /path/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("site mode: pages added one by one light up the site's template, with page counts", async () => {
  const { page, context, problems } = await openDemo();
  const story = (i) => readFileSync(new URL(`www/samples/site/story-${i}.html`, root), "utf8");
  await page.check("#site-mode");
  await paste(page, story(0));
  assert.equal(await page.$$eval(".block.v-template", (els) => els.length), 0);
  // Add four pages of the site, then show the first one again.
  for (const i of [1, 2, 3, 4]) {
    await paste(page, story(i));
    const before = await lastRun(page);
    await page.click("#site-add");
    await waitDone(page, before);
  }
  assert.match(await page.$eval("#site-status", (e) => e.textContent), /4 pages of demo known/);
  await paste(page, story(0));
  const badges = await page.$$eval(".block.v-template .badge", (els) => els.map((e) => e.textContent));
  assert.ok(badges.length > 0, "no template block");
  assert.ok(badges.every((b) => /^site template · on \d of 5 pages$/.test(b)), badges.join("|"));
  const kept = await page.$$eval(".block.v-keep .text", (els) => els.map((e) => e.textContent));
  assert.ok(kept.some((t) => t.startsWith("The old harbour reopened on Saturday")), kept.join("|"));
  assert.ok(!kept.some((t) => t.startsWith("The new fish market hall")), "the teaser was kept");
  assert.ok(Number(await page.$eval('[data-stat="site_template"]', (e) => e.textContent)) > 0);
  await page.click(".block.v-template");
  assert.match(await page.$eval("#details", (e) => e.textContent), /the site's template: on \d of the 5 pages/);
  await page.screenshot({ path: new URL("target/demo-site.png", root).pathname, fullPage: true });
  // Forgetting the site cleans the page on its own again.
  const before = await lastRun(page);
  await page.click("#site-clear");
  await waitDone(page, before);
  assert.equal(await page.$$eval(".block.v-template", (els) => els.length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("site mode: the sample site loads, and a damaged model file is a clear error", async () => {
  const { page, context, problems } = await openDemo();
  const before = await lastRun(page);
  await page.click("#site-sample");
  await page.waitForFunction(() => /5 pages of demo known/.test(document.getElementById("site-status").textContent));
  await waitDone(page, before);
  assert.ok(await page.$$eval(".block.v-template", (els) => els.length) > 0);
  const last = await lastRun(page);
  await page.setInputFiles("#site-load", { name: "bad.model", mimeType: "application/octet-stream", buffer: Buffer.from("BOILSITE not really") });
  await page.waitForFunction((prev) => (document.getElementById("status").dataset.run ?? "") !== prev, last);
  assert.match(await page.$eval("#status", (e) => e.textContent), /invalid site model/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a 5 MB file is cleaned in the worker while the page stays responsive", async () => {
  const { page, context, problems } = await openDemo();
  // Paragraphs of pseudo-random words (xorshift), every tenth one repeated later.
  const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zen", "par", "dil", "mor"];
  let seed = 0x9e3779b9;
  const next = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0);
  const word = () => SYLLABLES[next() % 12] + SYLLABLES[next() % 12] + (next() % 3 ? "" : SYLLABLES[next() % 12]);
  const paragraphs = [];
  let size = 0;
  for (let i = 0; size < 5 << 20; i++) {
    const p = i % 10 === 9 ? paragraphs[i - 5] : Array.from({ length: 20 + (next() % 40) }, word).join(" ") + ".";
    paragraphs.push(p);
    size += p.length + 1;
  }
  const text = paragraphs.join("\n");
  // A ticker records the longest gap between timer callbacks on the page's main thread,
  // from the moment the file is chosen (before that, playwright builds the File object
  // in the page, which is the test's own work).
  await page.evaluate(() => {
    window.__gap = 0;
    window.__last = performance.now();
    setInterval(() => {
      const now = performance.now();
      window.__gap = Math.max(window.__gap, now - window.__last);
      window.__last = now;
    }, 10);
    document.getElementById("file").addEventListener("change", () => {
      window.__gap = 0;
      window.__last = performance.now();
    });
  });
  const previous = await lastRun(page);
  await page.setInputFiles("#file", { name: "big.txt", mimeType: "text/plain", buffer: Buffer.from(text) });
  // While the worker cleans, the page still answers.
  let answeredWhileWorking = false;
  for (let i = 0; i < 500 && !answeredWhileWorking; i++) {
    answeredWhileWorking = await page.evaluate(() => document.getElementById("status").dataset.state === "working");
    if (!answeredWhileWorking) await page.waitForTimeout(10);
  }
  assert.ok(answeredWhileWorking, "the page answered while the worker was cleaning");
  await waitDone(page, previous);
  const [blocks, shown, gap, time, notes] = await page.evaluate(() => [
    Number(document.querySelector('[data-stat="blocks"]').textContent.replace(/,/g, "")),
    document.querySelectorAll(".block").length,
    window.__gap,
    document.getElementById("time").textContent,
    [...document.querySelectorAll(".note")].filter((n) => !n.hidden).length,
  ]);
  assert.equal(blocks, paragraphs.length);
  assert.equal(shown, 500, "blocks are drawn a page at a time");
  assert.equal(notes, 2, "input and output are shown cut, with a note");
  console.log(`# 5 MB file: ${blocks} blocks cleaned in ${time} in the worker; longest main-thread gap ${gap.toFixed(0)} ms`);
  await page.click("#more");
  assert.equal(await page.$$eval(".block", (els) => els.length), 1000);
  // The whole cleaned text is in the report, not only what is shown.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const report = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(report.blocks.length, paragraphs.length);
  assert.ok(report.text.length > 4_000_000);
  assert.deepEqual(problems, []);
  await context.close();
});
