//! The JavaScript bindings (wasm32 only): a thin layer over [`Cleaner`](crate::Cleaner).
//!
//! - `clean(input, options?)` and `new Cleaner(options?).clean(input)` return a plain
//!   object shaped like the JSON report (`{text, blocks, stats}`), with `start`/`end`
//!   as UTF-16 indices, so that `input.slice(start, end)` is the block's text;
//! - options arrive as a plain object with the keys of the Rust [`Config`] (snake_case,
//!   as in the JSON report); an unknown key or an ill-typed value is an `Error`;
//! - fingerprints cross as 16-hex strings.
//!
//! Speed: creating one JS string per block from Rust costs a call into JS and a UTF-8
//! decode each, which for a page of 10 000 blocks took longer than cleaning it. So Rust
//! hands over the cleaned text plus one `Uint32Array` of numbers per block, and a small
//! JS function (`js/report.js`, bundled by wasm-bindgen) builds the objects, slicing
//! each block's text out of the caller's own string.

use js_sys::{JsString, Uint32Array};
use wasm_bindgen::prelude::*;

use crate::cleaner::Analysis;
use crate::utf16::Utf16Cursor;
use crate::{Config, Reason};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `clean` and `Cleaner`; every key is optional (defaults in the README). */
export interface Options {
  /** Which copies of a repeat are removed. Default `"keep_first"`. */
  policy?: "keep_first" | "remove_all";
  /** Detect near repeats (edited copies), not only exact ones. Default `true`. */
  near_repeats?: boolean;
  /** Largest SimHash Hamming distance of a near repeat, 0 to 32. Default 12. */
  near_distance?: number;
  /** Fewest tokens both blocks need to be compared as near repeats. Default 16. */
  near_min_tokens?: number;
  /** Only remove repeats, never other page furniture. Default `false`. */
  dedup_only?: boolean;
}

/** A repeated run: blocks `start..start+len` repeat blocks `source..source+len`. */
export interface Run {
  start: number;
  len: number;
  source: number;
}

/** Why a block was removed, with the evidence. */
export interface Reason {
  kind: "exact_repeat" | "near_repeat";
  /** Index of the block this one repeats. */
  of: number;
  /** SimHash Hamming distance to that block (0 for exact repeats). */
  distance: number;
  /** The repeated run this block belongs to, if any. */
  run: Run | null;
}

/** One block of the input and its verdict. */
export interface Block {
  /** UTF-16 index of the block's first code unit: `input.slice(start, end) === text`. */
  start: number;
  /** UTF-16 index just past the block. */
  end: number;
  text: string;
  /** XXH3-64 of the normalized text, 16 hex digits. */
  exact: string;
  /** SimHash of the normalized text, 16 hex digits. */
  simhash: string;
  /** Number of SimHash tokens. */
  tokens: number;
  verdict: "keep" | "remove";
  /** `null` for kept blocks. */
  reason: Reason | null;
}

/** Counts of what cleaning found. Byte counts are of the UTF-8 encoding. */
export interface Stats {
  blocks: number;
  kept: number;
  exact_repeats: number;
  near_repeats: number;
  runs: number;
  bytes_in: number;
  bytes_out: number;
  near_comparisons: number;
  near_search_truncated: boolean;
}

/** The result of cleaning one page: the JSON report of the command line. */
export interface Report {
  /** The kept blocks, one blank line between blocks. */
  text: string;
  blocks: Block[];
  stats: Stats;
}

/** The fingerprints of one text. */
export interface Fingerprints {
  exact: string;
  simhash: string;
  tokens: number;
}
"#;

#[wasm_bindgen(module = "/js/report.js")]
extern "C" {
    #[wasm_bindgen(js_name = buildReport)]
    fn build_report(
        input: &JsString,
        text: JsValue,
        numbers: Uint32Array,
        hex: &str,
        stats: JsValue,
    ) -> JsValue;

    #[wasm_bindgen(js_name = joinBlocks)]
    fn join_blocks(input: &JsString, spans: Uint32Array) -> JsString;

    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(input: &JsString, from: u32, dest: &mut [u8]) -> Vec<u32>;
}

/// Numbers per block in the array handed to `buildReport` (see `js/report.js`).
const STRIDE: usize = 10;

/// Runs when the module loads: panics print their message to the console (feature
/// `panic-hook`, on by default). Calling it again does nothing.
#[cfg(feature = "panic-hook")]
#[wasm_bindgen(start)]
pub fn install_panic_hook() {
    console_error_panic_hook::set_once();
}

/// Cleans one page of plain text and returns the report.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn clean(
    #[wasm_bindgen(unchecked_param_type = "string")] input: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options | null")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    Cleaner::new(options)?.clean(input)
}

/// Cleans one page of plain text and returns only the cleaned text (`report.text`).
#[wasm_bindgen(js_name = cleanText)]
pub fn clean_text(
    #[wasm_bindgen(unchecked_param_type = "string")] input: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options | null")] options: Option<JsValue>,
) -> Result<JsString, JsError> {
    Cleaner::new(options)?.clean_text(input)
}

/// A configured cleaner, built once and used for many pages.
#[wasm_bindgen(js_name = Cleaner)]
pub struct Cleaner {
    inner: crate::Cleaner,
}

#[wasm_bindgen(js_class = Cleaner)]
impl Cleaner {
    /// A cleaner with these options; throws an `Error` naming an unknown or invalid one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Options | null")] options: Option<JsValue>,
    ) -> Result<Cleaner, JsError> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let config = if options.is_undefined() || options.is_null() {
            Config::default()
        } else {
            if !options.is_object() || js_sys::Array::is_array(&options) {
                return Err(JsError::new(
                    "invalid options: expected an object such as {near_distance: 8}",
                ));
            }
            check_keys(&options)?;
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| JsError::new(&format!("invalid options: {e}")))?
        };
        let inner = crate::Cleaner::new(config).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Cleaner { inner })
    }

    /// Cleans one page of plain text and returns the report.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn clean(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] input: &JsValue,
    ) -> Result<JsValue, JsError> {
        let input = string(input, "clean")?;
        let text = utf8(input);
        let analysis = self.inner.analyze(&text);
        report(input, &text, &analysis)
    }

    /// Cleans one page of plain text and returns only the cleaned text: for callers
    /// that need no report, a third faster than `clean` on long pages.
    #[wasm_bindgen(js_name = cleanText)]
    pub fn clean_text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] input: &JsValue,
    ) -> Result<JsString, JsError> {
        let input = string(input, "cleanText")?;
        let text = utf8(input);
        let analysis = self.inner.analyze(&text);
        // Plain text: the kept blocks joined by a blank line (see `report`).
        let mut utf16 = Utf16Cursor::new(&text);
        let mut spans = Vec::with_capacity(analysis.stats.kept * 2);
        let kept = analysis.verdicts.iter().map(|v| v.is_keep());
        for (span, _) in analysis.spans.iter().zip(kept).filter(|(_, keep)| *keep) {
            spans.push(to_u32(utf16.advance_to(span.start)));
            spans.push(to_u32(utf16.advance_to(span.end)));
        }
        Ok(join_blocks(input, Uint32Array::from(&spans[..])))
    }

    /// The options in use, defaults filled in.
    #[wasm_bindgen(getter, unchecked_return_type = "Required<Options>")]
    pub fn options(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.config())
    }
}

/// The exact and SimHash fingerprints of a text, as 16-hex strings.
#[wasm_bindgen(unchecked_return_type = "Fingerprints")]
pub fn fingerprint(
    #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
) -> Result<JsValue, JsError> {
    let fp = crate::fingerprint(&utf8(string(text, "fingerprint")?));
    let object = js_sys::Object::new();
    let set = |key: &str, value: JsValue| js_sys::Reflect::set(&object, &key.into(), &value);
    set("exact", fp.exact.to_string().into()).map_err(js_error)?;
    set("simhash", fp.simhash.to_string().into()).map_err(js_error)?;
    set("tokens", fp.tokens.into()).map_err(js_error)?;
    Ok(object.into())
}

/// The normalized text that the exact fingerprint hashes.
#[wasm_bindgen]
pub fn normalize(
    #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
) -> Result<String, JsError> {
    Ok(crate::normalize(&utf8(string(text, "normalize")?)))
}

/// The version of the boildown crate this package was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The argument as a JS string, or an error naming the function and what it got
/// (wasm-bindgen does not check the types of arguments).
fn string<'a>(value: &'a JsValue, function: &str) -> Result<&'a JsString, JsError> {
    value.dyn_ref::<JsString>().ok_or_else(|| {
        let got = value.js_typeof().as_string().unwrap_or_default();
        let got = if value.is_null() {
            "null".to_owned()
        } else {
            got
        };
        JsError::new(&format!(
            "{function}: the input must be a string, not {got}"
        ))
    })
}

/// The input as Rust text, written straight into WebAssembly memory by
/// `TextEncoder.encodeInto` (wasm-bindgen's own string passing copies ASCII one
/// character at a time, which took a fifth of the time of cleaning). First as many
/// bytes as the input has UTF-16 units, which is enough for ASCII; then, from the first
/// character that did not fit, three bytes per remaining unit. Lone surrogates become
/// U+FFFD, as in any UTF-8 encoding of a JS string.
fn utf8(input: &JsString) -> String {
    let units = input.length() as usize;
    let mut bytes = vec![0u8; units];
    let [read, written] = read_written(&encode_into(input, 0, &mut bytes));
    if read < units {
        bytes.resize(written + (units - read) * 3, 0);
        let [_, more] = read_written(&encode_into(input, read as u32, &mut bytes[written..]));
        bytes.truncate(written + more);
    } else {
        bytes.truncate(written);
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn read_written(pair: &[u32]) -> [usize; 2] {
    match pair {
        [read, written] => [*read as usize, *written as usize],
        _ => [0, 0],
    }
}

/// Rejects keys that are not options (serde-wasm-bindgen only looks up the known ones).
/// The known keys are those of the serialized default [`Config`].
fn check_keys(options: &JsValue) -> Result<(), JsError> {
    let known = js_sys::Object::keys(&to_js(&Config::default())?.into());
    for key in js_sys::Object::keys(&options.clone().into()) {
        if !known.includes(&key, 0) {
            let list: Vec<String> = known.iter().filter_map(|k| k.as_string()).collect();
            return Err(JsError::new(&format!(
                "invalid options: unknown option `{}`, expected one of {}",
                key.as_string().unwrap_or_default(),
                list.join(", ")
            )));
        }
    }
    Ok(())
}

fn js_error(value: JsValue) -> JsError {
    JsError::new(&format!("{value:?}"))
}

fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The report as a JS object: numbers per block in one array, objects built in JS.
fn report(input: &JsString, text: &str, analysis: &Analysis) -> Result<JsValue, JsError> {
    let count = analysis.spans.len();
    let mut numbers = vec![0u32; count * STRIDE];
    // Both fingerprints of every block as hex, 32 characters per block: one string for
    // JS to slice (far faster than formatting numbers in JS).
    let mut hex = Vec::with_capacity(count * 32);
    let mut utf16 = Utf16Cursor::new(text);
    let blocks = analysis.spans.iter().zip(&analysis.fingerprints);
    for (((span, fp), verdict), out) in blocks
        .zip(&analysis.verdicts)
        .zip(numbers.chunks_exact_mut(STRIDE))
    {
        out[0] = to_u32(utf16.advance_to(span.start));
        out[1] = to_u32(utf16.advance_to(span.end));
        out[2] = fp.tokens;
        push_hex(&mut hex, fp.exact.as_u64());
        push_hex(&mut hex, fp.simhash.as_u64());
        let (kind, repeat) = match verdict.reason() {
            None => continue,
            Some(Reason::ExactRepeat(r)) => (1, r),
            Some(Reason::NearRepeat(r)) => (2, r),
        };
        out[3] = kind;
        out[4] = to_u32(repeat.of);
        out[5] = repeat.distance;
        if let Some(run) = repeat.run {
            out[6] = 1;
            out[7..10].copy_from_slice(&[to_u32(run.start), to_u32(run.len), to_u32(run.source)]);
        }
    }
    let hex = String::from_utf8(hex).unwrap_or_default();
    let stats = to_js(&analysis.stats)?;
    // Plain text: the cleaned text is the kept blocks joined by blank lines, which JS
    // joins from its own slices faster than it can decode a copy.
    Ok(build_report(
        input,
        JsValue::UNDEFINED,
        Uint32Array::from(&numbers[..]),
        &hex,
        stats,
    ))
}

fn push_hex(out: &mut Vec<u8>, bits: u64) {
    let mut hex = [0u8; 16];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(bits.to_be_bytes()) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(byte)]);
    }
    out.extend_from_slice(&hex);
}

/// The two lowercase hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    table
};

/// Offsets and counts in wasm32 fit in 32 bits (the address space does).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
