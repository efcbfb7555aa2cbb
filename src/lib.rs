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

mod chars;
mod cleaner;
mod config;
mod content;
mod decode;
mod detect;
mod error;
mod features;
mod fingerprint;
mod forest;
mod html;
mod index;
mod model;
mod normalize;
mod render;
mod report;
mod scan;
mod segment;
mod site;
mod tree;
mod utf16;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use cleaner::{clean, Cleaner};
pub use config::{
    Config, RepeatPolicy, DEFAULT_NEAR_DISTANCE, DEFAULT_NEAR_MIN_TOKENS, MAX_NEAR_DISTANCE,
};
#[cfg(feature = "training")]
pub use content::{html_features, TrainingRow};
pub use decode::{decode_html, decode_text, Decoded, EncodingSource};
pub use error::Error;
pub use fingerprint::{fingerprint, Fingerprint, Fingerprinter, Fingerprints};
pub use normalize::normalize;
pub use report::{
    Block, Boilerplate, BoilerplateRule, Cleaned, HtmlInfo, Reason, Repeat, Run, SiteTemplate,
    Stats, Verdict,
};
pub use segment::{text_blocks, TextBlocks};
pub use site::{site_key, MemoryUse, SiteBudget, SiteModel, TemplateBlock};

/// The README's examples, run as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
