//! The rows of `boildown corpus`: what one document of a corpus becomes (its site key,
//! its observation for its site's model, its cleaned row, and the words its
//! near-duplicate signature is made of), shared by the command and the Python package
//! (whose Spark job writes the same rows). Feature `corpus`.
//!
//! ```
//! use boildown::corpus::{Cleaning, SiteKey};
//! use boildown::{Cleaner, SiteModel};
//! use boildown_corpus::{Document, DocumentFormat, Position};
//!
//! let text = b"The council met on Monday.".to_vec();
//! let mut document = Document::new(Position::Line(1), DocumentFormat::Text, text);
//! document.url = Some("https://www.example.org/a".into());
//! let (cleaner, model) = (Cleaner::default(), SiteModel::new());
//! let cleaning = Cleaning { cleaner: &cleaner, model: &model, site_key: SiteKey::Host, report: false };
//! let row = cleaning.row(&document, 1);
//! assert_eq!((row.id.as_str(), row.site.as_deref()), ("#1", Some("example.org")));
//! assert_eq!(row.text, "The council met on Monday.");
//! ```

use boildown_corpus::{Document, DocumentFormat};

#[cfg(feature = "parquet")]
pub mod parquet;

use crate::{Cleaned, Cleaner, Format, Observation, Page, Prepared, SiteModel, Stats};

/// How a page's site key is made from its URL (`--site-key`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SiteKey {
    /// The host, lowercased, without `www.` (`news.example.co.uk`).
    #[default]
    Host,
    /// The registrable domain by the public suffix list (`example.co.uk`).
    Domain,
}

impl SiteKey {
    /// The site key of a URL, if it has a host.
    pub fn of(self, url: &str) -> Option<String> {
        let host = crate::site_key(url)?;
        Some(match self {
            SiteKey::Host => host,
            SiteKey::Domain => registrable_domain(&host).unwrap_or(host),
        })
    }
}

/// The registrable domain of a host name (`None` for an IP address, or a host that is
/// itself a public suffix).
fn registrable_domain(host: &str) -> Option<String> {
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return None;
    }
    psl::domain_str(host).map(str::to_owned)
}

/// The page a document is, with its site.
pub fn page<'a>(document: &'a Document, site: Option<&'a str>) -> Page<'a> {
    let format = match document.format {
        DocumentFormat::Html => Format::Html,
        DocumentFormat::Text => Format::Text,
        DocumentFormat::Sniff => Format::Auto,
    };
    Page::from_bytes(document.body())
        .with_format(format)
        .with_charset(document.charset.as_deref())
        .with_url(document.url.as_deref())
        .with_site(site)
}

/// The first pass's work on a document: what its site's model counts of it.
pub fn observe(document: &Document, site_key: SiteKey) -> Option<Observation> {
    let site = document.url.as_deref().and_then(|u| site_key.of(u))?;
    Observation::new(page(document, Some(&site)))
}

/// The counts a row reports (`stats`), and the run's sums of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowStats {
    /// Blocks of the page.
    pub blocks: u64,
    /// Blocks kept.
    pub kept: u64,
    /// Removed as exact repeats of a block of the page.
    pub exact_repeats: u64,
    /// Removed as near repeats.
    pub near_repeats: u64,
    /// Removed as page furniture.
    pub boilerplate: u64,
    /// Removed as the site's template.
    pub site_template: u64,
}

impl RowStats {
    /// The counts' names, in the order of [`RowStats::values`] (the keys of `stats`).
    pub const NAMES: [&'static str; 6] = [
        "blocks",
        "kept",
        "exact_repeats",
        "near_repeats",
        "boilerplate",
        "site_template",
    ];

    /// The counts of a cleaned page.
    pub fn of(stats: &Stats) -> RowStats {
        RowStats {
            blocks: stats.blocks as u64,
            kept: stats.kept as u64,
            exact_repeats: stats.exact_repeats as u64,
            near_repeats: stats.near_repeats as u64,
            boilerplate: stats.boilerplate as u64,
            site_template: stats.site_template as u64,
        }
    }

    /// Adds another page's counts.
    pub fn add(&mut self, other: &RowStats) {
        self.blocks += other.blocks;
        self.kept += other.kept;
        self.exact_repeats += other.exact_repeats;
        self.near_repeats += other.near_repeats;
        self.boilerplate += other.boilerplate;
        self.site_template += other.site_template;
    }

    /// The counts, in the order of [`RowStats::NAMES`].
    pub fn values(&self) -> [u64; 6] {
        [
            self.blocks,
            self.kept,
            self.exact_repeats,
            self.near_repeats,
            self.boilerplate,
            self.site_template,
        ]
    }
}

/// The names of a row's own fields: a passed-through field of one of these names is
/// written as `input.NAME`.
pub const OWN_FIELDS: [&str; 9] = [
    "id", "url", "site", "title", "format", "text", "dup_of", "stats", "report",
];

/// One cleaned page, as written (`dup_of` is added when it is known, at the end).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The document's id (`WARC-Record-ID`, the JSONL id), or `#N` for the run's Nth
    /// document if it has none.
    pub id: String,
    /// Its URL.
    pub url: Option<String>,
    /// Its site key ([`SiteKey`]), if it has a URL with a host.
    pub site: Option<String>,
    /// HTML: its `<title>`.
    pub title: Option<String>,
    /// What it was read as: `html` or `text`.
    pub format: &'static str,
    /// The cleaned text.
    pub text: String,
    /// The counts of its blocks.
    pub stats: RowStats,
    /// Passed-through fields: name and raw JSON value.
    pub extra: Vec<(String, String)>,
    /// The report of every block (`--report`), as JSON.
    pub report: Option<String>,
}

/// A row's id: the document's, or `#N` for the run's Nth document if it has none.
pub fn id_or_number(id: Option<String>, number: u64) -> String {
    id.unwrap_or_else(|| format!("#{number}"))
}

/// How documents become rows.
pub struct Cleaning<'a> {
    /// The cleaner of the run's options.
    pub cleaner: &'a Cleaner,
    /// The site models (complete: every page of the run counted).
    pub model: &'a SiteModel,
    /// How a page's site comes from its URL.
    pub site_key: SiteKey,
    /// Whether rows carry every block's report (`--report`).
    pub report: bool,
}

impl Cleaning<'_> {
    /// A document's row without what cleaning finds (`number`: its number in the run,
    /// for its id if it has none), and its site.
    pub fn meta(&self, document: &Document, number: u64) -> Row {
        let extra = document
            .extra
            .iter()
            .map(|(name, value)| {
                let name = if OWN_FIELDS.contains(&name.as_str()) {
                    format!("input.{name}")
                } else {
                    name.clone()
                };
                (name, value.clone())
            })
            .collect();
        Row {
            id: id_or_number(document.id.clone(), number),
            url: document.url.clone(),
            site: document.url.as_deref().and_then(|u| self.site_key.of(u)),
            extra,
            ..Row::default()
        }
    }

    /// A document's row, cleaned in one step with the model as it is.
    pub fn row(&self, document: &Document, number: u64) -> Row {
        let mut row = self.meta(document, number);
        let cleaned: Cleaned = self
            .cleaner
            .clean(page(document, row.site.as_deref()), self.model);
        row.report = self.report.then(|| {
            serde_json::to_value(&cleaned)
                .and_then(|v| serde_json::to_string(&v))
                .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string())
        });
        row.title = cleaned.title().map(str::to_owned);
        row.format = cleaned.format().name();
        row.stats = RowStats::of(cleaned.stats());
        row.text = cleaned.into_text();
        row
    }

    /// A document read as far as it goes without its site's complete model (the first
    /// pass), with its row so far.
    pub fn prepare(&self, document: &Document, number: u64) -> (Row, Prepared) {
        let row = self.meta(document, number);
        let prepared = self.cleaner.prepare(page(document, row.site.as_deref()));
        (row, prepared)
    }

    /// The row of a prepared document, decided with the complete model.
    pub fn finish(&self, mut row: Row, prepared: &Prepared) -> Row {
        let finished = self.cleaner.finish(prepared, self.model);
        row.title = finished.title().map(str::to_owned);
        row.format = prepared.format().name();
        row.stats = RowStats::of(finished.stats());
        row.text = finished.into_text();
        row
    }
}

/// The words of a text as its near-duplicate signature takes them: boildown's
/// normalized tokens (NFKC, case folded, digits folded), each hashed with XXH3-64.
pub fn words(text: &str) -> Vec<u64> {
    boildown_corpus::minhash::word_hashes(&crate::normalize(text))
}

/// A reject's reason as it is counted: digits as `N`, and what follows a colon (an
/// error's detail) left out.
pub fn reason_class(reason: &str) -> String {
    let head = reason.split(": ").next().unwrap_or(reason);
    let mut out = String::with_capacity(head.len());
    for c in head.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(c);
        }
    }
    out
}
