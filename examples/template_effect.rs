//! The template effect on near-duplicate detection, on the pages of
//! `../shared/eval/wcxb-dev-multisite` (95 sites, two or more pages each):
//!
//! - **different articles of one site** (every pair of pages of a site) must not be
//!   flagged as near-duplicates;
//! - **a page and a copy of it in another template** must be: the copy is the page's
//!   `<body>` inside another site's page, whose first and last thirds (its header and
//!   navigation, its footer) are kept around it, as a scraper site republishes an
//!   article, and it is a page of that other site.
//!
//! Each page is hashed twice, with the corpus command's MinHash parameters: all of its
//! visible text (every block boildown finds, none removed), and boildown's cleaned text
//! with the site scope (every page and copy observed into its site's model first).
//!
//!   cargo run --release --features cli --example template_effect [-- ../shared/eval]
use std::io::Read;
use std::path::PathBuf;

use boildown::{Cleaner, Format, Page, SiteModel};
use boildown_corpus::minhash::{flagged, word_hashes, MinHashParams, MinHasher, Sketch};

struct Doc {
    site: String,
    url: String,
    html: Vec<u8>,
}

fn words(text: &str) -> Vec<u64> {
    word_hashes(&boildown::normalize(text))
}

/// The byte offset of the tag boundary (`<`) nearest after `at`.
fn tag_at(html: &[u8], at: usize) -> usize {
    html[at..]
        .iter()
        .position(|&b| b == b'<')
        .map_or(html.len(), |p| at + p)
}

fn find(html: &[u8], needle: &[u8]) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    memchr::memmem::find(&lower, needle)
}

/// The inside of a page's `<body>`.
fn body(html: &[u8]) -> &[u8] {
    let start = find(html, b"<body")
        .and_then(|b| html[b..].iter().position(|&c| c == b'>').map(|e| b + e + 1))
        .unwrap_or(0);
    let end = find(html, b"</body").unwrap_or(html.len()).max(start);
    &html[start..end]
}

/// `page`'s body inside `other`'s template: `other` up to the first third of its body,
/// then `page`'s body, then `other` from the last third of its body on.
fn copy_into(page: &[u8], other: &[u8]) -> Vec<u8> {
    let inner = body(other);
    let offset = inner.as_ptr() as usize - other.as_ptr() as usize;
    let (a, b) = (
        offset + tag_at(inner, inner.len() / 3),
        offset + tag_at(inner, inner.len() * 2 / 3),
    );
    [&other[..a], body(page), &other[b.max(a)..]].concat()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let eval = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/eval".into()),
    );
    let dir = eval.join("wcxb-dev-multisite");
    if !dir.join("pages.jsonl").exists() {
        println!("no {}: nothing to measure", dir.display());
        return Ok(());
    }
    let mut docs = Vec::new();
    for line in std::fs::read_to_string(dir.join("pages.jsonl"))?.lines() {
        let row: serde_json::Value = serde_json::from_str(line)?;
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(
            dir.join(row["html"].as_str().unwrap_or_default()),
        )?)
        .read_to_end(&mut html)?;
        let site = row["site"].as_str().unwrap_or_default().to_owned();
        let url = row["url"]
            .as_str()
            .map_or_else(|| format!("http://{site}/{}", row["id"]), str::to_owned);
        docs.push(Doc { site, url, html });
    }
    docs.sort_by(|a, b| a.site.cmp(&b.site).then_with(|| a.url.cmp(&b.url)));
    let mut sites: Vec<String> = docs.iter().map(|d| d.site.clone()).collect();
    sites.dedup();
    // Each page's copy goes into the first page of the next site.
    let pages = docs.len();
    let copies: Vec<Doc> = (0..pages)
        .map(|i| {
            let at = sites.iter().position(|s| *s == docs[i].site).unwrap_or(0);
            let next = &sites[(at + 1) % sites.len()];
            let other = docs.iter().find(|d| d.site == *next).unwrap_or(&docs[i]);
            Doc {
                site: other.site.clone(),
                url: format!("{}#copy-{i}", other.url),
                html: copy_into(&docs[i].html, &other.html),
            }
        })
        .collect();
    docs.extend(copies);
    fn page(d: &Doc) -> Page<'_> {
        Page::from_bytes(&d.html)
            .with_format(Format::Html)
            .with_url(d.url.as_str())
            .with_site(d.site.as_str())
    }
    let model = SiteModel::new();
    for d in &docs {
        model.observe(page(d));
    }
    let cleaner = Cleaner::default();
    let hasher = MinHasher::new(MinHashParams::CHOSEN);
    let (mut visible, mut cleaned) = (Vec::new(), Vec::new());
    for d in &docs {
        let all = cleaner.clean(page(d), None);
        let text: Vec<&str> = all.blocks().iter().map(|b| b.text()).collect();
        visible.push(hasher.sketch(&words(&text.join("\n\n"))));
        let clean = cleaner.clean(page(d), &model);
        cleaned.push(hasher.sketch(&words(clean.text())));
    }
    let count = |sigs: &[Sketch]| {
        let (mut same_site, mut same_site_flagged) = (0, 0);
        for i in 0..pages {
            for j in i + 1..pages {
                if docs[i].site == docs[j].site {
                    same_site += 1;
                    same_site_flagged += usize::from(flagged(&hasher, &sigs[i], &sigs[j]));
                }
            }
        }
        let copies_flagged = (0..pages)
            .filter(|&i| flagged(&hasher, &sigs[i], &sigs[pages + i]))
            .count();
        (same_site, same_site_flagged, copies_flagged)
    };
    let p = MinHashParams::CHOSEN;
    println!(
        "{pages} pages of {} sites; MinHash {}-word shingles, {} bands x {} rows, check {:.2}",
        sites.len(),
        p.shingle,
        p.bands,
        p.rows,
        p.threshold
    );
    println!("hashed text | article pairs of one site flagged (want 0) | page-copy pairs flagged (want all)");
    for (name, sigs) in [
        ("all visible text", &visible),
        ("boildown's cleaned text", &cleaned),
    ] {
        let (pairs, flagged_pairs, copies) = count(sigs);
        println!("{name} | {flagged_pairs} of {pairs} | {copies} of {pages}");
    }
    Ok(())
}
