//! The segmentation stage: a decoded page cut into blocks, as one [`Segmented`] value
//! that cleaning, site observation and the training export all start from.

pub(crate) mod html;
pub(crate) mod text;
pub(crate) mod tree;

use std::ops::Range;

use crate::fingerprint::{Fingerprinter, Fingerprints};
use crate::input::Format;
use html::HtmlPage;

/// A page cut into blocks. The vectors run in parallel, one entry per block.
pub(crate) struct Segmented<'a> {
    /// The decoded page, which the spans index.
    pub source: &'a str,
    /// For HTML, the parsed page (its `texts` hold the blocks' texts).
    pub html: Option<HtmlPage>,
    /// Each block's bytes in `source`.
    pub spans: Vec<Range<usize>>,
    /// Each block's text, a range of [`Segmented::texts`].
    pub texts: Vec<Range<usize>>,
}

impl<'a> Segmented<'a> {
    /// Cuts `source` into blocks as `format` says: HTML by its tree
    /// ([`html::segment_with`], `recover` as [`Config::html_recovery`](crate::Config::html_recovery)),
    /// anything else by lines ([`text::text_blocks`]).
    pub fn new(source: &'a str, format: Format, recover: bool) -> Self {
        if format == Format::Html {
            let page = html::segment_with(source, recover);
            Segmented::of_html(source, page)
        } else {
            let spans: Vec<_> = text::text_blocks(source).collect();
            Segmented {
                source,
                html: None,
                texts: spans.clone(),
                spans,
            }
        }
    }

    /// An HTML page already segmented.
    pub fn of_html(source: &'a str, page: HtmlPage) -> Self {
        let spans = page.blocks.iter().map(|b| b.span.clone()).collect();
        let texts = page.blocks.iter().map(|b| b.text.clone()).collect();
        Segmented {
            source,
            html: Some(page),
            spans,
            texts,
        }
    }

    /// The text the [`Segmented::texts`] ranges index: the page itself for plain text,
    /// the blocks' flattened texts for HTML.
    pub fn texts(&self) -> &str {
        match &self.html {
            Some(page) => &page.texts,
            None => self.source,
        }
    }

    /// Block `i`'s text.
    pub fn text(&self, i: usize) -> &str {
        &self.texts()[self.texts[i].clone()]
    }

    /// Every block's fingerprints, in order.
    pub fn fingerprints(&self) -> Vec<Fingerprints> {
        let mut fingerprinter = Fingerprinter::default();
        let texts = self.texts();
        self.texts
            .iter()
            .map(|r| fingerprinter.fingerprint(&texts[r.clone()]))
            .collect()
    }

    /// Leaves out the HTML blocks whose [`html::flags`] include any of `flags`.
    pub fn drop_flagged(&mut self, flags: u16) {
        if let Some(page) = &mut self.html {
            page.blocks.retain(|b| b.flags & flags == 0);
            self.spans = page.blocks.iter().map(|b| b.span.clone()).collect();
            self.texts = page.blocks.iter().map(|b| b.text.clone()).collect();
        }
    }
}
