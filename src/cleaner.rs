//! The reusable [`Cleaner`] and the free function [`clean`].

use crate::config::Config;
use crate::detect::detect;
use crate::error::Error;
use crate::fingerprint::{Fingerprinter, Fingerprints};
use crate::html::HtmlPage;
use crate::render::{Markup, PageMarkup};
use crate::site::SiteModel;
use crate::{content, html};
use std::ops::Range;
use std::sync::Arc;

use crate::report::{Block, BlockText, Cleaned, HtmlInfo, Reason, Stats, Verdict};
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
        build(analysis, Arc::from(input), None)
    }

    /// Cleans one page of plain text of `site` with what `model` knows of the site's
    /// other pages: a kept block that stands on at least half of them (and on one at
    /// least) is removed as [`Reason::SiteTemplate`], unless it is a lead: a block of
    /// five words or more followed, through such blocks, by a block of 100 characters
    /// or more that is on no other page (on its own page, the headline and first
    /// paragraph of a story are its start, though teasers repeat them on every other
    /// page). Plain text has no markup to learn from, so this is a rule, not the
    /// classifier of [`Cleaner::clean_html_in_site`]. While the model knows no other
    /// page of the site, this is [`Cleaner::clean`].
    ///
    /// ```
    /// use boildown::{Cleaner, Reason, SiteModel};
    /// let (cleaner, model) = (Cleaner::default(), SiteModel::new());
    /// let teaser = "Harbour reopens after two years of works";
    /// let a = format!("Menu\nThe market story, long enough to be the page's own text, \
    ///     with a clause or two and a full stop at its end.\nRead next\n{teaser}");
    /// let b = format!("Menu\n{teaser}\nThe harbour story, long enough to be the page's \
    ///     own text, with a clause or two and a full stop at its end.");
    /// model.observe_text("news.example", &a);
    /// model.observe_text("news.example", &b);
    /// let on_a = cleaner.clean_in_site(&a, &model, "news.example");
    /// assert!(!on_a.text().contains(teaser)); // a teaser on the market story's page
    /// let on_b = cleaner.clean_in_site(&b, &model, "news.example");
    /// assert!(on_b.text().starts_with(teaser)); // the harbour story's own headline
    /// assert!(matches!(on_b.blocks()[0].verdict.reason(),
    ///     Some(Reason::SiteTemplate(t)) if t.pages == 2 && t.of == 2)); // "Menu"
    /// ```
    pub fn clean_in_site(&self, input: &str, model: &SiteModel, site: &str) -> Cleaned {
        let analysis = self.analyze_in_site(input, model, site);
        build(analysis, Arc::from(input), None)
    }

    /// The analysis of [`Cleaner::clean_in_site`].
    pub(crate) fn analyze_in_site(&self, input: &str, model: &SiteModel, site: &str) -> Analysis {
        let mut analysis = self.analyze(input);
        if !self.config.dedup_only() {
            let evidence = self.site_evidence(model, site, &analysis.fingerprints);
            let chars: Vec<usize> = analysis
                .texts
                .iter()
                .map(|r| input[r.clone()].chars().count())
                .collect();
            let tokens: Vec<u32> = analysis.fingerprints.iter().map(|f| f.tokens).collect();
            let template =
                content::text_site_template(&analysis.verdicts, &chars, &tokens, &evidence);
            for (verdict, reason) in analysis.verdicts.iter_mut().zip(template) {
                if let Some(reason) = reason {
                    *verdict = Verdict::Remove(reason);
                }
            }
            tally(&mut analysis.stats, &analysis.texts, &analysis.verdicts);
        }
        analysis
    }

    /// Cleans one HTML page (already decoded: see [`decode_html`](crate::decode_html)).
    /// Every block-level element's own text is a block; a block's `start`/`end` are the
    /// bytes of the input from its first text to its last, and its text is the
    /// element's text with inline markup flattened and character references decoded.
    /// Repeats are removed as in plain text; then, unless the configuration says
    /// `dedup_only`, the main-content finder removes page furniture
    /// ([`Reason::Boilerplate`]).
    ///
    /// ```
    /// use boildown::{BoilerplateRule, Reason, Verdict};
    /// let page = "<nav><a href=/>Home</a> <a href=/news>News</a></nav><article>\
    ///             <h1>Rates rise</h1><p>The central bank raised its rates today, for the \
    ///             third time this year, to slow prices that rose faster than it expected.</p>\
    ///             <p>Banks said mortgages would cost more from next month, and savers, who \
    ///             had waited years for better rates, would earn a little more.</p></article>";
    /// let cleaned = boildown::Cleaner::default().clean_html(page);
    /// assert!(cleaned.text().contains("The central bank raised its rates today"));
    /// assert!(cleaned.text().ends_with("would earn a little more."));
    /// let menu = &cleaned.blocks()[0];
    /// assert_eq!(menu.text(), "Home News");
    /// assert!(matches!(menu.verdict.reason(), Some(Reason::Boilerplate(b))
    ///     if b.rule == BoilerplateRule::InFurniture));
    /// ```
    pub fn clean_html(&self, input: &str) -> Cleaned {
        self.clean_html_with(input, None)
    }

    /// Cleans one HTML page of `site` with what `model` knows of the site's other pages
    /// (see [`SiteModel`]): a block that stands on other pages of the site and is not
    /// main content on this one is removed as [`Reason::SiteTemplate`], and a block on
    /// no other page is more likely kept. The model is only read: observe the page
    /// before (batch) or after (incremental) as you need. While the model knows no
    /// other page of the site, this is [`Cleaner::clean_html`]. The result does not
    /// depend on whether this page was observed already: its own counts are left out.
    ///
    /// ```
    /// use boildown::{Cleaner, Reason, SiteModel};
    /// let cleaner = Cleaner::default();
    /// let model = SiteModel::new();
    /// let page = |story: &str| format!(
    ///     "<div class=promo><p>Subscribe to our newsletter for the best stories of the \
    ///      week, in your inbox every Friday morning, free of charge.</p></div>\
    ///      <article><p>{story}</p></article>");
    /// let story = |n: &str| format!("The {n} story is long enough to be read as the \
    ///     page's own text: it runs on, with commas, clauses and a full stop, as stories \
    ///     do, and it says something of its own about the {n} thing that happened.");
    /// let pages: Vec<String> = ["first", "second", "third"].iter().map(|n| page(&story(n))).collect();
    /// for p in &pages {
    ///     model.observe_html("news.example", p);
    /// }
    /// let cleaned = cleaner.clean_html_in_site(&pages[0], &model, "news.example");
    /// assert!(cleaned.text().starts_with("The first story"));
    /// assert!(matches!(cleaned.blocks()[0].verdict.reason(),
    ///     Some(Reason::SiteTemplate(t)) if t.pages == 3 && t.of == 3));
    /// ```
    pub fn clean_html_in_site(&self, input: &str, model: &SiteModel, site: &str) -> Cleaned {
        self.clean_html_with(input, Some((model, site)))
    }

    fn clean_html_with(&self, input: &str, site: Option<(&SiteModel, &str)>) -> Cleaned {
        let (analysis, texts, infos, title) = self.analyze_html(input, site);
        let mut cleaned = build(analysis, texts, Some(infos));
        cleaned.title = title;
        cleaned
    }

    /// What `model` knows of `site`'s other pages about these blocks, near matches as
    /// the configuration says (none with near repeats off).
    fn site_evidence(
        &self,
        model: &SiteModel,
        site: &str,
        fingerprints: &[Fingerprints],
    ) -> content::SiteEvidence {
        let min_tokens = if self.config.near_repeats() {
            self.config.near_min_tokens()
        } else {
            u32::MAX
        };
        model.evidence(site, fingerprints, self.config.near_distance(), min_tokens)
    }

    /// The analysis of an HTML page, the text its block ranges point into, where each
    /// block stands, and the page's title.
    pub(crate) fn analyze_html(
        &self,
        input: &str,
        site: Option<(&SiteModel, &str)>,
    ) -> HtmlAnalysis {
        let mut page = html::segment_with(input, self.config.html_recovery());
        if self.config.dedup_only() {
            // With no classifier to weigh it, text hidden from screen readers (often
            // a decorative copy) stays out.
            page.blocks
                .retain(|b| b.flags & html::flags::ARIA_HIDDEN == 0);
        }
        let texts: Arc<str> = Arc::from(page.texts.as_str());
        let mut analysis = self.analyze_page(&page, &texts, input.len());
        if !self.config.dedup_only() {
            let counts: Vec<bool> = analysis.verdicts.iter().map(Verdict::is_keep).collect();
            let evidence =
                site.map(|(model, site)| self.site_evidence(model, site, &analysis.fingerprints));
            let furniture = content::main_content(&page, &counts, evidence.as_ref());
            for (verdict, reason) in analysis.verdicts.iter_mut().zip(furniture) {
                if let (Verdict::Keep, Some(reason)) = (&verdict, reason) {
                    *verdict = Verdict::Remove(reason);
                }
            }
            tally(&mut analysis.stats, &analysis.texts, &analysis.verdicts);
        }
        let paths: Vec<Arc<str>> = page.paths.iter().map(|p| Arc::from(p.as_str())).collect();
        let markup = Arc::new(PageMarkup {
            marks: std::mem::take(&mut page.marks),
            hrefs: std::mem::take(&mut page.hrefs),
        });
        let infos = page
            .blocks
            .iter()
            .map(|b| HtmlInfo {
                tag: b.tag.to_owned(),
                path: Arc::clone(&paths[b.path as usize]),
                heading: b.heading,
                list: b.flags & html::flags::LIST != 0,
                quote: b.flags & html::flags::QUOTE != 0,
                pre: b.flags & html::flags::PRE != 0,
                table: b.flags & html::flags::TABLE != 0,
                figure: b.flags & html::flags::FIGURE != 0,
                link_chars: b.link_chars,
                markup: Markup {
                    page: Some(Arc::clone(&markup)),
                    range: b.marks.clone(),
                },
            })
            .collect();
        (analysis, texts, infos, page.title)
    }

    /// Everything about a page but the owned result: block spans, fingerprints,
    /// verdicts and the counts. The JavaScript bindings build their report from it
    /// without the copies `clean` makes for Rust callers.
    pub(crate) fn analyze(&self, input: &str) -> Analysis {
        let spans: Vec<_> = text_blocks(input).collect();
        let texts = spans.clone();
        self.analyze_blocks(input, spans, texts, input.len())
    }

    /// The repeats among a segmented HTML page's blocks (`texts` is `page.texts`):
    /// what the main-content finder starts from.
    pub(crate) fn analyze_page(&self, page: &HtmlPage, texts: &str, input_len: usize) -> Analysis {
        let spans = page.blocks.iter().map(|b| b.span.clone()).collect();
        let text_ranges = page.blocks.iter().map(|b| b.text.clone()).collect();
        self.analyze_blocks(texts, spans, text_ranges, input_len)
    }

    /// The analysis of blocks whose texts are the `texts` ranges of `source`.
    fn analyze_blocks(
        &self,
        source: &str,
        spans: Vec<Range<usize>>,
        texts: Vec<Range<usize>>,
        bytes_in: usize,
    ) -> Analysis {
        let mut fingerprinter = Fingerprinter::default();
        let fingerprints: Vec<Fingerprints> = texts
            .iter()
            .map(|r| fingerprinter.fingerprint(&source[r.clone()]))
            .collect();
        let detection = detect(&fingerprints, &self.config);

        let mut stats = Stats {
            blocks: spans.len(),
            runs: detection.runs,
            bytes_in,
            near_comparisons: detection.near_comparisons,
            near_search_truncated: detection.near_search_truncated,
            ..Stats::default()
        };
        tally(&mut stats, &texts, &detection.verdicts);
        Analysis {
            spans,
            texts,
            fingerprints,
            verdicts: detection.verdicts,
            stats,
        }
    }
}

/// Sets the counts of `stats` that follow from the verdicts: kept blocks, removals by
/// reason, and the length of the cleaned text (kept blocks, a blank line between two).
fn tally(stats: &mut Stats, texts: &[Range<usize>], verdicts: &[Verdict]) {
    (
        stats.kept,
        stats.exact_repeats,
        stats.near_repeats,
        stats.boilerplate,
        stats.site_template,
    ) = (0, 0, 0, 0, 0);
    stats.bytes_out = 0;
    for (text, verdict) in texts.iter().zip(verdicts) {
        match verdict {
            Verdict::Keep => {
                stats.bytes_out += text.len() + if stats.kept > 0 { 2 } else { 0 };
                stats.kept += 1;
            }
            Verdict::Remove(Reason::ExactRepeat(_)) => stats.exact_repeats += 1,
            Verdict::Remove(Reason::NearRepeat(_)) => stats.near_repeats += 1,
            Verdict::Remove(Reason::Boilerplate(_)) => stats.boilerplate += 1,
            Verdict::Remove(Reason::SiteTemplate(_)) => stats.site_template += 1,
        }
    }
}

/// The owned result of an analysis whose block texts are ranges of `source`.
fn build(mut analysis: Analysis, source: Arc<str>, html: Option<Vec<HtmlInfo>>) -> Cleaned {
    let mut text = String::with_capacity(analysis.stats.bytes_out);
    let mut blocks = Vec::with_capacity(analysis.spans.len());
    let parts = analysis.spans.into_iter().zip(analysis.texts);
    let mut infos = html.map(Vec::into_iter);
    let mut last_kept: Option<(usize, bool)> = None;
    for (i, ((span, range), (fp, verdict))) in parts
        .zip(analysis.fingerprints.into_iter().zip(analysis.verdicts))
        .enumerate()
    {
        let info = infos.as_mut().and_then(Iterator::next);
        if verdict.is_keep() {
            // Paragraphs are separated by a blank line; the items of a list, kept
            // one after the other, by a line break.
            let item = info.as_ref().is_some_and(|h| h.tag == "li");
            match last_kept {
                Some((j, true)) if item && j + 1 == i => text.push('\n'),
                Some(_) => text.push_str("\n\n"),
                None => {}
            }
            last_kept = Some((i, item));
            text.push_str(&source[range.clone()]);
        }
        blocks.push(Block {
            start: span.start,
            end: span.end,
            text: BlockText::new(Arc::clone(&source), range),
            exact: fp.exact,
            simhash: fp.simhash,
            tokens: fp.tokens,
            verdict,
            html: info,
        });
    }
    analysis.stats.bytes_out = text.len();
    Cleaned {
        title: None,
        text,
        blocks,
        stats: analysis.stats,
    }
}

/// What [`Cleaner::analyze_html`] finds: the analysis, the text its block ranges point
/// into, where each block stands, the page's title.
pub(crate) type HtmlAnalysis = (Analysis, Arc<str>, Vec<HtmlInfo>, Option<String>);

/// What [`Cleaner::analyze`] finds, block by block (the vectors run in parallel).
pub(crate) struct Analysis {
    /// The blocks' bytes in the input.
    pub(crate) spans: Vec<Range<usize>>,
    /// The blocks' texts, as ranges of the text they were analyzed in.
    pub(crate) texts: Vec<Range<usize>>,
    pub(crate) fingerprints: Vec<Fingerprints>,
    pub(crate) verdicts: Vec<Verdict>,
    pub(crate) stats: Stats,
}
