//! The reusable [`Cleaner`] and the free function [`clean`].

use crate::config::Config;
use crate::detect::detect;
use crate::error::Error;
use crate::fingerprint::{Fingerprinter, Fingerprints};
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
        let mut text = String::with_capacity(input.len());
        let mut blocks = Vec::with_capacity(spans.len());
        let page: Arc<str> = Arc::from(input);
        for ((span, fp), verdict) in spans.into_iter().zip(fingerprints).zip(detection.verdicts) {
            let block_text = &input[span.clone()];
            match &verdict {
                Verdict::Keep => {
                    stats.kept += 1;
                    if !text.is_empty() {
                        text.push_str("\n\n");
                    }
                    text.push_str(block_text);
                }
                Verdict::Remove(Reason::ExactRepeat(_)) => stats.exact_repeats += 1,
                Verdict::Remove(Reason::NearRepeat(_)) => stats.near_repeats += 1,
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
        stats.bytes_out = text.len();
        Cleaned {
            text,
            blocks,
            stats,
        }
    }
}
