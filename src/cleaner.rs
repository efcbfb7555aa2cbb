//! The reusable [`Cleaner`] and the free function [`clean`].

use crate::config::Config;
use crate::detect::detect;
use crate::error::Error;
use crate::fingerprint::{Fingerprinter, Fingerprints};
use std::ops::Range;
use std::sync::Arc;

use crate::report::{Block, BlockText, Cleaned, Reason, Stats, Verdict};
use crate::segment::text_blocks;

/// Cleans plain text with the default [`Config`]: every non-blank line is a block, and
/// later copies of repeated blocks (exact or near) are removed.
///
/// ```
/// let page = "Breaking: rates rise\nThe bank raised rates today.\nBreaking: rates rise";
/// let cleaned = boildown::clean(page);
/// assert_eq!(cleaned.text(), "Breaking: rates rise\n\nThe bank raised rates today.");
/// assert_eq!(cleaned.stats().exact_repeats, 1);
/// ```
pub fn clean(input: &str) -> Cleaned {
    Cleaner::default().clean(input)
}

/// A configured cleaner, built once and used for many pages (from many threads: it is
/// `Send + Sync` and cleaning takes `&self`).
///
/// ```
/// use boildown::{Cleaner, Config, Verdict};
/// let cleaner = Cleaner::new(Config::default())?;
/// let cleaned = cleaner.clean("Menu\nStory one.\nMenu\n");
/// for block in cleaned.blocks() {
///     if let Verdict::Remove(reason) = &block.verdict {
///         let repeat = reason.repeat().unwrap();
///         println!("{:?} repeats block {}", block.text(), repeat.of);
///     }
/// }
/// # Ok::<(), boildown::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Cleaner {
    config: Config,
}

impl Cleaner {
    /// A cleaner with this configuration, or an error naming the invalid setting.
    pub fn new(config: Config) -> Result<Self, Error> {
        config.validate()?;
        Ok(Cleaner { config })
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Cleans one page of plain text.
    pub fn clean(&self, input: &str) -> Cleaned {
        let analysis = self.analyze(input);
        let mut text = String::with_capacity(analysis.stats.bytes_out);
        let mut blocks = Vec::with_capacity(analysis.spans.len());
        let page: Arc<str> = Arc::from(input);
        let parts = analysis.spans.into_iter().zip(analysis.fingerprints);
        for ((span, fp), verdict) in parts.zip(analysis.verdicts) {
            if verdict.is_keep() {
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&input[span.clone()]);
            }
            blocks.push(Block {
                start: span.start,
                end: span.end,
                text: BlockText::new(Arc::clone(&page), span),
                exact: fp.exact,
                simhash: fp.simhash,
                tokens: fp.tokens,
                verdict,
            });
        }
        debug_assert_eq!(text.len(), analysis.stats.bytes_out);
        Cleaned {
            text,
            blocks,
            stats: analysis.stats,
        }
    }

    /// Everything about a page but the owned result: block spans, fingerprints,
    /// verdicts and the counts. The JavaScript bindings build their report from it
    /// without the copies `clean` makes for Rust callers.
    pub(crate) fn analyze(&self, input: &str) -> Analysis {
        let spans: Vec<_> = text_blocks(input).collect();
        let mut fingerprinter = Fingerprinter::default();
        let fingerprints: Vec<Fingerprints> = spans
            .iter()
            .map(|r| fingerprinter.fingerprint(&input[r.clone()]))
            .collect();
        let detection = detect(&fingerprints, &self.config);

        let mut stats = Stats {
            blocks: spans.len(),
            runs: detection.runs,
            bytes_in: input.len(),
            near_comparisons: detection.near_comparisons,
            near_search_truncated: detection.near_search_truncated,
            ..Stats::default()
        };
        for (span, verdict) in spans.iter().zip(&detection.verdicts) {
            match verdict {
                Verdict::Keep => {
                    // The cleaned text: kept blocks, a blank line between two.
                    stats.bytes_out += span.len() + if stats.kept > 0 { 2 } else { 0 };
                    stats.kept += 1;
                }
                Verdict::Remove(Reason::ExactRepeat(_)) => stats.exact_repeats += 1,
                Verdict::Remove(Reason::NearRepeat(_)) => stats.near_repeats += 1,
            }
        }
        Analysis {
            spans,
            fingerprints,
            verdicts: detection.verdicts,
            stats,
        }
    }
}

/// What [`Cleaner::analyze`] finds, block by block (the vectors run in parallel).
pub(crate) struct Analysis {
    pub(crate) spans: Vec<Range<usize>>,
    pub(crate) fingerprints: Vec<Fingerprints>,
    pub(crate) verdicts: Vec<Verdict>,
    pub(crate) stats: Stats,
}
