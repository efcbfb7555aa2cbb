// Cleans in a Web Worker, so that a page of several megabytes never blocks the page.
// Messages in: {id, input, options}; out: {id, report, ms} or {id, error}, and once
// {ready: version, warmUpMs} after the WebAssembly module has loaded.
import init, { Cleaner, version } from "../pkg/boildown.js";

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

onmessage = async ({ data: { id, input, options } }) => {
  await ready;
  try {
    const t0 = performance.now();
    const cleaner = new Cleaner(options);
    const report = cleaner.clean(input);
    cleaner.free();
    postMessage({ id, report, ms: performance.now() - t0 });
  } catch (e) {
    postMessage({ id, error: String(e?.message ?? e) });
  }
};
