// The bridge to the package's decoder module (pkg/decoder/, the crate boildown-decode),
// for src/wasm/decoder.rs: loadDecoder() imports and instantiates it, decodeBytes()
// calls it. wasm-bindgen copies this file to pkg/snippets/boildown-<hash>/js/, three
// folders below pkg/, hence the path of the import.

let decoder = null;
let loading = null;

export function loadDecoder(moduleOrPath) {
  if (decoder) return Promise.resolve();
  if (!loading) {
    loading = import("../../../decoder/boildown_decode.js")
      .then(async (module) => {
        await module.default(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
        decoder = module;
      })
      .catch((error) => {
        loading = null;
        throw error;
      });
  }
  return loading;
}

export function decodeBytes(bytes, hint, html) {
  if (!decoder) {
    throw new Error(
      "a page given as bytes needs the decoder module: `await loadDecoder()` first (strings need nothing)",
    );
  }
  return decoder.decode(bytes, hint ?? undefined, html);
}
