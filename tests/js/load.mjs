// Loads the wasm-pack package (pkg/, --target web) in Node.js.
import { readFileSync } from "node:fs";
import init, * as boildown from "../../pkg/boildown.js";

export const root = new URL("../../", import.meta.url);

await init({ module_or_path: readFileSync(new URL("pkg/boildown_bg.wasm", root)) });
// Pages given as bytes need the decoder module (tests/js/decoder.test.mjs checks the
// package without it).
await boildown.loadDecoder(readFileSync(new URL("pkg/decoder/boildown_decode_bg.wasm", root)));

export default boildown;
