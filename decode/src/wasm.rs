//! The decoder module of boildown's JavaScript package (`pkg/decoder/`): one function,
//! which boildown's main module calls (through `js/decoder.js`) when a page arrives as
//! bytes. Not a public JavaScript API: the package's `decodeHtml` and `clean` are.

use wasm_bindgen::prelude::*;

/// Decodes `bytes` as HTML (`html`) or plain text, with the charset label `hint`:
/// `[text, encoding, source, overruled | null, replaced]`.
#[wasm_bindgen]
pub fn decode(bytes: &[u8], hint: Option<String>, html: bool) -> js_sys::Array {
    let decoded = if html {
        crate::decode_html(bytes, hint.as_deref())
    } else {
        crate::decode_text(bytes, hint.as_deref())
    };
    let out = js_sys::Array::new_with_length(5);
    out.set(0, JsValue::from_str(&decoded.text));
    out.set(1, JsValue::from_str(decoded.encoding));
    out.set(2, JsValue::from_str(decoded.source.name()));
    out.set(
        3,
        decoded.overruled.map_or(JsValue::NULL, JsValue::from_str),
    );
    out.set(4, JsValue::from_f64(decoded.replaced as f64));
    out
}
