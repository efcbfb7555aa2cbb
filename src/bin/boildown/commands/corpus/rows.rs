//! What one document becomes: its site key, its observation (the first pass), its
//! cleaned row (the second), and the words its near-duplicate signature is made of.

use boildown::{Cleaned, Cleaner, Format, Observation, Page, Prepared, SiteModel, Stats};
use boildown_corpus::{Document, DocumentFormat};

/// How a page's site key is made from its URL (`--site-key`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SiteKey {
    /// The host, lowercased, without `www.` (`news.example.co.uk`).
    Host,
    /// The registrable domain by the public suffix list (`example.co.uk`).
    Domain,
}

impl SiteKey {
    /// The site key of a URL, if it has a host.
    pub fn of(self, url: &str) -> Option<String> {
        let host = boildown::site_key(url)?;
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RowStats {
    pub blocks: u64,
    pub kept: u64,
    pub exact_repeats: u64,
    pub near_repeats: u64,
    pub boilerplate: u64,
    pub site_template: u64,
}

impl RowStats {
    pub const NAMES: [&'static str; 6] = [
        "blocks",
        "kept",
        "exact_repeats",
        "near_repeats",
        "boilerplate",
        "site_template",
    ];

    fn of(stats: &Stats) -> RowStats {
        RowStats {
            blocks: stats.blocks as u64,
            kept: stats.kept as u64,
            exact_repeats: stats.exact_repeats as u64,
            near_repeats: stats.near_repeats as u64,
            boilerplate: stats.boilerplate as u64,
            site_template: stats.site_template as u64,
        }
    }

    pub fn add(&mut self, other: &RowStats) {
        self.blocks += other.blocks;
        self.kept += other.kept;
        self.exact_repeats += other.exact_repeats;
        self.near_repeats += other.near_repeats;
        self.boilerplate += other.boilerplate;
        self.site_template += other.site_template;
    }

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
    pub id: String,
    pub url: Option<String>,
    pub site: Option<String>,
    pub title: Option<String>,
    pub format: &'static str,
    pub text: String,
    pub stats: RowStats,
    /// Passed-through fields: name and raw JSON value.
    pub extra: Vec<(String, String)>,
    /// The report of every block (`--report`), as JSON.
    pub report: Option<String>,
}

/// How documents become rows.
pub struct Cleaning<'a> {
    pub cleaner: &'a Cleaner,
    pub model: &'a SiteModel,
    pub site_key: SiteKey,
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
            id: document.id.clone().unwrap_or_else(|| format!("#{number}")),
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
    boildown_corpus::minhash::word_hashes(&boildown::normalize(text))
}

/// The spill: rows written to a temporary file in a compact form while the
/// near-duplicates are not yet known, read back in order at the end.
pub mod spill {
    use std::io::{self, Read};

    use super::{Row, RowStats};

    const NONE: u32 = u32::MAX;

    fn put(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => {
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            None => out.extend_from_slice(&NONE.to_le_bytes()),
        }
    }

    /// A row's bytes in the spill.
    pub fn encode(row: &Row) -> Vec<u8> {
        let mut out = Vec::with_capacity(row.text.len() + 256);
        put(&mut out, Some(&row.id));
        put(&mut out, row.url.as_deref());
        put(&mut out, row.site.as_deref());
        put(&mut out, row.title.as_deref());
        put(&mut out, Some(row.format));
        put(&mut out, Some(&row.text));
        for v in row.stats.values() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(row.extra.len() as u32).to_le_bytes());
        for (name, value) in &row.extra {
            put(&mut out, Some(name));
            put(&mut out, Some(value));
        }
        put(&mut out, row.report.as_deref());
        let mut framed = (out.len() as u64).to_le_bytes().to_vec();
        framed.extend_from_slice(&out);
        framed
    }

    /// Reads the rows of a spill back, in order.
    pub struct Reader<R> {
        input: R,
        buf: Vec<u8>,
    }

    impl<R: Read> Reader<R> {
        pub fn new(input: R) -> Self {
            Reader {
                input,
                buf: Vec::new(),
            }
        }

        /// The next row, or `None` at the end.
        pub fn next_row(&mut self) -> io::Result<Option<Row>> {
            let mut len = [0u8; 8];
            match self.input.read_exact(&mut len) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
            self.buf.resize(u64::from_le_bytes(len) as usize, 0);
            self.input.read_exact(&mut self.buf)?;
            decode(&self.buf)
                .ok_or_else(|| io::Error::other("the spill file is damaged"))
                .map(Some)
        }
    }

    fn decode(mut bytes: &[u8]) -> Option<Row> {
        fn u32_of(bytes: &mut &[u8]) -> Option<u32> {
            let (head, rest) = bytes.split_first_chunk::<4>()?;
            *bytes = rest;
            Some(u32::from_le_bytes(*head))
        }
        fn get(bytes: &mut &[u8]) -> Option<Option<String>> {
            let len = u32_of(bytes)?;
            if len == NONE {
                return Some(None);
            }
            let (s, rest) = bytes.split_at_checked(len as usize)?;
            *bytes = rest;
            Some(Some(String::from_utf8(s.to_vec()).ok()?))
        }
        let b = &mut bytes;
        let id = get(b)??;
        let url = get(b)?;
        let site = get(b)?;
        let title = get(b)?;
        let format = match get(b)??.as_str() {
            "html" => "html",
            _ => "text",
        };
        let text = get(b)??;
        let mut values = [0u64; 6];
        for v in &mut values {
            let (head, rest) = b.split_first_chunk::<8>()?;
            *v = u64::from_le_bytes(*head);
            *b = rest;
        }
        let [blocks, kept, exact_repeats, near_repeats, boilerplate, site_template] = values;
        let n = u32_of(b)?;
        let mut extra = Vec::with_capacity(n.min(1024) as usize);
        for _ in 0..n {
            extra.push((get(b)??, get(b)??));
        }
        let report = get(b)?;
        Some(Row {
            id,
            url,
            site,
            title,
            format,
            text,
            stats: RowStats {
                blocks,
                kept,
                exact_repeats,
                near_repeats,
                boilerplate,
                site_template,
            },
            extra,
            report,
        })
    }

    /// Frames several byte strings as one record of a spill.
    pub fn frame(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum::<usize>() + 8);
        out.extend_from_slice(&(parts.len() as u64).to_le_bytes());
        for part in parts {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
        out
    }

    /// The records of a spill of frames, in order (an error ends them).
    pub fn frames<R: Read>(mut input: R) -> impl Iterator<Item = io::Result<Vec<Vec<u8>>>> {
        let mut failed = false;
        std::iter::from_fn(move || {
            if failed {
                return None;
            }
            let mut read = || -> io::Result<Option<Vec<Vec<u8>>>> {
                let mut n = [0u8; 8];
                match input.read_exact(&mut n) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                    Err(e) => return Err(e),
                }
                let mut parts = Vec::new();
                for _ in 0..u64::from_le_bytes(n) {
                    input.read_exact(&mut n)?;
                    let mut part = vec![0u8; u64::from_le_bytes(n) as usize];
                    input.read_exact(&mut part)?;
                    parts.push(part);
                }
                Ok(Some(parts))
            };
            match read() {
                Ok(parts) => parts.map(Ok),
                Err(e) => {
                    failed = true;
                    Some(Err(e))
                }
            }
        })
    }

    /// A row's bytes back (the inverse of [`encode`] without its length).
    pub fn decode_row(bytes: &[u8]) -> io::Result<Row> {
        decode(bytes.get(8..).unwrap_or_default())
            .ok_or_else(|| io::Error::other("the spill file is damaged"))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn rows_come_back_as_they_went() {
            let rows = [
                Row {
                    id: "<urn:1>".into(),
                    url: Some("http://a.example/".into()),
                    site: Some("a.example".into()),
                    title: None,
                    format: "html",
                    text: "Ünïcode\ntext".into(),
                    stats: RowStats {
                        blocks: 9,
                        kept: 2,
                        exact_repeats: 1,
                        near_repeats: 0,
                        boilerplate: 5,
                        site_template: 1,
                    },
                    extra: vec![("lang".into(), "\"en\"".into())],
                    report: Some("{}".into()),
                },
                Row {
                    id: "#2".into(),
                    format: "text",
                    ..Row::default()
                },
            ];
            let mut bytes = Vec::new();
            for row in &rows {
                bytes.extend_from_slice(&encode(row));
            }
            let mut reader = Reader::new(&bytes[..]);
            for row in &rows {
                assert_eq!(reader.next_row().unwrap().as_ref(), Some(row));
            }
            assert_eq!(reader.next_row().unwrap(), None);
            let mut cut = Reader::new(&bytes[..bytes.len() - 3]);
            cut.next_row().unwrap();
            assert!(cut.next_row().is_err());
        }
    }
}
