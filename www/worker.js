// Cleans in a Web Worker, so that a page of several megabytes never blocks the page.
// Messages in: {id, input, options}; out: {id, report, ms} or {id, error}, and once
// {ready: version} after the WebAssembly module has loaded.
import init, { Cleaner, version } from "../pkg/boildown.js";

const ready = init().then(() => postMessage({ ready: version() }));

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
