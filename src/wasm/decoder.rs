//! Pages given as bytes in the npm package, which is built without the `decode`
//! feature: its second WebAssembly module (`pkg/decoder/`, the crate boildown-decode)
//! decodes them, so that callers who pass strings never load the encoding tables.
//! `loadDecoder()` loads it (`js/decoder.js`); until then a page given as bytes is an
//! error that says so.

use wasm_bindgen::prelude::*;

use crate::{Decoded, EncodingSource, Format};

#[wasm_bindgen(module = "/js/decoder.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadDecoder)]
    fn load_decoder_module(module_or_path: JsValue) -> js_sys::Promise;

    #[wasm_bindgen(catch, js_name = decodeBytes)]
    fn decode_bytes(bytes: &[u8], hint: Option<&str>, html: bool)
        -> Result<js_sys::Array, JsValue>;
}

/// Loads the decoder module that pages given as bytes (a `Uint8Array`) need, from
/// `pkg/decoder/` beside this module, or from `moduleOrPath` (what the decoder's own
/// `init` takes: a URL, a `Response`, bytes or a compiled `WebAssembly.Module`).
/// Resolves when it is ready; calling it again does nothing. Strings never need it.
#[wasm_bindgen(js_name = loadDecoder, unchecked_return_type = "Promise<void>")]
pub fn load_decoder(
    #[wasm_bindgen(js_name = moduleOrPath, unchecked_optional_param_type = "string | URL | Response | BufferSource | WebAssembly.Module")]
    module_or_path: JsValue,
) -> js_sys::Promise {
    load_decoder_module(module_or_path)
}

/// Decodes `bytes` as `format` says (sniffed from the bytes for `Auto`), through the
/// decoder module; returns the format decoded as, which the page is then read as.
pub(crate) fn decode(
    bytes: &[u8],
    format: Format,
    hint: Option<&str>,
) -> Result<(Decoded, Format), JsError> {
    let format = match format {
        Format::Auto => Format::sniff(bytes),
        format => format,
    };
    let parts = decode_bytes(bytes, hint, format == Format::Html).map_err(|e| {
        let message = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()));
        JsError::new(&message.unwrap_or_else(|| format!("{e:?}")))
    })?;
    let text = parts.get(0).as_string().unwrap_or_default();
    let encoding = parts.get(1).as_string().unwrap_or_default();
    let source = parts.get(2).as_string().unwrap_or_default();
    let overruled = parts.get(3).as_string();
    let replaced = parts.get(4).as_f64().unwrap_or(0.0) as usize;
    EncodingSource::from_name(&source)
        .and_then(|source| {
            Decoded::from_parts(text, &encoding, source, overruled.as_deref(), replaced)
        })
        .map(|decoded| (decoded, format))
        .ok_or_else(|| {
            JsError::new(&format!(
                "the decoder module answered \"{encoding}\", \"{source}\": not this version's"
            ))
        })
}
