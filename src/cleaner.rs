//! The reusable [`Cleaner`] and the free function [`clean`].

use std::ops::Range;
use std::sync::Arc;

use crate::classify;
use crate::config::Config;
use crate::error::Error;
use serde::{Deserialize, Serialize};

use crate::fingerprint::{Fingerprint, Fingerprints};
use crate::input::{Format, Page};
use crate::repeats::detect;
use crate::report::render::{Markup, PageMarkup};
use crate::report::{Block, BlockText, Cleaned, HtmlInfo, Reason, Stats, Verdict};
use crate::segment::html::{self, HtmlPage};
use crate::segment::Segmented;
use crate::site::{Observation, SiteEvidence, SiteModel};

/// Cleans one page on its own with the default [`Config`] (see [`Cleaner::clean`]): a
/// `&str` is sniffed as HTML or plain text ([`Format::sniff`]); a [`Page`] says what it is.
///
/// ```
/// let page = "Breaking: rates rise\nThe bank raised rates today.\nBreaking: rates rise";
/// let cleaned = boildown::clean(page);
/// assert_eq!(cleaned.text(), "Breaking: rates rise\n\nThe bank raised rates today.");
/// assert_eq!(cleaned.stats().exact_repeats, 1);
/// assert_eq!(cleaned.format(), boildown::Format::Text);
/// ```
pub fn clean<'p>(page: impl Into<Page<'p>>) -> Cleaned {
    Cleaner::default().clean(page, None)
}

/// A configured cleaner, built once and used for many pages (from many threads: it is
/// `Send + Sync` and cleaning takes `&self`).
///
/// ```
/// use boildown::{Cleaner, Config, Verdict};
/// let cleaner = Cleaner::new(Config::default())?;
/// let cleaned = cleaner.clean("Menu\nStory one.\nMenu\n", None);
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

    /// Cleans one page: plain text, HTML or raw bytes, as the [`Page`] says (a `&str`
    /// is sniffed: see [`Format::sniff`]), on its own or, given a `site` model, with
    /// what the model knows of the other pages of the page's site.
    ///
    /// **Plain text**: every non-blank line is a block, and later copies of repeated
    /// blocks (exact or near) are removed.
    ///
    /// **HTML**: every block-level element's own text is a block; a block's
    /// `start`/`end` are the bytes of the input from its first text to its last, and
    /// its text is the element's text with inline markup flattened and character
    /// references decoded. Repeats are removed as in plain text; then, unless the
    /// configuration says `dedup_only`, the main-content finder removes page furniture
    /// ([`Reason::Boilerplate`]).
    ///
    /// ```
    /// use boildown::{BoilerplateRule, Page, Reason};
    /// let page = "<nav><a href=/>Home</a> <a href=/news>News</a></nav><article>\
    ///             <h1>Rates rise</h1><p>The central bank raised its rates today, for the \
    ///             third time this year, to slow prices that rose faster than it expected.</p>\
    ///             <p>Banks said mortgages would cost more from next month, and savers, who \
    ///             had waited years for better rates, would earn a little more.</p></article>";
    /// let cleaned = boildown::Cleaner::default().clean(Page::html(page), None);
    /// assert!(cleaned.text().contains("The central bank raised its rates today"));
    /// assert!(cleaned.text().ends_with("would earn a little more."));
    /// let menu = &cleaned.blocks()[0];
    /// assert_eq!(menu.text(), "Home News");
    /// assert!(matches!(menu.verdict.reason(), Some(Reason::Boilerplate(b))
    ///     if b.rule == BoilerplateRule::InFurniture));
    /// ```
    ///
    /// **In a site** (a `site` model, and a page with a site key from
    /// [`Page::with_site`] or [`Page::with_url`]): the model is only read; observe the
    /// page before (batch) or after (incremental) as you need. The result does not
    /// depend on whether this page was observed already: its own counts are left out.
    /// While the model knows no other page of the site, this is cleaning on its own.
    /// For HTML, a block that stands on other pages of the site and is not main
    /// content on this one is removed as [`Reason::SiteTemplate`], and a block on no
    /// other page is more likely kept:
    ///
    /// ```
    /// use boildown::{Cleaner, Page, Reason, SiteModel};
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
    ///     model.observe(Page::html(p).with_site("news.example"));
    /// }
    /// let cleaned = cleaner.clean(Page::html(&pages[0]).with_site("news.example"), &model);
    /// assert!(cleaned.text().starts_with("The first story"));
    /// assert_eq!(cleaned.site(), Some("news.example"));
    /// assert!(matches!(cleaned.blocks()[0].verdict.reason(),
    ///     Some(Reason::SiteTemplate(t)) if t.pages == 3 && t.of == 3));
    /// ```
    ///
    /// Plain text has no markup to learn from, so in a site a rule decides, not the
    /// classifier: a kept block that stands on at least half of the site's other pages
    /// (and on one at least) is removed as [`Reason::SiteTemplate`], unless it is a
    /// lead: a block of five words or more followed, through such blocks, by a block of
    /// 100 characters or more that is on no other page (on its own page, the headline
    /// and first paragraph of a story are its start, though teasers repeat them on
    /// every other page).
    ///
    /// ```
    /// use boildown::{Cleaner, Page, Reason, SiteModel};
    /// let (cleaner, model) = (Cleaner::default(), SiteModel::new());
    /// let teaser = "Harbour reopens after two years of works";
    /// let a = format!("Menu\nThe market story, long enough to be the page's own text, \
    ///     with a clause or two and a full stop at its end.\nRead next\n{teaser}");
    /// let b = format!("Menu\n{teaser}\nThe harbour story, long enough to be the page's \
    ///     own text, with a clause or two and a full stop at its end.");
    /// let in_site = |text| Page::text(text).with_url("https://news.example/story");
    /// model.observe(in_site(&a));
    /// model.observe(in_site(&b));
    /// let on_a = cleaner.clean(in_site(&a), &model);
    /// assert!(!on_a.text().contains(teaser)); // a teaser on the market story's page
    /// let on_b = cleaner.clean(in_site(&b), &model);
    /// assert!(on_b.text().starts_with(teaser)); // the harbour story's own headline
    /// assert!(matches!(on_b.blocks()[0].verdict.reason(),
    ///     Some(Reason::SiteTemplate(t)) if t.pages == 2 && t.of == 2)); // "Menu"
    /// ```
    pub fn clean<'p, 'm>(
        &self,
        page: impl Into<Page<'p>>,
        site: impl Into<Option<&'m SiteModel>>,
    ) -> Cleaned {
        let page = page.into();
        let (source, decoding, format) = page.decode();
        let key = site.into().and_then(|model| Some((model, page.site()?)));
        let scope = key.as_ref().map(|(model, key)| (*model, key.as_ref()));
        let segmented = self.segment(&source, format);
        let analysis = self.analyze(segmented, scope);
        let mut cleaned = build(analysis);
        cleaned.format = format;
        cleaned.site = key.map(|(_, key)| key.into_owned());
        if let Some(decoding) = decoding {
            cleaned.decoding = Some(decoding);
            cleaned.source = Some(source.into_owned());
        }
        cleaned
    }

    /// The page cut into blocks as this configuration says.
    fn segment<'a>(&self, source: &'a str, format: Format) -> Segmented<'a> {
        let mut segmented = Segmented::new(source, format, self.config.html_recovery());
        if self.config.dedup_only() {
            // With no classifier to weigh it, text hidden from screen readers (often
            // a decorative copy) stays out.
            segmented.drop_flagged(html::flags::ARIA_HIDDEN);
        }
        segmented
    }

    /// What `model` knows of `site`'s other pages about these blocks, near matches as
    /// the configuration says (none with near repeats off).
    fn site_evidence(
        &self,
        model: &SiteModel,
        site: &str,
        fingerprints: &[Fingerprints],
    ) -> SiteEvidence {
        let min_tokens = if self.config.near_repeats() {
            self.config.near_min_tokens()
        } else {
            u32::MAX
        };
        model.evidence(site, fingerprints, self.config.near_distance(), min_tokens)
    }

    /// Every stage after segmentation: fingerprints, repeats, then (unless
    /// `dedup_only`) the main content of an HTML page or the site's template of a
    /// plain-text page in a site.
    fn analyze<'a>(
        &self,
        segmented: Segmented<'a>,
        site: Option<(&SiteModel, &str)>,
    ) -> Analysis<'a> {
        let fingerprints = segmented.fingerprints();
        let (repeats, mut stats) = self.repeats(&segmented, &fingerprints);
        let stage = self.single_page(&segmented, &fingerprints, &repeats);
        let verdicts = self.decide(&stage, repeats, &fingerprints, site);
        tally(&mut stats, &segmented.texts, &verdicts);
        Analysis {
            segmented,
            fingerprints,
            verdicts,
            stats,
        }
    }

    /// The repeats of a page, and its first counts.
    fn repeats(
        &self,
        segmented: &Segmented,
        fingerprints: &[Fingerprints],
    ) -> (Vec<Verdict>, Stats) {
        let detection = detect(fingerprints, &self.config);
        let stats = Stats {
            blocks: segmented.spans.len(),
            runs: detection.runs,
            bytes_in: segmented.source.len(),
            near_comparisons: detection.near_comparisons,
            near_search_truncated: detection.near_search_truncated,
            ..Stats::default()
        };
        (detection.verdicts, stats)
    }

    /// What the page alone says beyond its repeats (nothing with `dedup_only`).
    fn single_page(
        &self,
        segmented: &Segmented,
        fingerprints: &[Fingerprints],
        repeats: &[Verdict],
    ) -> Stage {
        if self.config.dedup_only() {
            return Stage::None;
        }
        match &segmented.html {
            Some(page) => {
                let counts: Vec<bool> = repeats.iter().map(Verdict::is_keep).collect();
                Stage::Html(classify::SinglePage::of(page, &counts))
            }
            None => Stage::Text {
                chars: (0..segmented.texts.len())
                    .map(|i| segmented.text(i).chars().count())
                    .collect(),
                tokens: fingerprints.iter().map(|f| f.tokens).collect(),
            },
        }
    }

    /// The verdicts: the repeats', then the main content of an HTML page or the site's
    /// template of a plain-text page in a site.
    fn decide(
        &self,
        stage: &Stage,
        mut verdicts: Vec<Verdict>,
        fingerprints: &[Fingerprints],
        site: Option<(&SiteModel, &str)>,
    ) -> Vec<Verdict> {
        let evidence = || site.map(|(model, site)| self.site_evidence(model, site, fingerprints));
        let removals = match stage {
            Stage::None => Vec::new(),
            Stage::Html(single) => single.decide(evidence().as_ref()),
            Stage::Text { chars, tokens } => match evidence() {
                Some(evidence) => classify::text_site_template(&verdicts, chars, tokens, &evidence),
                None => Vec::new(),
            },
        };
        for (verdict, reason) in verdicts.iter_mut().zip(removals) {
            if let (Verdict::Keep, Some(reason)) = (&verdict, reason) {
                *verdict = Verdict::Remove(reason);
            }
        }
        verdicts
    }

    /// Reads a page as far as cleaning goes without its site's other pages: decoding,
    /// blocks, fingerprints, repeats and the single-page classifier. [`Cleaner::finish`]
    /// then decides with its site's model, cheaply: a corpus is read once, its sites'
    /// models built from the prepared pages ([`Prepared::observation`]), and every page
    /// finished when the models are complete (`boildown corpus`). `finish(prepare(page),
    /// model)` gives the text, title, stats and verdicts that `clean(page, model)` does.
    /// A `Prepared` holds the blocks' text, fingerprints and per-block numbers (about a
    /// page's visible text, and 60 bytes a block in postcard); it serializes with serde,
    /// to be kept on disk between the two steps.
    ///
    /// ```
    /// use boildown::{Cleaner, Page, SiteModel};
    /// let (cleaner, model) = (Cleaner::default(), SiteModel::new());
    /// let pages = ["Menu\nA story about the harbour.\nFooter", "Menu\nA story about the market.\nFooter"];
    /// let page = |text| Page::text(text).with_site("example.org");
    /// let prepared: Vec<_> = pages.iter().map(|text| cleaner.prepare(page(text))).collect();
    /// for p in &prepared {
    ///     model.add(&p.observation().unwrap());
    /// }
    /// let finished = cleaner.finish(&prepared[0], &model);
    /// assert_eq!(finished.text(), cleaner.clean(page(pages[0]), &model).text());
    /// ```
    pub fn prepare<'p>(&self, page: impl Into<Page<'p>>) -> Prepared {
        let page = page.into();
        let (source, _, format) = page.decode();
        let segmented = self.segment(&source, format);
        let fingerprints = segmented.fingerprints();
        let (repeats, stats) = self.repeats(&segmented, &fingerprints);
        let stage = self.single_page(&segmented, &fingerprints, &repeats);
        let n = segmented.texts.len();
        let mut texts = String::new();
        let mut ends = Vec::with_capacity(n);
        for i in 0..n {
            texts.push_str(segmented.text(i));
            ends.push(texts.len());
        }
        let (items, title) = match &segmented.html {
            Some(page) => (
                page.blocks.iter().map(|b| b.tag == "li").collect(),
                page.title.clone(),
            ),
            None => (vec![false; n], None),
        };
        Prepared {
            html: format == Format::Html,
            site: page.site().map(|s| s.into_owned()),
            title,
            texts,
            ends,
            items,
            exact: fingerprints.iter().map(|f| f.exact.as_u64()).collect(),
            simhash: fingerprints.iter().map(|f| f.simhash.as_u64()).collect(),
            tokens: fingerprints.iter().map(|f| f.tokens).collect(),
            repeats: repeats
                .into_iter()
                .map(|v| match v {
                    Verdict::Remove(Reason::ExactRepeat(r)) => Some(Repeated::Exact(r)),
                    Verdict::Remove(Reason::NearRepeat(r)) => Some(Repeated::Near(r)),
                    // Repeat detection removes nothing else.
                    _ => None,
                })
                .collect(),
            stats,
            stage,
        }
    }

    /// Decides a prepared page ([`Cleaner::prepare`]) with what `site` knows of its
    /// site's other pages (`None`: on its own), as [`Cleaner::clean`] would have.
    pub fn finish<'m>(
        &self,
        prepared: &Prepared,
        site: impl Into<Option<&'m SiteModel>>,
    ) -> CleanedText {
        let scope = site
            .into()
            .and_then(|model| Some((model, prepared.site.as_deref()?)));
        let fingerprints = prepared.fingerprints();
        let repeats: Vec<Verdict> = prepared
            .repeats
            .iter()
            .map(|r| match r {
                None => Verdict::Keep,
                Some(Repeated::Exact(r)) => Verdict::Remove(Reason::ExactRepeat(r.clone())),
                Some(Repeated::Near(r)) => Verdict::Remove(Reason::NearRepeat(r.clone())),
            })
            .collect();
        let verdicts = self.decide(&prepared.stage, repeats, &fingerprints, scope);
        let mut stats = prepared.stats;
        let ranges: Vec<Range<usize>> = (0..prepared.ends.len())
            .map(|i| prepared.range(i))
            .collect();
        tally(&mut stats, &ranges, &verdicts);
        let mut text = String::with_capacity(stats.bytes_out);
        let mut last_kept: Option<(usize, bool)> = None;
        for (i, verdict) in verdicts.iter().enumerate() {
            if verdict.is_keep() {
                let item = prepared.items[i];
                match last_kept {
                    Some((j, true)) if item && j + 1 == i => text.push('\n'),
                    Some(_) => text.push_str("\n\n"),
                    None => {}
                }
                last_kept = Some((i, item));
                text.push_str(&prepared.texts[prepared.range(i)]);
            }
        }
        stats.bytes_out = text.len();
        CleanedText {
            title: prepared.title.clone(),
            text,
            stats,
            site: scope.map(|(_, site)| site.to_owned()),
            verdicts,
        }
    }
}

/// What the page alone says beyond its repeats, for the decision with its site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Stage {
    /// Nothing (`dedup_only`).
    None,
    /// An HTML page's single-page classifier.
    Html(classify::SinglePage),
    /// A plain-text page: its blocks' characters and tokens (for the site's rule).
    Text { chars: Vec<usize>, tokens: Vec<u32> },
}

/// A repeat's reason, externally tagged (unlike [`Reason`] in the report), so that a
/// [`Prepared`] serializes with compact formats too (postcard, bincode).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Repeated {
    Exact(crate::report::Repeat),
    Near(crate::report::Repeat),
}

/// A page read as far as cleaning goes without its site's other pages
/// ([`Cleaner::prepare`]); [`Cleaner::finish`] decides it. It serializes with serde,
/// in self-describing formats (JSON) and compact ones (postcard).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prepared {
    html: bool,
    site: Option<String>,
    title: Option<String>,
    /// The blocks' texts one after the other; block `i` ends at `ends[i]`.
    texts: String,
    ends: Vec<usize>,
    /// Per block: a list item (kept items are joined by a line break).
    items: Vec<bool>,
    exact: Vec<u64>,
    simhash: Vec<u64>,
    tokens: Vec<u32>,
    /// Per block: removed as a repeat, and why.
    repeats: Vec<Option<Repeated>>,
    stats: Stats,
    stage: Stage,
}

impl Prepared {
    /// The page's site key, if it has one.
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// The format it was read as.
    pub fn format(&self) -> Format {
        if self.html {
            Format::Html
        } else {
            Format::Text
        }
    }

    /// What a site model counts of the page ([`SiteModel::add`]), if it has a site key.
    pub fn observation(&self) -> Option<Observation> {
        let site = self.site.clone()?;
        let fingerprints = self.fingerprints();
        Some(Observation::from_blocks(
            site,
            fingerprints
                .into_iter()
                .enumerate()
                .map(|(i, f)| (f, &self.texts[self.range(i)])),
        ))
    }

    fn range(&self, i: usize) -> Range<usize> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        start..self.ends[i]
    }

    fn fingerprints(&self) -> Vec<Fingerprints> {
        (0..self.exact.len())
            .map(|i| Fingerprints {
                exact: Fingerprint::from(self.exact[i]),
                simhash: Fingerprint::from(self.simhash[i]),
                tokens: self.tokens[i],
            })
            .collect()
    }
}

/// A page's cleaned text, title, counts and verdicts ([`Cleaner::finish`]): what a
/// [`Cleaned`] holds without the blocks' report.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanedText {
    title: Option<String>,
    text: String,
    stats: Stats,
    site: Option<String>,
    verdicts: Vec<Verdict>,
}

impl CleanedText {
    /// The page's `<title>`, for HTML.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The kept blocks' text, as [`Cleaned::text`].
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cleaned text, owned.
    pub fn into_text(self) -> String {
        self.text
    }

    /// What cleaning found.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The site the page was decided in, if any.
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// Every block's verdict, in order.
    pub fn verdicts(&self) -> &[Verdict] {
        &self.verdicts
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

/// The owned result of an analysis.
fn build(analysis: Analysis) -> Cleaned {
    let Analysis {
        segmented,
        fingerprints,
        verdicts,
        mut stats,
    } = analysis;
    let Segmented {
        source,
        html,
        spans,
        texts: ranges,
    } = segmented;
    let (texts, infos, title): (Arc<str>, _, _) = match html {
        Some(mut page) => {
            let infos = html_infos(&mut page);
            (Arc::from(page.texts.as_str()), Some(infos), page.title)
        }
        None => (Arc::from(source), None, None),
    };
    let mut text = String::with_capacity(stats.bytes_out);
    let mut blocks = Vec::with_capacity(spans.len());
    let mut infos = infos.map(Vec::into_iter);
    let mut last_kept: Option<(usize, bool)> = None;
    let parts = spans.into_iter().zip(ranges);
    for (i, ((span, range), (fp, verdict))) in parts
        .zip(fingerprints.into_iter().zip(verdicts))
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
            text.push_str(&texts[range.clone()]);
        }
        blocks.push(Block {
            start: span.start,
            end: span.end,
            text: BlockText::new(Arc::clone(&texts), range),
            exact: fp.exact,
            simhash: fp.simhash,
            tokens: fp.tokens,
            verdict,
            html: info,
        });
    }
    stats.bytes_out = text.len();
    Cleaned {
        title,
        text,
        blocks,
        stats,
        decoding: None,
        format: Format::Auto,
        site: None,
        source: None,
    }
}

/// Where each block of an HTML page stands, taking the page's markup.
fn html_infos(page: &mut HtmlPage) -> Vec<HtmlInfo> {
    let paths: Vec<Arc<str>> = page.paths.iter().map(|p| Arc::from(p.as_str())).collect();
    let markup = Arc::new(PageMarkup {
        marks: std::mem::take(&mut page.marks),
        hrefs: std::mem::take(&mut page.hrefs),
    });
    page.blocks
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
        .collect()
}

/// A page after every stage but the owned result: its blocks, their fingerprints and
/// verdicts, and the counts (the vectors run in parallel).
struct Analysis<'a> {
    segmented: Segmented<'a>,
    fingerprints: Vec<Fingerprints>,
    verdicts: Vec<Verdict>,
    stats: Stats,
}
