//! boildown boils scraped web pages down to their own content.
//!
//! It splits a page into blocks, fingerprints every block (an exact hash and a SimHash
//! of its normalized text), finds the blocks that repeat inside the page, exactly or
//! with small edits, alone or as runs of consecutive blocks, and removes them, with a
//! reason and its evidence for every block.
//!
//! Three ways in, from simple to configurable:
//!
//! - [`clean`]: one call with the defaults;
//! - [`Cleaner`]: built once from a [`Config`], used for many pages;
//! - the building blocks: [`text_blocks`], [`normalize`], [`fingerprint`] and the
//!   reusable [`Fingerprinter`].
//!
//! ```
//! let page = "Top stories\nThe council met on Monday to vote on the budget.\nTop stories";
//! let cleaned = boildown::clean(page);
//! assert_eq!(cleaned.text(), "Top stories\n\nThe council met on Monday to vote on the budget.");
//! let last = &cleaned.blocks()[2];
//! assert!(!last.verdict.is_keep());
//! assert_eq!(last.verdict.reason().unwrap().repeat().unwrap().of, 0);
//! ```
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
mod error;
#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(feature = "training")]
pub use classify::training::{html_features, TrainingRow};
pub use cleaner::{clean, Cleaner};
pub use config::{
    Config, RepeatPolicy, DEFAULT_NEAR_DISTANCE, DEFAULT_NEAR_MIN_TOKENS, MAX_NEAR_DISTANCE,
};
pub use error::Error;
pub use fingerprint::normalize::normalize;
pub use fingerprint::{fingerprint, Fingerprint, Fingerprinter, Fingerprints};
pub use input::decode::{decode_html, decode_text, Decoded, Decoding, EncodingSource};
pub use input::url::site_key;
pub use input::{Format, OptionalStr, Page};
pub use report::{
    Block, Boilerplate, BoilerplateRule, Cleaned, HtmlInfo, Reason, Repeat, Run, SiteTemplate,
    Stats, Verdict,
};
pub use segment::text::{text_blocks, TextBlocks};
pub use site::{MemoryUse, SiteBudget, SiteModel, TemplateBlock};

/// The README's examples, run as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
