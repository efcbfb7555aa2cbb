//! The owned result of cleaning: blocks with verdicts and evidence, and the cleaned text.
//!
//! Serialized with serde, a [`Cleaned`] is the JSON report of DESIGN.md:
//!
//! ```json
//! {"text": "…", "blocks": [{"start": 0, "end": 5, "text": "…", "exact": "16 hex",
//!   "simhash": "16 hex", "tokens": 1, "verdict": "remove",
//!   "reason": {"kind": "exact_repeat", "of": 2, "distance": 0,
//!              "run": {"start": 7, "len": 3, "source": 2}}}],
//!  "stats": {…}}
//! ```

pub(crate) mod render;

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::fingerprint::Fingerprint;
use crate::input::Format;
use boildown_decode::Decoding;

/// The result of cleaning one page. Two results are equal when their reports are
/// (what `Serialize` writes): the format, site and decoded source, which the report
/// leaves out, are not compared.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cleaned {
    /// The page's `<title>` (HTML input), white space collapsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    pub(crate) text: String,
    pub(crate) blocks: Vec<Block>,
    pub(crate) stats: Stats,
    /// How the page's bytes were decoded (a page given as bytes).
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub(crate) decoding: Option<Decoding>,
    /// What the page was read as.
    #[serde(skip)]
    pub(crate) format: Format,
    /// The site the page was cleaned in.
    #[serde(skip)]
    pub(crate) site: Option<String>,
    /// The decoded page, for a page given as bytes.
    #[serde(skip)]
    pub(crate) source: Option<String>,
}

impl PartialEq for Cleaned {
    fn eq(&self, other: &Cleaned) -> bool {
        (
            &self.title,
            &self.text,
            &self.blocks,
            &self.stats,
            &self.decoding,
        ) == (
            &other.title,
            &other.text,
            &other.blocks,
            &other.stats,
            &other.decoding,
        )
    }
}

impl Eq for Cleaned {}

impl Cleaned {
    /// The text of the page's first `<title>`, white space collapsed; `None` for plain
    /// text and for pages without one.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The kept blocks' text, one blank line between blocks, no final newline.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every block of the input, each with its verdict, in the order the page shows
    /// them: the input's order, but for text that a table's markup misplaces, which
    /// shows before the table, as in a browser (HTML's foster parenting).
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Counts of what was found.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// What the page was read as: [`Format::Text`] or [`Format::Html`] (the sniffed
    /// format when [`Format::Auto`] was asked for), or [`Format::Auto`] for a report
    /// read back from JSON.
    pub fn format(&self) -> Format {
        self.format
    }

    /// How the page was decoded, if it was given as bytes ([`Page::from_bytes`](crate::Page::from_bytes)).
    pub fn decoding(&self) -> Option<&Decoding> {
        self.decoding.as_ref()
    }

    /// The decoded page, if it was given as bytes: the text the blocks' `start` and
    /// `end` index (for a page given as a string, that string).
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The key of the site the page was cleaned in (a site model was given and the
    /// page had a site key), or `None` if it was cleaned on its own.
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// The cleaned text, taken out of the result.
    pub fn into_text(self) -> String {
        self.text
    }
}

/// One block of the input and what happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "BlockRepr", try_from = "BlockRepr")]
#[non_exhaustive]
pub struct Block {
    /// Byte offset of the block's first byte in the input.
    pub start: usize,
    /// Byte offset just past the block's last byte: `&input[start..end] == text()`.
    pub end: usize,
    /// Hash of the normalized text (equal for exact repeats).
    pub exact: Fingerprint,
    /// SimHash of the normalized text (close for near repeats).
    pub simhash: Fingerprint,
    /// Number of SimHash tokens.
    pub tokens: u32,
    /// Kept or removed, and why.
    pub verdict: Verdict,
    /// Where the block stands in the page, for HTML input (`None` for plain text).
    pub html: Option<HtmlInfo>,
    pub(crate) text: BlockText,
}

/// Where an HTML block stands in its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HtmlInfo {
    /// The innermost block-level element, such as `p`, `li` or `h2`.
    pub tag: String,
    /// Its tag path: the innermost elements, outermost first, with their id and class
    /// words, such as `body>div#main.content>article>p`.
    pub path: Arc<str>,
    /// 1 to 6 inside `<h1>`…`<h6>`, else 0.
    pub heading: u8,
    /// Inside a list (`ul`, `ol`, `dl`, `menu`).
    pub list: bool,
    /// Inside a quotation (`blockquote`, `q`).
    pub quote: bool,
    /// Inside preformatted text (`pre`, `listing`, `xmp`, `plaintext`).
    pub pre: bool,
    /// Inside a table.
    pub table: bool,
    /// Inside a figure or its caption.
    pub figure: bool,
    /// Characters of its text inside links (white space not counted).
    pub link_chars: u32,
    /// Its inline markup, for the cleaned HTML.
    #[serde(skip)]
    pub(crate) markup: crate::report::render::Markup,
}

impl Block {
    /// The block's text as it stands in the input.
    pub fn text(&self) -> &str {
        self.text.as_str()
    }
}

/// A block's text: a range of the page's text, which all blocks of a page share (one
/// copy of the page instead of an allocation per block).
#[derive(Clone)]
pub(crate) struct BlockText {
    page: Arc<str>,
    range: Range<usize>,
}

impl BlockText {
    /// `range` must lie on character boundaries of `page`.
    pub(crate) fn new(page: Arc<str>, range: Range<usize>) -> Self {
        BlockText { page, range }
    }

    fn as_str(&self) -> &str {
        self.page.get(self.range.clone()).unwrap_or_default()
    }
}

impl From<String> for BlockText {
    fn from(text: String) -> Self {
        let range = 0..text.len();
        BlockText {
            page: Arc::from(text),
            range,
        }
    }
}

impl PartialEq for BlockText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for BlockText {}

impl std::fmt::Debug for BlockText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Whether a block stays, and if not, why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The block is part of the cleaned output.
    Keep,
    /// The block is removed, for this reason.
    Remove(Reason),
}

impl Verdict {
    /// True for [`Verdict::Keep`].
    pub fn is_keep(&self) -> bool {
        matches!(self, Verdict::Keep)
    }

    /// The reason for a removal, `None` for a kept block.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Verdict::Keep => None,
            Verdict::Remove(reason) => Some(reason),
        }
    }
}

/// Why a block was removed, with the evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// The block's normalized text equals that of another block of the page.
    ExactRepeat(Repeat),
    /// The block's SimHash is within the near-repeat distance of another block's.
    NearRepeat(Repeat),
    /// The block is page furniture, not the page's own content (HTML, single page).
    Boilerplate(Boilerplate),
    /// The block is part of its site's template: it stands on other pages of the site
    /// ([`SiteModel`](crate::SiteModel)), and on this page it is not main content.
    SiteTemplate(SiteTemplate),
}

impl Reason {
    /// The repeat evidence of a repeat reason.
    pub fn repeat(&self) -> Option<&Repeat> {
        match self {
            Reason::ExactRepeat(r) | Reason::NearRepeat(r) => Some(r),
            Reason::Boilerplate(_) | Reason::SiteTemplate(_) => None,
        }
    }
}

/// Evidence for page furniture: the classifier's score and the strongest sign it had.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Boilerplate {
    /// The strongest sign.
    pub rule: BoilerplateRule,
    /// The classifier's probability that the block is main content, 0 to 1, rounded
    /// to three decimals (under 0.5 for furniture; any value for
    /// [`BoilerplateRule::NoMainContent`]). Never NaN.
    pub score: f64,
}

// The score is never NaN, so equality is an equivalence.
impl Eq for Boilerplate {}

/// The evidence of the single-page main-content finder. Its classifier decides (see
/// the README, "How the main content is found"); the rule names the strongest sign it
/// had, checked in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BoilerplateRule {
    /// Outside the page's main-content region (the element whose blocks carry the
    /// most running text, with its strong siblings).
    OutsideMainContent,
    /// More than half of its text is link text.
    LinkText,
    /// Inside furniture: a `nav`, `aside`, `footer` or `form`, or an element whose
    /// class or id names menus, sharing, related links, comments …
    InFurniture,
    /// In the region and in no furniture, but the classifier scores it low: short,
    /// no sentence, among neighbours and blocks of its kind that are not content.
    LowContentScore,
    /// The page has no main content: what would be kept is under 200 characters (an
    /// index page, a listing of teasers, an error page).
    NoMainContent,
}

/// Evidence for a block of the site's template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SiteTemplate {
    /// On how many of the site's pages the block stands, this one included.
    pub pages: u32,
    /// How many pages of the site are known, this one included.
    pub of: u32,
    /// For HTML, the site-aware classifier's probability that the block is main
    /// content on this page, 0 to 1, rounded to three decimals (under 0.5); 0 for plain
    /// text, which the site's counts alone decide. Never NaN.
    pub score: f64,
}

// The score is never NaN, so equality is an equivalence.
impl Eq for SiteTemplate {}

/// Evidence for an in-page repeat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Repeat {
    /// Index (in [`Cleaned::blocks`]) of the block this one repeats: the earliest block
    /// it matches. With [`RepeatPolicy::RemoveAll`](crate::RepeatPolicy::RemoveAll),
    /// the first copy names the first later copy instead.
    pub of: usize,
    /// SimHash Hamming distance to that block (0 for exact repeats).
    pub distance: u32,
    /// The repeated run of consecutive blocks this block belongs to, if it is in one.
    pub run: Option<Run>,
}

/// A run: consecutive blocks `start..start + len` that repeat, one for one, the
/// consecutive blocks `source..source + len` earlier in the page (a teaser: label,
/// headline, headline, body).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Run {
    /// Index of the run's first block.
    pub start: usize,
    /// Number of blocks in the run (at least 2).
    pub len: usize,
    /// Index of the first block of the earlier sequence it repeats.
    pub source: usize,
}

/// Counts of what cleaning found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// Number of blocks.
    pub blocks: usize,
    /// Blocks kept.
    pub kept: usize,
    /// Blocks removed as exact repeats.
    pub exact_repeats: usize,
    /// Blocks removed as near repeats.
    pub near_repeats: usize,
    /// Blocks removed as page furniture (HTML).
    pub boilerplate: usize,
    /// Blocks removed as part of the site's template.
    #[serde(default)]
    pub site_template: usize,
    /// Repeated runs found.
    pub runs: usize,
    /// Bytes of input.
    pub bytes_in: usize,
    /// Bytes of cleaned text.
    pub bytes_out: usize,
    /// SimHash comparisons the near-repeat search made.
    pub near_comparisons: u64,
    /// True if the near-repeat search hit its work limit (a page with tens of thousands
    /// of long, mutually similar blocks) and blocks after that point were only checked
    /// for exact repeats. The limit keeps the work linear in the number of blocks.
    pub near_search_truncated: bool,
}

/// The serialized shape of a block: `verdict` as a string and `reason` beside it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockRepr {
    start: usize,
    end: usize,
    text: String,
    exact: Fingerprint,
    simhash: Fingerprint,
    tokens: u32,
    verdict: VerdictTag,
    reason: Option<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    html: Option<HtmlInfo>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum VerdictTag {
    Keep,
    Remove,
}

impl From<Block> for BlockRepr {
    fn from(b: Block) -> Self {
        let (verdict, reason) = match b.verdict {
            Verdict::Keep => (VerdictTag::Keep, None),
            Verdict::Remove(reason) => (VerdictTag::Remove, Some(reason)),
        };
        BlockRepr {
            start: b.start,
            end: b.end,
            text: b.text.as_str().to_owned(),
            exact: b.exact,
            simhash: b.simhash,
            tokens: b.tokens,
            verdict,
            reason,
            html: b.html,
        }
    }
}

impl TryFrom<BlockRepr> for Block {
    type Error = String;

    fn try_from(r: BlockRepr) -> Result<Self, String> {
        let verdict = match (r.verdict, r.reason) {
            (VerdictTag::Keep, None) => Verdict::Keep,
            (VerdictTag::Remove, Some(reason)) => Verdict::Remove(reason),
            (VerdictTag::Keep, Some(_)) => return Err("a kept block has no reason".into()),
            (VerdictTag::Remove, None) => return Err("a removed block needs a reason".into()),
        };
        Ok(Block {
            start: r.start,
            end: r.end,
            text: BlockText::from(r.text),
            exact: r.exact,
            simhash: r.simhash,
            tokens: r.tokens,
            verdict,
            html: r.html,
        })
    }
}
