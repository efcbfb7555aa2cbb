//! The gold texts of the evaluation pack beside the repository (`../shared/eval`), each
//! one page of plain text: what the benches and the measuring examples run on. Shared
//! with `#[path]` by `benches/core.rs` and `examples/*.rs`, and the raw HTML pages.
// Each includer uses some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
        let Ok(data) = std::fs::read_to_string(eval_dir().join(name).join("pages.jsonl")) else {
            continue;
        };
        for line in data.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            if let Some(gold) = value["gold"].as_str().filter(|g| !g.is_empty()) {
                pages.push(gold.to_owned());
            }
        }
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
        .filter_map(|(value, bytes)| {
            let site = value["site"].as_str()?.to_owned();
            Some((site, boildown::decode_html(&bytes, None).text))
        })
        .collect()
}

/// Each page's id, gold text (if full text) and raw bytes, in file order.
pub fn gold_html_pages(dir: &Path) -> Vec<(String, Option<String>, Vec<u8>)> {
    pages_with(dir)
        .into_iter()
        .map(|(value, bytes)| {
            let id = value["id"].as_str().unwrap_or_default().to_owned();
            (id, value["gold"].as_str().map(str::to_owned), bytes)
        })
        .collect()
}

/// Each page's line of `pages.jsonl` and its gunzipped bytes, in file order.
fn pages_with(dir: &Path) -> Vec<(serde_json::Value, Vec<u8>)> {
    use std::io::Read;
    let Ok(data) = std::fs::read_to_string(dir.join("pages.jsonl")) else {
        return Vec::new();
    };
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            let gz = std::fs::read(dir.join(value["html"].as_str()?)).ok()?;
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut bytes)
                .ok()?;
            Some((value, bytes))
        })
        .collect()
}
