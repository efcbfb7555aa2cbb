//! boildown boils scraped web pages down to their own content.
//!
//! A page goes in as a [`Page`]: plain text, HTML, or raw bytes (with the HTTP
//! header's charset, if known), with its URL or a site key. [`Cleaner::clean`] runs the
//! stages in order:
//!
//! 1. **decoding** (bytes only): a byte order mark, valid UTF-8, then the declared
//!    encodings checked against statistical detection ([`decode_html`]);
//! 2. **segmentation**: HTML is parsed into the tree a browser builds and every
//!    block-level element's own text is a block; plain text has a block per line;
//! 3. **fingerprints**: an exact hash and a SimHash of each block's normalized text
//!    ([`fingerprint`]);
//! 4. **repeats**: later copies of a block, exact or nearly, alone or as runs;
//! 5. **main content** (HTML): page furniture found by a learned classifier;
//! 6. **site memory** (given a [`SiteModel`]): blocks that stand on the site's other
//!    pages and are not this page's content.
//!
//! Every block of the result ([`Cleaned`]) says what happened to it and why.
//!
//! ```
//! let page = "Top stories\nThe council met on Monday to vote on the budget.\nTop stories";
//! let cleaned = boildown::clean(page);
//! assert_eq!(cleaned.text(), "Top stories\n\nThe council met on Monday to vote on the budget.");
//! let last = &cleaned.blocks()[2];
//! assert!(!last.verdict.is_keep());
//! assert_eq!(last.verdict.reason().unwrap().repeat().unwrap().of, 0);
//! ```
//!
//! HTML, from raw bytes, in its site:
//!
//! ```
//! use boildown::{Cleaner, Page, Reason, SiteModel};
//! let story = |n: &str| format!(
//!     "<!doctype html><nav><a href=/>Home</a> <a href=/news>News</a></nav>\
//!      <article><p>The {n} story is long enough to be read as the page's own text: it \
//!      runs on, with commas, clauses and a full stop, as stories do, and it says \
//!      something of its own about the {n} thing that happened in the town.</p></article>\
//!      <p class=promo>Subscribe to our newsletter for the best stories of the week.</p>");
//! let pages: Vec<Vec<u8>> = ["first", "second", "third"].map(|n| story(n).into_bytes()).to_vec();
//! let (cleaner, model) = (Cleaner::default(), SiteModel::new());
//! let at = |bytes| Page::from_bytes(bytes).with_url("https://news.example/story");
//! for bytes in &pages {
//!     model.observe(at(bytes));
//! }
//! let cleaned = cleaner.clean(at(&pages[0]), &model);
//! assert!(cleaned.text().starts_with("The first story"));
//! assert_eq!(cleaned.decoding().unwrap().encoding, "UTF-8");
//! let promo = cleaned.blocks().iter().find(|b| b.text().starts_with("Subscribe")).unwrap();
//! assert!(matches!(promo.verdict.reason(), Some(Reason::SiteTemplate(t)) if t.pages == 3));
//! ```
//!
//! The guide, the design and the measurements are in the book (`docs/`, `mdbook build
//! docs`); the building blocks are public too: [`text_blocks`], [`normalize`],
//! [`fingerprint`] and the reusable [`Fingerprinter`], [`decode_html`] and
//! [`decode_text`], [`Format::sniff`], [`site_key`].
//!
//! Features: `decode` (default) decodes pages given as bytes in-process, with the
//! crate `boildown-decode`; without it there is no [`Page::from_bytes`], and pages
//! decoded elsewhere go in through [`Page::from_decoded`] (the npm package is built so,
//! and decodes in a second WebAssembly module). `panic-hook` (default, WebAssembly only)
//! prints panics to the console; `cli` builds the command line; `training` exports the
//! classifier's inputs for retraining.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The pipeline, stage by stage, in the order a page goes through it.
mod classify; // main content and page furniture (the forests), the site's template
mod cleaner;
mod fingerprint; // each block's normalized text, exact hash and SimHash
mod input; // a page as it came in (text or HTML, a string or bytes), decoded
mod repeats; // blocks that repeat other blocks of the page
mod report; // the result: blocks, verdicts, reasons, cleaned text and HTML
mod segment; // the page cut into blocks (the HTML tree, plain-text lines)
mod site; // per-site counts of blocks over pages: the site memory // the stages run in order, behind `Cleaner`

mod config;
#[cfg(feature = "corpus")]
pub mod corpus; // the rows of `boildown corpus`, for the command and the Python package
mod error;
#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(feature = "decode")]
pub use boildown_decode::{decode_html, decode_text};
pub use boildown_decode::{Decoded, Decoding, EncodingSource};
#[cfg(feature = "training")]
pub use classify::training::{
    html_features, site_stage_inputs, site_stage_names, stage2_inputs, TrainingRow,
    STAGE2_CONTEXT_NAMES,
};
pub use cleaner::{clean, CleanedText, Cleaner, Prepared};
pub use config::{
    Config, RepeatPolicy, DEFAULT_NEAR_DISTANCE, DEFAULT_NEAR_MIN_TOKENS, MAX_NEAR_DISTANCE,
};
pub use error::Error;
pub use fingerprint::normalize;
pub use fingerprint::{fingerprint, Fingerprint, Fingerprinter, Fingerprints};
pub use input::url::site_key;
pub use input::{Format, OptionalStr, Page};
pub use report::{
    Block, Boilerplate, BoilerplateRule, Cleaned, HtmlInfo, Reason, Repeat, Run, SiteTemplate,
    Stats, Verdict,
};
pub use segment::text::{text_blocks, TextBlocks};
pub use site::{MemoryUse, Observation, SiteBudget, SiteModel, TemplateBlock};

/// The README's examples, run as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The Rust guide's examples, run as doc-tests.
#[doc = include_str!("../docs/src/guide/rust.md")]
#[cfg(doctest)]
pub struct GuideDoctests;
