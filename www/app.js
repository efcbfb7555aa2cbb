// The demo page: sends the input and the options to the worker, shows the report.
// Everything from the input is put into the page with textContent, never as markup.

const SAMPLES = [
  { name: "News page with a repeated teaser (the seed fixture)", url: "../tests/fixtures/commonspace-azerbaijan-china.txt" },
  { name: "Forum thread: quoted and edited replies (near repeats)", url: "samples/forum-thread.txt" },
  { name: "Shop listing: repeated product boxes and footer", url: "samples/shop-listing.txt" },
  { name: "News article as HTML: menus, sidebar, teasers, footer (page furniture)", url: "samples/news-article.html" },
];
// Blocks drawn at first and per "show more": a 5 MB page has ~50 000 blocks.
const PAGE = 500;
// A text area lays out all of its text whenever its value is set: 1.7 s for 5 MB in
// Chromium. Longer inputs (from a file or a sample) and outputs are kept whole in
// memory and shown cut to this many characters.
const PREVIEW = 50_000;

const $ = (id) => document.getElementById(id);
const els = {
  input: $("input"), sample: $("sample"), file: $("file"), status: $("status"),
  blocks: $("blocks"), details: $("details"), more: $("more"), output: $("output"),
  copy: $("copy"), download: $("download"), version: $("version"),
  dedupOnly: $("opt-dedup-only"), near: $("opt-near"), distance: $("opt-distance"), format: $("opt-format"),
  distanceValue: $("opt-distance-value"), inputNote: $("input-note"), outputNote: $("output-note"),
  siteMode: $("site-mode"), siteAdd: $("site-add"), siteSample: $("site-sample"), siteClear: $("site-clear"),
  siteSave: $("site-save"), siteLoad: $("site-load"), siteStatus: $("site-status"),
};

// The site model (site mode): its snapshot and version, kept here because a busy worker
// is replaced by a fresh one, which gets the model from the next request.
let site = { version: 0, bytes: null, pages: 0, template: 0 };
const SITE_SAMPLE = [0, 1, 2, 3, 4].map((i) => `samples/site/story-${i}.html`);
// Replies awaited by id (adding pages to the site one after the other).
const waiting = new Map();

let inputText = ""; // the whole input; the text area may show only its start

let worker = null;
let busy = false;
let sequence = 0;
let current = null; // {input, report, lines, ms}
let shown = 0;

function startWorker() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    if (data.ready) {
      els.version.textContent = `v${data.ready}`;
      els.version.dataset.warmUpMs = data.warmUpMs.toFixed(1);
      return;
    }
    busy = false;
    if (data.site && data.site.version >= site.version) {
      site = data.site;
      showSite();
    }
    waiting.get(data.id)?.(data);
    waiting.delete(data.id);
    if (data.id !== sequence) return; // a newer request is on its way
    els.status.dataset.run = data.id;
    if (data.error) {
      setStatus("error", `Error: ${data.error}`);
      if (data.error.includes("invalid site model")) {
        site = { version: site.version + 1, bytes: null, pages: 0, template: 0 };
        showSite();
      }
      return;
    }
    const t0 = performance.now();
    render(pending.input, data.report, data.ms);
    const drawMs = performance.now() - t0;
    setStatus("done", `Cleaned ${data.report.stats.blocks} blocks in ${data.ms.toFixed(1)} ms, drawn in ${drawMs.toFixed(0)} ms.`);
  };
  worker.onerror = (e) => {
    busy = false;
    setStatus("error", `Error: the worker failed (${e.message ?? "unknown"}); is pkg/ built?`);
  };
}

let pending = null;
function options() {
  return {
    dedup_only: els.dedupOnly.checked,
    near_repeats: els.near.checked,
    near_distance: Number(els.distance.value),
    policy: document.querySelector('input[name="policy"]:checked').value,
  };
}

function run({ observe = false, input = inputText } = {}) {
  // A long job still running is abandoned: a fresh worker starts at once.
  if (busy) {
    worker.terminate();
    startWorker();
  }
  sequence += 1;
  busy = true;
  pending = { input };
  setStatus("working", `${observe ? "Adding to the site and cleaning" : "Cleaning"} ${formatBytes(input.length)}…`);
  const siteRequest = els.siteMode.checked || observe ? { version: site.version, bytes: site.bytes, observe } : null;
  worker.postMessage({ id: sequence, input, options: options(), format: els.format.value, site: siteRequest });
  return new Promise((resolve) => waiting.set(sequence, resolve));
}

function showSite() {
  const on = els.siteMode.checked;
  els.siteAdd.disabled = !on;
  els.siteClear.disabled = els.siteSave.disabled = !on || site.pages === 0;
  els.siteStatus.textContent = !on
    ? "Site mode is off: each page is cleaned on its own."
    : site.pages === 0
      ? "Site mode: no page added yet (cleaned as a single page). Add this page, then others of the same site."
      : `Site mode: ${site.pages} page${site.pages === 1 ? "" : "s"} of ${site.key} known, ${site.template} template block${site.template === 1 ? "" : "s"} (on 2+ pages).`;
}

let timer = 0;
function runSoon() {
  clearTimeout(timer);
  timer = setTimeout(run, 200);
}

function setStatus(state, text) {
  els.status.dataset.state = state;
  els.status.textContent = text;
}

function formatBytes(n) {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KB` : `${(n / (1 << 20)).toFixed(1)} MB`;
}

// 1-based line of each block's start, in one pass over the input.
function lineNumbers(input, blocks) {
  const lines = new Uint32Array(blocks.length);
  let line = 1;
  let at = 0;
  for (let i = 0; i < blocks.length; i++) {
    const start = blocks[i].start;
    for (; at < start; at++) {
      const c = input.charCodeAt(at);
      if (c === 10 || (c === 13 && input.charCodeAt(at + 1) !== 10)) line++;
    }
    lines[i] = line;
  }
  return lines;
}

function render(input, report, ms) {
  current = { input, report, lines: lineNumbers(input, report.blocks), ms };
  const s = report.stats;
  const set = (key, value) => (document.querySelector(`[data-stat="${key}"]`).textContent = value);
  for (const key of ["blocks", "kept", "exact_repeats", "near_repeats", "boilerplate", "site_template", "runs"]) set(key, (s[key] ?? 0).toLocaleString("en"));
  set("bytes", `${formatBytes(s.bytes_in)} → ${formatBytes(s.bytes_out)}`);
  set("time", `${ms.toFixed(1)} ms`);
  showCut(els.output, els.outputNote, report.text, "Copy and Download give all of it.");
  els.copy.disabled = els.download.disabled = false;
  els.blocks.replaceChildren();
  els.details.replaceChildren(muted("Select a block."));
  pinned = -1; // a block pinned in the last result may not exist in this one
  shown = 0;
  showMore();
}

function showMore(upTo = 0) {
  const { report } = current;
  const end = Math.min(report.blocks.length, Math.max(shown + PAGE, upTo + 1));
  const fragment = document.createDocumentFragment();
  for (let i = shown; i < end; i++) fragment.append(blockElement(i));
  els.blocks.append(fragment);
  shown = end;
  const rest = report.blocks.length - shown;
  els.more.hidden = rest === 0;
  els.more.textContent = `Show ${Math.min(rest, PAGE).toLocaleString("en")} more of ${rest.toLocaleString("en")} blocks`;
}

function blockElement(i) {
  const b = current.report.blocks[i];
  const li = document.createElement("li");
  const furniture = b.reason?.kind === "boilerplate";
  const template = b.reason?.kind === "site_template";
  li.className = `block v-${b.verdict === "keep" ? "keep" : furniture ? "furniture" : template ? "template" : "repeat"}`;
  li.tabIndex = 0;
  li.dataset.index = i;
  li.dataset.line = current.lines[i];
  li.dataset.verdict = b.verdict;
  const gutter = document.createElement("span");
  gutter.className = "gutter";
  gutter.textContent = current.lines[i];
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = b.text;
  li.append(gutter, text);
  if (furniture) {
    li.dataset.kind = b.reason.kind;
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = `${RULES[b.reason.rule] ?? b.reason.rule} · ${b.reason.score.toFixed(2)}`;
    li.append(badge);
  } else if (template) {
    li.dataset.kind = b.reason.kind;
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = `site template · on ${b.reason.pages} of ${b.reason.of} pages`;
    li.append(badge);
  } else if (b.reason) {
    li.dataset.kind = b.reason.kind;
    li.dataset.of = b.reason.of;
    li.dataset.ofLine = current.lines[b.reason.of];
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = `${b.reason.kind === "exact_repeat" ? "repeat" : "near repeat"} of line ${current.lines[b.reason.of]}`;
    li.append(badge);
  }
  return li;
}

// The content finder's rules, as the badge and the details say them.
const RULES = {
  outside_main_content: "outside the main content",
  link_text: "mostly links",
  in_furniture: "in page furniture",
  low_content_score: "low content score",
  no_main_content: "page has no main content",
};

function muted(text) {
  const p = document.createElement("p");
  p.className = "muted";
  p.textContent = text;
  return p;
}

// The block element for index i, drawing more blocks if it is not drawn yet.
function elementOf(i) {
  if (i >= shown) showMore(i);
  return els.blocks.children[i];
}

function clearMarks() {
  for (const el of els.blocks.querySelectorAll(".is-source, .is-run, .is-selected")) {
    el.classList.remove("is-source", "is-run", "is-selected");
  }
}

function select(i, { scroll = false } = {}) {
  const { report, lines } = current;
  const b = report.blocks[i];
  clearMarks();
  elementOf(i).classList.add("is-selected");
  const rows = [
    ["block", `#${i} · line ${lines[i]} · ${b.tokens} tokens`],
    ["verdict", b.verdict === "keep" ? "kept" : "removed"],
    ["exact", b.exact],
    ["simhash", b.simhash],
  ];
  let jump = null;
  if (b.html) {
    rows.push(["element", `<${b.html.tag}>${b.html.heading ? ` heading ${b.html.heading}` : ""} · ${b.html.link_chars} link characters`]);
    rows.push(["path", b.html.path]);
  }
  if (b.reason?.kind === "boilerplate") {
    rows.push(["reason", `furniture: ${RULES[b.reason.rule] ?? b.reason.rule}`]);
    rows.push(["score", `${b.reason.score.toFixed(3)} (content at 0.5 or more)`]);
  } else if (b.reason?.kind === "site_template") {
    rows.push(["reason", `the site's template: on ${b.reason.pages} of the ${b.reason.of} pages known (this one included)`]);
    if (b.html) rows.push(["score", `${b.reason.score.toFixed(3)} with the site's evidence (content at 0.5 or more)`]);
  } else if (b.reason) {
    const r = b.reason;
    rows.push(["reason", r.kind === "exact_repeat" ? "exact repeat (same normalized text)" : `near repeat (SimHash ${r.distance} bits away)`]);
    rows.push(["repeats", `block #${r.of}, line ${lines[r.of]}`]);
    elementOf(r.of).classList.add("is-source");
    if (r.run) {
      rows.push(["run", `${r.run.len} consecutive blocks from line ${lines[r.run.start]} repeat those from line ${lines[r.run.source]}`]);
      for (let k = 0; k < r.run.len; k++) {
        elementOf(r.run.start + k).classList.add("is-run");
        elementOf(r.run.source + k).classList.add("is-source");
      }
    }
    jump = document.createElement("button");
    jump.textContent = `Go to line ${lines[r.of]}`;
    jump.addEventListener("click", () => {
      const target = elementOf(r.of);
      target.scrollIntoView({ block: "center", behavior: "smooth" });
      target.focus({ preventScroll: true });
    });
  }
  const dl = document.createElement("dl");
  for (const [k, v] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dl.append(dt, dd);
  }
  els.details.replaceChildren(dl);
  if (jump) els.details.append(jump);
  if (scroll) elementOf(i).scrollIntoView({ block: "nearest" });
}

function blockIndex(event) {
  const li = event.target.closest?.(".block");
  return li ? Number(li.dataset.index) : -1;
}

let pinned = -1;
els.blocks.addEventListener("mouseover", (e) => {
  const i = blockIndex(e);
  if (i >= 0 && pinned < 0) select(i);
});
els.blocks.addEventListener("click", (e) => {
  const i = blockIndex(e);
  if (i < 0) return;
  pinned = pinned === i ? -1 : i;
  select(i);
});
els.blocks.addEventListener("focusin", (e) => {
  const i = blockIndex(e);
  if (i >= 0) select(i);
});
els.blocks.addEventListener("mouseleave", () => {
  if (pinned >= 0) select(pinned);
});
els.more.addEventListener("click", () => showMore());

// Puts `text` in a text area, cut to PREVIEW characters with a note saying so.
function showCut(area, note, text, rest) {
  const cut = text.length > PREVIEW;
  area.value = cut ? text.slice(0, PREVIEW) : text;
  note.hidden = !cut;
  note.textContent = cut ? `Showing the first ${formatBytes(PREVIEW)} of ${formatBytes(text.length)}. ${rest}` : "";
}

// Input: typing, options, samples, files.
els.input.addEventListener("input", () => {
  inputText = els.input.value;
  els.inputNote.hidden = true;
  runSoon();
});
for (const el of [els.dedupOnly, els.near, els.format, ...document.querySelectorAll('input[name="policy"]')]) {
  el.addEventListener("change", run);
}
els.distance.addEventListener("input", () => {
  els.distanceValue.textContent = els.distance.value;
  runSoon();
});

for (const [i, s] of SAMPLES.entries()) {
  const option = document.createElement("option");
  option.value = i;
  option.textContent = s.name;
  els.sample.append(option);
}
els.sample.addEventListener("change", async () => {
  const s = SAMPLES[els.sample.value];
  if (!s) return;
  try {
    const response = await fetch(s.url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    setInput(await response.text());
  } catch (e) {
    setStatus("error", `Could not load the sample: ${e.message}`);
  }
});

const MAX_FILE = 64 << 20;
async function openFile(file) {
  if (!file) return;
  if (file.size > MAX_FILE) {
    setStatus("error", `${file.name} is ${formatBytes(file.size)}; the demo takes up to ${formatBytes(MAX_FILE)}.`);
    return;
  }
  setInput(await file.text());
}
els.file.addEventListener("change", () => openFile(els.file.files[0]));
const panel = $("input-panel");
panel.addEventListener("dragover", (e) => {
  e.preventDefault();
  panel.classList.add("dropping");
});
panel.addEventListener("dragleave", () => panel.classList.remove("dropping"));
panel.addEventListener("drop", (e) => {
  e.preventDefault();
  panel.classList.remove("dropping");
  openFile(e.dataTransfer.files[0]);
});

function setInput(text) {
  inputText = text;
  showCut(els.input, els.inputNote, text, "The whole text is cleaned; typing here replaces it with what is shown.");
  run();
}

// Output: copy and download.
els.copy.addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(current.report.text);
    els.copy.textContent = "Copied";
  } catch {
    els.output.select();
    els.copy.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => (els.copy.textContent = "Copy"), 1500);
});
els.download.addEventListener("click", () => {
  const blob = new Blob([JSON.stringify(current.report, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "boildown-report.json";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

// Site mode.
els.siteMode.addEventListener("change", () => {
  showSite();
  run();
});
els.siteAdd.addEventListener("click", () => run({ observe: true }));
els.siteClear.addEventListener("click", () => {
  site = { version: site.version + 1, bytes: null, pages: 0, template: 0 };
  showSite();
  run();
});
els.siteSample.addEventListener("click", async () => {
  try {
    const pages = await Promise.all(SITE_SAMPLE.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
      return response.text();
    }));
    els.siteMode.checked = true;
    site = { version: site.version + 1, bytes: null, pages: 0, template: 0 };
    for (const page of pages) await run({ observe: true, input: page });
    setInput(pages[0]);
  } catch (e) {
    setStatus("error", `Could not load the sample site: ${e.message}`);
  }
});
els.siteSave.addEventListener("click", () => {
  const blob = new Blob([site.bytes], { type: "application/octet-stream" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "demo.site.model";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});
els.siteLoad.addEventListener("change", async () => {
  const file = els.siteLoad.files[0];
  if (!file) return;
  els.siteMode.checked = true;
  site = { version: site.version + 1, bytes: new Uint8Array(await file.arrayBuffer()), pages: 0, template: 0 };
  showSite();
  run();
});

startWorker();
showSite();
// ?sample=N loads a sample at once (handy for links and screenshots).
const wanted = new URLSearchParams(location.search).get("sample");
if (wanted !== null && SAMPLES[wanted]) {
  els.sample.value = wanted;
  els.sample.dispatchEvent(new Event("change"));
}
