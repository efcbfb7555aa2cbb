//! Writes the main-content classifier's features of every block of an evaluation
//! dataset, one JSON line per page, for training the model (`scripts/train.py`):
//!
//! ```text
//! cargo run --release --features cli,training --example features -- ../shared/eval/wcxb-dev-multisite > target/features.jsonl
//! ```
#[path = "../support/eval_pages.rs"]
mod eval_pages;

use std::io::Write;

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: features DATASET_DIR"),
    );
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut names_written = false;
    for (page, bytes) in eval_pages::pages_with(&dir) {
        let decoded = boildown::decode_html(&bytes, None);
        let (names, rows) = boildown::html_features(&decoded.text);
        if !names_written {
            writeln!(out, "{}", serde_json::json!({ "names": names })).unwrap();
            names_written = true;
        }
        let texts: Vec<_> = rows.iter().map(|r| &r.text).collect();
        let features: Vec<_> = rows.iter().map(|r| &r.features).collect();
        let paths: Vec<_> = rows.iter().map(|r| r.path).collect();
        let parents: Vec<_> = rows.iter().map(|r| r.parent).collect();
        let chars: Vec<_> = rows.iter().map(|r| r.chars).collect();
        // Exact fingerprints, for the site features (hex: JSON numbers lose u64 bits).
        let exact: Vec<String> = rows
            .iter()
            .map(|r| format!("{:016x}", boildown::fingerprint(&r.text).exact.as_u64()))
            .collect();
        let record = serde_json::json!({
            "id": page.id, "site": page.site, "gold": page.gold,
            "with": page.with, "without": page.without,
            "texts": texts, "features": features, "paths": paths, "parents": parents, "chars": chars, "exact": exact,
        });
        writeln!(out, "{record}").unwrap();
    }
}
