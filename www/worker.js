// Cleans in a Web Worker, so that a page of several megabytes never blocks the page.
// Messages in: {id, input, options, format: "auto"|"text"|"html", site}; out: {id,
// report, ms, format} or {id, error}, and once {ready: version, warmUpMs} after the
// WebAssembly module has loaded.
// Site mode: `site` is {version, bytes, observe}: the site model's snapshot and its
// version (the page keeps them, as a fresh worker replaces one that was busy), and
// whether to observe the input first; the reply then also carries the model's new
// version and snapshot, its page count and how many template blocks it has.
import init, { Cleaner, SiteModel, sniff, version } from "../pkg/boildown.js";

// The demo's one site: every page added belongs to it ("demo", or the first site of a
// model loaded from a file).
let SITE = "demo";
let model = null;
let modelVersion = null;

// The engine compiles WebAssembly functions when they first run: the first call costs
// tens of milliseconds more than the next ones. Clean a small text at start-up, while
// the user is still reading the page, so that their first paste is fast.
const WARM_UP = [
  "A warm-up paragraph with enough words to reach the near-repeat search of the cleaner.",
  "Ünïcödé, 中文文本, and numbers 2024 go through every path of the tokenizer once.",
  "A warm-up paragraph with enough words to reach the near-repeat search of the cleaner!",
  "A warm-up paragraph with enough words to reach the near-repeat search of the cleaner.",
].join("\n");

const ready = init().then(() => {
  const t0 = performance.now();
  new Cleaner().clean(WARM_UP);
  postMessage({ ready: version(), warmUpMs: performance.now() - t0 });
});

onmessage = async ({ data: { id, input, options, format: asked = "auto", site = null } }) => {
  await ready;
  try {
    const t0 = performance.now();
    const cleaner = new Cleaner(options);
    // The package's sniffer, the one `boildown clean --format auto` uses.
    const format = asked === "auto" ? sniff(input) : asked;
    let report;
    let siteState = null;
    if (site) {
      if (modelVersion !== site.version) {
        model?.free();
        model = null;
        model = site.bytes ? SiteModel.fromBytes(site.bytes) : new SiteModel();
        SITE = model.sites()[0] ?? "demo";
        modelVersion = site.version;
      }
      let bytes = site.bytes;
      if (site.observe) {
        model.observe(input, { format, site: SITE });
        modelVersion = site.version + 1;
        bytes = model.toBytes();
      }
      report = cleaner.clean(input, { format, site: SITE, model });
      siteState = { version: modelVersion, bytes, key: SITE, pages: model.pages(SITE), template: model.template(SITE).length };
    } else {
      report = cleaner.clean(input, { format });
    }
    cleaner.free();
    postMessage({ id, report, ms: performance.now() - t0, format, site: siteState });
  } catch (e) {
    postMessage({ id, error: String(e?.message ?? e) });
  }
};
