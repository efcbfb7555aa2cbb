//! The gold texts of the evaluation pack beside the repository (`../shared/eval`), each
//! one page of plain text: what the benches and the measuring examples run on. Shared
//! with `#[path]` by `benches/core.rs` and `examples/*.rs`, and the raw HTML pages.
// Each includer uses some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The one dataset reader, the command line's.
#[path = "../src/bin/boildown/dataset.rs"]
pub mod dataset;

/// The datasets whose gold is full text.
pub const DATASETS: [&str; 5] = [
    "wcxb-dev-sample",
    "wcxb-dev-multisite",
    "cleaneval-dev",
    "cleanportaleval-dev",
    "readability-cases",
];

/// Where the evaluation pack is expected.
pub fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval")
}

/// The non-empty gold texts of `datasets`, in file order; empty if the pack is absent.
pub fn gold_pages(datasets: &[&str]) -> Vec<String> {
    let mut pages = Vec::new();
    for name in datasets {
        let Ok(list) = dataset::gold_pages(&eval_dir().join(name)) else {
            continue;
        };
        pages.extend(
            list.into_iter()
                .filter_map(|p| p.gold.filter(|g| !g.is_empty())),
        );
    }
    pages
}

/// The raw HTML bytes of every page of the dataset folder `dir` (gunzipped), in file
/// order; empty if there is none.
pub fn html_pages(dir: &Path) -> Vec<Vec<u8>> {
    pages_with(dir)
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect()
}

/// The pages of the dataset folder `dir` with their site, decoded, in file order;
/// empty if there is none.
pub fn site_pages(dir: &Path) -> Vec<(String, String)> {
    pages_with(dir)
        .into_iter()
        .filter_map(|(page, bytes)| Some((page.site?, boildown::decode_html(&bytes, None).text)))
        .collect()
}

/// Each page's id, gold text (if full text) and raw bytes, in file order.
pub fn gold_html_pages(dir: &Path) -> Vec<(String, Option<String>, Vec<u8>)> {
    pages_with(dir)
        .into_iter()
        .map(|(page, bytes)| (page.id, page.gold, bytes))
        .collect()
}

/// Each page of `dir` and its bytes (gunzipped), in file order, by the one dataset
/// reader; empty if `dir` holds no dataset. A page without a file is left out.
pub fn pages_with(dir: &Path) -> Vec<(dataset::GoldPage, Vec<u8>)> {
    let Ok(pages) = dataset::gold_pages(dir) else {
        return Vec::new();
    };
    pages
        .into_iter()
        .filter_map(|page| {
            let file = page.html.as_deref()?;
            let bytes = dataset::read_page(&dir.join(file), file.ends_with(".gz"))
                .expect("a readable page file");
            Some((page, bytes))
        })
        .collect()
}
