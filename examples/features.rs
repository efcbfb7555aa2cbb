//! Writes the main-content classifier's features of every block of an evaluation
//! dataset, one JSON line per page, for training the model (`scripts/train.py`):
//!
//! ```text
//! cargo run --release --features cli,training --example features -- ../shared/eval/wcxb-dev-multisite > target/features.jsonl
//! ```
use std::io::{Read, Write};

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: features DATASET_DIR"),
    );
    let list = std::fs::read_to_string(dir.join("pages.jsonl")).expect("pages.jsonl");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut names_written = false;
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let page: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let file = page["html"].as_str().expect("html file");
        let gz = std::fs::read(dir.join(file)).expect("the page");
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut bytes)
            .expect("gzip");
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
        // Exact fingerprints, for the site features (hex: JSON numbers lose u64 bits).
        let exact: Vec<String> = rows
            .iter()
            .map(|r| format!("{:016x}", boildown::fingerprint(&r.text).exact.as_u64()))
            .collect();
        let record = serde_json::json!({
            "id": page["id"], "site": page["site"], "gold": page["gold"],
            "with": page["with"], "without": page["without"],
            "texts": texts, "features": features, "paths": paths, "parents": parents, "exact": exact,
        });
        writeln!(out, "{record}").unwrap();
    }
}
