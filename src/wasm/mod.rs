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

#[cfg(not(feature = "decode"))]
mod decoder;
mod options;
mod utf16;

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use js_sys::{JsString, Uint32Array};
use wasm_bindgen::prelude::*;

use crate::{BoilerplateRule, Config, Format, Page, Reason};
use utf16::Utf16Cursor;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of a `Cleaner` (and of `clean`); every key is optional (defaults in the
 * README). */
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
  /** Recover, as lenient parsers do, from a raw text (`<title>`, `<script>`…) or a
   * comment that never ends, where a browser would show nothing after it. Default `true`. */
  html_recovery?: boolean;
}

/** A repeated run: blocks `start..start+len` repeat blocks `source..source+len`. */
export interface Run {
  start: number;
  len: number;
  source: number;
}

/** Why a block was removed: a repeat of another block of the page, with the evidence. */
export interface RepeatReason {
  kind: "exact_repeat" | "near_repeat";
  /** Index of the block this one repeats. */
  of: number;
  /** SimHash Hamming distance to that block (0 for exact repeats). */
  distance: number;
  /** The repeated run this block belongs to, if any. */
  run: Run | null;
}

/** Why a block was removed: page furniture (HTML), by this rule of the content finder. */
export interface BoilerplateReason {
  kind: "boilerplate";
  /** The strongest sign the content classifier had. */
  rule: "outside_main_content" | "link_text" | "in_furniture" | "low_content_score" | "no_main_content";
  /** The classifier's probability that the block is main content, 0 to 1. */
  score: number;
}

/** Why a block was removed: part of its site's template (`SiteModel`). */
export interface SiteTemplateReason {
  kind: "site_template";
  /** On how many of the site's pages the block stands, this one included. */
  pages: number;
  /** How many pages of the site are known, this one included. */
  of: number;
  /** The site-aware classifier's probability that the block is content (0 for text). */
  score: number;
}

/** Why a block was removed, with the evidence. */
export type Reason = RepeatReason | BoilerplateReason | SiteTemplateReason;

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
  /** For HTML input: where the block stands in the page. */
  html?: HtmlInfo;
}

/** Where an HTML block stands in its page. */
export interface HtmlInfo {
  /** The innermost block-level element, such as "p", "li" or "h2". */
  tag: string;
  /** Tag path with id and class words, such as "body>div#main.content>article>p". */
  path: string;
  /** 1 to 6 inside h1…h6, else 0. */
  heading: number;
  list: boolean;
  quote: boolean;
  pre: boolean;
  table: boolean;
  figure: boolean;
  /** Characters of its text inside links. */
  link_chars: number;
}

/** Counts of what cleaning found. Byte counts are of the UTF-8 encoding. */
export interface Stats {
  blocks: number;
  kept: number;
  exact_repeats: number;
  near_repeats: number;
  boilerplate: number;
  site_template: number;
  runs: number;
  bytes_in: number;
  bytes_out: number;
  near_comparisons: number;
  near_search_truncated: boolean;
}

/** What a page is and where it comes from: the second argument of `Cleaner.clean` and
 * `SiteModel.observe`, and keys of the options of `clean`. Every key is optional. */
export interface PageOptions {
  /** `"auto"` (the default) sniffs, as `sniff` does: HTML if the input starts with an
   * HTML tag, plain text otherwise. */
  format?: "auto" | "text" | "html";
  /** For raw bytes: the charset label of the HTTP header, if known. */
  charset?: string;
  /** The page's URL: its site key (`siteKey`) is the page's site unless `site` says it. */
  url?: string;
  /** The page's site key, in place of its URL's. */
  site?: string;
  /** Clean the page in its site with what this model knows of the site's other pages
   * (the model is only read; observe the page before or after, as you need). */
  model?: SiteModel;
}

/** The result of cleaning one page: the JSON report of the command line. For HTML,
 * `start`/`end` index the HTML source (the block's first to last text), and `text` is
 * the block's text with markup flattened. */
export interface Report {
  /** The kept blocks, one blank line between blocks. */
  text: string;
  blocks: Block[];
  stats: Stats;
  /** HTML: the page's `<title>`, white space collapsed; `null` if it has none. */
  title?: string | null;
  /** HTML: the kept blocks' markup, safe to insert in a page: emphasis and safe links only. */
  html?: string;
  /** Given bytes: the decoded page, which `start`/`end` index. */
  source?: string;
  /** Given bytes: how they were decoded. */
  decoding?: Decoding;
}

/** The report of an HTML page. */
export interface HtmlReport extends Report {
  title: string | null;
  html: string;
}

/** How raw bytes were decoded (README, "Decoding"). */
export interface Decoding {
  /** The WHATWG name of the encoding used, such as "UTF-8" or "windows-1252". */
  encoding: string;
  /** Which rule decided: a byte order mark, the charset given, the page's `<meta>`,
   * bytes that are valid UTF-8, or detection. */
  source: "bom" | "hint" | "meta" | "utf8" | "detected";
  /** A declared encoding that the bytes contradicted, so not used. */
  overruled: string | null;
  /** Malformed byte sequences replaced with U+FFFD. */
  replaced: number;
}

/** Bytes decoded by `decodeHtml`. */
export interface Decoded extends Decoding {
  text: string;
}

/** One block of a site's template (`SiteModel.template`). */
export interface TemplateBlock {
  /** Its text (the first 160 bytes), or null if the model never had it. */
  text: string | null;
  /** On how many of the site's pages it stands. */
  pages: number;
}

/** What a site model holds (`SiteModel.memory`). */
export interface MemoryUse {
  sites: number;
  blocks: number;
  candidates: number;
  bytes: number;
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
    fn build_report(input: &JsString, numbers: Uint32Array, hex: &str) -> JsValue;

    #[wasm_bindgen(js_name = joinBlocks)]
    fn join_blocks(input: &JsString, spans: Uint32Array) -> JsString;

    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(input: &JsString, from: u32, dest: &mut [u8]) -> Vec<u32>;
}

/// Runs when the module loads: panics print their message to the console (feature
/// `panic-hook`, on by default). Calling it again does nothing.
#[cfg(feature = "panic-hook")]
#[wasm_bindgen(start)]
pub fn install_panic_hook() {
    console_error_panic_hook::set_once();
}

/// Cleans one page on its own or, given a `model`, in its site, and returns the
/// report. `options` holds the page's keys (`format`, `charset`, `url`, `site`: see
/// `PageOptions`) and the cleaner's (see `Options`).
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn clean(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options & PageOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    let (config, page) = split_options(options)?;
    Cleaner::new(config)?.clean(input, page)
}

/// `clean`, returning only the cleaned text (`report.text`).
#[wasm_bindgen(js_name = cleanToText)]
pub fn clean_to_text(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options & PageOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsString, JsError> {
    let (config, page) = split_options(options)?;
    Cleaner::new(config)?.clean_to_text(input, page)
}

/// What an input is, by the sniffing rule of `format: "auto"` (the WHATWG rule for
/// HTML, as natively and in the command line): `"html"` or `"text"`.
#[wasm_bindgen(unchecked_return_type = "\"html\" | \"text\"")]
pub fn sniff(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
) -> Result<String, JsError> {
    let format = if let Some(bytes) = input.dyn_ref::<js_sys::Uint8Array>() {
        Format::sniff(&bytes.to_vec())
    } else {
        with_input(input, "sniff", &PageOptions::default(), |input| {
            input.page.format()
        })?
    };
    Ok(format.name().to_owned())
}

/// Decodes the raw bytes of an HTML page as `clean` does (the same rules and tables as
/// natively: see the README, "Decoding"); `charset` is the label of an HTTP header's
/// charset, if known.
#[wasm_bindgen(js_name = decodeHtml, unchecked_return_type = "Decoded")]
pub fn decode_html(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] charset: Option<String>,
) -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    struct Decoded<'a> {
        text: &'a str,
        #[serde(flatten)]
        decoding: crate::Decoding,
    }
    #[cfg(feature = "decode")]
    let decoded = crate::decode_html(bytes, charset.as_deref());
    #[cfg(not(feature = "decode"))]
    let (decoded, _) = decoder::decode(bytes, Format::Html, charset.as_deref())?;
    let out = Decoded {
        text: &decoded.text,
        decoding: decoded.decoding(),
    };
    to_js(&out)
}

/// Loads what pages given as bytes need: nothing in this build, which decodes in this
/// module (the npm package's build loads its decoder module here: see
/// `src/wasm/decoder.rs`). Resolves at once.
#[cfg(feature = "decode")]
#[wasm_bindgen(js_name = loadDecoder, unchecked_return_type = "Promise<void>")]
pub fn load_decoder(
    #[wasm_bindgen(js_name = moduleOrPath, unchecked_optional_param_type = "string | URL | Response | BufferSource | WebAssembly.Module")]
    module_or_path: JsValue,
) -> js_sys::Promise {
    let _ = module_or_path;
    js_sys::Promise::resolve(&JsValue::UNDEFINED)
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
            check_object(&options)?;
            check_keys(&options, &[])?;
            options::config(&options)?
        };
        let inner = crate::Cleaner::new(config).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Cleaner { inner })
    }

    /// Cleans one page on its own or, given a `model`, in its site (the model is only
    /// read: observe the page before or after, as you need), and returns the report.
    /// The input is a string or its raw bytes (a `Uint8Array`, as fetched), decoded as
    /// natively; `page` says what it is (`PageOptions`).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn clean(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageOptions | null")] page: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let page = PageOptions::read(page)?;
        with_input(input, "clean", &page, |input| {
            let cleaned = self.inner.clean(input.page, page.model.as_deref());
            let source = cleaned.source().or(input.text).unwrap_or_default();
            match (cleaned.format(), input.string) {
                (Format::Html, _) => html_report(source, &cleaned),
                (_, Some(string)) => Ok(text_report(
                    string,
                    source,
                    &cleaned,
                    input.numbers,
                    input.hex,
                )),
                // Plain text given as bytes: the report of the decoded text, with it
                // and how it was decoded.
                (_, None) => {
                    let string = JsString::from(source);
                    let report = text_report(&string, source, &cleaned, input.numbers, input.hex);
                    set(&report, "source", &string)?;
                    set(&report, "decoding", &to_js(&cleaned.decoding())?)?;
                    Ok(report)
                }
            }
        })?
    }

    /// `clean`, returning only the cleaned text (`report.text`), for callers that need
    /// no report.
    #[wasm_bindgen(js_name = cleanToText)]
    pub fn clean_to_text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageOptions | null")] page: Option<JsValue>,
    ) -> Result<JsString, JsError> {
        let page = PageOptions::read(page)?;
        with_input(input, "cleanToText", &page, |input| {
            let cleaned = self.inner.clean(input.page, page.model.as_deref());
            match (cleaned.format(), input.string, input.text) {
                // Plain text given as a string: the kept blocks are slices of it, joined
                // in JS (as the report's text is: a lone surrogate stays as it was).
                (Format::Text, Some(string), Some(text)) => {
                    let mut utf16 = Utf16Cursor::new(text);
                    let spans = input.numbers;
                    spans.clear();
                    for block in cleaned.blocks().iter().filter(|b| b.verdict.is_keep()) {
                        spans.push(to_u32(utf16.advance_to(block.start)));
                        spans.push(to_u32(utf16.advance_to(block.end)));
                    }
                    join_blocks(string, Uint32Array::from(&spans[..]))
                }
                _ => JsString::from(cleaned.text()),
            }
        })
    }

    /// The options in use, defaults filled in.
    #[wasm_bindgen(getter, unchecked_return_type = "Required<Options>")]
    pub fn options(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.config())
    }
}

/// What `clean`'s and `observe`'s `page` argument says (`PageOptions`).
#[derive(Default)]
struct PageOptions {
    charset: Option<String>,
    url: Option<String>,
    site: Option<String>,
    format: Format,
    /// The site model to clean in (`model`).
    model: Option<Rc<crate::SiteModel>>,
}

impl PageOptions {
    const KEYS: [&'static str; 5] = ["format", "charset", "url", "site", "model"];

    fn read(value: Option<JsValue>) -> Result<PageOptions, JsError> {
        let value = value.unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() || value.is_null() {
            return Ok(PageOptions::default());
        }
        check_object(&value)?;
        let mut page = PageOptions::default();
        for key in js_sys::Object::keys(&value.clone().into()) {
            let key = key.as_string().unwrap_or_default();
            let field = js_sys::Reflect::get(&value, &JsValue::from_str(&key)).map_err(js_error)?;
            if field.is_undefined() || field.is_null() {
                continue;
            }
            let text = || options::string("invalid page options", &key, &field);
            match key.as_str() {
                "format" => {
                    page.format = text()?
                        .parse()
                        .map_err(|e: crate::Error| JsError::new(&e.to_string()))?;
                }
                "charset" => page.charset = Some(text()?),
                "url" => page.url = Some(text()?),
                "site" => page.site = Some(text()?),
                "model" => page.model = Some(SiteModel::find(&field)?),
                _ => {
                    return Err(JsError::new(&format!(
                        "invalid page options: unknown key `{key}`, expected one of {}",
                        Self::KEYS.join(", ")
                    )))
                }
            }
        }
        Ok(page)
    }

    /// The page with what these options say.
    fn apply<'a>(&'a self, page: Page<'a>) -> Page<'a> {
        page.with_format(self.format)
            .with_charset(&self.charset)
            .with_url(&self.url)
            .with_site(&self.site)
    }
}

/// The options of the free functions, split into the cleaner's and the page's.
fn split_options(options: Option<JsValue>) -> Result<(Option<JsValue>, Option<JsValue>), JsError> {
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok((None, None));
    };
    check_object(&options)?;
    check_keys(&options, &PageOptions::KEYS)?;
    let (config, page) = (js_sys::Object::new(), js_sys::Object::new());
    for key in js_sys::Object::keys(&options.clone().into()) {
        let value = js_sys::Reflect::get(&options, &key).map_err(js_error)?;
        let name = key.as_string().unwrap_or_default();
        let target = if PageOptions::KEYS.contains(&name.as_str()) {
            &page
        } else {
            &config
        };
        js_sys::Reflect::set(target, &key, &value).map_err(js_error)?;
    }
    Ok((Some(config.into()), Some(page.into())))
}

/// An input of a call, as a [`Page`], with the scratch buffers of the report.
struct Input<'a> {
    page: Page<'a>,
    /// The input as Rust text, if it was a JS string.
    text: Option<&'a str>,
    /// The input, if it was a JS string.
    string: Option<&'a JsString>,
    numbers: &'a mut Vec<u32>,
    hex: &'a mut Vec<u8>,
}

/// `f` on the input (a JS string, or a `Uint8Array` of raw bytes) as the page that
/// `options` describe.
fn with_input<R>(
    input: &JsValue,
    function: &str,
    options: &PageOptions,
    f: impl FnOnce(Input<'_>) -> R,
) -> Result<R, JsError> {
    if let Some(bytes) = input.dyn_ref::<js_sys::Uint8Array>() {
        let bytes = bytes.to_vec();
        // Without the `decode` feature (the npm package), the decoder module decodes.
        #[cfg(not(feature = "decode"))]
        let decoded = decoder::decode(&bytes, options.format, options.charset.as_deref())?;
        return Ok(Scratch::with(|scratch| {
            #[cfg(feature = "decode")]
            let page = options.apply(Page::from_bytes(&bytes));
            #[cfg(not(feature = "decode"))]
            let page = options
                .apply(Page::from_decoded(&decoded.0))
                .with_format(decoded.1);
            f(Input {
                page,
                text: None,
                string: None,
                numbers: &mut scratch.numbers,
                hex: &mut scratch.hex,
            })
        }));
    }
    let string = input.dyn_ref::<JsString>().ok_or_else(|| {
        JsError::new(&format!(
            "{function}: the input must be a string or a Uint8Array, not {}",
            js_type(input)
        ))
    })?;
    Ok(Scratch::with(|scratch| {
        let text = utf8(string, &mut scratch.utf8);
        f(Input {
            page: options.apply(Page::new(&text)),
            text: Some(&text),
            string: Some(string),
            numbers: &mut scratch.numbers,
            hex: &mut scratch.hex,
        })
    }))
}

fn set(object: &JsValue, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(object, &key.into(), value)
        .map(|_| ())
        .map_err(js_error)
}

fn check_object(options: &JsValue) -> Result<(), JsError> {
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err(JsError::new(
            "invalid options: expected an object such as {near_distance: 8}",
        ));
    }
    Ok(())
}

/// The site key of a URL: its host, lowercased, without `www.`; `null` if it has none.
#[wasm_bindgen(js_name = siteKey)]
pub fn site_key(url: &str) -> Option<String> {
    crate::site_key(url)
}

/// Per-site counts of block fingerprints over pages: the site memory (see the README,
/// "Site memory"). The snapshot bytes are the same as the native library's.
#[wasm_bindgen(js_name = SiteModel)]
pub struct SiteModel {
    /// Its number in [`MODELS`], by which `{model}` in a call's options finds it (a
    /// wasm-bindgen object can be lent to Rust as an argument of its own, not inside
    /// another object).
    id: u32,
    inner: Rc<crate::SiteModel>,
}

thread_local! {
    /// The live models by number (WebAssembly here has one thread).
    static MODELS: RefCell<HashMap<u32, Weak<crate::SiteModel>>> = RefCell::default();
    static NEXT_MODEL: Cell<u32> = const { Cell::new(1) };
}

impl SiteModel {
    fn register(model: crate::SiteModel) -> SiteModel {
        let id = NEXT_MODEL.with(|next| {
            let id = next.get();
            next.set(id.wrapping_add(1).max(1));
            id
        });
        let inner = Rc::new(model);
        MODELS.with(|models| models.borrow_mut().insert(id, Rc::downgrade(&inner)));
        SiteModel { id, inner }
    }

    /// The model a call's `model` option names: a live `SiteModel`, or an error.
    fn find(value: &JsValue) -> Result<Rc<crate::SiteModel>, JsError> {
        let id = js_sys::Reflect::get(value, &"modelId".into())
            .ok()
            .and_then(|id| id.as_f64());
        id.and_then(|id| MODELS.with(|models| models.borrow().get(&(id as u32))?.upgrade()))
            .ok_or_else(|| {
                JsError::new(
                    "invalid options: `model` is not a live SiteModel (freed, or another object)",
                )
            })
    }
}

impl Drop for SiteModel {
    fn drop(&mut self) {
        // A thread-local being torn down has nothing left to forget.
        let _ = MODELS.try_with(|models| models.borrow_mut().remove(&self.id));
    }
}

#[wasm_bindgen(js_class = SiteModel)]
impl SiteModel {
    /// An empty model; `blocksPerSite` caps the tracked blocks of each site (default
    /// 1 048 576; the least seen are forgotten past it).
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(js_name = blocksPerSite)] blocks_per_site: Option<u32>) -> SiteModel {
        let mut budget = crate::SiteBudget::default();
        if let Some(n) = blocks_per_site {
            budget.blocks_per_site = n as usize;
        }
        SiteModel::register(crate::SiteModel::with_budget(budget))
    }

    /// Reads a snapshot (`toBytes`, or a file of `boildown site learn`); throws an
    /// `Error` saying what is wrong with a damaged or other-version one.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<SiteModel, JsError> {
        crate::SiteModel::from_bytes(bytes)
            .map(SiteModel::register)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The number by which a call's `{model}` option finds this model.
    #[wasm_bindgen(getter, js_name = modelId)]
    pub fn model_id(&self) -> u32 {
        self.id
    }

    /// The model as a versioned snapshot.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// Observes a page as one more page of its site (`page.site`, or the site key of
    /// `page.url`); false if it has no site key, or if the same page was observed
    /// before. The input and `page` are those of `Cleaner.clean`.
    pub fn observe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageOptions | null")] page: Option<JsValue>,
    ) -> Result<bool, JsError> {
        let page = PageOptions::read(page)?;
        if page.model.is_some() {
            return Err(JsError::new(
                "observe: `model` is the model observing; give no other",
            ));
        }
        with_input(input, "observe", &page, |input| {
            self.inner.observe(input.page)
        })
    }

    /// How many distinct pages of `site` were observed.
    pub fn pages(&self, site: &str) -> u32 {
        self.inner.pages(site)
    }

    /// On how many pages of `site` a block with this exact fingerprint (16 hex digits,
    /// as in a report) stands.
    pub fn count(&self, site: &str, exact: &str) -> Result<u32, JsError> {
        let fp: crate::Fingerprint = exact
            .parse()
            .map_err(|e: crate::Error| JsError::new(&e.to_string()))?;
        Ok(self.inner.count(site, fp))
    }

    /// The sites observed, sorted.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn sites(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.sites())
    }

    /// The blocks of `site` on at least `minPages` pages (default 2), most frequent
    /// first.
    #[wasm_bindgen(unchecked_return_type = "TemplateBlock[]")]
    pub fn template(
        &self,
        site: &str,
        #[wasm_bindgen(js_name = minPages)] min_pages: Option<u32>,
    ) -> Result<JsValue, JsError> {
        #[derive(serde::Serialize)]
        struct Shown {
            text: Option<String>,
            pages: u32,
        }
        let shown: Vec<Shown> = self
            .inner
            .template(site, min_pages.unwrap_or(2))
            .into_iter()
            .map(|b| Shown {
                text: b.text,
                pages: b.pages,
            })
            .collect();
        to_js(&shown)
    }

    /// Sites, tracked blocks, template candidates and bytes held.
    #[wasm_bindgen(unchecked_return_type = "MemoryUse")]
    pub fn memory(&self) -> Result<JsValue, JsError> {
        let m = self.inner.memory();
        #[derive(serde::Serialize)]
        struct Memory {
            sites: usize,
            blocks: usize,
            candidates: usize,
            bytes: usize,
        }
        to_js(&Memory {
            sites: m.sites,
            blocks: m.blocks,
            candidates: m.candidates,
            bytes: m.bytes,
        })
    }

    /// Adds another model's pages and counts to this one.
    pub fn merge(&self, other: &SiteModel) {
        self.inner.merge(&other.inner);
    }
}

/// The report of an HTML page, through serde: HTML pages have a few hundred blocks,
/// whose texts are not slices of the input, so the fast path of [`report`] does not
/// apply.
fn html_report(text: &str, cleaned: &crate::Cleaned) -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    struct HtmlBlock<'a> {
        start: u32,
        end: u32,
        text: &'a str,
        exact: crate::Fingerprint,
        simhash: crate::Fingerprint,
        tokens: u32,
        verdict: &'static str,
        reason: Option<&'a Reason>,
        html: Option<&'a crate::HtmlInfo>,
    }
    #[derive(serde::Serialize)]
    struct HtmlReport<'a> {
        title: Option<&'a str>,
        text: &'a str,
        blocks: Vec<HtmlBlock<'a>>,
        stats: &'a crate::Stats,
        html: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        decoding: Option<&'a crate::Decoding>,
    }
    let mut utf16 = Utf16Cursor::new(text);
    let blocks = cleaned
        .blocks()
        .iter()
        .map(|b| HtmlBlock {
            start: to_u32(utf16.advance_to(b.start)),
            end: to_u32(utf16.advance_to(b.end)),
            text: b.text(),
            exact: b.exact,
            simhash: b.simhash,
            tokens: b.tokens,
            verdict: if b.verdict.is_keep() {
                "keep"
            } else {
                "remove"
            },
            reason: b.verdict.reason(),
            html: b.html.as_ref(),
        })
        .collect();
    to_js(&HtmlReport {
        title: cleaned.title(),
        text: cleaned.text(),
        blocks,
        stats: cleaned.stats(),
        html: cleaned.html(),
        source: cleaned.source(),
        decoding: cleaned.decoding(),
    })
}

/// The exact and SimHash fingerprints of a text, as 16-hex strings.
#[wasm_bindgen(unchecked_return_type = "Fingerprints")]
pub fn fingerprint(
    #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
) -> Result<JsValue, JsError> {
    let text = string(text, "fingerprint")?;
    let fp = Scratch::with(|scratch| crate::fingerprint(&utf8(text, &mut scratch.utf8)));
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
    let text = string(text, "normalize")?;
    Ok(Scratch::with(|scratch| {
        crate::normalize(&utf8(text, &mut scratch.utf8))
    }))
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
        JsError::new(&format!(
            "{function}: the input must be a string, not {}",
            js_type(value)
        ))
    })
}

/// What `typeof` says, but `null` for null.
fn js_type(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// The input as Rust text, written straight into WebAssembly memory by
/// `TextEncoder.encodeInto` (wasm-bindgen's own string passing copies ASCII one
/// character at a time, which took a fifth of the time of cleaning), in `buf`, which is
/// reused from call to call (only its growth is zeroed). First as many bytes as the
/// input has UTF-16 units, which is enough for ASCII; then, from the first character
/// that did not fit, three bytes per remaining unit. Lone surrogates become U+FFFD, as
/// in any UTF-8 encoding of a JS string.
fn utf8<'a>(input: &JsString, buf: &'a mut Vec<u8>) -> Cow<'a, str> {
    let units = input.length() as usize;
    if buf.len() < units {
        buf.resize(units, 0);
    }
    let [read, mut len] = read_written(&encode_into(input, 0, &mut buf[..units]));
    if read < units {
        let need = len + (units - read) * 3;
        if buf.len() < need {
            buf.resize(need, 0);
        }
        let [_, more] = read_written(&encode_into(input, read as u32, &mut buf[len..need]));
        len += more;
    }
    let bytes = &buf[..len.min(buf.len())];
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Buffers reused from call to call: the input's UTF-8 and the report's numbers and
/// hex digits. Fresh ones for every call were zeroed and grown each time, a tenth of
/// the time of a call. Buffers past [`Scratch::KEEP`] bytes are freed after the call
/// that needed them, so a one-off huge page does not pin its memory.
#[derive(Default)]
struct Scratch {
    utf8: Vec<u8>,
    numbers: Vec<u32>,
    hex: Vec<u8>,
}

impl Scratch {
    const KEEP: usize = 16 << 20;

    /// Runs `f` with the scratch buffers (WebAssembly here has one thread; a nested
    /// call, which cannot happen today, would get fresh buffers).
    fn with<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
        thread_local! {
            static SCRATCH: Cell<Scratch> = Cell::default();
        }
        SCRATCH.with(|cell| {
            let mut scratch = cell.take();
            let result = f(&mut scratch);
            if scratch.utf8.capacity() > Self::KEEP {
                scratch.utf8 = Vec::new();
            }
            if scratch.numbers.capacity() * 4 > Self::KEEP {
                scratch.numbers = Vec::new();
            }
            if scratch.hex.capacity() > Self::KEEP {
                scratch.hex = Vec::new();
            }
            cell.set(scratch);
            result
        })
    }
}

fn read_written(pair: &[u32]) -> [usize; 2] {
    match pair {
        [read, written] => [*read as usize, *written as usize],
        _ => [0, 0],
    }
}

/// Rejects keys that are neither options ([`options::KEYS`]) nor in `extra`.
fn check_keys(options: &JsValue, extra: &[&str]) -> Result<(), JsError> {
    for key in js_sys::Object::keys(&options.clone().into()) {
        let key = key.as_string().unwrap_or_default();
        if !options::KEYS.contains(&key.as_str()) && !extra.contains(&key.as_str()) {
            let list: Vec<&str> = options::KEYS.iter().chain(extra).copied().collect();
            return Err(JsError::new(&format!(
                "invalid options: unknown option `{key}`, expected one of {}",
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

/// The report as a JS object. Rust hands over the counts of [`Stats`](crate::Stats)
/// (`near_comparisons` as two halves, `site_template` last), then per block the numbers
/// `[start, end, tokens, code]` (UTF-16 indices; `code` is the reason's kind, 0 for a
/// kept block, plus `distance << 2` and `has_run << 9`; kind 3 is furniture with its
/// rule `<< 2`, rule 5 the site's template followed by `[pages, of]`), then for a
/// repeat `of` and, in a run, `[run.start, run.len, run.source]`; and both fingerprints as 32 hex
/// digits. `js/report.js` builds the objects from them (keep the two in step), and the
/// cleaned text from its own slices of the input, faster than decoding a copy.
fn text_report(
    input: &JsString,
    text: &str,
    cleaned: &crate::Cleaned,
    numbers: &mut Vec<u32>,
    hex: &mut Vec<u8>,
) -> JsValue {
    numbers.clear();
    hex.clear();
    let stats = cleaned.stats();
    let [comparisons_hi, comparisons_lo] =
        [stats.near_comparisons >> 32, stats.near_comparisons].map(|half| half as u32);
    numbers.extend_from_slice(&[
        to_u32(stats.blocks),
        to_u32(stats.kept),
        to_u32(stats.exact_repeats),
        to_u32(stats.near_repeats),
        to_u32(stats.boilerplate),
        to_u32(stats.runs),
        to_u32(stats.bytes_in),
        to_u32(stats.bytes_out),
        comparisons_hi,
        comparisons_lo,
        u32::from(stats.near_search_truncated),
        to_u32(stats.site_template),
    ]);
    let mut utf16 = Utf16Cursor::new(text);
    for block in cleaned.blocks() {
        push_hex(hex, block.exact.as_u64());
        push_hex(hex, block.simhash.as_u64());
        let start = to_u32(utf16.advance_to(block.start));
        let end = to_u32(utf16.advance_to(block.end));
        let tokens = block.tokens;
        let (kind, repeat) = match block.verdict.reason() {
            None => {
                numbers.extend_from_slice(&[start, end, tokens, 0]);
                continue;
            }
            Some(Reason::ExactRepeat(r)) => (1, r),
            Some(Reason::NearRepeat(r)) => (2, r),
            Some(Reason::Boilerplate(b)) => {
                let rule = match b.rule {
                    BoilerplateRule::OutsideMainContent => 0,
                    BoilerplateRule::LinkText => 1,
                    BoilerplateRule::InFurniture => 2,
                    BoilerplateRule::LowContentScore => 3,
                    BoilerplateRule::NoMainContent => 4,
                };
                numbers.extend_from_slice(&[start, end, tokens, 3 | rule << 2]);
                continue;
            }
            Some(Reason::SiteTemplate(t)) => {
                numbers.extend_from_slice(&[start, end, tokens, 3 | 5 << 2, t.pages, t.of]);
                continue;
            }
        };
        let code = kind | repeat.distance.min(127) << 2 | u32::from(repeat.run.is_some()) << 9;
        numbers.extend_from_slice(&[start, end, tokens, code, to_u32(repeat.of)]);
        if let Some(run) = repeat.run {
            numbers.extend_from_slice(&[to_u32(run.start), to_u32(run.len), to_u32(run.source)]);
        }
    }
    let hex = std::str::from_utf8(hex).unwrap_or_default();
    build_report(input, Uint32Array::from(&numbers[..]), hex)
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
